"""display-panes' marks on one pane, cell for cell as tmux 3.3a draws them
(``cmd-display-panes.c``): the pane's index in 5x5 block digits (the clock's) centred in
the pane, their cells a space on the colour's background, and the pane's size (``80x24``)
at its top right in the colour as foreground; ``display-panes-active-colour`` for the
window's active pane, ``display-panes-colour`` for the others. Panes 10 to 35 also show the
letter that chooses them (``a`` to ``z``) under the digits' right end. A pane narrower than
six columns a digit or lower than five rows shows the index as text in the colour on its
middle row, with a space and the letter after it when they fit (tmux writes the index's
NUL there, which takes no cell, then the space); one narrower than the index shows nothing. The size and letter need a pane of more than six rows.

Marks are drawn over the pane's own cells (the rest of the pane shows its screen), as
tmux's overlay draws only these cells. Pure data: no Textual.
"""

from __future__ import annotations

from aisession_tui.terminal.style import DEFAULT
from aisession_tui.widgets.clock_face import BLOCK_GLYPHS

Mark = tuple[int, str, int, int]
"""(column, text, fg, bg) drawn over a pane row; colours are run colours."""


def chooser_letter(index: int) -> str:
    """The key that chooses pane ``index`` besides its digits: ``a`` for 10 .. ``z`` for 35."""
    return chr(ord("a") + index - 10) if 10 <= index < 36 else ""


def index_for_key(key: str) -> int | None:
    """The pane index a display-panes key chooses (``0``-``9``, ``a``-``z`` for 10-35), or
    None for a key that is not a chooser (tmux clears the overlay and the key goes on)."""
    if len(key) == 1 and key.isdigit():
        return int(key)
    if len(key) == 1 and "a" <= key <= "z":
        return 10 + ord(key) - ord("a")
    return None


def number_marks(index: int, width: int, height: int, colour: int) -> dict[int, list[Mark]]:
    """The marks, by row, for pane ``index`` of ``width`` x ``height`` cells in ``colour``."""
    digits, letter = str(index), chooser_letter(index)
    marks: dict[int, list[Mark]] = {}
    if width < len(digits):
        return marks
    centre_x, centre_y = width // 2, height // 2
    if width < len(digits) * 6 or height < 5:
        text = f"{digits} {letter}" if width >= len(digits) + len(letter) + 1 else digits
        marks[centre_y] = [(centre_x - len(text) // 2, text, colour, DEFAULT)]
        return marks
    left, top = centre_x - len(digits) * 3, centre_y - 2
    for position, digit in enumerate(digits):
        for dy, line in enumerate(BLOCK_GLYPHS[digit]):
            for dx, mark in enumerate(line):
                if mark == "#":
                    marks.setdefault(top + dy, []).append(
                        (left + position * 6 + dx, " ", DEFAULT, colour))
    if height > 6:
        size = f"{width}x{height}"
        if width >= len(size):
            marks.setdefault(0, []).append((width - len(size), size, colour, DEFAULT))
        if letter:
            marks.setdefault(top + 5, []).append(
                (centre_x + len(digits) * 3 - len(letter) - 1, letter, colour, DEFAULT))
    return {row: _joined(sorted(row_marks)) for row, row_marks in marks.items()
            if 0 <= row < height}


def _joined(marks: list[Mark]) -> list[Mark]:
    """Adjacent marks of the same colours as one."""
    joined: list[Mark] = []
    for mark in marks:
        if joined:
            x, text, fg, bg = joined[-1]
            if x + len(text) == mark[0] and (fg, bg) == mark[2:]:
                joined[-1] = (x, text + mark[1], fg, bg)
                continue
        joined.append(mark)
    return joined
