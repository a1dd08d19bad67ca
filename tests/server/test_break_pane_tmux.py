"""break-pane against tmux 3.3a, step by step: a window's only pane moves the window to
the first free index (or ``-t``'s, ``same index`` for its own, ``index in use`` for
another's) and ``-P`` then prints nothing; ``-a`` / ``-b`` place the new window after /
at the target, moving windows up; ``-P`` prints the new pane's place otherwise."""

from __future__ import annotations

import shutil

import pytest

pytestmark = [pytest.mark.fake_pty,
              pytest.mark.skipif(shutil.which("tmux") is None, reason="tmux is not installed")]

WINDOWS = ("list-windows", "-t", "e", "-F", "#{window_index}:#{window_panes}:#{window_active}")
SCRIPT = [
    ("new-session", "-d", "-s", "e"), ("new-window", "-d", "-t", "e"),
    ("new-window", "-d", "-t", "e"), ("split-window", "-d", "-t", "e:0"),
    ("break-pane", "-d", "-s", "e:0.0"), WINDOWS,
    ("break-pane", "-P", "-s", "e:1", "-t", "e:7"), WINDOWS,
    ("break-pane", "-s", "e:7", "-t", "e:7"), ("break-pane", "-s", "e:7", "-t", "e:2"),
    ("split-window", "-d", "-t", "e:7"),
    ("break-pane", "-P", "-d", "-s", "e:7.1", "-t", "e:2"),
    ("break-pane", "-P", "-d", "-a", "-s", "e:7.1", "-t", "e:2"), WINDOWS,
    ("split-window", "-d", "-t", "e:7"),
    ("break-pane", "-P", "-d", "-b", "-s", "e:7.1", "-t", "e:3"), WINDOWS,
    ("break-pane", "-a", "-s", "e:7"), WINDOWS,
]


def test_break_pane_matches_tmux(server, live_tmux) -> None:
    for step in SCRIPT:
        result = server.run(*step)
        assert (result.code, result.out, result.err) == live_tmux.run(*step), step
