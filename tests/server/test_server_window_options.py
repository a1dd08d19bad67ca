"""setw / showw: tmux's older spellings of ``set-option -w`` / ``show-options -w``."""

from __future__ import annotations

import pytest


@pytest.mark.fake_pty
def test_setw_and_showw_are_window_options(server):
    server.ok("new-session", "-d", "-s", "s")
    server.ok("new-window", "-t", "s")
    server.ok("setw", "-g", "mode-keys", "vi")
    assert server.ok("showw", "-g", "mode-keys") == "mode-keys vi\n"
    server.ok("set-window-option", "-t", "s:0", "mode-keys", "emacs")
    assert server.ok("show-window-options", "-t", "s:0", "mode-keys") == "mode-keys emacs\n"
    assert server.ok("showw", "-gv", "mode-keys") == "vi\n"
    assert server.ok("show", "-Awv", "-t", "s:1", "mode-keys") == "vi\n"  # global for 1
    assert server.run("setw", "-g", "mode-keys", "vim").code != 0


@pytest.mark.fake_pty
def test_set_without_g_scopes_like_tmux(server):
    """Checked against tmux 3.3a: a window option goes to the current window, a session
    option to the current session (its new windows follow it), a server option stays
    global; show without -A prints only what a window or session sets itself."""
    server.ok("new-session", "-d", "-s", "s")
    server.ok("new-session", "-d", "-s", "t")          # t is current (the newest)
    server.ok("new-window", "-t", "t")
    server.ok("set", "-w", "mode-keys", "vi")           # t's current window, t:1
    server.ok("set", "base-index", "3")                 # session t
    server.ok("set", "-t", "s", "history-limit", "777")
    server.ok("new-window", "-t", "t")
    assert server.ok("list-windows", "-t", "t", "-F", "#I") == "0\n1\n3\n"
    assert server.ok("show", "-v", "base-index") == "3\n"
    assert server.ok("show", "-t", "s", "-v", "base-index") == ""
    assert server.ok("show", "-gv", "base-index") == "0\n"
    assert server.ok("show", "-t", "s", "-v", "history-limit") == "777\n"
    assert server.ok("show", "-gv", "history-limit") == "2000\n"
    assert server.ok("show", "-gwv", "mode-keys") == "emacs\n"
    assert server.ok("show", "-wv", "-t", "t:1", "mode-keys") == "vi\n"
    assert server.ok("show", "-wv", "-t", "t:0", "mode-keys") == ""
    assert server.ok("show", "-Awv", "-t", "t:0", "mode-keys") == "emacs\n"
    server.ok("set", "escape-time", "10")               # a server option: global
    assert server.ok("show", "-sv", "escape-time") == "10\n"


@pytest.mark.fake_pty
def test_formats_read_options_by_name(server):
    server.ok("new-session", "-d", "-s", "s")
    server.ok("set", "-w", "mode-keys", "vi")
    assert server.ok("display-message", "-p", "#{mode-keys} #{history-limit} #{base-index}") \
        == "vi 2000 0\n"
    assert server.ok("display-message", "-p", "-t", "s", "#{?#{==:#{mode-keys},vi},yes,no}") \
        == "yes\n"
