"""resize-pane -y with pane border status lines, and bare-number pane targets, against a
live tmux 3.3a: the same commands must leave the same pane geometry.

Each test runs the same command list on an isolated ai-session server (the ``server``
fixture) and on a private tmux server (unique ``-L`` socket, ``-f /dev/null``, its own
``TMUX_TMPDIR``), then compares ``list-panes``. Skipped when tmux is not installed.
"""

from __future__ import annotations

import shutil
import subprocess
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

pytestmark = pytest.mark.skipif(shutil.which("tmux") is None, reason="tmux not installed")

GEOMETRY = "#{pane_index} #{pane_top} #{pane_height} #{pane_left} #{pane_width}"


class Tmux:
    """A private tmux server run with the same argv as ai-session's CLI."""

    def __init__(self, tmp: Path) -> None:
        self.socket = f"test-{uuid.uuid4().hex[:10]}"
        self.env = {"TMUX_TMPDIR": str(tmp), "PATH": "/usr/bin:/bin", "HOME": str(tmp),
                    "TERM": "xterm-256color"}

    def ok(self, *args: str) -> str:
        done = subprocess.run(["tmux", "-L", self.socket, "-f", "/dev/null", *args],
                              capture_output=True, text=True, env=self.env, timeout=30,
                              check=False)
        assert done.returncode == 0, done.stderr
        return done.stdout

    def stop(self) -> None:
        subprocess.run(["tmux", "-L", self.socket, "kill-server"], capture_output=True,
                       env=self.env, timeout=30, check=False)


@pytest.fixture
def tmux(tmp_path: Path) -> Iterator[Tmux]:
    directory = tmp_path / "tmux"
    directory.mkdir()
    peer = Tmux(directory)
    try:
        yield peer
    finally:
        peer.stop()


def _same_geometry(server: Any, tmux: Tmux, commands: list[list[str]]) -> str:
    for side in (server, tmux):
        side.ok("new-session", "-d", "-s", "s", "-x", "80", "-y", "24", "sleep 100000")
        for command in commands:
            side.ok(*command)
    ours = server.ok("list-panes", "-t", "s", "-F", GEOMETRY)
    assert ours == tmux.ok("list-panes", "-t", "s", "-F", GEOMETRY)
    return ours


@pytest.mark.parametrize("status", ["top", "bottom"])
@pytest.mark.fake_pty
def test_resize_y_is_the_panes_own_height_with_a_border_status_line(
        server: Any, tmux: Tmux, status: str) -> None:
    panes = _same_geometry(server, tmux, [
        ["set", "-g", "pane-border-status", status],
        ["split-window", "-v", "-t", "s", "sleep 100000"],
        ["split-window", "-v", "-t", "s", "sleep 100000"],
        ["resize-pane", "-t", "s:0.0", "-y", "6"],
        ["resize-pane", "-t", "s:0.2", "-y", "5"],
        ["resize-pane", "-t", "s:0.1", "-y", "4"],
    ])
    heights = {line.split()[0]: int(line.split()[2]) for line in panes.splitlines()}
    assert heights["0"] == 6 and heights["1"] == 4


@pytest.mark.fake_pty
def test_a_bare_number_targets_a_pane_of_the_current_window_first(
        server: Any, tmux: Tmux) -> None:
    _same_geometry(server, tmux, [
        ["split-window", "-v", "-t", "s", "sleep 100000"],
        ["resize-pane", "-t", "0", "-y", "7"],
    ])
    for side in (server, tmux):
        side.ok("new-session", "-d", "-s", "0", "-x", "80", "-y", "24", "sleep 100000")
        side.ok("split-window", "-h", "-t", "0", "sleep 100000")
    where = "#{session_name}:#{window_index}.#{pane_index}"
    assert server.ok("display-message", "-p", "-t", "1", where) == \
        tmux.ok("display-message", "-p", "-t", "1", where)
