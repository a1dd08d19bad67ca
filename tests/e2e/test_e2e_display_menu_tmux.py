"""display-menu in the real TUI against tmux 3.3a in the same harness: tmux's default
window menu (``C-b <``) and pane menu (``C-b >``) drawn in the same cells and colours, the
keys that move the choice (Down, Up past separators and disabled items), an item's key
running its command, and a scripted menu placed by ``-x``/``-y``."""

from __future__ import annotations

import shutil

import pytest
from conftest import wait_until
from e2e_harness import SideBySide, harness, oracle_harness, side_by_side  # noqa: F401

pytestmark = pytest.mark.skipif(shutil.which("tmux") is None, reason="tmux is not installed")


def test_default_menus_match_tmux(side_by_side: SideBySide) -> None:
    pair, both = side_by_side, side_by_side.both
    both("respawn-pane", "-k", "-t", "p.0", "cat")  # the same (empty) screens
    both("new-window", "-d", "-t", "p:1", "cat")
    both("split-window", "-h", "-t", "p:0", "cat")
    both("rename-window", "-t", "p:0", "first")  # names that do not wait on tmux's renaming
    both("rename-window", "-t", "p:1", "second")
    pair.same("no menu")
    pair.keys("C-b", "<")  # the window menu, at the window's status-line entry
    rows = pair.same("window menu")
    assert any("Swap Right" in "".join(text for _, text in row) for row in rows)
    pair.keys("Down")
    pair.same("first item chosen")
    pair.keys("Up")
    pair.same("wrapped to the last item")
    pair.keys("Escape")
    pair.same("closed")
    pair.keys("C-b", ">")  # the pane menu, at the pane
    pair.same("pane menu")
    pair.keys("q")
    pair.same("closed again")
    pair.keys("C-b", "<")
    pair.same("window menu again")
    pair.keys("r")  # Swap Right: the window moves to index 1 in both
    names = "#{window_index}:#{window_panes}"

    def ours() -> str:
        return pair.server.ok("list-windows", "-t", "p", "-F", names)

    wait_until(lambda: ours() == "0:1\n1:2\n", message="our window swapped")
    assert pair.oracle.run("list-windows", "-t", "p", "-F", names)[1] == "0:1\n1:2\n"
    pair.same("menu closed, window swapped")


def test_scripted_menu_matches_tmux(side_by_side: SideBySide) -> None:
    pair, both = side_by_side, side_by_side.both
    both("respawn-pane", "-k", "-t", "p.0", "cat")
    pair.same("no menu")
    both("bind-key", "-n", "F5", "display-menu", "-T", "#[align=centre]Title", "-x", "5",
         "-y", "20", "First", "f", "rename-window first", "", "", "",
         "-Disabled", "d", "", "#{?#{==:1,0},Hidden,}", "h", "",
         "A much longer item name", "L", "rename-window longer")
    pair.keys("F5")  # (from the command line, tmux's display-menu waits for the choice)
    pair.same("scripted menu")
    pair.keys("Down")  # past the separators and the disabled item
    pair.same("the second enabled item")
    pair.keys("Down")  # wraps to the first
    pair.same("the first again")
    pair.keys("Up")
    pair.same("the last")
    pair.keys("Enter")
    wait_until(lambda: pair.server.ok("display-message", "-p", "-t", "p",
                                      "#{window_name}") == "longer\n",
               message="our window renamed")
    pair.same("menu closed")
    for args in (["display-menu"], ["display-menu", "a", "b"]):  # tmux's errors
        ours = pair.server.run(*args)
        code, _, err = pair.oracle.run(*args)
        assert (ours.code, ours.err) == (code, err), args
