"""The mouse through tmux 3.3a's default mouse bindings in the real TUI against tmux itself
in the same harness, the same SGR reports written to both terminals: a program that asked
for the mouse gets the same reports (presses, drags, releases, the wheel; ``send-keys -M``
and the keys no table binds), the wheel enters copy mode, scrolls and leaves it at the
bottom (``copy-mode -e``, the copy-mode table's ``scroll-up``/``scroll-down``), and a drag
on a border resizes the panes (``resize-pane -M``)."""

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
    """Gestures further apart than tmux's 300 ms click timeout."""
    time.sleep(0.5)


MOUSE_PROGRAM = ("printf '\\033[?1002h\\033[?1006hready\\r\\n'; stty raw -echo; "
                 "exec cat -v")


def test_a_program_that_asked_for_the_mouse_gets_the_same_reports(
        side_by_side: SideBySide) -> None:
    pair = side_by_side
    pair.both("set", "-g", "mouse", "on")
    pair.both("respawn-pane", "-k", "-t", "p.0", MOUSE_PROGRAM)
    pair.ours.wait_for("ready")
    pair.theirs.wait_for("ready")
    pair.same("the program is ready")
    pair.keys("-l", _report(0, 5, 3) + _report(32, 7, 3) + _report(32, 9, 4)
              + _report(0, 9, 4, release=True))
    rows = pair.same("press, drag, release")
    assert any("^[[<32;8;4M" in "".join(text for _, text in row) for row in rows)
    _apart()
    pair.keys("-l", _report(64, 2, 2) + _report(65, 2, 2) + _report(2, 4, 4)
              + _report(2, 4, 4, release=True))
    pair.same("the wheel and the right button")


def test_the_wheel_scrolls_in_copy_mode_as_tmux(side_by_side: SideBySide) -> None:
    pair = side_by_side
    pair.both("set", "-g", "mouse", "on")
    pair.both("respawn-pane", "-k", "-t", "p.0", "seq 1 100; exec cat")
    pair.ours.wait_for("100")
    pair.theirs.wait_for("100")
    pair.same("a hundred lines")
    pair.keys("-l", _report(64, 10, 10))  # WheelUpPane: copy-mode -e
    pair.same("copy mode entered")
    pair.keys("-l", _report(64, 10, 10) + _report(64, 10, 10))  # copy-mode's scroll-up 5
    pair.same("scrolled up ten lines")
    pair.keys("-l", _report(65, 10, 10))
    pair.same("scrolled down five lines")
    pair.keys("-l", _report(65, 10, 10))  # at the bottom: copy-mode -e leaves
    wait_until(lambda: pair.server.ok("display", "-p", "-t", "p", "#{pane_in_mode}")
               == "0\n", message="copy mode left at the bottom")
    pair.same("copy mode left at the bottom")


def test_dragging_a_border_resizes_as_tmux(side_by_side: SideBySide) -> None:
    pair = side_by_side
    pair.both("set", "-g", "mouse", "on")
    pair.both("respawn-pane", "-k", "-t", "p.0", "cat")
    pair.both("split-window", "-h", "-t", "p", "cat")
    pair.same("two panes")
    border = int(pair.server.ok("display", "-p", "-t", "p.0", "#{pane_width}"))
    pair.keys("-l", _report(0, border, 5) + _report(32, border - 4, 5)
              + _report(32, border - 6, 6) + _report(0, border - 6, 6, release=True))
    width = "#{pane_width}"
    wait_until(lambda: pair.server.ok("display", "-p", "-t", "p.0", width)
               == f"{border - 6}\n", message="our border moved")
    assert pair.oracle.run("display", "-p", "-t", "p.0", width)[1] == f"{border - 6}\n"
    pair.same("the border where the mouse left it")


def test_a_drag_in_copy_mode_copies_what_tmux_copies(side_by_side: SideBySide) -> None:
    """The copy-mode table's MouseDrag1Pane (``begin-selection`` with the mouse: a drag
    selection from the press) and MouseDragEnd1Pane (``copy-pipe-and-cancel``)."""
    pair = side_by_side
    pair.both("set", "-g", "mouse", "on")
    pair.both("respawn-pane", "-k", "-t", "p.0",
              "printf 'alpha beta gamma\\nsecond line here\\n'; exec cat")
    pair.ours.wait_for("second line here")
    pair.theirs.wait_for("second line here")
    pair.both("copy-mode", "-t", "p")
    pair.same("copy mode")
    pair.keys("-l", _report(0, 2, 0) + _report(32, 4, 0) + _report(32, 6, 1)
              + _report(0, 6, 1, release=True))

    def ours() -> str:
        result = pair.server.run("show-buffer")
        return result.out if result.code == 0 else ""

    def theirs() -> str:
        code, out, _ = pair.oracle.run("show-buffer")
        return str(out) if code == 0 else ""

    copied = str(wait_until(theirs, message="tmux copied"))
    wait_until(lambda: ours() == copied, message=f"we copied {copied!r}")
    wait_until(lambda: pair.server.ok("display", "-p", "-t", "p", "#{pane_in_mode}")
               == "0\n", message="copy mode left")
