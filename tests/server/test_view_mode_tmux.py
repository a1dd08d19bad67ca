"""run-shell's view mode on the server, compared with live tmux 3.3a: ``-t`` and ``-b``
put the output in a pane's view mode (nothing printed), which stacks like the other modes
(``#{pane_in_mode}``, ``#{pane_mode}``), takes the copy-mode key table's ``q`` and
``send-keys -X cancel``, and comes back to the top when more output arrives."""

from __future__ import annotations

import shutil

import pytest
from conftest import LiveTmux, wait_until

needs_tmux = pytest.mark.skipif(shutil.which("tmux") is None, reason="tmux is not installed")

STATE = "#{pane_in_mode} #{pane_mode}"
SCRIPT = [
    ("run-shell", "-t", "v", "echo hi; exit 4"), ("send-keys", "q"),
    ("run-shell", "-t", "v", "echo one"), ("run-shell", "-t", "v", "echo two"),
    ("send-keys", "-X", "cancel"), ("send-keys", "-X", "cancel"),
    ("copy-mode",), ("run-shell", "-t", "v", "echo over-copy-mode"),
    ("send-keys", "-X", "cancel"), ("send-keys", "-X", "cancel"),
    ("run-shell", "-t", "v", "true"), ("run-shell", "-t", "v", "echo x"),
    ("clock-mode",), ("run-shell", "-t", "v", "echo back-on-top"), ("copy-mode", "-q"),
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
def test_view_mode_follows_tmux(server, tmux):
    for run in (_ours(server), tmux.run):
        run("new-session", "-d", "-s", "v", "-x", "80", "-y", "24")
    for args in SCRIPT:
        ours = _ours(server)(*args), server.run("display-message", "-p", STATE).out
        theirs = tmux.run(*args), tmux.run("display-message", "-p", STATE)[1]
        assert ours == theirs, args


@needs_tmux
def test_background_output_goes_to_the_current_pane_s_view(server, tmux):
    for run in (_ours(server), tmux.run):
        run("new-session", "-d", "-s", "v", "-x", "80", "-y", "24")
        assert run("run-shell", "-b", "echo in-the-background")[:2] == (0, "")
    wait_until(lambda: server.run("display-message", "-p", STATE).out == "1 view-mode\n",
               message="our view mode")
    wait_until(lambda: tmux.run("display-message", "-p", STATE)[1] == "1 view-mode\n",
               message="tmux's view mode")
