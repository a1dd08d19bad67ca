"""The agent/bus/task verbs against a real server (issue 5), including a server SIGKILL."""

from __future__ import annotations

import json
import os
import select
import signal
import subprocess
import sys
import time

from conftest import wait_until


def _json(server, *args: str):
    return json.loads(server.ok(*args, "--json"))


def test_register_send_recv_with_clear_errors(server):
    server.ok("new-session", "-d", "-s", "fe")
    registered = _json(server, "agent", "register", "frontend", "--session", "fe",
                       "--capabilities", "ui,css", "--role", "frontend")
    assert registered["pane"] == "%0" and registered["capabilities"] == ["ui", "css"]
    server.ok("agent", "register", "backend", "--capabilities", "api")
    sent = _json(server, "bus", "send", "--from", "frontend", "--to", "backend", "--type",
                 "task_assignment", '{"task": "add /users endpoint"}')
    got = _json(server, "bus", "recv", "backend")
    assert got["id"] == sent["id"] and got["payload"] == {"task": "add /users endpoint"}
    assert got["from"] == "frontend" and got["type"] == "task_assignment"
    empty = server.run("bus", "recv", "backend", "--wait", "0.2")
    assert empty.code == 1 and "no message for backend within 0.2s" in empty.err
    bad = server.run("bus", "send", "--from", "a", "--to", "backend", "{oops")
    assert bad.code == 1 and "bad JSON payload" in bad.err
    unknown = server.run("bus", "send", "--from", "a", "--to", "nobody", "{}")
    assert unknown.code == 1 and "unknown agent: nobody" in unknown.err
    kind = server.run("bus", "send", "--from", "a", "--to", "backend", "--type", "x", "{}")
    assert kind.code == 1 and "unknown message type: x" in kind.err
    agents = _json(server, "agent", "list")
    assert [(a["name"], a["status"]) for a in agents] == [("frontend", "idle"),
                                                          ("backend", "idle")]
    history = _json(server, "bus", "history", "--limit", "5")
    assert [m["id"] for m in history] == [sent["id"]]


def test_broadcast_copies_and_overflow_error(server):
    server.ok("new-session", "-d", "-s", "keep")
    server.ok("agent", "register", "a", "--inbox-size", "2")
    server.ok("agent", "register", "b")
    for n in range(2):
        server.ok("bus", "broadcast", "--from", "lead", "--type", "status_update",
                  json.dumps({"n": n}))
    full = server.run("bus", "broadcast", "--from", "lead", "{}")
    assert full.code == 1 and "inbox full: a (2 messages)" in full.err
    for name in ("a", "b"):
        assert [m["payload"] for m in _json(server, "bus", "recv", name, "--all")] == \
            [{"n": 0}, {"n": 1}]


def test_from_defaults_to_the_agent_of_the_calling_pane(server):
    server.ok("new-session", "-d", "-s", "work")
    server.ok("agent", "register", "lead", "--pane", "%0")
    server.ok("agent", "register", "worker")
    server.ok("send-keys", "-t", "work", "-l",
              f"""{sys.executable} -m aisession_tui.cli bus send --to worker """
              """'{"from_pane": true}'""")
    server.ok("send-keys", "-t", "work", "Enter")
    def received() -> str:
        result = server.run("bus", "recv", "worker", "--json")
        return result.out if result.code == 0 else ""

    message = json.loads(wait_until(received, message="the pane's message"))
    assert message["from"] == "lead" and message["payload"] == {"from_pane": True}
    missing = server.run("bus", "send", "--to", "worker", "{}")
    assert missing.code == 1 and "--from AGENT is required" in missing.err


def test_task_routing_by_capability_and_load(server):
    server.ok("new-session", "-d", "-s", "keep")
    server.ok("agent", "register", "designer", "--capabilities", "ui,css")
    server.ok("agent", "register", "stylist", "--capabilities", "css")
    first = _json(server, "task", "submit", "--requires", "css", '{"task": "navbar"}')
    second = _json(server, "task", "submit", "--requires", "css", '{"task": "footer"}')
    assert {first["agent"], second["agent"]} == {"designer", "stylist"}
    queued = _json(server, "task", "submit", "--requires", "gpu", '{"task": "train"}')
    assert queued["state"] == "queued"
    server.ok("agent", "register", "trainer", "--capabilities", "gpu")
    tasks = {t["id"]: t for t in _json(server, "task", "list")}
    assert tasks[queued["id"]]["state"] == "assigned"
    assert tasks[queued["id"]]["agent"] == "trainer"
    done = _json(server, "task", "done", str(first["id"]), "--result", '{"ok": true}')
    assert done["state"] == "done" and done["result"] == {"ok": True}
    again = server.run("task", "done", str(first["id"]))
    assert again.code == 1 and "already done" in again.err
    assignment = _json(server, "bus", "recv", "trainer")
    assert assignment["type"] == "task_assignment"
    assert assignment["payload"]["task_id"] == queued["id"]


def test_sync_releases_both_callers_and_times_out_alone(server):
    server.ok("new-session", "-d", "-s", "keep")
    server.ok("agent", "register", "fe")
    server.ok("agent", "register", "be")
    lone = server.run("bus", "sync", "--name", "p0", "--agents", "fe,be", "--from", "fe",
                      "--timeout", "0.3")
    assert lone.code == 1 and "timed out after 0.3s waiting for be" in lone.err
    first = subprocess.Popen(
        [sys.executable, "-m", "aisession_tui.cli", "-L", server.name, "bus", "sync",
         "--name", "p1", "--agents", "fe,be", "--from", "fe", "--timeout", "60", "--json"],
        env=server.env, stdout=subprocess.PIPE, text=True)
    try:
        wait_until(lambda: [a["status"] for a in _json(server, "agent", "list")
                            if a["name"] == "fe"] == ["waiting"], message="fe waiting at p1")
        second = _json(server, "bus", "sync", "--name", "p1", "--agents", "be,fe",
                       "--from", "be", "--timeout", "60")
        out, _ = first.communicate(timeout=30)
    finally:
        if first.poll() is None:
            first.kill()
    assert first.returncode == 0
    assert json.loads(out) == second and second["agents"] == ["be", "fe"]


_pending: dict[int, bytes] = {}


def _line(stream: subprocess.Popen, timeout: float = 30.0) -> dict:
    """The next JSON line of a stream, read from its raw fd (a buffered readline could
    hold a second line where select() cannot see it)."""
    fd = stream.stdout.fileno()
    buffer = _pending.get(fd, b"")
    deadline = time.monotonic() + timeout
    while b"\n" not in buffer:
        ready, _, _ = select.select([fd], [], [], max(0.0, deadline - time.monotonic()))
        assert ready, "no line from bus subscribe"
        chunk = os.read(fd, 65536)
        assert chunk, "bus subscribe ended"
        buffer += chunk
    line, _, _pending[fd] = buffer.partition(b"\n")
    return json.loads(line)


def test_subscribe_streams_a_copy_to_each_subscriber(server):
    server.ok("new-session", "-d", "-s", "keep")
    server.ok("agent", "register", "be")
    server.ok("bus", "publish", "--from", "ci", "--topic", "status.warmup", '{"warm": 1}')
    streams = [subprocess.Popen(
        [sys.executable, "-m", "aisession_tui.cli", "-L", server.name, "bus", "subscribe",
         "--history", "1", *extra], env=server.env, stdout=subprocess.PIPE)
        for extra in ([], ["--topic", "status.*"])]
    try:
        for stream in streams:  # the history line proves the subscription is live
            assert _line(stream)["payload"] == {"warm": 1}
        server.ok("bus", "send", "--from", "lead", "--to", "be", '{"direct": 1}')
        assert _line(streams[0])["payload"] == {"direct": 1}
        server.ok("bus", "publish", "--from", "ci", "--topic", "status.build",
                  "--type", "status_update", '{"ok": true}')
        for stream in streams:
            line = _line(stream)
            assert line["topic"] == "status.build" and line["payload"] == {"ok": True}
    finally:
        for stream in streams:
            stream.send_signal(signal.SIGINT)
        for stream in streams:
            try:
                stream.wait(timeout=20)
            except subprocess.TimeoutExpired:
                stream.kill()
                stream.wait()
    assert [stream.returncode for stream in streams] == [0, 0]


def test_messages_survive_a_server_sigkill(server):
    server.ok("new-session", "-d", "-s", "keep")
    server.ok("agent", "register", "offline-agent")
    for n in range(3):
        server.ok("bus", "send", "--from", "lead", "--to", "offline-agent",
                  json.dumps({"n": n}))
    taken = _json(server, "bus", "recv", "offline-agent")
    assert taken["payload"] == {"n": 0}
    server.ok("task", "submit", "--requires", "gpu", '{"train": 1}')
    pid = server.server_pid()
    os.kill(pid, signal.SIGKILL)
    wait_until(lambda: server.run("has-session", "-t", "keep").code != 0,
               message="server gone")
    server.ok("new-session", "-d", "-s", "again")
    messages = _json(server, "bus", "recv", "offline-agent", "--all")
    assert [m["payload"] for m in messages] == [{"n": 1}, {"n": 2}]
    assert [t["state"] for t in _json(server, "task", "list")] == ["queued"]
    agents = _json(server, "agent", "list")
    assert [a["name"] for a in agents] == ["offline-agent"]
