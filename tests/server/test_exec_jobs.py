"""Jobs: every exec is a job reachable by id after the call - background runs, waiting
for input and answering, reading output by cursor, cancelling with C-c, a killed pane,
and clear errors for bad ids and answers (issue 14)."""

from __future__ import annotations

import json

from conftest import wait_until


def _ready(server, name: str) -> None:
    server.ok("new-session", "-d", "-s", name, "-x", "100", "-y", "20")
    server.wait_for_text(name, "$")
    assert server.run("exec", name, "true").code == 0


def _json(result) -> dict:
    return json.loads(result.out)


def test_background_job_wait_and_output_cursor(server):
    _ready(server, "b")
    started = _json(server.run("exec", "b", "seq 1 5; sleep 0.5; seq 6 8", "--background",
                               "--json"))
    job = str(started["job"])
    assert started["state"] in ("running", "finished")
    done = _json(server.run("job", "wait", job, "--timeout", "30", "--json"))
    assert done["state"] == "finished" and done["exit_code"] == 0
    first = _json(server.run("job", "output", job, "--limit", "3", "--json"))
    assert first["text"] == "1\n2\n3" and first["next_offset"] == 3
    rest = _json(server.run("job", "output", job, "--json"))
    assert rest["text"] == "4\n5\n6\n7\n8" and "next_offset" not in rest
    tail = _json(server.run("job", "output", job, "--offset=-2", "--json"))
    assert tail["text"] == "7\n8"
    listed = _json(server.run("job", "list", "--state", "finished", "--json"))
    assert int(job) in [row["job"] for row in listed]


def test_prompt_answer_and_errors(server):
    _ready(server, "p")
    asked = server.run("exec", "p", "read -p 'Proceed? [y/N] ' a; echo got-$a", "--json",
                       "--timeout", "30")
    data = _json(asked)
    assert asked.code == 125 and data["state"] == "waiting" and "Proceed?" in data["prompt"]
    job = str(data["job"])
    huge = server.run("job", "answer", job, "y" * 5000)
    assert huge.code == 1 and "too long" in huge.err
    assert server.run("job", "answer", job, "yes").code == 0
    done = _json(server.run("job", "wait", job, "--timeout", "30", "--json"))
    assert done["state"] == "finished"
    assert "got-yes" in _json(server.run("job", "output", job, "--json"))["text"]
    again = server.run("job", "answer", job, "y")
    assert again.code == 1 and "already finished" in again.err
    missing = server.run("job", "wait", "999")
    assert missing.code == 1 and "no job 999" in missing.err
    bad = server.run("job", "output", "x1")
    assert bad.code == 1 and "job id invalid" in bad.err


def test_timeout_leaves_a_job_and_cancel_interrupts_it(server):
    _ready(server, "c")
    slow = server.run("exec", "c", "sleep 100", "--timeout", "1")
    assert slow.code == 124 and "job" in slow.err
    job = slow.err.split("as job ")[1].split()[0]
    running = server.run("job", "answer", job, "y")
    assert running.code == 1 and "not waiting" in running.err
    cancelled = _json(server.run("job", "cancel", job, "--grace", "5", "--json"))
    assert cancelled["state"] == "failed" and cancelled["stopped_by"] == "C-c"
    assert cancelled["exit_code"] == 130
    assert server.run("exec", "c", "echo free").out == "free\n"


def test_killed_pane_ends_the_job_with_its_output(server):
    _ready(server, "k")
    server.ok("split-window", "-t", "k")
    server.wait_for_text("k", "$")
    target = server.ok("display-message", "-p", "-t", "k", "#{pane_id}").strip()
    wait_until(lambda: server.run("exec", "k", "true").code == 0, message="second shell")
    job = str(_json(server.run("exec", "k", "echo before-kill; sleep 100", "--background",
                               "--json"))["job"])
    wait_until(lambda: "before-kill" in _json(server.run("job", "output", job, "--offset=-5",
                                                         "--json"))["text"],
               message="output seen")
    server.ok("kill-pane", "-t", target)
    ended = _json(server.run("job", "wait", job, "--timeout", "30", "--json"))
    assert ended["state"] == "killed" and "killed" in ended["error"]
    assert "before-kill" in _json(server.run("job", "output", job, "--offset=-5",
                                             "--json"))["text"]
