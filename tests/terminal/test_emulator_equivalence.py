"""The emulator's fast paths (tokenizer, ASCII draw, bulk CR LF lines, SGR cache, own
scrollback) give the same screen as stock pyte 0.8.2 on input stock pyte handles right,
and the same screen and history whatever the chunking."""

from __future__ import annotations

from pathlib import Path

import pyte
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from pyte.graphics import FG_BG_256

from aisession_tui.terminal.emulator import Emulator
from aisession_tui.terminal.style import (
    BLINK,
    BOLD,
    DEFAULT,
    ITALIC,
    REVERSE,
    STRIKE,
    TRUECOLOR,
    UNDERLINE,
)

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures" / "terminal"
NAMES = ["black", "red", "green", "brown", "blue", "magenta", "cyan", "white"]
ATTR_FLAGS = [("bold", BOLD), ("italics", ITALIC), ("underscore", UNDERLINE),
              ("strikethrough", STRIKE), ("reverse", REVERSE), ("blink", BLINK)]


def pyte_colour(value: int, background: bool) -> str:
    """Our colour int as stock pyte names it (including its bg 105 typo)."""
    if value == DEFAULT:
        return "default"
    if value >= TRUECOLOR:
        return f"{value & 0xFFFFFF:06x}"
    if value < 8:
        return NAMES[value]
    if value < 16:
        if background and value == 13:
            return "bfightmagenta"
        return "bright" + NAMES[value - 8]
    return FG_BG_256[value]


def our_cells(emulator: Emulator) -> list[list[tuple]]:
    screen = emulator._screen
    rows = []
    for y in range(screen.lines):
        row = screen.buffer.get(y, {})
        cells = []
        for x in range(screen.columns):
            cell = row.get(x, screen.default_char)
            flags = tuple(bool(cell.attrs & flag) for _name, flag in ATTR_FLAGS)
            cells.append((cell.data, pyte_colour(cell.fg, False), pyte_colour(cell.bg, True), flags))
        rows.append(cells)
    return rows


class TmuxCorrectedScreen(pyte.Screen):
    """Stock pyte with the cursor rules where it differs from tmux 3.3a (checked against
    live tmux in test_emulator_tmux.py): IL/DL keep the cursor column (and a pending wrap), BS/CUB from the
    pending-wrap position land on the last column, HT does nothing from the last column,
    CUU/CUD leave the pending-wrap position, and lines that scroll in or are inserted take
    the current background (BCE) unless an autowrap scrolled them in."""

    wrapping = False

    def draw(self, data):
        """Any line feed while drawing is an autowrap's."""
        self.wrapping = True
        try:
            super().draw(data)
        finally:
            self.wrapping = False

    def _new_lines(self, first, last):
        """Lines that scrolling or inserting brought in take the background (BCE)."""
        if self.cursor.attrs.bg != "default" and not self.wrapping:
            blank = self.default_char._replace(bg=self.cursor.attrs.bg)
            for y in range(first, last + 1):
                self.buffer[y].update(dict.fromkeys(range(self.columns), blank))

    def _region(self):
        return self.margins or pyte.screens.Margins(0, self.lines - 1)

    def index(self):
        top, bottom = self._region()
        scrolls = self.cursor.y == bottom
        super().index()
        if scrolls:
            self._new_lines(bottom, bottom)

    def reverse_index(self):
        top, bottom = self._region()
        scrolls = self.cursor.y == top
        super().reverse_index()
        if scrolls:
            self._new_lines(top, top)

    def insert_lines(self, count=None):
        x, y = self.cursor.x, self.cursor.y
        top, bottom = self._region()
        super().insert_lines(count)
        self.cursor.x = x  # a pending wrap included (tmux)
        if top <= y <= bottom:
            self._new_lines(y, min(y + (count or 1), bottom + 1) - 1)

    def delete_lines(self, count=None):
        x, y = self.cursor.x, self.cursor.y
        top, bottom = self._region()
        super().delete_lines(count)
        self.cursor.x = x  # a pending wrap included (tmux)
        if top <= y <= bottom:
            self._new_lines(max(y, bottom - (count or 1) + 1), bottom)

    def cursor_back(self, count=None):
        self.cursor.x = max(0, min(self.cursor.x - (count or 1), self.columns - 1))

    def tab(self):
        if self.cursor.x < self.columns - 1:
            super().tab()

    def cursor_up(self, count=None):
        super().cursor_up(count)
        self.ensure_hbounds()

    def cursor_down(self, count=None):
        super().cursor_down(count)
        self.ensure_hbounds()


def stock_cells(screen: pyte.Screen) -> list[list[tuple]]:
    rows = []
    for y in range(screen.lines):
        line = screen.buffer[y]
        cells = []
        for x in range(screen.columns):
            char = line[x]
            flags = tuple(getattr(char, name) for name, _flag in ATTR_FLAGS)
            cells.append((char.data, char.fg, char.bg, flags))
        rows.append(cells)
    return rows


def comparable(rows: list[list[tuple]]) -> list[list[tuple]]:
    """Blank cells compare by background only (we erase with the background colour alone,
    stock pyte copies every cursor attribute into erased cells)."""
    return [[(" ", cell[2]) if cell[0] == " " else cell for cell in row] for row in rows]


def assert_same_as_stock(data: bytes, columns: int, lines: int, chunk: int) -> None:
    stock = TmuxCorrectedScreen(columns, lines)
    for y in range(lines):  # every row present: pyte's DL keeps a line whose successor
        stock.buffer[y]     # was never written (0 ESC[M keeps the 0); ours does not
    pyte.ByteStream(stock).feed(data)
    emulator = Emulator(columns, lines)
    for start in range(0, len(data), chunk):
        emulator.feed(data[start:start + chunk])
    assert emulator.display() == [line.rstrip(" ") for line in stock.display]
    assert comparable(our_cells(emulator)) == comparable(stock_cells(stock))
    assert (emulator._screen.cursor.x, emulator._screen.cursor.y) == (stock.cursor.x, stock.cursor.y)


words = st.text(alphabet=st.characters(min_codepoint=0x20, max_codepoint=0x7E), max_size=45)
sgr_codes = st.one_of(
    st.sampled_from([0, 1, 3, 4, 5, 7, 9, 22, 23, 24, 25, 27, 29, 39, 49]).map(str),
    st.integers(30, 37).map(str), st.integers(40, 47).map(str),
    st.integers(90, 97).map(str), st.integers(100, 107).map(str),
    st.integers(16, 255).map(lambda n: f"38;5;{n}"), st.integers(16, 255).map(lambda n: f"48;5;{n}"),
    st.tuples(st.integers(0, 255), st.integers(0, 255), st.integers(0, 255)).map(
        lambda c: "38;2;%d;%d;%d" % c),
)
sgr = st.lists(sgr_codes, min_size=0, max_size=3).map(lambda codes: f"\x1b[{';'.join(codes)}m")
small = st.integers(0, 30)
moves = st.one_of(
    st.tuples(small, small).map(lambda p: f"\x1b[{p[0]};{p[1]}H"),
    st.tuples(st.sampled_from("ABCDGdLMP@X"), small).map(lambda p: f"\x1b[{p[1]}{p[0]}"),
    st.sampled_from(["J", "0J", "1J", "2J", "K", "0K", "1K", "2K"]).map(lambda e: f"\x1b[49m\x1b[{e}"),
    st.sampled_from(["\x1bD", "\x1bM"]),  # not NEL: stock pyte forgets its CR
)
# Stock pyte moves a cursor that is outside the scroll region into it on LF/CUU, so scroll
# regions are only compared between our own chunkings.
regions = st.tuples(st.integers(1, 5), st.integers(6, 12)).map(lambda m: f"\x1b[{m[0]};{m[1]}r")
controls = st.sampled_from(["\r\n", "\r\n", "\r\n", "\n", "\r", "\b", "\t"])
lines_block = st.lists(words, min_size=1, max_size=40).map(lambda ls: "".join(f"{l}\r\n" for l in ls))
pieces = st.one_of(words, words, controls, sgr, moves, lines_block)
streams = st.lists(pieces, max_size=60).map(lambda parts: "".join(parts).encode())
region_streams = st.lists(st.one_of(pieces, regions), max_size=60).map(
    lambda parts: "".join(parts).encode())
sizes = st.sampled_from([(10, 4), (20, 6), (80, 24), (7, 12)])


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=streams, size=sizes, chunk=st.sampled_from([1, 3, 64, 100000]))
def test_same_screen_as_stock_pyte(data: bytes, size: tuple[int, int], chunk: int) -> None:
    assert_same_as_stock(data, *size, chunk)


@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=region_streams, size=sizes, limit=st.sampled_from([0, 3, 50, 2000]))
def test_chunking_does_not_change_screen_or_history(data: bytes, size: tuple[int, int],
                                                    limit: int) -> None:
    whole = Emulator(*size, history_limit=limit)
    whole.feed(data)
    bytewise = Emulator(*size, history_limit=limit)
    for byte in data:
        bytewise.feed(bytes([byte]))
    assert whole.capture("-", escapes=True) == bytewise.capture("-", escapes=True)
    assert whole.capture("-", join_wrapped=True) == bytewise.capture("-", join_wrapped=True)
    assert whole.history_size == bytewise.history_size <= limit
    assert [whole.line_runs(y) for y in range(size[1])] == [bytewise.line_runs(y) for y in range(size[1])]


def test_flood_keeps_the_newest_lines_in_history() -> None:
    data = b"".join(b"%d\r\n" % n for n in range(1, 100001))
    emulator = Emulator(80, 24)
    for start in range(0, len(data), 4096):
        emulator.feed(data[start:start + 4096])
    assert emulator.display()[-2] == "100000"
    # tmux 3.3a: a full history drops its oldest tenth when the next line scrolls in
    assert emulator.history_size == 1977
    captured = emulator.capture("-")
    assert captured[0] == str(100000 - 1977 - 22)
    assert captured[-2:] == ["100000", ""]


@pytest.mark.parametrize("name", ["ls_color", "git_log", "top"])
@pytest.mark.parametrize("chunk", [1, 4096])
def test_fixtures_same_as_stock_pyte(name: str, chunk: int) -> None:
    assert_same_as_stock((FIXTURES / f"{name}.bin").read_bytes(), 80, 24, chunk)
