"""display-popup against tmux 3.3a: the CLI's errors with and without an attached client,
and, in the real TUI in a tmux harness, the popup's box, title and contents in the same
cells as tmux draws them; Escape closes it, ``-E`` closes it when its command exits, and
the command run from the CLI returns only then, in both."""

from __future__ import annotations

import shutil
import subprocess
import sys

import pytest
from conftest import DEADLINE, IsolatedServer, LiveTmux, wait_until
from e2e_harness import (  # noqa: F401 - fixtures
    Harness,
    SideBySide,
    harness,
    oracle_harness,
    side_by_side,
    start_tmux_oracle,
)

pytestmark = pytest.mark.skipif(shutil.which("tmux") is None, reason="tmux is not installed")


def _both(server: IsolatedServer, live_tmux: LiveTmux, *args: str) -> tuple[tuple[int, str],
                                                                          tuple[int, str]]:
    ours = server.cli(*args)
    code, _, err = live_tmux.run(*args)
    return (ours.code, ours.err), (code, err)


def test_popup_errors_without_a_client_match_tmux(server: IsolatedServer,
                                                  live_tmux: LiveTmux) -> None:
    server.cli("new-session", "-d", "-x", "80", "-y", "24")
    live_tmux.run("new-session", "-d", "-x", "80", "-y", "24")
    for args in (["display-popup", "-E", "true"], ["popup", "-C"],
                 ["display-popup", "-Z"], ["display-popup", "-t", "nosuch", "true"],
                 ["display-popup", "-c", "nosuch", "true"], ["display-popup", "-w", "abc"]):
        ours, theirs = _both(server, live_tmux, *args)
        assert ours == theirs, args


def _popup_cli(base: list[str], *args: str) -> subprocess.Popen[str]:
    return subprocess.Popen([*base, "display-popup", *args], stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True)


def _ours_base(server: IsolatedServer) -> list[str]:
    return [sys.executable, "-m", "aisession_tui.cli", "-L", server.name]


def _rows(harness: Harness) -> list[str]:
    return harness.screen().rstrip("\n").split("\n")[:-1]  # above the status lines


def _box(harness: Harness) -> list[str]:
    """The rows that show the popup box, with their leading columns."""
    return [row.rstrip() for row in _rows(harness)[:-1]
            if any(char in row for char in "┌│└╔║╚")]


def test_popup_box_matches_tmux(server: IsolatedServer, live_tmux: LiveTmux,
                                harness: Harness, oracle_harness: Harness) -> None:
    harness.start()
    harness.wait_for("[0]")
    harness.wait_attached()
    start_tmux_oracle(oracle_harness, live_tmux, server)
    oracle_harness.wait_for("[p]")
    environment = {**server.env}
    cases = [("-w", "30", "-h", "8", "-T", "title", "echo hello; sleep 30"),
             ("-x", "5", "-y", "12", "-w", "20", "-h", "5", "-b", "double", "echo hi; sleep 30"),
             ("-w", "50%", "-h", "6", "-x", "R", "echo right; sleep 30")]
    for case in cases:
        ours = _popup_cli(_ours_base(server), *case)
        theirs = subprocess.Popen([*live_tmux.base, "display-popup", *case], env=environment,
                                  stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        word = case[-1].split()[1].rstrip(";")
        harness.wait_for(word)
        oracle_harness.wait_for(word)
        wait_until(lambda: _box(harness) == _box(oracle_harness) and _box(harness), DEADLINE,
                   message=f"the same popup for {case}: ours\n" + "\n".join(_box(harness))
                   + "\ntmux's\n" + "\n".join(_box(oracle_harness)))
        harness.keys("Escape")
        oracle_harness.keys("Escape")
        # The CLI returns when the popup closes, with the hung-up command's status.
        assert ours.wait(timeout=DEADLINE) == theirs.wait(timeout=DEADLINE) == 129
        wait_until(lambda: not _box(harness), DEADLINE, message="our popup closed")
        wait_until(lambda: not _box(oracle_harness), DEADLINE, message="tmux's popup closed")


def test_popup_e_closes_when_the_command_exits(server: IsolatedServer,
                                               harness: Harness) -> None:
    harness.start()
    harness.wait_for("[0]")
    harness.wait_attached()
    proc = _popup_cli(_ours_base(server), "-E", "read line; echo got-$line; sleep 1")
    wait_until(lambda: _box(harness), DEADLINE, message="popup open")
    harness.keys("typed", "Enter")
    harness.wait_for("got-typed")
    assert proc.wait(timeout=DEADLINE) == 0
    wait_until(lambda: not _box(harness), DEADLINE, message="popup closed after exit")
    # -EE keeps a failing command's popup open; Escape closes it.
    proc = _popup_cli(_ours_base(server), "-E", "-E", "echo failing; exit 3")
    harness.wait_for("failing")
    assert proc.poll() is None
    harness.keys("Escape")
    assert proc.wait(timeout=DEADLINE) == 3  # the command's status, as tmux's CLI gives
    wait_until(lambda: not _box(harness), DEADLINE, message="popup closed by Escape")
    # Keys go to the popup, not the pane under it.
    proc = _popup_cli(_ours_base(server), "-E", "cat")
    wait_until(lambda: _box(harness), DEADLINE, message="cat popup open")
    harness.keys("popup-only", "Enter")
    harness.wait_for("popup-only")
    harness.keys("C-d")
    assert proc.wait(timeout=DEADLINE) == 0
    wait_until(lambda: "popup-only" not in harness.screen(), DEADLINE,
               message="the pane never saw the popup's keys")


def _cursor(harness: Harness) -> str:
    """Where the harness terminal's cursor is."""
    return harness.tmux("display-message", "-p", "-t", "h", "#{cursor_x},#{cursor_y}")


def test_popup_styles_match_tmux(side_by_side: SideBySide) -> None:
    """popup-style / popup-border-style and -s / -S, cell for cell: the option's colours,
    the flag's colours over them (a colour the flag leaves out goes back to the default),
    no attributes; what the command leaves blank is in the popup's background only."""
    pair, both = side_by_side, side_by_side.both
    both("respawn-pane", "-k", "-t", "p.0", "cat")  # the same (empty) screens
    pair.same("no popup")
    both("set", "-g", "popup-style", "fg=red,bg=blue")
    both("set", "-g", "popup-border-style", "fg=green,bg=yellow,bold")
    command = "printf 'a\\033[32mb\\033[0mc d\\n\\033[7mrev\\033[0m x'; sleep 30"
    for flags in ([], ["-S", "fg=red", "-s", "bg=colour200,underscore"],
                  ["-S", "default", "-s", "fg=colour208"], ["-S", "fg=notacolour"]):
        both("bind-key", "-n", "F5", "display-popup", "-w", "30", "-h", "8", "-x", "4",
             "-y", "12", *flags, command)
        pair.keys("F5")
        pair.same(f"popup with {flags}")
        wait_until(lambda: _cursor(pair.ours) == _cursor(pair.theirs) == "10,6\n",
                   message=f"the popup's cursor: ours {_cursor(pair.ours)!r}, "
                           f"tmux's {_cursor(pair.theirs)!r}")
        pair.keys("Escape")
        pair.same("closed")


def test_popup_borders_and_titles_match_tmux(side_by_side: SideBySide) -> None:
    """Every popup-border-lines value (-b, the option, -B), and -T expanded as a format for
    the target and drawn in the top border from its third cell, its #[...] over the
    border's style, cut at the width less four."""
    pair, both = side_by_side, side_by_side.both
    both("respawn-pane", "-k", "-t", "p.0", "cat")
    both("rename-window", "-t", "p:0", "first")
    pair.same("no popup")
    both("set", "-g", "popup-border-style", "fg=cyan")
    cases = [["-b", "rounded", "-T", "#[fg=magenta,bold]ti #{session_name}:#{window_name}"],
             ["-b", "heavy", "-T", "#[align=centre]mid"],
             ["-b", "simple", "-T", "a title much longer than the popup is wide"],
             ["-b", "padded", "-T", "#[align=right,bg=red]right"],
             ["-b", "none", "-T", "unseen"],
             ["-B", "-s", "bg=green"],
             ["-T", "#{?#{==:#{window_name},first},yes,no}"]]
    for number, flags in enumerate(cases):
        if number == len(cases) - 1:
            both("set", "-g", "popup-border-lines", "double")
        both("bind-key", "-n", "F5", "display-popup", "-w", "20", "-h", "5", "-x", "3",
             "-y", "10", *flags, "echo inside; sleep 30")
        pair.keys("F5")
        pair.same(f"popup with {flags}")
        pair.keys("Escape")
        pair.same("closed")


def test_popup_positions_match_tmux(side_by_side: SideBySide) -> None:
    """-x/-y as tmux 3.3a reads them: the letters (R and P the target pane's edges, W the
    current window's status-line entry, S the status line, M the mouse: 0 without a mouse
    event), or formats with the popup_* variables, pulled back onto the terminal; with the
    status line at the top, and with no status line (S is then 0)."""
    pair, both = side_by_side, side_by_side.both
    both("respawn-pane", "-k", "-t", "p.0", "cat")
    both("rename-window", "-t", "p:0", "first")
    both("new-window", "-d", "-t", "p:1", "-n", "second-window", "cat")
    both("new-window", "-d", "-t", "p:2", "-n", "third", "cat")
    both("select-window", "-t", "p:2")
    both("split-window", "-h", "-t", "p:2", "-l", "50", "cat")
    both("select-pane", "-t", "p:2.0")
    pair.same("no popup")
    cases = [("W", "W"), ("R", "P"), ("P", "C"), ("M", "M"), ("C", "S"),
             ("#{e|+:#{popup_centre_x},7}", "#{popup_pane_bottom}"), ("200", "3")]
    for position in ("bottom", "top", "off"):
        if position == "off":
            both("set", "-g", "status", "off")
        else:
            both("set", "-g", "status-position", position)
        for x, y in cases:
            both("bind-key", "-n", "F5", "display-popup", "-w", "24", "-h", "6", "-x", x,
                 "-y", y, "-T", f"{x} {y}", "echo inside; sleep 30")
            pair.keys("F5")
            pair.same(f"popup at -x {x} -y {y}, status {position}")
            pair.keys("Escape")
            pair.same("closed")


def test_popup_follows_a_resized_terminal_as_tmux(side_by_side: SideBySide) -> None:
    """The terminal shrinks: the popup moves back onto it, then shrinks to it, and its
    command sees the new size; grown again, it goes back to where it was opened."""
    pair, both = side_by_side, side_by_side.both
    both("respawn-pane", "-k", "-t", "p.0", "cat")
    both("rename-window", "-t", "p:0", "first")
    pair.same("no popup")
    both("bind-key", "-n", "F5", "display-popup", "-w", "60", "-h", "16", "-x", "50",
         "-y", "30", "-T", "sized",
         "trap 'clear; stty size' WINCH; clear; stty size; while :; do sleep 0.1; done")
    pair.keys("F5")
    pair.same("popup opened")
    for columns, lines in (("90", "36"), ("50", "12"), ("120", "40")):
        for terminal in (pair.ours, pair.theirs):
            terminal.tmux("resize-window", "-t", "h", "-x", columns, "-y", lines)
        pair.same(f"terminal {columns}x{lines}")
    pair.keys("Escape")
    pair.same("closed")


def _sgr(code: int, column: int, row: int, final: str = "M") -> str:
    return f"\x1b[<{code};{column + 1};{row + 1}{final}"


def test_popup_mouse_drags_match_tmux(side_by_side: SideBySide) -> None:
    """With the mouse on: a left drag on the border moves the popup, a right drag on it
    resizes it from the bottom-right corner, a Meta drag inside moves it; a click inside
    moves nothing; a drag past the terminal's edge keeps it on the terminal."""
    pair, both = side_by_side, side_by_side.both
    both("respawn-pane", "-k", "-t", "p.0", "cat")
    both("rename-window", "-t", "p:0", "first")
    both("set", "-g", "mouse", "on")
    pair.same("no popup")
    both("bind-key", "-n", "F5", "display-popup", "-w", "30", "-h", "8", "-x", "10", "-y",
         "20", "-T", "drag me", "echo inside; sleep 30")
    pair.keys("F5")
    pair.same("popup opened")
    # (tmux starts a drag when the first motion is still on the border, or inside with
    # Meta; a right-button motion outside the popup opens tmux's popup menu instead)
    gestures = {
        "left drag on the top border": [_sgr(0, 15, 12), _sgr(32, 16, 12), _sgr(32, 25, 16),
                                        _sgr(0, 25, 16, "m")],
        "right drag on the bottom-right corner": [_sgr(2, 49, 23), _sgr(34, 49, 23),
                                                  _sgr(34, 60, 30), _sgr(2, 60, 30, "m")],
        "meta drag inside": [_sgr(8, 25, 20), _sgr(40, 26, 20), _sgr(40, 30, 22),
                             _sgr(8, 30, 22, "m")],
        "left drag past the right edge": [_sgr(0, 25, 20), _sgr(32, 25, 20),
                                          _sgr(32, 119, 2), _sgr(0, 119, 2, "m")],
    }
    for name, reports in gestures.items():
        for terminal in (pair.ours, pair.theirs):
            terminal.keys("-l", "".join(reports))
        pair.same(name)
    for terminal in (pair.ours, pair.theirs):  # a click inside: nothing moves
        terminal.keys("-l", _sgr(0, 100, 5) + _sgr(0, 100, 5, "m"))
    pair.keys("Escape")
    pair.same("closed")
