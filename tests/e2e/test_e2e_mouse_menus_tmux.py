"""tmux 3.3a's right-click menus in the real TUI against tmux itself in the same harness,
from its default mouse bindings (``MouseDown3Pane``, ``MouseDown3Status``,
``MouseDown3StatusLeft``), driven by the same SGR mouse reports in both terminals: each
menu opens in the same cells, a drag with the right button held highlights the item under
it, releasing there runs it, a release elsewhere closes the menu; a binding the user
changes changes what the mouse does."""

from __future__ import annotations

import shutil
import time

import pytest
from conftest import wait_until
from e2e_harness import SideBySide, harness, oracle_harness, side_by_side  # noqa: F401

pytestmark = pytest.mark.skipif(shutil.which("tmux") is None, reason="tmux is not installed")


def _report(button: int, column: int, row: int, *, release: bool = False) -> str:
    """An SGR mouse report (0-based cell)."""
    return f"\x1b[<{button};{column + 1};{row + 1}{'m' if release else 'M'}"


def _apart() -> None:
    """Presses further apart than tmux's 300 ms click timeout (else the next press is a
    SecondClick, as in tmux)."""
    time.sleep(0.5)


def _same_setup(pair: SideBySide) -> None:
    pair.both("set", "-g", "mouse", "on")
    pair.both("set", "-g", "default-command", "cat")  # new panes: the same (empty) screens
    pair.both("respawn-pane", "-k", "-t", "p.0", "cat")  # the same (empty) screens
    pair.both("rename-window", "-t", "p:0", "first")
    pair.both("new-window", "-d", "-t", "p:1", "-n", "second", "cat")
    pair.same("mouse on, two windows")


def test_pane_menu_by_right_button_drag_and_release(side_by_side: SideBySide) -> None:
    pair = side_by_side
    _same_setup(pair)
    pair.keys("-l", _report(2, 30, 10))  # MouseDown3Pane: the pane menu at the mouse
    rows = pair.same("pane menu")
    assert any("Horizontal Split" in "".join(text for _, text in row) for row in rows)
    pair.keys("-l", _report(34, 31, 12))  # dragging with the right button: a highlight
    pair.same("second item highlighted")
    pair.keys("-l", _report(2, 31, 12, release=True))  # released on Vertical Split

    wait_until(lambda: pair.server.ok("display", "-p", "-t", "p:0", "#{window_panes}")
               == "2\n", message="our pane split")
    wait_until(lambda: pair.oracle.run("display", "-p", "-t", "p:0", "#{window_panes}")[1]
               == "2\n", message="tmux's pane split")
    pair.same("menu closed, the pane split")


def test_a_release_off_the_items_closes_the_menu(side_by_side: SideBySide) -> None:
    pair = side_by_side
    _same_setup(pair)
    pair.keys("-l", _report(2, 50, 15))
    pair.same("pane menu")
    pair.keys("-l", _report(2, 50, 15, release=True))  # on the title line: outside
    pair.same("closed by the release")


def test_window_and_session_menus_from_the_status_line(side_by_side: SideBySide) -> None:
    pair = side_by_side
    _same_setup(pair)
    pair.keys("-l", _report(2, 7, 39))  # MouseDown3Status on "0:first"
    rows = pair.same("window menu")
    assert any("Swap Right" in "".join(text for _, text in row) for row in rows)
    pair.keys("-l", _report(2, 7, 39, release=True))
    pair.same("closed")
    _apart()
    pair.keys("-l", _report(2, 1, 39))  # MouseDown3StatusLeft on "[p]"
    rows = pair.same("session menu")
    assert any("New Session" in "".join(text for _, text in row) for row in rows)
    pair.keys("-l", _report(0, 100, 5), _report(0, 100, 5, release=True))
    pair.same("closed by a click outside")
    _apart()
    pair.keys("-l", _report(0, 16, 39), _report(0, 16, 39, release=True))  # MouseDown1Status
    wait_until(lambda: pair.server.ok("display", "-p", "-t", "p", "#{window_index}")
               == "1\n", message="our window chosen from the status line")
    pair.same("second window chosen")


def test_rebinding_a_mouse_key_changes_what_it_does(side_by_side: SideBySide) -> None:
    pair = side_by_side
    _same_setup(pair)
    pair.both("bind", "-n", "MouseDown3Pane", "rename-window", "-t", "=", "clicked")
    pair.both("unbind", "-n", "MouseDown3Status")
    pair.keys("-l", _report(2, 7, 39), _report(2, 7, 39, release=True))  # unbound: nothing
    _apart()
    pair.keys("-l", _report(2, 30, 10), _report(2, 30, 10, release=True))
    wait_until(lambda: pair.server.ok("display", "-p", "-t", "p", "#{window_name}")
               == "clicked\n", message="our rebound right button")
    wait_until(lambda: pair.oracle.run("display", "-p", "-t", "p", "#{window_name}")[1]
               == "clicked\n", message="tmux's rebound right button")
    pair.same("no menu, the window renamed")


def test_pane_menu_in_copy_mode_names_the_word_under_the_mouse(side_by_side: SideBySide) -> None:
    pair = side_by_side
    pair.both("set", "-g", "mouse", "on")
    pair.both("respawn-pane", "-k", "-t", "p.0", "printf 'alpha beta gamma\\n'; exec cat")
    pair.ours.wait_for("alpha beta gamma")
    pair.theirs.wait_for("alpha beta gamma")
    pair.both("copy-mode", "-t", "p")
    pair.same("copy mode")
    pair.keys("-l", _report(2, 8, 0))  # on "beta"
    rows = pair.same("pane menu for a pane in copy mode")
    text = ["".join(cell for _, cell in row) for row in rows]
    assert any("Go To Top" in line for line in text)
    assert any("Copy beta" in line for line in text), text
    pair.keys("-l", _report(2, 8, 0, release=True))
    pair.same("closed")


def test_menus_opened_from_the_keyboard_and_with_dash_o(side_by_side: SideBySide) -> None:
    pair = side_by_side
    _same_setup(pair)
    pair.keys("C-b", "<")  # a keyboard menu: the first button's press does nothing,
    pair.same("window menu from the keyboard")
    # (tmux's terminal reports no motion without a button for it; ours does: ignored)
    pair.ours.keys("-l", _report(35, 5, 30))
    _apart()
    assert "Swap Right" in pair.ours.screen()
    pair.keys("-l", _report(0, 3, 34))
    _apart()
    pair.keys("-l", _report(0, 3, 34, release=True))  # its release closes the menu
    pair.same("closed by the release, nothing chosen")
    assert pair.server.ok("list-windows", "-t", "p", "-F", "#{window_name}") == \
        "first\nsecond\n"
    _apart()
    pair.both("bind", "-n", "MouseDown3Pane", "display-menu", "-O", "-x", "M", "-y", "M",
              "Rename", "r", "rename-window -t = renamed", "Other", "o", "")
    pair.keys("-l", _report(2, 30, 10), _report(2, 30, 10, release=True))
    pair.same("-O menu stays open after the release")
    _apart()
    pair.keys("-l", _report(35, 30, 11))  # the pointer over "Rename" chooses it
    pair.same("Rename highlighted")
    pair.keys("-l", _report(0, 30, 11))  # a press runs it
    wait_until(lambda: pair.server.ok("display", "-p", "-t", "p", "#{window_name}")
               == "renamed\n", message="our window renamed from the -O menu")
    wait_until(lambda: pair.oracle.run("display", "-p", "-t", "p", "#{window_name}")[1]
               == "renamed\n", message="tmux's window renamed from the -O menu")
    pair.keys("-l", _report(0, 30, 11, release=True))
    pair.same("menu closed, window renamed")


def test_search_for_the_word_under_the_mouse_from_the_pane_menu(
        side_by_side: SideBySide) -> None:
    pair = side_by_side
    pair.both("set", "-g", "mouse", "on")
    pair.both("respawn-pane", "-k", "-t", "p.0",
              "printf 'alpha beta gamma\\nbeta again\\nlast line\\n'; exec cat")
    pair.ours.wait_for("last line")
    pair.theirs.wait_for("last line")
    pair.same("three lines")
    pair.keys("-l", _report(2, 7, 0))  # right press on "beta": the pane menu
    pair.same("pane menu with Search For beta")
    pair.keys("C-r")  # its key: copy mode, then search-backward for the word
    # (compared by position: the copy view draws its cursor and lacks tmux's
    # "(N results)", which is copy mode's, not the menu's)
    where = "#{pane_in_mode} #{copy_cursor_x} #{copy_cursor_y}"
    theirs = str(wait_until(lambda: pair.oracle.run("display", "-p", "-t", "p", where)[1]
                            .startswith("1 ") and pair.oracle.run("display", "-p", "-t", "p",
                                                                  where)[1],
                            message="tmux's copy mode from the menu"))
    assert theirs == "1 6 0\n"
    wait_until(lambda: pair.server.ok("display", "-p", "-t", "p", where) == theirs,
               message="our copy mode at the same match")
