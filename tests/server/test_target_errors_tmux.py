"""Targets that miss, against tmux 3.3a: the error texts of session, window and pane
targets with ``=`` exact matches (named without the ``=``), pane parts of a window target
(resolved and checked: a missing pane is an error, nothing is done), and the same
successful lookups."""

from __future__ import annotations

import shutil

import pytest

pytestmark = [pytest.mark.fake_pty,
              pytest.mark.skipif(shutil.which("tmux") is None, reason="tmux is not installed")]

SETUP = [("new-session", "-d", "-s", "e", "-n", "editor"),
         ("new-window", "-d", "-t", "e:3", "-n", "two.dots"),
         ("split-window", "-d", "-t", "e:0")]
TARGETS = ["=nosuch", "e:=tw", "e:=5", "=nosuch.1", "e:=tw.1", "e:nosuch", "nosuch.2",
           "e:=0.=5", "=e:=nosuch", "e:=editor", "=e:=3", "e:0.1", "e:0.7", "e.9", "=e",
           "=e.1", "e:=edit", "e:edit"]
COMMANDS = [("list-panes", "-F", "#{pane_index}", "-t"),  # a window target
            ("display-message", "-p", "#{window_index}.#{pane_index}", "-t"),  # a pane
            ("has-session", "-t")]  # a session


def test_target_errors_match_tmux(server, live_tmux) -> None:
    def ours(*args: str) -> tuple[int, str, str]:
        result = server.run(*args)
        return result.code, result.out, result.err

    for step in SETUP:
        assert live_tmux.run(*step)[0] == 0
        server.ok(*step)
    for command in COMMANDS:
        for target in TARGETS:
            assert ours(*command, target) == live_tmux.run(*command, target), \
                f"{' '.join(command)} {target}"
    # a window command whose pane part misses does nothing
    for run in (ours, live_tmux.run):
        assert run("kill-window", "-t", "e:0.=5") == (1, "", "can't find pane: =5\n")
        assert run("list-windows", "-t", "e", "-F", "#{window_index}")[1] == "0\n3\n"
