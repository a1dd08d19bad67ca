"""Clock mode as the full-screen client draws it, cell for cell as tmux 3.3a's clock mode:
the time (``%H:%M``, or ``%l:%M AM``/``PM`` with ``clock-mode-style 12``) centred in the
pane in 5x5 block digits whose cells take ``clock-mode-colour`` as their background, each
character six columns apart; a pane narrower than six columns a character or lower than six
rows shows the time as text in that colour on its middle row instead (nothing at all when
even that does not fit). The rest of the pane is blank and no cursor is shown.

The server holds the mode (``#{pane_mode}`` is ``clock-mode``, any key leaves it); the
client draws :class:`ClockFace` over the pane while the mode lasts and redraws it when the
minute changes. Rows are runs, as the pane's screen rows are.
"""

from __future__ import annotations

import time

from aisession_tui.server.styles import parse_colour, run_colour
from aisession_tui.terminal.style import DEFAULT, Run

BLOCK_GLYPHS: dict[str, tuple[str, ...]] = {
    "0": ("#####", "#   #", "#   #", "#   #", "#####"),
    "1": ("    #", "    #", "    #", "    #", "    #"),
    "2": ("#####", "    #", "#####", "#    ", "#####"),
    "3": ("#####", "    #", "#####", "    #", "#####"),
    "4": ("#   #", "#   #", "#####", "    #", "    #"),
    "5": ("#####", "#    ", "#####", "    #", "#####"),
    "6": ("#####", "#    ", "#####", "#   #", "#####"),
    "7": ("#####", "    #", "    #", "    #", "    #"),
    "8": ("#####", "#   #", "#####", "#   #", "#####"),
    "9": ("#####", "#   #", "#####", "    #", "#####"),
    ":": ("     ", "  #  ", "     ", "  #  ", "     "),
    "A": ("#####", "#   #", "#####", "#   #", "#   #"),
    "P": ("#####", "#   #", "#####", "#    ", "#    "),
    "M": ("#   #", "## ##", "# # #", "#   #", "#   #"),
}
"""The block characters: ``#`` is a cell in the clock's colour. Any other character of the
time (the space of the 12-hour form) leaves its six columns empty."""


def clock_text(now: time.struct_time, style: str) -> str:
    """The time as the clock shows it: ``"14:05"``, or ``" 2:05 PM"`` for style ``12``."""
    if style == "12":
        return time.strftime("%l:%M ", now) + ("PM" if now.tm_hour >= 12 else "AM")
    return time.strftime("%H:%M", now)


def option_colour(text: str) -> int:
    """A tmux colour option's value as a colour of the pane's runs (default if unknown)."""
    colour = parse_colour(text)
    return DEFAULT if colour is None else run_colour(colour)


def clock_rows(width: int, height: int, text: str, colour: int) -> list[list[Run]]:
    """The pane's rows showing ``text`` (see the module docstring)."""
    cells = [[False] * width for _ in range(height)]
    rows: list[list[Run]] = [[] for _ in range(height)]
    if width < 6 * len(text) or height < 6:
        if width >= len(text) and height:
            x = width // 2 - len(text) // 2
            rows[height // 2] = [(" " * x, DEFAULT, DEFAULT, 0), (text, colour, DEFAULT, 0)]
        return rows
    x = width // 2 - 3 * len(text)
    top = height // 2 - 3
    for char in text:
        glyph = BLOCK_GLYPHS.get(char)
        if glyph is not None:
            for dy, line in enumerate(glyph):
                for dx, mark in enumerate(line):
                    if mark == "#" and 0 <= x + dx < width and 0 <= top + dy < height:
                        cells[top + dy][x + dx] = True
        x += 6
    for y, row in enumerate(cells):
        runs: list[Run] = []
        start = 0
        while start < width:
            filled = row[start]
            end = start
            while end < width and row[end] == filled:
                end += 1
            if filled or end < width:  # trailing blanks stay out of the runs
                runs.append((" " * (end - start), DEFAULT, colour if filled else DEFAULT, 0))
            start = end
        rows[y] = runs
    return rows


class ClockFace:
    """One pane's clock: its colour and style, and the rows of the minute it last drew."""

    def __init__(self, colour: str, style: str) -> None:
        self.colour = option_colour(colour)
        self.style = style
        self._key: tuple[int, int, str] | None = None
        self._rows: list[list[Run]] = []

    def rows(self, width: int, height: int, now: time.struct_time | None = None
             ) -> list[list[Run]]:
        """The rows for a ``width`` x ``height`` pane at ``now`` (default: this minute)."""
        text = clock_text(now or time.localtime(), self.style)
        key = (width, height, text)
        if key != self._key:
            self._key, self._rows = key, clock_rows(width, height, text, self.colour)
        return self._rows

    def shows(self, now: time.struct_time | None = None) -> str:
        """The text the clock shows at ``now`` (it changes once a minute)."""
        return clock_text(now or time.localtime(), self.style)
