"""Pane modes as tmux 3.3a keeps them (server/pane_modes.py), compared with live tmux:
copy-mode, clock-mode, choose-tree/-buffer/-client, customize-mode and find-window push
a mode stack (``#{pane_in_mode}`` its depth, ``#{pane_mode}`` its top), keys sent to a pane
in copy mode run its key table, ``send-keys -X`` and ``copy-mode -q`` leave, control
clients get ``%pane-mode-changed`` and the ``pane-mode-changed`` hook runs."""

from __future__ import annotations

import shutil
import sys

import pytest
from conftest import LiveTmux, wait_until

needs_tmux = pytest.mark.skipif(shutil.which("tmux") is None, reason="tmux is not installed")

STATE = "#{pane_in_mode} #{pane_mode}"
SCRIPT = [
    ("copy-mode",), ("send-keys", "q"), ("clock-mode",), ("send-keys", "x"),
    ("choose-tree",), ("send-keys", "q"), ("choose-buffer",), ("choose-client",),
    ("customize-mode",), ("send-keys", "Escape"), ("find-window", "sh"),
    ("copy-mode",), ("clock-mode",), ("copy-mode", "-q"), ("send-keys", "-X", "cancel"),
    ("copy-mode",), ("copy-mode", "-u"), ("send-keys", "-X", "cancel"),
    ("choose-tree", "-Zw", "-F", "#{session_name}", "-f", "1", "-O", "name"),
    ("send-keys", "j"), ("send-keys", "-X", "cancel"), ("copy-mode",),
    ("send-keys", "-X", "begin-selection"), ("send-keys", "-X", "no-such-command"),
    ("send-keys", "C-c"), ("copy-mode", "-t", "nope"), ("copy-mode", "-s", "nope"),
    ("set-buffer", "x"), ("choose-buffer",), ("send-keys", "-N", "2", "Escape"),
    ("set-option", "-w", "mode-keys", "vi"), ("copy-mode",), ("send-keys", "C-c"),
    ("send-keys", "q"),
]


@pytest.fixture
def tmux(server):
    instance = LiveTmux({**server.env, "TMUX_TMPDIR": str(server.home)})
    try:
        yield instance
    finally:
        instance.kill()


def _ours(server):
    def run(*args: str) -> tuple[int, str, str]:
        result = server.run(*args)
        return result.code, result.out, result.err
    return run


@needs_tmux
def test_the_mode_stack_follows_tmux(server, tmux):
    for run in (_ours(server), tmux.run):
        run("new-session", "-d", "-s", "m", "-x", "80", "-y", "24")
    for args in SCRIPT:
        ours = _ours(server)(*args), server.run("display-message", "-p", STATE).out
        theirs = tmux.run(*args), tmux.run("display-message", "-p", STATE)[1]
        assert ours == theirs, args


@needs_tmux
def test_choosers_zoom_with_z_until_they_end_like_tmux(server, tmux):
    zoom = "#{window_zoomed_flag}#{pane_index} #{pane_in_mode}"
    for run in (_ours(server), tmux.run):
        run("new-session", "-d", "-s", "z", "-x", "80", "-y", "24")
        run("split-window", "-t", "z")
        run("select-pane", "-t", "z:0.0")
    for args in (("choose-tree", "-Z", "-t", "z:0.1"), ("customize-mode", "-Z"),
                 ("copy-mode", "-q", "-t", "z:0.1"), ("resize-pane", "-Z"),
                 ("choose-tree", "-Z"), ("copy-mode", "-q"), ("resize-pane", "-Z"),
                 ("find-window", "-Z", "x"), ("choose-tree", "-Z"), ("copy-mode", "-q"),
                 ("kill-pane", "-t", "z:0.1"), ("choose-tree", "-Z"), ("copy-mode", "-q")):
        ours = _ours(server)(*args), server.run("display-message", "-p", zoom).out
        theirs = tmux.run(*args), tmux.run("display-message", "-p", zoom)[1]
        assert ours == theirs, args


def test_keys_for_a_pane_in_a_mode_never_reach_its_program(server):
    server.ok("new-session", "-d", "-s", "k", "-x", "80", "-y", "24")
    server.wait_for_text("k", "$")
    server.ok("copy-mode")
    server.ok("send-keys", "echo typed-in-copy-mode", "Enter")
    server.ok("clock-mode")
    server.ok("send-keys", "echo typed-in-clock-mode", "Enter")
    server.ok("copy-mode", "-q")
    server.ok("send-keys", "echo after-modes", "Enter")
    server.wait_for_text("k", "after-modes\n")
    screen = server.ok("capture-pane", "-p", "-t", "k")
    assert "typed-in" not in screen


@needs_tmux
def test_control_clients_get_pane_mode_changed_like_tmux(server, tmux):
    from test_control_mode import ControlProcess

    streams = []
    for cli, env, run in (([sys.executable, "-m", "aisession_tui.cli", "-L", server.name],
                           server.env, _ours(server)), (tmux.base, tmux.env, tmux.run)):
        run("new-session", "-d", "-s", "c", "-x", "80", "-y", "24")
        control = ControlProcess([*cli, "-C", "attach", "-t", "c"], env)
        try:
            control.read_until(lambda c=control: any(line.startswith("%session-changed")
                                                     for line in c.lines))
            for line in ("copy-mode", "send-keys q", "clock-mode", "copy-mode",
                         "copy-mode -q", "choose-tree -t c"):
                control.send(line)
            control.send("display-message -p '#{pane_in_mode}'")
        finally:
            control.close()
        streams.append([line for line in control.lines
                        if line.startswith("%pane-mode-changed") or line.isdigit()])
    assert streams[0] == streams[1]
    assert streams[0].count("%pane-mode-changed %0") == 7


def test_the_pane_mode_changed_hook_runs(server):
    server.ok("new-session", "-d", "-s", "h", "-x", "80", "-y", "24")
    server.ok("set-hook", "-g", "pane-mode-changed", "set -gF @seen '#{pane_mode}'")
    server.ok("clock-mode")
    wait_until(lambda: server.ok("show-options", "-gv", "@seen") == "clock-mode\n",
               message="the hook")
