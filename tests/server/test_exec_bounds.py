"""exec as an agent's tool: ``--timeout`` bounds the whole call, a busy pane answers at
once (or ``--queue`` waits), and secrets never reach the caller unless ``--raw``."""

from __future__ import annotations

import json

from conftest import wait_until


def _ready(server, name: str) -> None:
    server.ok("new-session", "-d", "-s", name, "-x", "100", "-y", "20")
    server.wait_for_text(name, "$")
    assert server.run("exec", name, "true").code == 0


def _running(server, name: str) -> None:
    wait_until(lambda: server.ok("display-message", "-p", "-t", name,
                                 "#{pane_current_command}") == "sleep\n",
               message="sleep running")


def test_busy_pane_answers_at_once_and_timeout_bounds_queue(server):
    _ready(server, "b")
    server.ok("send-keys", "-t", "b", "sleep 100", "Enter")
    _running(server, "b")
    busy = server.run("exec", "b", "echo hi", "--timeout", "30")
    assert busy.code == 1 and "busy running 'sleep 100'" in busy.err and "--queue" in busy.err
    queued = server.run("exec", "b", "echo hi", "--timeout", "1", "--queue")
    assert queued.code == 124 and "still busy after 1s" in queued.err
    assert "was not started" in queued.err
    server.ok("send-keys", "-t", "b", "C-c")
    wait_until(lambda: server.ok("display-message", "-p", "-t", "b",
                                 "#{pane_current_command}") == "bash\n", message="sleep gone")
    assert "hi" not in server.capture("b").replace("echo hi", "")


def test_queue_runs_after_the_busy_command(server):
    _ready(server, "q")
    server.ok("send-keys", "-t", "q", "sleep 1", "Enter")
    _running(server, "q")
    queued = server.run("exec", "q", "echo after", "--queue", "--timeout", "60")
    assert queued.code == 0 and queued.out == "after\n"


def test_secrets_masked_unless_raw(server):
    _ready(server, "s")
    token = "ghp_abcdefghijklmnopqrstuvwxyz0123456789"
    masked = server.run("exec", "s", f"echo 'token: {token}'", "--json")
    assert token not in masked.out
    data = json.loads(masked.out)
    assert token not in data["command"] and token not in data["output"]
    raw = server.run("exec", "s", f"echo 'token: {token}'", "--raw")
    assert raw.out == f"token: {token}\n"


def test_exec_returns_at_a_prompt_with_its_text(server):
    _ready(server, "p")
    asked = server.run("exec", "p", "python3 -c 'print(input(\"Proceed? [y/N] \"))'",
                       "--timeout", "60")
    assert asked.code == 125, asked.err
    assert "Proceed? [y/N]" in asked.out and "waiting for input" in asked.err
    # returned at the prompt: the program still waits for its answer
    assert server.ok("display-message", "-p", "-t", "p", "#{pane_current_command}") == \
        "python3\n"
    server.ok("send-keys", "-t", "p", "yes", "Enter")
    after = server.run("exec", "p", "echo next", "--queue", "--timeout", "60")
    assert after.code == 0 and after.out == "next\n"
    lines = server.capture("p").splitlines()
    assert "Proceed? [y/N] yes" in lines and "yes" in lines  # answered, then printed


def test_wait_to_end_keeps_waiting(server):
    _ready(server, "w")
    result = server.run("exec", "w", "python3 -c 'input(\"Continue? [y/n] \")'",
                        "--timeout", "3", "--wait-to-end")
    assert result.code == 124
    server.ok("send-keys", "-t", "w", "C-c")
