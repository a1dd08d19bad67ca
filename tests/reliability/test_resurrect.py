"""Resurrection end to end: a server killed with SIGKILL (and, like a reboot, every
process it started) comes back on the next start with its sessions, windows, layout,
cwds and scrollback; a program that was running is offered again, never run; a
``kill-server`` keeps the sessions too, ``kill-server -C`` clears them."""

from __future__ import annotations

import sqlite3
import time

from conftest import wait_until
from killing import kill_hard


def _kept(server) -> bool:
    database = server.data / "ai-session.db"
    try:
        with sqlite3.connect(database) as connection:
            return connection.execute("SELECT count(*) FROM resurrect").fetchone()[0] > 0
    except sqlite3.Error:
        return False


def _saved_after(server, moment: float) -> bool:
    with sqlite3.connect(server.data / "ai-session.db") as connection:
        row = connection.execute("SELECT max(saved_at) FROM resurrect").fetchone()
    return bool(row and row[0] and row[0] > moment)


def test_sessions_come_back_after_kill_9(server) -> None:
    work = server.home / "work"
    work.mkdir()
    other = server.home / "other"
    other.mkdir()
    server.ok("new-session", "-d", "-s", "alpha", "-x", "100", "-y", "30")
    server.ok("send-keys", "-t", "alpha", f"cd {work} && echo marker-alpha-0", "Enter")
    server.wait_for_text("alpha", "marker-alpha-0")
    server.ok("split-window", "-h", "-t", "alpha", "-c", str(other))
    server.ok("send-keys", "-t", "alpha:0.1", "echo marker-right", "Enter")
    server.wait_for_text("alpha:0.1", "marker-right")
    server.ok("new-window", "-t", "alpha", "-n", "tools")
    server.ok("send-keys", "-t", "alpha:tools", "sleep 1000", "Enter")
    layout = server.ok("display-message", "-p", "-t", "alpha:0", "#{window_layout}").strip()
    wait_until(lambda: server.ok("display-message", "-p", "-t", "alpha:tools",
                                 "#{pane_current_command}").strip() == "sleep",
               message="sleep running")
    moment = time.time()
    wait_until(lambda: _saved_after(server, moment + 0.1), message="a snapshot")
    pid = server.server_pid()
    assert pid
    kill_hard(pid)  # the server and every shell it started: as after a reboot
    wait_until(lambda: server.run("has-session").code == 1, message="server gone")
    server.socket.unlink(missing_ok=True)

    server.ok("new-session", "-d", "-s", "fresh")

    def old_rows_closed() -> bool:
        with sqlite3.connect(server.data / "ai-session.db") as connection:
            return connection.execute(
                "SELECT count(*) FROM sessions WHERE closed_at IS NULL AND run_id != "
                "(SELECT max(id) FROM runs)").fetchone()[0] == 0

    wait_until(old_rows_closed, message="the killed run's rows closed at the next start")
    listed = server.ok("list-sessions", "-F", "#{session_name}").split()
    assert sorted(listed) == ["alpha", "fresh"]
    windows = server.ok("list-windows", "-t", "alpha", "-F",
                        "#{window_index} #{window_name} #{window_panes}").splitlines()
    assert windows[0].split()[2] == "2" and windows[1].split()[1:] == ["tools", "1"]
    assert server.ok("display-message", "-p", "-t", "alpha:0",
                     "#{window_layout}").strip() == layout
    left = server.wait_for_text("alpha:0.0", "marker-alpha-0")
    assert left.count("marker-alpha-0") >= 1
    server.wait_for_text("alpha:0.1", "marker-right")
    assert server.ok("display-message", "-p", "-t", "alpha:0.0",
                     "#{pane_current_path}").strip() == str(work)
    assert server.ok("display-message", "-p", "-t", "alpha:0.1",
                     "#{pane_current_path}").strip() == str(other)
    # The program is offered at a fresh prompt, not run.
    shown = server.wait_for_text("alpha:tools", "sleep 1000")
    assert shown.rstrip().endswith("sleep 1000")
    assert server.ok("display-message", "-p", "-t", "alpha:tools",
                     "#{pane_current_command}").strip() == "bash"


def test_kill_server_keeps_and_kill_server_c_clears(server) -> None:
    server.ok("new-session", "-d", "-s", "keep")
    server.ok("kill-server")
    wait_until(lambda: not server.socket.exists(), message="server gone")
    assert _kept(server)
    server.ok("new-session", "-d", "-s", "next")
    assert sorted(server.ok("list-sessions", "-F", "#{session_name}").split()) == [
        "keep", "next"]
    server.ok("kill-server", "-C")
    wait_until(lambda: not server.socket.exists(), message="server gone")
    assert not _kept(server)
    server.ok("new-session", "-d", "-s", "alone")
    assert server.ok("list-sessions", "-F", "#{session_name}").split() == ["alone"]


def test_a_session_group_comes_back_as_a_group(server) -> None:
    server.ok("new-session", "-d", "-s", "g1")
    server.ok("new-window", "-t", "g1", "-n", "second")
    server.ok("new-session", "-d", "-t", "g1", "-s", "g2")
    server.ok("select-window", "-t", "g2:1")
    server.ok("select-window", "-t", "g1:0")
    server.ok("kill-server")
    wait_until(lambda: not server.socket.exists(), message="server gone")
    server.ok("new-session", "-d", "-s", "next")
    listed = server.ok("list-sessions", "-F",
                       "#{session_name} #{session_grouped} #{session_group} "
                       "#{session_group_list}").splitlines()
    assert sorted(listed) == ["g1 1 g1 g1,g2", "g2 1 g1 g1,g2", "next 0  "]

    def windows(session: str) -> list[str]:
        return server.ok("list-windows", "-t", session, "-F",
                         "#{window_index} #{window_id} #{window_name} "
                         "#{window_active}").splitlines()

    first, second = windows("g1"), windows("g2")
    # the same windows (same ids), each session on its own current window
    assert [row.split()[:3] for row in first] == [row.split()[:3] for row in second]
    assert [row.split()[3] for row in first] == ["1", "0"]
    assert [row.split()[3] for row in second] == ["0", "1"]
    assert server.ok("display-message", "-p", "-t", "g1:1", "#{window_name}") == "second\n"
    # one set of panes, not a copy per member (list-panes -a lists each member's)
    assert len(set(server.ok("list-panes", "-a", "-F", "#{pane_id}").split())) == 3
    server.ok("new-window", "-t", "g2", "-n", "third")  # and the group still acts as one
    assert len(windows("g1")) == 3
