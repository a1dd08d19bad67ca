"""End to end: the real ``ai-session`` TUI in a real terminal, with tmux as the harness.

A person's session: start ``ai-session`` with no arguments (server, session, attach),
split with ``C-b %``, type in both panes, open a second window and switch back, detach
with ``C-b d``; ``ai-session ls`` still lists the session, and re-attaching shows the
same text. Two clients on one session: what one types and splits shows in both, and a
resized terminal resizes the window and the child sees it. Every server (tmux and
ai-session) is killed in teardown.
"""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from conftest import DEADLINE, IsolatedServer, wait_until
from e2e_harness import Harness, running_harness

pytestmark = pytest.mark.skipif(shutil.which("tmux") is None, reason="needs tmux")


@pytest.fixture
def harness(server: IsolatedServer) -> Iterator[Harness]:
    yield from running_harness(server)


@pytest.fixture
def second_harness(server: IsolatedServer) -> Iterator[Harness]:
    yield from running_harness(server)


def test_split_type_switch_detach_and_reattach(server: IsolatedServer, harness: Harness,
                                               tmp_path: Path) -> None:
    harness.start()
    screen = harness.wait_for("0:bash*")
    assert "[0]" in screen
    harness.wait_for("$")
    harness.keys("echo left-pane-$((6*7))", "Enter")
    harness.wait_for("left-pane-42")
    harness.keys("C-b", "%")
    wait_until(lambda: "│" in harness.screen(), DEADLINE, message="a vertical border")
    harness.keys("echo right-pane-$((7*8))", "Enter")
    screen = harness.wait_for("right-pane-56")
    left, right = screen.splitlines()[1].split("│", 1)
    assert "left-pane-42" in left and "right-pane-56" in right
    harness.keys("C-b", "c")
    harness.wait_for("1:bash*")
    harness.keys("echo second-window", "Enter")
    harness.wait_for("second-window")
    harness.keys("C-b", "p")
    screen = harness.wait_for("0:bash*")
    wait_until(lambda: "right-pane-56" in harness.screen(), DEADLINE, message="window 0")
    harness.keys("C-b", "d")
    harness.wait_for("[detached (from session 0)]")
    listed = server.ok("ls")
    assert listed.startswith("0: 2 windows")
    assert server.capture("0:0.1").count("right-pane-56") >= 1
    harness.respawn("attach", "-t", "0")
    harness.wait_for("right-pane-56")
    screen = harness.wait_for("left-pane-42")
    assert "0:bash*" in screen and "1:bash-" in screen


def test_two_clients_update_live_and_the_terminal_size_reaches_the_child(
        server: IsolatedServer, harness: Harness, second_harness: Harness) -> None:
    server.ok("new-session", "-d", "-s", "shared")
    server.wait_for_text("shared", "$")
    harness.start("attach", "-t", "shared")
    second_harness.start("attach", "-t", "shared")
    for terminal in (harness, second_harness):
        terminal.wait_for("0:bash*")
    harness.keys("echo typed-in-one-$((3*4))", "Enter")
    for terminal in (harness, second_harness):   # both clients show it, live
        terminal.wait_for("typed-in-one-12")
    second_harness.keys("C-b", '"')
    wait_until(lambda: "─" in harness.screen(), DEADLINE,
               message="the other client's split in the first terminal")
    # The outer terminal shrinks: the window follows the client resized last, and the
    # child sees the new size (SIGWINCH; stty reads the pty's size).
    harness.tmux("resize-window", "-t", "h", "-x", "100", "-y", "30")
    wait_until(lambda: server.ok("display-message", "-p", "-t", "shared",
                                 "#{window_width}x#{window_height}") == "100x29\n",
               DEADLINE, message="the window at the resized client's size")
    harness.keys("clear; stty size", "Enter")
    # 30 rows = 29 for the window (status line) = 14 + separator + 14 for the two panes.
    harness.wait_for("14 100")
    second_harness.wait_for("14 100")             # the other client shows it too
