"""Formats that need a server behind them, compared with tmux 3.3a live: the same
sessions, windows and panes made in both, then ``display-message -p`` of each template
below in both. Covers every variable tmux 3.3a expands that libtmux reads (but those
that differ by nature: pids, ttys, times, the socket path, the version) and the
modifiers that need structure: loops ``S: W: P:``, ``N:``, ``C:``, ``c:``, ``#()``.
"""

from __future__ import annotations

import shutil
import subprocess
from typing import Any

import pytest
from conftest import wait_until

pytestmark = pytest.mark.skipif(shutil.which("tmux") is None, reason="tmux is not installed")

SAME_VARIABLES = [
    "active_window_index", "alternate_on", "alternate_saved_x", "alternate_saved_y",
    "buffer_name", "buffer_sample", "buffer_size", "cursor_character", "cursor_flag", "cursor_y",
    "history_limit", "history_size", "insert_flag", "keypad_cursor_flag", "keypad_flag",
    "last_window_index", "mouse_all_flag", "mouse_any_flag", "mouse_button_flag",
    "mouse_sgr_flag", "mouse_standard_flag", "mouse_utf8_flag", "next_session_id", "origin_flag",
    "pane_active", "pane_at_bottom", "pane_at_left", "pane_at_right", "pane_at_top", "pane_bg",
    "pane_bottom", "pane_current_command", "pane_dead", "pane_dead_signal", "pane_dead_status",
    "pane_fg", "pane_format", "pane_height", "pane_id", "pane_in_mode", "pane_index",
    "pane_input_off", "pane_last", "pane_left", "pane_marked", "pane_marked_set", "pane_pipe",
    "pane_right", "pane_synchronized", "pane_tabs", "pane_top", "pane_width",
    "scroll_region_lower", "scroll_region_upper", "session_alerts", "session_attached",
    "session_format", "session_grouped", "session_id", "session_many_attached", "session_marked",
    "session_name", "session_stack", "session_windows", "uid", "user", "window_active",
    "window_active_clients", "window_active_sessions", "window_active_sessions_list",
    "window_bell_flag", "window_cell_height", "window_cell_width", "window_end_flag",
    "window_flags", "window_format", "window_height", "window_id", "window_index",
    "window_last_flag", "window_layout", "window_linked", "window_linked_sessions",
    "window_linked_sessions_list", "window_marked_flag", "window_name", "window_panes",
    "window_raw_flags", "window_silence_flag", "window_stack_index", "window_start_flag",
    "window_visible_layout", "window_width", "window_zoomed_flag", "wrap_flag",
    "buffer_mode_format", "client_mode_format", "tree_mode_format",
]

TEMPLATES = [
    "#{S:#{session_name},}",
    "#{S:#{session_name}#{?session_attached,+,}|}",
    "#{W:#{window_index}:#{window_name} }",
    "#{W:#{window_index},[#{window_index}]}",
    "#{P:#{pane_index}}",
    "#{P:#{pane_id} ,*#{pane_index}*}",
    "#{S:#{W:#{session_name}.#{window_index} }}",
    "#{N:bash} #{N:nope} #{N/s:alpha} #{N/s:zzz}",
    "#{C:MARK-LINE} #{C/i:mark-line} #{C/r:^MARK-L.NE$} #{C:absent}",
    "#{c:red} #{c:colour3} #{c:#102030} #{c:brightblue} #{c:default} #{c:colour200}",
    "a#(echo job)b",
    "#{e|+|:#{window_index},#{pane_index}}",
    "#{?#{==:#{pane_at_left},1},left,notleft}",
    "#{=3:window_name}|#{=-3:window_name}|#{p6:window_name}|#{p-6:window_name}|",
    "#{l:#{pane_id}} #{n:window_name} #{w:window_name}",
    "#{s/a/A/:session_name} #{q:session_name} #{b:pane_current_path}",
    "#{E:@fmt} #{T:@fmt}",
    "#{&&:#{pane_active},#{window_active}} #{||:0,#{pane_last}}",
    "#{<:#{window_index},5} #{>:#{window_index},5} #{m:*a*,#{session_name}}",
    "#{!:0}|#{!!:a}|#{R:x}",
]


class Tmux:
    def __init__(self, env: dict[str, str], name: str, cwd: str) -> None:
        self.env = env
        self.cwd = cwd
        self.base = ["tmux", "-L", name, "-f", "/dev/null"]

    def run(self, *args: str) -> str:
        return subprocess.run([*self.base, *args], env=self.env, capture_output=True,
                              text=True, timeout=30, check=False, cwd=self.cwd).stdout


def build(run: Any) -> None:
    """The same structure in either server."""
    for args in (["new-session", "-d", "-s", "alpha", "-x", "80", "-y", "24"],
                 ["new-session", "-d", "-s", "beta", "-x", "80", "-y", "24"],
                 ["split-window", "-h", "-t", "alpha"],
                 ["split-window", "-v", "-t", "alpha:0.1"],
                 ["new-window", "-n", "one", "-t", "alpha", "cat"],
                 ["new-window", "-d", "-n", "five", "-t", "alpha:5", "cat"],
                 ["select-window", "-t", "alpha:0"],
                 ["select-pane", "-t", "alpha:0.1"],
                 ["set-buffer", "the buffer"],
                 ["set", "-g", "@fmt", "#{session_name}-%%"]):
        run(*args)


@pytest.fixture
def both(server):  # type: ignore[no-untyped-def]
    tmux = Tmux(dict(server.env), f"aifmt-{server.name}", str(server.home))
    try:
        build(tmux.run)
        build(server.ok)
        for target in ("alpha:0.0",):
            for send in (tmux.run, server.ok):
                send("send-keys", "-t", target, "clear; printf 'one\\nMARK-LINE\\n'", "Enter")
        wait_until(lambda: "MARK-LINE" in tmux.run("capture-pane", "-p", "-t", "alpha:0.0")
                   and "MARK-LINE" in server.capture("alpha:0.0"), message="marker printed")
        names = ("list-windows", "-t", "alpha", "-F", "#{window_name}")
        for run in (tmux.run, server.ok):
            wait_until(lambda run=run: run(*names) == "bash\none\nfive\n",
                       message="automatic names settled")
        yield server, tmux
    finally:
        tmux.run("kill-server")


def test_variables_match_tmux(both) -> None:  # type: ignore[no-untyped-def]
    server, tmux = both
    # a pane tmux has just forked runs under tmux's own name until its shell starts, and
    # automatic-rename may name its window after it in that instant: wait for the shells
    wait_until(lambda: "tmux" not in tmux.run("list-windows", "-a", "-F", "#{window_name}").split(),
               message="tmux's windows named after their shells")
    for target in ("alpha:0.0", "alpha:0.1", "alpha:0.2", "alpha:1", "beta"):
        template = "\n".join(f"{name}=#{{{name}}}" for name in SAME_VARIABLES)
        ours = server.ok("display-message", "-p", "-t", target, template).splitlines()
        theirs = tmux.run("display-message", "-p", "-t", target, template).splitlines()
        differences = [(a, b) for a, b in zip(ours, theirs, strict=True)
                       if a != b and not a.startswith(("cursor_y=", "cursor_character="))]
        assert differences == [], target


def test_modifiers_with_structure_match_tmux(both) -> None:  # type: ignore[no-untyped-def]
    server, tmux = both
    for target in ("alpha:0.0", "alpha:0.2", "beta"):
        for template in TEMPLATES:
            ours = server.ok("display-message", "-p", "-t", target, template)
            theirs = tmux.run("display-message", "-p", "-t", target, template)
            assert ours == theirs, (target, template)


def test_list_formats_set_their_kind(both) -> None:  # type: ignore[no-untyped-def]
    server, tmux = both
    kinds = "#{session_format}#{window_format}#{pane_format}"
    for args in (["list-sessions", "-F", kinds], ["list-windows", "-t", "alpha", "-F", kinds],
                 ["list-panes", "-t", "alpha", "-F", kinds]):
        assert server.ok(*args) == tmux.run(*args), args


def test_config_files_names_what_was_read(server) -> None:  # type: ignore[no-untyped-def]
    """``#{config_files}``: ``-f``'s file, as tmux 3.3a prints it for ``-f /dev/null``."""
    server.ok("-f", "/dev/null", "new-session", "-d", "-s", "s")
    assert server.ok("display-message", "-p", "#{config_files}") == "/dev/null\n"
