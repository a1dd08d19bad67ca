"""Copy mode's page and half-page motions measured against tmux 3.3a (checked live): a
page is the pane's height less two rows, the cursor keeps its row on the screen while the
view moves, and where the history ends the cursor moves on by the rest.
"""

from __future__ import annotations

from aisession_tui.widgets.copy_mode import CopyMode


def numbered(history: int, height: int, cursor_row: int) -> CopyMode:
    """Lines "1".."history+height" (the last ``height`` on screen), cursor on a row."""
    lines = [[[str(number), -1, -1, 0]] for number in range(1, history + height + 1)]
    return CopyMode(lines[:history], lines[history:], 40, height, (0, cursor_row))


def test_page_up_is_height_less_two_and_keeps_the_cursor_row() -> None:
    copy = numbered(263, 39, 0)           # tmux: seq 1 300 in a 39-row pane, cursor top
    copy.run("page-up")
    assert copy.top == 263 - 37           # tmux shows [37/263]
    assert copy.line - copy.top == 0      # still on the top row
    copy.run("page-down")
    assert (copy.top, copy.line) == (263, 263)


def test_half_page_and_the_ends_of_the_history() -> None:
    copy = numbered(10, 20, 15)
    copy.run("halfpage-up")
    assert (copy.top, copy.line - copy.top) == (0, 15)      # 10 rows: the view's limit
    copy.run("page-up")                                     # at the top: the cursor moves
    assert (copy.top, copy.line) == (0, 0)
    copy.run("page-down")                                   # at the bottom: cursor too
    assert (copy.top, copy.line - copy.top) == (10, 18)
    copy.run("page-down")
    assert (copy.top, copy.line - copy.top) == (10, 19)     # the last row at most
