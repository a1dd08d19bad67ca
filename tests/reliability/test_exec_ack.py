"""``exec``'s acknowledgement: the record is committed before the reply, and a killed
pane ends the wait at once with ``killed``."""

from __future__ import annotations

import sqlite3
import threading

from tests.conftest import wait_until


def test_exec_reply_comes_after_the_commit(server) -> None:
    server.ok("new-session", "-d", "-s", "ack")
    database = server.data / "ai-session.db"
    for index in range(5):
        result = server.run("exec", "ack", f"echo acked-{index}")
        assert result.code == 0, result.err
        # Read at once, on a connection of our own: no waiting, the commit came first.
        with sqlite3.connect(database) as connection:
            rows = connection.execute("SELECT text FROM commands WHERE text=?",
                                      (f"echo acked-{index}",)).fetchall()
        assert rows == [(f"echo acked-{index}",)]


def test_exec_on_a_killed_pane_returns_with_killed(server) -> None:
    server.ok("new-session", "-d", "-s", "k")
    server.ok("split-window", "-t", "k")
    pane = server.ok("display-message", "-p", "-t", "k", "#{pane_id}").strip()
    outcome: dict[str, object] = {}

    def run_exec() -> None:
        outcome["result"] = server.cli("exec", "k", "sleep 300", timeout=120)

    thread = threading.Thread(target=run_exec)
    thread.start()
    wait_until(lambda: server.ok("display-message", "-p", "-t", pane,
                                 "#{pane_current_command}").strip() == "sleep",
               message="sleep running")
    server.ok("kill-pane", "-t", pane)
    thread.join(60)
    assert not thread.is_alive(), "exec still waiting on a killed pane"
    result = outcome["result"]
    assert result.code == 1
    assert "killed" in result.err
    # And an exec aimed at the session afterwards runs in the remaining pane.
    assert server.run("exec", "k", "echo still-here").out == "still-here\n"
