"""join-pane / move-pane, and windows and panes moving across sessions (move-window,
break-pane, swap-window, swap-pane), through the real CLI against an isolated server.

Expected geometries, indexes and flags are what tmux 3.3a printed for the same command
sequences (run live with ``tmux -L x -f /dev/null``); pane ids are compared by role, since
the two servers number panes in creation order. Attached clients are plain protocol
connections that keep their notifications; every wait has a deadline.
"""

from __future__ import annotations

import asyncio
import sqlite3
from typing import Any

import pytest
from conftest import async_wait_until, wait_until

from aisession_tui.cli.async_client import AsyncClient, open_client

PANES = "#{session_name}:#{window_index}.#{pane_index} #{pane_id} " \
        "#{pane_left},#{pane_top} #{pane_width}x#{pane_height} #{pane_active}"
WINDOWS = "#{session_name}:#{window_index} #{window_name}#{window_flags}"


def panes(server: Any) -> list[str]:
    return server.ok("list-panes", "-a", "-F", PANES).splitlines()


def windows(server: Any) -> list[str]:
    return server.ok("list-windows", "-a", "-F", WINDOWS).splitlines()


def pane_id(server: Any, target: str) -> str:
    return server.ok("display-message", "-p", "-t", target, "#{pane_id}").strip()


def test_join_pane_splits_the_target_like_tmux_and_keeps_the_child(server):
    server.ok("new-session", "-d", "-s", "a", "-x", "80", "-y", "24")
    server.ok("split-window", "-t", "a")
    server.ok("new-session", "-d", "-s", "b", "-x", "80", "-y", "24")
    top, bottom, b0 = pane_id(server, "a:0.0"), pane_id(server, "a:0.1"), \
        pane_id(server, "b:0.0")
    server.wait_for_text(top, "$")
    pid = server.ok("display-message", "-p", "-t", top, "#{pane_pid}")
    server.ok("send-keys", "-t", top, "echo before-join", "Enter")
    server.wait_for_text(top, "before-join\n")

    # Same window: split the target first, then the pane's old cell closes.
    server.ok("join-pane", "-s", "a:0.0", "-t", "a:0.1")
    assert panes(server) == [f"a:0.0 {bottom} 0,0 80x18 0", f"a:0.1 {top} 0,19 80x5 1",
                             f"b:0.0 {b0} 0,0 80x24 1"]
    assert server.run("move-pane", "-s", "a:0.0", "-t", "a:0.0").err == \
        "source and target panes must be different\n"

    # Into another session, -l as a percentage of the target pane.
    server.ok("join-pane", "-h", "-l", "50%", "-s", top, "-t", "b:0.0")
    assert panes(server) == [f"a:0.0 {bottom} 0,0 80x24 1", f"b:0.0 {b0} 0,0 39x24 0",
                             f"b:0.1 {top} 40,0 40x24 1"]
    # Same child, same screen, and formats see its new session.
    assert server.ok("display-message", "-p", "-t", top, "#{pane_pid}") == pid
    assert "before-join" in server.capture(top)
    assert server.ok("display-message", "-p", "-t", top,
                     "#{session_name}:#{window_index}") == "b:0\n"
    server.ok("send-keys", "-t", top, "echo after-join $((6*7))", "Enter")
    server.wait_for_text(top, "after-join 42\n")

    # -f with a percentage: still of the target pane's size (tmux 3.3a).
    server.ok("split-window", "-t", "b")
    third = pane_id(server, "b:0.2")
    server.ok("join-pane", "-f", "-v", "-l", "30%", "-s", "b:0.0", "-t", "b:0.2")
    assert panes(server)[1:] == [f"b:0.0 {top} 0,0 80x10 0", f"b:0.1 {third} 0,11 80x9 0",
                                 f"b:0.2 {b0} 0,21 80x3 1"]
    # -b puts it before the target, -l N is its size.
    server.ok("join-pane", "-b", "-h", "-l", "10", "-s", "b:0.0", "-t", "a:0.0")
    assert panes(server) == [f"a:0.0 {top} 0,0 10x24 1", f"a:0.1 {bottom} 11,0 69x24 0",
                             f"b:0.0 {third} 0,0 80x20 0", f"b:0.1 {b0} 0,21 80x3 1"]
    # -d: the target window's active pane stays.
    server.ok("join-pane", "-d", "-s", "a:0.0", "-t", "b:0.0")
    assert panes(server) == [f"a:0.0 {bottom} 0,0 80x24 1", f"b:0.0 {third} 0,0 80x10 0",
                             f"b:0.1 {top} 0,11 80x9 0", f"b:0.2 {b0} 0,21 80x3 1"]
    assert server.run("join-pane", "-l", "abc", "-s", "a", "-t", "b").err == \
        "size invalid: abc\n"


@pytest.mark.fake_pty
def test_joining_a_sessions_last_pane_ends_that_session(server):
    server.ok("new-session", "-d", "-s", "a", "-x", "80", "-y", "24")
    server.ok("new-session", "-d", "-s", "b", "-x", "80", "-y", "24")
    moved = pane_id(server, "a")
    server.ok("join-pane", "-s", "a", "-t", "b")
    assert server.ok("list-sessions", "-F", "#{session_name}") == "b\n"
    assert server.ok("display-message", "-p", "-t", moved,
                     "#{session_name}:#{window_index}.#{pane_index}") == "b:0.1\n"
    # A pane too small to split is refused with tmux's words, nothing moves.
    for _ in range(3):
        server.ok("split-window", "-t", "b:0.0", "-l", "1")
    small = pane_id(server, "b:0.1")
    assert server.ok("display-message", "-p", "-t", small, "#{pane_height}") == "1\n"
    before = panes(server)
    result = server.run("join-pane", "-s", moved, "-t", small)
    assert (result.code, result.err) == (1, "create pane failed: pane too small\n")
    assert panes(server) == before


@pytest.mark.fake_pty
def test_move_window_to_another_session(server):
    server.ok("new-session", "-d", "-s", "a", "-x", "80", "-y", "24", "-n", "a0")
    for name in ("a1", "a2", "a3"):
        server.ok("new-window", "-t", "a:", "-n", name)
    server.ok("new-session", "-d", "-s", "b", "-x", "100", "-y", "30", "-n", "b0")
    server.ok("new-window", "-t", "b:", "-n", "b1")
    pid = server.ok("display-message", "-p", "-t", "a:1", "#{pane_pid}")

    server.ok("move-window", "-s", "a:1", "-t", "b:")
    assert windows(server) == ["a:0 a0", "a:2 a2-", "a:3 a3*", "b:0 b0", "b:1 b1-",
                               "b:2 a1*"]
    assert server.ok("display-message", "-p", "-t", "b:2", "#{pane_pid}") == pid
    server.ok("move-window", "-d", "-s", "a:0", "-t", "b:5")
    assert windows(server) == ["a:2 a2-", "a:3 a3*", "b:0 b0", "b:1 b1-", "b:2 a1*",
                               "b:5 a0"]
    assert server.run("move-window", "-s", "a:2", "-t", "b:5").err == "index in use: 5\n"
    server.ok("move-window", "-k", "-s", "a:2", "-t", "b:5")
    assert windows(server) == ["a:3 a3*", "b:0 b0", "b:1 b1", "b:2 a1-", "b:5 a2*"]
    # The session's last window: the session goes.
    server.ok("move-window", "-s", "a:3", "-t", "b:")
    assert windows(server) == ["b:0 b0", "b:1 b1", "b:2 a1", "b:3 a3*", "b:5 a2-"]
    assert server.ok("list-sessions", "-F", "#{session_name}") == "b\n"
    # -k replacing a session's only window keeps that session.
    server.ok("new-session", "-d", "-s", "c", "-n", "c0")
    server.ok("move-window", "-k", "-s", "b:5", "-t", "c:0")
    assert [line for line in windows(server) if line.startswith("c:")] == ["c:0 a2*"]


@pytest.mark.fake_pty
def test_break_pane_into_another_session(server):
    server.ok("new-session", "-d", "-s", "a", "-x", "80", "-y", "24", "-n", "a0")
    server.ok("new-session", "-d", "-s", "b", "-x", "100", "-y", "30", "-n", "b0")
    server.ok("new-window", "-t", "b:", "-n", "b1")
    server.ok("split-window", "-t", "a:0")
    server.ok("split-window", "-h", "-t", "a:0.1")
    middle, right = pane_id(server, "a:0.1"), pane_id(server, "a:0.2")

    server.ok("break-pane", "-s", "a:0.1", "-t", "b:")
    assert windows(server) == ["a:0 a0*", "b:0 b0", "b:1 b1-", "b:2 bash*"]
    assert server.ok("display-message", "-p", "-t", middle,
                     "#{session_name}:#{window_index} #{pane_width}x#{pane_height}") == \
        "b:2 80x24\n"
    printed = server.ok("break-pane", "-d", "-P", "-s", right, "-t", "b:7", "-n", "moved")
    assert printed == "b:7.0\n"
    assert windows(server) == ["a:0 a0*", "b:0 b0", "b:1 b1-", "b:2 bash*", "b:7 moved"]
    assert server.ok("list-panes", "-t", "a:0", "-F", "#{pane_width}x#{pane_height}") == \
        "80x24\n"
    # A window's only pane moves the window; its session goes with its last window.
    server.ok("break-pane", "-s", "a:0.0", "-t", "b:")
    assert windows(server) == ["b:0 b0", "b:1 b1", "b:2 bash-", "b:3 a0*", "b:7 moved"]
    assert server.ok("list-sessions", "-F", "#{session_name}") == "b\n"


@pytest.mark.fake_pty
def test_swap_window_and_swap_pane_across_sessions(server):
    server.ok("new-session", "-d", "-s", "a", "-x", "80", "-y", "24", "-n", "a0")
    server.ok("new-window", "-t", "a:", "-n", "a1")
    server.ok("new-session", "-d", "-s", "b", "-x", "100", "-y", "30", "-n", "b0")
    server.ok("new-window", "-t", "b:", "-n", "b1")
    server.ok("select-window", "-t", "b:0")
    a1_pid = server.ok("display-message", "-p", "-t", "a:1", "#{pane_pid}")

    server.ok("swap-window", "-d", "-s", "a:1", "-t", "b:1")
    # Current windows as tmux 3.3a leaves them (checked live): -d follows the source.
    assert windows(server) == ["a:0 a0-", "a:1 b1*", "b:0 b0-", "b:1 a1*"]
    assert server.ok("display-message", "-p", "-t", "b:1",
                     "#{pane_pid}#{session_name}") == a1_pid.strip() + "b\n"
    server.ok("swap-window", "-s", "a:0", "-t", "b:0")
    assert windows(server) == ["a:0 b0-", "a:1 b1*", "b:0 a0-", "b:1 a1*"]

    # swap-pane between windows of two sessions, with tmux 3.3a's active-pane rules
    # (a:1 is now the 100x30 window b1, b:0 the 80x24 window a0).
    server.ok("split-window", "-t", "a:1")
    server.ok("split-window", "-h", "-t", "b:0")
    a_top, a_bottom = pane_id(server, "a:1.0"), pane_id(server, "a:1.1")
    b_left, b_right = pane_id(server, "b:0.0"), pane_id(server, "b:0.1")
    layout = "#{session_name}:#{window_index}.#{pane_index} #{pane_id} " \
             "#{pane_width}x#{pane_height} #{pane_active}"

    def listed(target: str) -> list[str]:
        return server.ok("list-panes", "-t", target, "-F", layout).splitlines()

    server.ok("swap-pane", "-s", "a:1.1", "-t", "b:0.0")
    assert listed("a:1") == [f"a:1.0 {a_top} 100x15 0", f"a:1.1 {b_left} 100x14 1"]
    assert listed("b:0") == [f"b:0.0 {a_bottom} 40x24 1", f"b:0.1 {b_right} 39x24 0"]
    assert server.ok("display-message", "-p", "-t", a_bottom, "#{session_name}") == "b\n"
    server.ok("swap-pane", "-d", "-s", "a:1.0", "-t", "b:0.1")
    assert listed("a:1") == [f"a:1.0 {b_right} 100x15 0", f"a:1.1 {b_left} 100x14 1"]
    assert listed("b:0") == [f"b:0.0 {a_bottom} 40x24 1", f"b:0.1 {a_top} 39x24 0"]
    # In one window: without -d the target pane becomes active (tmux 3.3a).
    server.ok("swap-pane", "-s", "b:0.1", "-t", "b:0.0")
    assert listed("b:0") == [f"b:0.0 {a_top} 40x24 0", f"b:0.1 {a_bottom} 39x24 1"]


@pytest.mark.fake_pty
def test_moved_panes_and_windows_are_stored_with_their_new_session(server):
    server.ok("new-session", "-d", "-s", "a", "-n", "a0")
    server.ok("new-window", "-t", "a:", "-n", "a1")
    server.ok("split-window", "-t", "a:1")
    server.ok("new-session", "-d", "-s", "b")
    session_b = int(server.ok("display-message", "-p", "-t", "b", "#{session_id}")
                    .strip()[1:])
    window_a1 = int(server.ok("display-message", "-p", "-t", "a:1", "#{window_id}")
                    .strip()[1:])
    joined = int(pane_id(server, "a:1.1")[1:])
    kept = int(pane_id(server, "a:1.0")[1:])
    server.ok("join-pane", "-s", f"%{joined}", "-t", "b")
    window_b0 = int(server.ok("display-message", "-p", "-t", "b:0", "#{window_id}")
                    .strip()[1:])
    server.ok("move-window", "-s", "a:1", "-t", "b:")
    database = server.data / "ai-session.db"

    def stored() -> tuple[set, set]:
        with sqlite3.connect(database) as connection:
            pane_rows = set(connection.execute(
                "SELECT id, window_id, session_id FROM panes WHERE id IN (?, ?)",
                (joined, kept)).fetchall())
            window_rows = set(connection.execute(
                "SELECT id, session_id FROM windows WHERE id=?", (window_a1,)).fetchall())
        return pane_rows, window_rows

    expected = ({(joined, window_b0, session_b), (kept, window_a1, session_b)},
                {(window_a1, session_b)})
    wait_until(lambda: stored() == expected, message="records rewritten")


class Recorder:
    """An attached protocol client that keeps every notification."""

    def __init__(self) -> None:
        self.notes: list[tuple[str, dict[str, Any]]] = []
        self.client: AsyncClient | None = None

    def __call__(self, method: str, params: dict[str, Any]) -> None:
        self.notes.append((method, params))

    async def attach(self, server: Any, target: str) -> None:
        self.client = await open_client(server.socket, on_notification=self)
        await self.client.request("attach", {"target": target, "columns": 90, "lines": 20})

    def last_session(self) -> dict[str, Any] | None:
        found = [params for method, params in self.notes if method == "session"]
        return found[-1] if found else None

    def full_screens(self) -> set[int]:
        return {params["pane"] for method, params in self.notes
                if method == "screen" and params["full"]}

    async def close(self) -> None:
        if self.client is not None:
            await self.client.close()


def test_clients_of_both_sessions_follow_a_moved_window(server):
    server.ok("new-session", "-d", "-s", "a", "-n", "a0")
    server.ok("new-window", "-t", "a:", "-n", "a1")
    server.ok("new-session", "-d", "-s", "b", "-n", "b0")
    moving = pane_id(server, "a:1")
    server.wait_for_text(moving, "$")
    server.ok("send-keys", "-t", moving, "echo travelling", "Enter")
    server.wait_for_text(moving, "travelling\n")

    async def scenario() -> None:
        first, second = Recorder(), Recorder()
        try:
            await first.attach(server, "a")
            await second.attach(server, "b")
            await async_wait_until(lambda: first.last_session() and second.last_session(),
                                   message="both sessions sent")
            server.ok("move-window", "-s", "a:1", "-t", "b:")
            # The window leaves the first client's tabs and appears in the second's,
            # fitted to that client, current, with its pane's whole screen.
            await async_wait_until(lambda: [w["name"] for w in first.last_session()[
                "windows"]] == ["a0"], message="window gone from a's client")
            await async_wait_until(lambda: [(w["index"], w["active"]) for w in
                                            second.last_session()["windows"]] ==
                                   [(0, False), (1, True)], message="window in b's client")
            moved = second.last_session()["windows"][1]
            assert (moved["width"], moved["height"]) == (90, 20)
            number = int(moving[1:])
            await async_wait_until(lambda: number in second.full_screens(),
                                   message="full screen of the moved pane")
            screen = [params for method, params in second.notes
                      if method == "screen" and params["pane"] == number][-1]
            text = "\n".join("".join(run[0] for run in runs)
                             for runs in screen["rows"].values())
            assert "travelling" in text and screen["columns"] == 90
        finally:
            await first.close()
            await second.close()

    asyncio.run(scenario())
