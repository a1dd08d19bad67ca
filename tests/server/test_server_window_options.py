"""setw / showw: tmux's older spellings of ``set-option -w`` / ``show-options -w``."""

from __future__ import annotations


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
