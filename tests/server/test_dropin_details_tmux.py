"""Small drop-in details against tmux 3.3a, each step's exit code, output and error
compared: paste-buffer renames and errors (``unknown buffer``, ``no buffer``, ``buffer X
already exists``), respawn refusals in tmux's words, and rotate-window keeping the active
place (the pane rotated into it becomes active, the one that left it the last pane)."""

from __future__ import annotations

import shutil

import pytest

pytestmark = [pytest.mark.fake_pty,
              pytest.mark.skipif(shutil.which("tmux") is None, reason="tmux is not installed")]

PANES = ("list-panes", "-t", "e:0", "-F", "#{pane_index}:#{pane_active}:#{pane_last}")
BUFFERS = ("list-buffers", "-F", "#{buffer_name}=#{buffer_sample}")
SCRIPT = [
    ("new-session", "-d", "-s", "e"),
    ("delete-buffer",), ("delete-buffer", "-b", "nosuch"),
    ("set-buffer", "-n", "zz"), ("set-buffer", "-n", "zz", "-b", "nosuch"),
    ("set-buffer", "-b", "a", "1"), ("set-buffer", "-b", "b", "2"), ("set-buffer", "x3"),
    ("delete-buffer", "-b", "nosuch"), ("set-buffer", "-n", "zz"), BUFFERS,
    ("set-buffer", "-n", "a", "-b", "zz"), ("set-buffer", "-n", "a", "-b", "a"),
    ("set-buffer", "-n", "", "-b", "a"), ("set-buffer", "-n", "q", "-b", "buffer0"), BUFFERS,
    ("respawn-window", "-t", "e:0"), ("respawn-pane", "-t", "e:0.0"),
    ("split-window", "-d", "-t", "e:0"), ("split-window", "-d", "-t", "e:0"),
    ("respawn-pane", "-t", "e:0.2"), ("select-pane", "-t", "e:0.1"),
    ("rotate-window", "-t", "e:0"), PANES, ("last-pane", "-t", "e:0"), PANES,
    ("rotate-window", "-D", "-t", "e:0"), PANES, ("rotate-window", "-t", "e:0"),
    ("rotate-window", "-t", "e:0"), PANES,
]


def test_details_match_tmux(server, live_tmux) -> None:
    for step in SCRIPT:
        result = server.run(*step)
        assert (result.code, result.out, result.err) == live_tmux.run(*step), step


@pytest.mark.parametrize("args", [
    ("-F", "#{command_list_name}", "copy-mode"), ("attach-session",), ("attach",), ("a",),
    ("att",), ("nosuch",), ("split-window",),
    ("-F", "#{command_list_alias}:#{command_list_usage}", "lsk"),
    ("-F", "#{?#{==:#{command_list_name},kill-window},#{command_list_alias},}",)])
def test_list_commands_matches_tmux(server, live_tmux, args) -> None:
    result = server.run("list-commands", *args)
    assert (result.code, result.out, result.err) == live_tmux.run("list-commands", *args)


def test_list_commands_lists_tmux_commands_in_tmux_order(server, live_tmux) -> None:
    """Every tmux command, in tmux's table order (ai-session's own verbs between them)."""
    theirs = live_tmux.run("list-commands", "-F", "#{command_list_name}")[1].split()
    ours = [name for name in server.ok("list-commands", "-F", "#{command_list_name}").split()
            if name in theirs]
    assert ours == theirs
