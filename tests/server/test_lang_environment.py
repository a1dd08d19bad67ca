"""set-environment / show-environment against tmux 3.3a, and the environment a new pane
gets (global, session, update-environment)."""

from __future__ import annotations

import os
import shutil

import pytest
from conftest import LiveTmux

from tests.conftest import wait_until

needs_tmux = pytest.mark.skipif(shutil.which("tmux") is None, reason="tmux is not installed")

STEPS = [
    ("setenv", "-g", "GV", "one"), ("setenv", "FOO", "bar"), ("setenv", "-h", "HID", "x"),
    ("setenv", "-r", "GONE"), ("setenv", "Q", 'a"$b`c\\d'),
    ("showenv",), ("showenv", "-h"), ("showenv", "-s"), ("showenv", "-g", "GV"),
    ("showenv", "NOPE"), ("showenv", "FOO"), ("setenv", "A=b", "c"), ("setenv", "-u", "X", "y"),
    ("setenv", "-r", "X", "y"), ("setenv", "X"), ("setenv", "-u", "FOO"), ("showenv", "FOO"),
    ("setenv", "-t", "nosuch", "X", "1"), ("showenv", "-g", "-h"),
]


@needs_tmux
def test_environment_commands_print_what_tmux_prints(server) -> None:
    env = {**{k: v for k, v in server.env.items() if not k.startswith("TMUX")},
           "DISPLAY": ":9"}
    for var in ("KRB5CCNAME", "SSH_AGENT_PID", "SSH_ASKPASS", "SSH_AUTH_SOCK",
                "SSH_CONNECTION", "WINDOWID", "XAUTHORITY"):
        env.pop(var, None)

    tmux = LiveTmux(env).run

    try:
        assert tmux("new-session", "-d", "-s", "s")[0] == 0
        theirs = [tmux(*step) for step in STEPS]
    finally:
        tmux("kill-server")
    assert server.cli("new-session", "-d", "-s", "s", env={"DISPLAY": ":9"}).code == 0
    ours = []
    for step in STEPS:
        result = server.cli(*step)
        ours.append((result.code, result.out, result.err.split("\nusage:")[0].rstrip("\n")
                     + ("\n" if result.err else "")))
    theirs = [(code, out, err) for code, out, err in theirs]
    assert ours == theirs


def test_new_panes_get_the_global_and_session_environment(server) -> None:
    assert server.cli("new-session", "-d", "-s", "s", env={"DISPLAY": ":7"}).code == 0
    for step in (("setenv", "-g", "GV", "one"), ("setenv", "FOO", "bar"),
                 ("setenv", "-g", "-r", "HOME_GONE"), ("setenv", "-r", "DISPLAY")):
        assert server.cli(*step).code == 0
    assert server.cli("split-window", "-t", "s", "-e", "EXTRA=x").code == 0
    server.cli("send-keys", "-t", "s", 'echo "[$FOO][$GV][$DISPLAY][$EXTRA]"', "Enter")
    wait_until(lambda: "[bar][one][][x]" in server.cli("capture-pane", "-p", "-t", "s").out,
               message="the pane's environment")
    assert os.environ.get("GV") is None  # the test process is untouched


def test_new_session_e_goes_into_the_session_environment(server) -> None:
    assert server.cli("new-session", "-d", "-s", "s", "-e", "FOO=bar").code == 0
    assert server.cli("show-environment", "-t", "s", "FOO").out == "FOO=bar\n"
