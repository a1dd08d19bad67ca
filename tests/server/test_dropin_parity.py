"""What libtmux 0.62.0's suite found different from tmux 3.3a, each compared with tmux:
escaped session and renamed-window names, ``#{pane_synchronized}``."""

from __future__ import annotations

import shutil

import pytest
from conftest import LiveTmux

needs_tmux = pytest.mark.skipif(shutil.which("tmux") is None, reason="tmux is not installed")


@pytest.fixture
def tmux(server):
    instance = LiveTmux({**server.env, "TMUX_TMPDIR": str(server.home)})
    try:
        yield instance
    finally:
        instance.kill()


def same(server, tmux, *args: str) -> None:
    ours = server.run(*args)
    theirs = tmux.run(*args)
    assert (ours.code, ours.out, ours.err) == theirs, args


@needs_tmux
def test_names_are_stored_escaped_like_tmux(server, tmux):
    listing = ("list-windows", "-a", "-F", "#{session_name}|#{window_name}|#W")
    for args in (("new-session", "-d", "-s", "x\\y\tz", "-n", "a\\b\tc", "-x", "80",
                  "-y", "24"),
                 listing,
                 ("new-window", "-d", "-n", "p\\q"),
                 listing,
                 ("rename-session", "r\\s\x01"),
                 ("rename-window", "hello \\ wazzup 0\n"),
                 listing):
        same(server, tmux, *args)


@needs_tmux
def test_pane_synchronized_follows_the_option(server, tmux):
    for target in (server.run, tmux.run):
        target("new-session", "-d", "-s", "s", "-x", "80", "-y", "24")
        target("split-window", "-t", "s")
    panes = ("list-panes", "-t", "s", "-F", "#{pane_index} #{pane_synchronized}")
    same(server, tmux, *panes)
    same(server, tmux, "set-option", "-w", "-t", "s", "synchronize-panes", "on")
    same(server, tmux, *panes)
    same(server, tmux, "set-option", "-p", "-t", "s:0.1", "synchronize-panes", "off")
    same(server, tmux, *panes)
