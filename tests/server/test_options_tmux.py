"""Options against tmux 3.3a, live: the same commands run in both, ``show-options`` compared
line by line (server, session, window and pane tables, with and without ``-A``), and the
error lines of refused values compared word for word.

ai-session's two deliberate default differences (``mouse on``, ``default-terminal
xterm-256color``, see ``options.AI_SESSION_DEFAULTS``) are set in tmux first, so every
other line must match as it is.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator

import pytest
from conftest import LiveTmux

from aisession_tui.server.options import AI_SESSION_DEFAULTS, Options, escape_value

pytestmark = pytest.mark.skipif(shutil.which("tmux") is None, reason="tmux is not installed")




@pytest.fixture
def both(server) -> Iterator[tuple[object, LiveTmux]]:  # type: ignore[no-untyped-def]
    tmux = LiveTmux(dict(server.env), f"aiopt-{server.name}")
    try:
        for args in (["new-session", "-d", "-s", "s", "-x", "80", "-y", "24"],
                     ["set", "-g", "mouse", AI_SESSION_DEFAULTS["mouse"]],
                     ["set", "-s", "default-terminal",
                      AI_SESSION_DEFAULTS["default-terminal"]]):
            assert tmux.run(*args)[0] == 0
        server.ok("new-session", "-d", "-s", "s", "-x", "80", "-y", "24")
        yield server, tmux
    finally:
        tmux.kill()


def _compare(server, tmux: LiveTmux, *args: str) -> None:  # type: ignore[no-untyped-def]
    code, out, err = tmux.run(*args)
    ours = server.run(*args)
    assert (ours.code != 0, ours.out.splitlines(), ours.err.strip()) == \
        (code != 0, out.splitlines(), err.strip()), args


SHOWS = (["show", "-s"], ["show", "-g"], ["show", "-gw"], ["show"], ["show", "-w"],
         ["show", "-gH"], ["show", "-gwH"], ["show", "-g", "after-new-window"],
         ["show", "-p"], ["show", "-gp"], ["show", "-A"], ["show", "-wA"], ["show", "-pA"],
         ["showw", "-g"], ["showw"])


@pytest.mark.fake_pty
def test_default_tables_match_tmux(both) -> None:  # type: ignore[no-untyped-def]
    server, tmux = both
    for args in SHOWS:
        _compare(server, tmux, *args)


SETS = (
    ["set", "-g", "status-style", "fg=colour123,bg=#1e1e2e,bold"],
    ["set", "-g", "status-right", "#{=21:pane_title} %H:%M \"q\" $HOME ~"],
    ["set", "-g", "status-left-length", "20"],
    ["set", "-g", "status-j", "centre"],
    ["set", "-g", "base-index", "1"],
    ["set", "-g", "prefix", "^a"],
    ["set", "-g", "prefix2", "C-M-x"],
    ["set", "-g", "status"],
    ["set", "-g", "status-position", "top"],
    ["set", "-g", "display-panes-colour", "Colour200"],
    ["set", "-gw", "mode-keys", "vi"],
    ["setw", "-g", "pane-base-index", "1"],
    ["set", "-w", "automatic-rename", "off"],
    ["set", "-p", "remain-on-exit", "on"],
    ["set", "-p", "@pane-user", "p"],
    ["set", "-w", "@window-user", "w x"],
    ["set", "@session-user", "it's"],
    ["set", "-g", "@global-user", "a\tb"],
    ["set", "-s", "@server-user", ""],
    ["set", "-ag", "status-style", "reverse"],
    ["set", "-ag", "@global-user", "!"],
    ["set", "-s", "command-alias[10]", "zz=list-sessions"],
    ["set", "-as", "terminal-overrides", "xterm*:Tc,screen*:smcup@"],
    ["set", "-g", "update-environment[2]", "MY_VAR"],
    ["set", "-gu", "update-environment[0]"],
    ["set", "-g", "status-format[1]", "line two"],
    ["set", "-s", "user-keys[0]", "\\e[1;5A"],
    ["set", "-g", "word-separators", " -_@"],
    ["set", "-g", "set-titles-string", "#T"],
    ["set", "-g", "history-limit", "5000"],
    ["set", "history-limit", "100"],
    ["set", "-gu", "base-index"],
    ["set", "-g", "visual-bell", "both"],
    ["set", "-g", "monitor-silence", "5"],
    ["set", "-s", "escape-time", "0"],
    ["set", "-s", "set-clipboard", "on"],
    ["set", "-o", "-g", "@once", "1"],
)

BAD_SETS = (
    ["set", "-g", "status-left-length", "abc"],
    ["set", "-g", "status-left-length", "-1"],
    ["set", "-g", "repeat-time", "99999"],
    ["set", "-g", "status-justify", "middle"],
    ["set", "-g", "mouse", "maybe"],
    ["set", "-g", "prefix", "xyz"],
    ["set", "-g", "status-style", "fg=nosuchcolour"],
    ["set", "-g", "status-style", "blinky"],
    ["set", "-g", "display-panes-colour", "colour300"],
    ["set", "-g", "default-size", "big"],
    ["set", "-g", "default-shell", "nosuchshell"],
    ["set", "-g", "nosuchoption", "1"],
    ["set", "-g", "status-", "1"],
    ["set", "-g", "pane-", "1"],
    ["set", "-g", "history-limit"],
    ["set", "-g", "@user"],
    ["set", "-g", "base-index[1]", "2"],
    ["set", "-o", "-g", "@once", "2"],
    ["set", "-t", "nosuch", "status", "off"],
    ["set", "-q", "-g", "nosuchoption", "1"],
    ["show", "-g", "nosuchoption"],
    ["show", "-g", "@nosuch"],
    ["show", "-qg", "@nosuch"],
    ["show", "-g", "status-"],
)


@pytest.mark.fake_pty
def test_sets_and_shows_match_tmux(both) -> None:  # type: ignore[no-untyped-def]
    server, tmux = both
    server.ok("new-window", "-t", "s")
    assert tmux.run("new-window", "-t", "s")[0] == 0
    for args in SETS + BAD_SETS:
        _compare(server, tmux, *args)
    for args in (*SHOWS, ["show", "-gv", "status-style"], ["show", "-g", "status-format"],
                 ["show", "-g", "status-format[1]"], ["show", "-gv", "update-environment"],
                 ["show", "-A", "history-limit"], ["show", "-wA", "mode-keys"],
                 ["show", "-pA", "remain-on-exit"], ["show", "-wv", "@window-user"],
                 ["show", "-g", "status-j"], ["show", "-t", "s:0", "-w"],
                 ["show", "-t", "s:0", "-wA"], ["show", "-s", "command-alias"]):
        _compare(server, tmux, *args)
    for args in (["set", "-gu", "status-style"], ["set", "-u", "history-limit"],
                 ["set", "-wu", "automatic-rename"], ["set", "-pu", "remain-on-exit"],
                 ["set", "-gu", "@global-user"], ["set", "-gu", "status-format"],
                 ["set", "-g", "status", "off"], ["set", "-g", "status"]):
        _compare(server, tmux, *args)
    for args in SHOWS:
        _compare(server, tmux, *args)


@pytest.mark.fake_pty
def test_formats_see_options_as_tmux(both) -> None:  # type: ignore[no-untyped-def]
    server, tmux = both
    for args in (["set", "-g", "@x", "1"], ["set", "-w", "@y", "win"]):
        server.ok(*args)
        assert tmux.run(*args)[0] == 0
    for template in ("#{mouse}#{status}#{base-index}", "#{status-format[1]}", "#{@x}#{@y}",
                     "#{prefix} #{status-style} #{mode-keys}", "#{display-panes-colour}",
                     "#{?synchronize-panes,on,off}", "#{command-alias[1]}"):
        _compare(server, tmux, "display-message", "-p", template)


ESCAPED_VALUES = ("", "ok", "a b", "it's", 'say "hi"', "~", "~/a", "#", "a;b", "'", '"', " ",
                  "é ü", "a\tb", "a\nb", "a\x01b\x7f", "a{b", "%", "a$b`c\"d\\e",
                  "$1 $_x ${y}")


def test_value_escaping_matches_tmux() -> None:
    """``show-options`` quoting, checked against tmux for user option values."""
    env = dict(os.environ)
    env.pop("TMUX", None)
    tmux = LiveTmux(env, f"aiopt-esc-{os.getpid()}")
    try:
        tmux.run("new-session", "-d")
        for value in ESCAPED_VALUES:
            tmux.run("set", "-g", "@x", value)
            assert f"@x {escape_value(value)}\n" == tmux.run("show", "-g", "@x")[1], value
    finally:
        tmux.kill()


def test_table_invariants() -> None:
    """Every default passes its own type's check (set -g NAME DEFAULT is accepted), but
    ``cursor-colour``'s ``none``, which tmux too refuses to be set to."""
    options = Options({"SHELL": "/bin/sh"})
    from aisession_tui.server.option_table import OPTIONS_TABLE
    for option in OPTIONS_TABLE:
        if option.hook or option.array or option.name == "cursor-colour":
            continue
        value = options.get(option.name)
        options.set(option.name, value)
        assert options.get(option.name) == value, option.name
