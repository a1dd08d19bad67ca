"""Screen operations of one pane (tmux's screen-write.c): :class:`PaneScreen`, a
``pyte.Screen`` subclass holding the cell grid, and the cells, rows, SGR and history
conversions it works with.

It keeps pyte's data model (``buffer[y][x]`` of cells, ``cursor``, ``margins``, ``mode``)
and reuses its cursor/line/character operations, but replaces what is slow or wrong in
0.8.2: drawing (ASCII fast path, wide characters wrap, zero-width characters join the
previous cell), ``index()`` (feeds the compact :class:`~.scrollback.Scrollback`, no
``HistoryScreen``), SGR (private/intermediate forms ignored, colon forms parsed, colours
stored directly as :mod:`.style` ints instead of pyte's colour names), the alternate screen
(47/1047/1049), DA/DSR replies, DEC line drawing in UTF-8 mode, erase with the background
colour only, resize that clamps the cursor and pushes rows to history like tmux.

Invariants:

* Cells are :class:`Cell` tuples ``(data, fg, bg, attrs)`` with :mod:`.style` values; a wide
  character occupies its cell plus a stub cell whose ``data`` is ``""``.
* Rows are :class:`_Row` dicts (missing cells are blank) carrying a ``wrapped`` flag set
  when autowrap continued the row on the next one; the flag travels into history.
* Only rows scrolled off the top of a full-screen scroll region of the main screen enter
  history; the alternate screen never writes history.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Callable, Iterable
from functools import lru_cache, partial
from itertools import chain, groupby, repeat
from operator import attrgetter, itemgetter
from typing import TYPE_CHECKING, Any, NamedTuple, cast

import pyte
from pyte import charsets, modes
from pyte.screens import Margins, wcwidth

from .scrollback import EMPTY_LINE, LINE_WEIGHT, HistoryLine, Scrollback, line_weight
from .style import (
    BG_PALETTE,
    BLINK,
    BOLD,
    CLEARED,
    DEFAULT,
    DIM,
    FG_PALETTE,
    HIDDEN,
    ITALIC,
    OVERLINE,
    REVERSE,
    STRIKE,
    TRUECOLOR,
    UNDERLINE,
    UNDERLINE_CURLY,
    UNDERLINE_DASHED,
    UNDERLINE_DOTTED,
    UNDERLINE_DOUBLE,
    UNDERLINE_STYLES,
    Run,
    rgb_components,
    with_underline_colour,
)

if TYPE_CHECKING:  # reflow (~6 ms of imports) loads with the first width change
    from .reflow_worker import HistoryReflow, Segment


class TerminalState(NamedTuple):
    """A snapshot of the modes and positions :meth:`Emulator.terminal_state` reports."""

    scroll_upper: int
    scroll_lower: int
    insert: bool
    origin: bool
    wrap: bool
    tab_stops: tuple[int, ...]
    cursor_character: str
    alternate_saved: tuple[int, int] | None
    """The main screen's saved cursor while the alternate screen is on."""


class Cell(NamedTuple):
    """One screen cell: its text (``""`` for a wide character's stub) and style."""

    data: str
    fg: int = DEFAULT
    bg: int = DEFAULT
    attrs: int = 0


BLANK = Cell(" ")
_DATA = itemgetter(0)
_STYLE = itemgetter(1, 2, 3)

_MAX_PARAM = 65535
_MAX_TITLE = 4096
_MAX_SELECTIONS = 8
_MAX_PENDING_SEQUENCE = 4096
_MAX_PENDING_STRING = 1 << 20

PRIMARY_DA_REPLY = "\x1b[?62;22c"
SECONDARY_DA_REPLY = "\x1b[>1;10;0c"

# DEC special graphics (``ESC ( 0``): only the characters it changes.
_DEC_GRAPHICS = {
    code: charsets.VT100_MAP[code]
    for code in range(0x5F, 0x7F)
    if charsets.VT100_MAP[code] != chr(code)
}
_DEC_GRAPHICS[0x5F] = " "


@lru_cache(maxsize=64)
def default_tabstops(columns: int) -> frozenset[int]:
    """Every 8th column, shared by every screen of that width until one sets or clears a
    stop (each set of its own cost about 1.5 KB a pane)."""
    return frozenset(range(8, columns, 8))


class _Row(dict[int, Cell]):
    """One screen row: column -> Cell, missing columns are blank.

    ``encoded`` may hold ``(cells, history_line)`` from when the row was built whole from
    column 0: the history encoding (or a :class:`StyledLine` that gives it), valid while
    the row still holds exactly those cells and is not wrapped.
    """

    wrapped = False
    encoded: tuple[list[Cell], HistoryLine | StyledLine] | None = None
    extent = 0
    """How many cells ``capture-pane -e`` reads even when they are trailing blanks: ICH,
    DCH and insert mode move cells, which makes tmux's grid use them (cellused); an erase
    of the whole line forgets it."""

    def __missing__(self, key: int) -> Cell:
        return BLANK


class _LazyRow(_Row):
    """A row written whole from column 0 whose cells are not built yet: a full-screen
    redraw (or a block of coloured lines) rewrites most rows before anything reads them,
    so their cells are built only if they are read. It holds no cells; ``pending`` says
    what they are: ``(glyphs, texts)`` (the cells are ``map(glyph, text)`` flattened),
    ``(start_style, StyledLine)`` for a line of a block (whose cells are those its text
    draws from that style, and whose encoding is that StyledLine), or ``(start_style,
    text)`` for a row a redraw wrote (the same as ``(start_style, StyledLine(start_style.cell,
    text))``, the StyledLine made only if the row is read or scrolls into history).
    ``width``: how many cells from column 0 that makes (no other cell is set).

    Any dict access (read or write) first builds the cells and turns the object into a
    plain :class:`_Row` (``__class__`` assignment: same layout), so the rest of the module
    never sees the difference; only attribute reads (``wrapped``, ``extent``,
    ``encoded``) and the fast paths that check ``type(row) is _LazyRow`` skip building.
    """

    pending: tuple[Any, Any]
    width: int

    def settle(self) -> None:
        """Build the cells: from now on this is a plain :class:`_Row`."""
        first, second = self.__dict__.pop("pending")
        del self.__dict__["width"]
        self.__class__ = _Row  # type: ignore[assignment]
        if type(second) is str:
            second = StyledLine(first.cell, second)
        if type(second) is StyledLine:
            cells = _styled_cells(first, second.text)
            dict.update(self, enumerate(cells))
            self.encoded = (cells, second)
        else:
            dict.update(self, enumerate(chain.from_iterable(map(map, first, second))))


def _settling(name: str) -> Callable[..., Any]:
    def method(self: _LazyRow, *args: Any, **kwargs: Any) -> Any:
        if type(self) is _LazyRow:  # (a bound method taken before may be called again)
            self.settle()
        return getattr(self, name)(*args, **kwargs)
    method.__name__ = name
    return method


for _name in ("__getitem__", "__setitem__", "__delitem__", "__contains__", "__iter__",
              "__reversed__", "__len__", "__eq__", "__ne__", "__repr__", "__or__", "__ior__",
              "__sizeof__", "__reduce__", "__reduce_ex__", "get", "keys", "values",
              "items", "update", "pop", "popitem", "setdefault", "copy", "clear"):
    setattr(_LazyRow, _name, _settling(_name))


def make_lazy(row: _Row, pending: tuple[Any, Any], width: int) -> None:
    """Turn ``row`` (holding no cell at ``width`` or beyond) into a :class:`_LazyRow` of
    ``width`` cells described by ``pending``, in place (attributes kept)."""
    if type(row) is _Row:
        dict.clear(row)
        row.__class__ = _LazyRow
    row.pending = pending  # type: ignore[attr-defined]
    row.width = width  # type: ignore[attr-defined]


def settled(row: Any) -> Any:
    """``row`` with its cells built if it was a :class:`_LazyRow`."""
    if type(row) is _LazyRow:
        row.settle()
    return row


def row_used(row: _Row) -> int:
    """tmux's cellused for a screen row: the cells ``capture-pane`` reads. Writing a cell
    and moving cells (``extent``) use them; erasing does not, nor does an erase with a
    colour (its cells are ``CLEARED``; an erase without one leaves no cell behind)."""
    used = row.extent
    if not row:
        return used
    last = max(row)
    if last < used:
        return used
    if not row[last].attrs & CLEARED:
        return last + 1  # (the usual case, decided in C: the rightmost cell is written)
    for x, cell in row.items():
        if x >= used and not cell.attrs & CLEARED:
            used = x + 1
    return used


class _Glyphs(dict[str, Cell]):
    """Cells of one style, by character: drawing shares them instead of building one per cell."""

    __slots__ = ("style",)

    def __init__(self, style: Cell) -> None:
        super().__init__()
        self.style = style

    def __missing__(self, char: str) -> Cell:
        cell = self.style._replace(data=char)
        self[char] = cell
        return cell


class _Style:
    """An interned cursor style: its cell template, the cells it draws by character, and
    the style each SGR parameter string leads to (so a run of ``SGR text`` pairs costs
    no tuple hashing). ``styles`` is the screen's table it is interned in (rows built
    later, see _LazyRow, intern the styles they reach there too)."""

    __slots__ = ("after", "cell", "glyph", "styles")

    def __init__(self, cell: Cell, styles: dict[Cell, _Style]) -> None:
        self.cell = cell
        self.glyph: Callable[[str], Cell] = _Glyphs(cell).__getitem__
        self.after: dict[str, _Style] = {}
        self.styles = styles


_MAX_STYLES = 1024
_MAX_TRANSITIONS = 256


def _style_node(styles: dict[Cell, _Style], cell: Cell) -> _Style:
    """The :class:`_Style` of ``cell`` interned in ``styles`` (a screen's)."""
    node = styles.get(cell)
    if node is None:
        if len(styles) > _MAX_STYLES:
            styles.clear()
        node = styles[cell] = _Style(cell, styles)
    return node


def _next_style(node: _Style, params: str) -> _Style:
    """The style after ``CSI params m`` from ``node`` (a miss of ``node.after``)."""
    after = node.after
    if len(after) > _MAX_TRANSITIONS:
        after.clear()
    target = after[params] = _style_node(node.styles, apply_sgr(node.cell, params))
    return target


def _ints(params: str) -> list[int]:
    """CSI parameters as ints (empty = 0, sub-parameters dropped, clamped)."""
    values = []
    for part in params.split(";"):
        head = part.split(":", 1)[0]
        values.append(min(int(head), _MAX_PARAM) if head.isdigit() else 0)
    return values


_CUP_TARGETS: dict[str, tuple[int, int]] = {}
"""CUP parameters -> the 0-based (y, x) they ask for, before clamping to the screen: a
redraw sends the same few dozen ``CSI row;1 H`` over and over (at most _MAX_CUP_TARGETS
kept, shared by every pane)."""
_MAX_CUP_TARGETS = 4096


def _cup_target(params: str) -> tuple[int, int]:
    """CUP's (y, x) from its parameters as tmux reads them (the first two; missing, 0 or
    malformed is 1), 0-based and not yet clamped; remembered in _CUP_TARGETS."""
    row, _, column = params.partition(";")
    column = column.partition(";")[0]
    y = int(row) if row.isdigit() else 1
    x = int(column) if column.isdigit() else 1
    target = (max(y, 1) - 1, max(x, 1) - 1)
    if len(params) <= 12:  # (a flood of long made-up ones is not kept)
        if len(_CUP_TARGETS) >= _MAX_CUP_TARGETS:
            _CUP_TARGETS.clear()
        _CUP_TARGETS[params] = target
    return target


def _first(params: str, default: int = 1) -> int:
    """First CSI parameter, ``default`` when absent or zero."""
    if not params:
        return default
    if params.isdigit():
        value = int(params)
    else:
        head = params.split(";", 1)[0].split(":", 1)[0]
        value = int(head) if head.isdigit() else 0
    return min(value, _MAX_PARAM) or default


def _cell_width(text: str) -> int:
    if text.isascii():
        return len(text)
    return sum(max(0, wcwidth(char)) for char in text)


def _colour_params(values: list[str], index: int, code: int) -> tuple[int | None, int]:
    """Parse ``5;n`` or ``2;r;g;b`` after a 38/48/58 at ``values[index]``, as tmux does.

    Returns the colour (``DEFAULT`` to reset it, None to leave it) and the index of the
    last consumed value. A missing or out-of-range palette index resets the fg/bg colour
    (and leaves the underline colour); a short or out-of-range RGB changes nothing and
    its values are read as ordinary SGR parameters.
    """
    if index + 1 >= len(values):
        return None, index
    kind = values[index + 1]
    if kind == "5":
        raw = values[index + 2] if index + 2 < len(values) else ""
        number = int(raw) if raw.isdigit() else -1
        consumed = min(index + 2, len(values) - 1)
        if 0 <= number < 256:
            return number, consumed
        return (DEFAULT if code != 58 else None), consumed
    if kind == "2" and index + 4 < len(values):
        components = values[index + 2:index + 5]
        if all(component.isdigit() for component in components):
            red, green, blue = map(int, components)
            if max(red, green, blue) <= 255:
                return TRUECOLOR | (red << 16) | (green << 8) | blue, index + 4
    return None, index + 1


def _colon_colour(parts: list[str]) -> int | None:
    """Parse a colon colour ``38:5:n``, ``38:2::r:g:b`` or ``38:2:r:g:b``."""
    if len(parts) >= 3 and parts[1] == "5":
        number = int(parts[2]) if parts[2].isdigit() else 256
        return number if number < 256 else None
    if parts[1:2] == ["2"]:
        components = parts[3:6] if len(parts) >= 6 else parts[2:5]
        if len(components) != 3 or not all(value.isdigit() for value in components):
            return None
        red, green, blue = map(int, components)
        if max(red, green, blue) > 255:
            return None
        return TRUECOLOR | (red << 16) | (green << 8) | blue
    return None


_SGR_SET = {1: BOLD, 2: DIM, 3: ITALIC, 5: BLINK, 6: BLINK, 7: REVERSE,
            8: HIDDEN, 9: STRIKE, 53: OVERLINE}
_SGR_CLEAR = {22: BOLD | DIM, 23: ITALIC, 24: UNDERLINE | UNDERLINE_STYLES, 25: BLINK,
              27: REVERSE, 28: HIDDEN, 29: STRIKE, 55: OVERLINE}
# 4:N underline styles (tmux: each replaces the others; 0 removes them all)
_UNDERLINE_STYLE = {"1": UNDERLINE, "2": UNDERLINE | UNDERLINE_DOUBLE,
                    "3": UNDERLINE | UNDERLINE_CURLY, "4": UNDERLINE | UNDERLINE_DOTTED,
                    "5": UNDERLINE | UNDERLINE_DASHED}


def _set_colour(code: int, colour: int, fg: int, bg: int, attrs: int, *, palette: bool
                ) -> tuple[int, int, int]:
    """Apply colour ``colour`` of SGR ``code`` (38, 48, 58); ``palette`` when it was
    chosen by index (``38;5;N``), which tmux writes back as such even below 16."""
    if code == 38:
        fg = colour
        attrs = attrs | FG_PALETTE if palette and 0 <= colour < 16 else attrs & ~FG_PALETTE
    elif code == 48:
        bg = colour
        attrs = attrs | BG_PALETTE if palette and 0 <= colour < 16 else attrs & ~BG_PALETTE
    else:
        attrs = with_underline_colour(attrs, colour)
    return fg, bg, attrs


def apply_sgr(style: Cell, params: str) -> Cell:
    """The cursor style after ``CSI params m`` (plain, no private marker), as tmux 3.3a
    reads it: malformed colon parameters are ignored whole."""
    if not params:
        return BLANK
    fg, bg, attrs = style.fg, style.bg, style.attrs
    values = params.split(";")
    index = 0
    count = len(values)
    while index < count:
        value = values[index]
        if ":" in value:
            parts = value.split(":")
            code = int(parts[0]) if parts[0].isdigit() else -1
            if code in (38, 48, 58):
                colour = _colon_colour(parts)
                if colour is not None:
                    fg, bg, attrs = _set_colour(code, colour, fg, bg, attrs,
                                                palette=parts[1] == "5")
            elif code == 4 and len(parts) == 2:
                if parts[1] == "0":
                    attrs &= ~(UNDERLINE | UNDERLINE_STYLES)
                elif parts[1] in _UNDERLINE_STYLE:
                    attrs = attrs & ~UNDERLINE_STYLES | _UNDERLINE_STYLE[parts[1]]
            index += 1
            continue
        code = int(value) if value.isdigit() else 0
        if code == 0:
            fg, bg, attrs = DEFAULT, DEFAULT, 0
        elif 30 <= code <= 37:
            fg, attrs = code - 30, attrs & ~FG_PALETTE
        elif 40 <= code <= 47:
            bg, attrs = code - 40, attrs & ~BG_PALETTE
        elif code == 39:
            fg, attrs = DEFAULT, attrs & ~FG_PALETTE
        elif code == 49:
            bg, attrs = DEFAULT, attrs & ~BG_PALETTE
        elif 90 <= code <= 97:
            fg, attrs = code - 82, attrs & ~FG_PALETTE
        elif 100 <= code <= 107:
            bg, attrs = code - 92, attrs & ~BG_PALETTE
        elif code in (38, 48, 58):
            kind = values[index + 1] if index + 1 < count else ""
            colour, index = _colour_params(values, index, code)
            if colour is not None:
                fg, bg, attrs = _set_colour(code, colour, fg, bg, attrs, palette=kind == "5")
        elif code == 4:
            attrs = attrs & ~UNDERLINE_STYLES | UNDERLINE
        elif code == 21:
            attrs = attrs & ~UNDERLINE_STYLES | UNDERLINE | UNDERLINE_DOUBLE
        elif code == 59:
            attrs = with_underline_colour(attrs, DEFAULT)
        elif code in _SGR_SET:
            attrs |= _SGR_SET[code]
        elif code in _SGR_CLEAR:
            attrs &= ~_SGR_CLEAR[code]
        index += 1
    return Cell(" ", fg, bg, attrs)


def sgr_sequence(fg: int, bg: int, attrs: int) -> str:
    """The SGR escape selecting exactly this style from any state (``CSI 0;...m``)."""
    codes = ["0"]
    for flag, code in ((BOLD, "1"), (DIM, "2"), (ITALIC, "3"), (UNDERLINE, "4"),
                       (BLINK, "5"), (REVERSE, "7"), (HIDDEN, "8"), (STRIKE, "9")):
        if attrs & flag:
            codes.append(code)
    for colour, base, bright, extended in ((fg, 30, 90, "38"), (bg, 40, 100, "48")):
        if colour == DEFAULT:
            continue
        if colour >= TRUECOLOR:
            red, green, blue = rgb_components(colour)
            codes.append(f"{extended};2;{red};{green};{blue}")
        elif colour < 8:
            codes.append(str(base + colour))
        elif colour < 16:
            codes.append(str(bright + colour - 8))
        else:
            codes.append(f"{extended};5;{colour}")
    return "\x1b[" + ";".join(codes) + "m"


_PLAIN_STYLE = (DEFAULT, DEFAULT, 0)


def _erase_span(row: _Row, span: range, cell: Cell) -> None:
    """Erase ``span`` of ``row`` to ``cell``: a blank leaves no cell behind, a coloured
    erase leaves ``CLEARED`` cells (neither is in use, see :func:`row_used`); the cells
    in use stay in use."""
    if cell is BLANK:
        if type(row) is _LazyRow and row.width <= span.start:
            return  # (no cell there: nothing to erase, nothing to build)
        present = list(filter(row.__contains__, span))
        if present:  # (erasing nothing leaves the row as it is: no extent to keep)
            row.extent = row_used(row)
            for x in present:
                del row[x]
    else:
        row.extent = row_used(row)
        row.update(dict.fromkeys(span, cell))


def cut_wide_left(row: _Row, x: int, *, ascii_run: bool = False) -> None:
    """A character written at ``x`` over a wide character's right half (its stub) clears
    that wide character, as tmux's screen_write_overwrite; but for an ``ascii_run`` (plain
    ASCII with autowrap, no insert mode or charset: what tmux collects) it stays in column
    0, as tmux's screen_write_collect_end leaves it there. Grid operations (erases, ICH,
    DCH) leave it too. ``row_runs(grid=True)`` (capture-pane) shows such a wide character
    whole, as tmux's grid has it; the screen shows a blank, as the terminal does."""
    if x == 1 and ascii_run:
        return
    if x > 0 and row.get(x, BLANK).data == "":
        left = row.get(x - 1)
        if left is not None and left.data and not left.data.isascii():
            del row[x - 1]


def cut_wide_right(row: _Row, x: int) -> None:
    """Stubs left at ``x`` on by a wide character just overwritten become blank cells
    (tmux's screen_write_overwrite and screen_write_collect_end)."""
    while row.get(x, BLANK).data == "":
        row[x] = BLANK
        x += 1


def grid_width(row: dict[int, Cell], cells: int) -> int:
    """How wide the first ``cells`` cells of ``row`` read with ``row_runs(grid=True)``: a
    wide character cut from its stub still counts two, a stub without its character
    none."""
    width = cells
    for x, cell in row.items():
        if x >= cells:
            continue
        data = cell.data
        if data == "":
            left = row.get(x - 1)
            if left is None or left.data.isascii():
                width -= 1
        elif not data.isascii() and wcwidth(data[0]) == 2 and row.get(x + 1, BLANK).data != "":
            width += 1
    return width


def row_runs(row: dict[int, Cell] | None, width: int, *, grid: bool = False) -> list[Run]:
    """A row as runs of equal style covering exactly ``width`` cells.

    A wide character's stub is not emitted; a wide character cut from its stub (or a stub
    cut from its character) shows as a blank, so the cell count always adds up. With
    ``grid`` (``capture-pane``), the row reads as tmux's grid does instead: a wide
    character cut from its stub by an erase, ICH or DCH is still there whole, and a stub
    whose character went is skipped.
    """
    if not row:
        return [(" " * width, DEFAULT, DEFAULT, 0)] if width else []
    cells = list(map(row.get, range(width), repeat(BLANK, width)))
    text = "".join(map(_DATA, cells))
    if len(text) == width and text.isascii():
        runs: list[Run] = []
        position = 0
        for key, group in groupby(cells, _STYLE):
            length = len(list(group))
            runs.append((text[position:position + length], *key))
            position += length
        return runs
    units: list[str] = []
    styles: list[tuple[int, int, int]] = []
    x = 0
    while x < width:
        cell = cells[x]
        data = cell.data
        if data == "" and grid:
            x += 1
            continue
        if data == "" or data.isascii():
            units.append(data or " ")
            # a stub whose character was overwritten: tmux put a default cell there
            styles.append(cell[1:] if data else _PLAIN_STYLE)
            x += 1
            continue
        if wcwidth(data[0]) == 2:
            if x + 1 < width and cells[x + 1].data == "":
                units.append(data)
                styles.append(cell[1:])
                x += 2
                continue
            if grid:
                units.append(data)
                styles.append(cell[1:])
                x += 1
                continue
            units.append(" ")
            if x + 1 < width:  # its stub was overwritten: a default cell in tmux
                styles.append(_PLAIN_STYLE)
                x += 1
                continue
        else:
            units.append(data)
        styles.append(cell[1:])
        x += 1
    runs = []
    position = 0
    for key, same in groupby(styles):
        length = len(list(same))
        runs.append(("".join(units[position:position + length]), *key))
        position += length
    return runs


class StyledLine:
    """A history line kept as it came, not yet encoded: one unwrapped line of printable
    ASCII and plain SGRs (``CSI digits;... m``) drawn from column 0 in ``style`` (a cursor
    style cell) and ended by CR LF. :meth:`encode` gives exactly ``history_line_from_row``
    of the row it drew; it reads nothing of the screen, so any thread may call it. A flood
    of coloured lines pushes these and most are trimmed from the scrollback's hot tail
    before anything reads them (see :mod:`.scrollback`), so they are never encoded."""

    __slots__ = ("style", "text")

    def __init__(self, style: Cell, text: str) -> None:
        self.style = style
        self.text = text

    def encode(self) -> HistoryLine:
        parts = _SGR_SPLIT.split(self.text)
        style = self.style
        runs: list[Run] = []
        previous = None
        if parts[0]:
            runs.append((parts[0], *style[1:]))
            previous = style
        for index in range(1, len(parts), 2):
            style = _sgr_after(style, parts[index])
            piece = parts[index + 1]
            if piece:
                if style == previous:
                    runs[-1] = (runs[-1][0] + piece, *runs[-1][1:])
                else:
                    runs.append((piece, *style[1:]))
                    previous = style
        return _strip_trailing_blanks(runs), False


_STYLED_LINE_WEIGHT = 120
"""Bytes a :class:`StyledLine` holds beyond its text's characters (object, str header,
the hot tail's reference)."""


def _styled_cells(node: _Style, text: str) -> list[Cell]:
    """The cells ``text`` (printable ASCII and plain SGRs) draws from style ``node``."""
    parts = _SGR_SPLIT.split(text)
    glyphs = [node.glyph]
    for params in parts[1::2]:
        node = node.after.get(params) or _next_style(node, params)
        glyphs.append(node.glyph)
    return list(chain.from_iterable(map(map, glyphs, parts[0::2])))


@lru_cache(maxsize=1024)
def _sgr_after(style: Cell, params: str) -> Cell:
    """``apply_sgr`` memoised for :meth:`StyledLine.encode` (lru_cache is thread-safe)."""
    return apply_sgr(style, params)


def _encoding_of(row: _Row) -> HistoryLine | StyledLine | None:
    """The history encoding ``row.encoded`` holds, if still valid for the row."""
    encoded = row.encoded
    if encoded is None:
        return None
    cells, line = encoded
    wrapped = line[1] if type(line) is tuple else False
    if (wrapped == row.wrapped and len(row) == len(cells)
            and list(row.values()) == cells and list(row) == list(range(len(cells)))):
        return line
    return None


def history_item(row: Any) -> Any:
    """What to push into the scrollback for a row leaving the screen: its
    :class:`StyledLine` when it still holds exactly what that drew (lighter than the row,
    and encoded only if ever read), else the row itself."""
    if type(row) is _LazyRow:
        start, pending = row.pending
        if not row.wrapped:  # (what the row would encode to, without building it)
            if type(pending) is StyledLine:
                return pending
            if type(pending) is str:
                return StyledLine(start.cell, pending)
        row.settle()
    if type(row) is _Row and row.encoded is not None:
        line = _encoding_of(row)
        if type(line) is StyledLine:
            return line
    return row


def row_text(row: dict[int, Cell] | None, width: int) -> str:
    """The text of ``row_runs(row, width)`` (the runs' texts joined), without grouping
    the styles when the row is plain ASCII. A :class:`_LazyRow` stays unbuilt: its text
    is its pending text without the SGRs (printable ASCII from column 0, nothing else
    set), so reading a flooding pane's screen as text (the attention watch, a few times
    a second) builds no row."""
    if type(row) is _LazyRow:
        first, second = row.pending
        if type(second) is list:
            text = "".join(second)
        else:
            text = _SGR_SPLIT.sub("", second if type(second) is str else second.text)
        return text[:width] if len(text) >= width else text + " " * (width - len(text))
    if not row:
        return " " * width
    text = "".join(map(_DATA, map(row.get, range(width), repeat(BLANK, width))))
    if len(text) == width and text.isascii():
        return text
    return "".join(run[0] for run in row_runs(row, width))


def history_line_from_row(item: Any) -> HistoryLine:
    """Encode a scrolled-off row (or a :class:`StyledLine`) for the scrollback
    (HistoryLines pass through)."""
    if type(item) is tuple:
        return item
    if type(item) is StyledLine:
        return item.encode()
    if not item:
        return (EMPTY_LINE[0], bool(item is not None and item.wrapped))
    if item.encoded is not None:
        line = _encoding_of(item)
        if type(line) is StyledLine:
            return line.encode()
        if line is not None:
            return cast(HistoryLine, line)
    runs = row_runs(item, max(item) + 1)
    if item.wrapped:
        return tuple(runs), True
    return _strip_trailing_blanks(runs), False


def _strip_trailing_blanks(runs: list[Run]) -> tuple[Run, ...]:
    """Runs without the trailing blanks of the default style (a history line's end)."""
    while runs:
        text, fg, bg, attrs = runs[-1]
        if fg != DEFAULT or bg != DEFAULT or attrs:
            break
        stripped = text.rstrip(" ")
        if stripped:
            runs[-1] = (stripped, fg, bg, attrs)
            break
        runs.pop()
    return tuple(runs)


def history_weight(row: _Row | StyledLine) -> int:
    """Approximate bytes held by a raw row (or :class:`StyledLine`) waiting in the
    scrollback's hot tail."""
    if type(row) is StyledLine:
        return _STYLED_LINE_WEIGHT + len(row.text)
    return 64 + 48 * len(cast(_Row, row))


_TEXT = attrgetter("text")


def _styled_lines_weight(lines: list[StyledLine]) -> int:
    """``history_weight`` summed over ``lines`` (one pass in C)."""
    return _STYLED_LINE_WEIGHT * len(lines) + sum(map(len, map(_TEXT, lines)))


def _pushed_weight(item: Any) -> int:
    """The scrollback weight of a raw row or an encoded line."""
    return line_weight(item) if type(item) is tuple else history_weight(item)


def _row_from_history(line: HistoryLine, columns: int) -> _Row:
    runs, wrapped = line
    row = _Row()
    x = 0
    for text, fg, bg, attrs in runs:
        style = Cell(" ", fg, bg, attrs)
        for char in text:
            width = wcwidth(char)
            if width <= 0 and x:  # a mark joins its character, the last column's too
                previous = row[min(x, columns) - 1]
                if not previous.data and x >= 2:  # the stub of a wide character
                    previous = row[min(x, columns) - 2]
                    row[min(x, columns) - 2] = previous._replace(data=previous.data + char)
                else:
                    row[min(x, columns) - 1] = previous._replace(data=previous.data + char)
                continue
            if x >= columns:
                break
            row[x] = style._replace(data=char)
            if width == 2 and x + 1 < columns:
                row[x + 1] = style._replace(data="")
                x += 1
            x += 1
    if wrapped:
        row.wrapped = True
    return row


LAZY_REFLOW_ROWS = 4096
"""History rows past which a width change re-wraps the older ones on a worker thread."""


class _SavedCursor(NamedTuple):
    x: int
    y: int
    attrs: Cell
    g0: dict[int, str] | None
    g1: dict[int, str] | None
    charset: int
    origin: bool
    wrap: bool


class PaneCursor:
    """The cursor: its position, the style new cells take and whether it is hidden (pyte's
    Cursor, with this module's :class:`Cell` as the style)."""

    __slots__ = ("attrs", "hidden", "x", "y")

    def __init__(self, x: int, y: int, attrs: Cell = BLANK) -> None:
        self.x = x
        self.y = y
        self.attrs = attrs
        self.hidden = False


class PaneScreen(pyte.Screen):
    """pyte's Screen with 0.8.2's bugs fixed, fast paths and a compact scrollback."""

    # the screen's own attributes in slots: 39 of them in the instance dict were ~1.6 KB
    # a pane (past 30 names CPython gives up the shared-key layout); pyte's base keeps a
    # __dict__ for anything else
    __slots__ = ("_blank", "_history", "_reply", "_rewrapping", "_style", "_styles",
                 "alternate_cursor", "app_cursor_keys", "app_keypad", "bells",
                 "bracketed_paste", "buffer", "charset", "columns", "cursor",
                 "cursor_shape", "dirty", "focus_asked", "focus_events", "g0_charset",
                 "g1_charset", "icon_name", "last_char", "lines", "main_screen",
                 "main_size", "margins", "mode", "mouse_mode", "mouse_sgr", "rename",
                 "reverse_video", "saved_columns", "saved_cursor", "savepoints",
                 "scrolled", "selections", "tabstops", "title", "translate")

    # pyte types these for its own rows, cells and charsets; this screen keeps rows that
    # know their wrap and extent (_Row), integer-coded cells (Cell), and charsets as maps
    buffer: defaultdict[int, _Row]  # type: ignore[assignment]
    cursor: PaneCursor  # type: ignore[assignment]
    default_char: Cell = BLANK  # type: ignore[assignment]
    g0_charset: dict[int, str] | None  # type: ignore[assignment]
    g1_charset: dict[int, str] | None  # type: ignore[assignment]
    tabstops: set[int] | frozenset[int]  # type: ignore[assignment]

    def __init__(self, columns: int, lines: int, *, history_limit: int = 2000,
                 reply: Callable[[str], None] | None = None) -> None:
        self.columns = max(1, columns)
        self.lines = max(1, lines)
        self.savepoints = []
        self.buffer = defaultdict(_Row)
        self.dirty: set[int] = set()
        self._history = Scrollback(history_limit, encode=history_line_from_row,
                                   weigh=history_weight)
        self._rewrapping: HistoryReflow | None = None
        """The older history rows being re-wrapped on a worker thread since the last width
        change; they come before ``_history`` (see :attr:`history`)."""
        self._reply = reply
        self._styles: dict[Cell, _Style] = {}
        self.main_size = (self.columns, self.lines)
        self.main_screen: tuple[defaultdict[int, _Row], _SavedCursor | None] | None = None
        # the cursor ?1049h saved (tmux's saved_cx/cy/cell): kept after ?1049l and RIS, and
        # restored by every later ?1049l, in the alternate screen or not
        self.alternate_cursor: _SavedCursor | None = None
        # history rows that scrolled off (tmux's hscrolled): growing the screen takes
        # them back; rows a clear pushed into history stay there
        self.scrolled = 0
        self.bells = 0
        """BEL characters received outside strings (an OSC's terminating BEL is not one)."""
        self.rename: str | None = None
        """The window name the last rename string asked for, until the server takes it."""
        self.focus_asked = False
        """``?1004h`` was set since the server last looked (tmux then reports the focus at
        once if the pane has it)."""
        self.selections: list[str] = []
        """OSC 52 bodies (``c;BASE64``) the child sent, until the server takes them (the
        newest few)."""
        self.reset()
        # a new screen has nothing a client saw before (attaching sends whole screens):
        # an idle pane keeps no set of all its rows
        self.dirty.clear()

    def ring(self) -> None:
        """BEL: count it (the server's alerts read :attr:`bells`)."""
        self.bells += 1

    # -- state ----------------------------------------------------------------------------

    def reset(self) -> None:
        """Full reset (RIS): screen, modes, charsets, alternate screen; history is kept."""
        self.dirty.update(range(self.lines))
        if hasattr(self, "cursor"):
            self.scroll_screen_into_history()
        self.buffer.clear()  # the alternate screen, if in it: tmux's RIS does not leave it
        self.margins = None
        self.mode = {modes.DECAWM, modes.DECTCEM}
        self.title = ""
        self.icon_name = ""
        self.charset = 0
        self.g0_charset: dict[int, str] | None = None
        self.g1_charset: dict[int, str] | None = None
        self.translate: dict[int, str] | None = None
        self.tabstops = default_tabstops(self.columns)
        self.cursor = PaneCursor(0, 0, BLANK)
        self.saved_cursor: _SavedCursor | None = None
        self.saved_columns = None
        self.app_cursor_keys = False
        self.app_keypad = False
        self.bracketed_paste = False
        self.mouse_mode = 0
        self.mouse_sgr = False
        self.focus_events = False
        self.reverse_video = False
        self.cursor_shape = 0
        self.last_char = ""
        self._style = self._blank = self.style_node(BLANK)

    def reply(self, text: str) -> None:
        if self._reply is not None:
            self._reply(text)

    def set_tab_stop(self) -> None:
        """HTS: a tab stop at the cursor (the shared default stops are copied first)."""
        self.tabstops = {*self.tabstops, self.cursor.x}

    def clear_tab_stop(self, how: int = 0) -> None:
        """TBC: clear the stop at the cursor (0) or every stop (3)."""
        if how == 0:
            self.tabstops = set(self.tabstops) - {self.cursor.x}
        elif how == 3:
            self.tabstops = set()

    def style_node(self, cell: Cell) -> _Style:
        """The interned :class:`_Style` of a cursor style."""
        return _style_node(self._styles, cell)

    def next_style(self, node: _Style, params: str) -> _Style:
        """The style after ``CSI params m`` from ``node`` (a miss of ``node.after``)."""
        return _next_style(node, params)

    def current_style(self) -> _Style:
        node = self._style
        if node.cell is not self.cursor.attrs:
            node = self._style = self.style_node(self.cursor.attrs)
        return node

    def blank_row(self) -> _Row:
        return _Row()

    def erase_cell(self) -> Cell:
        """Erased cells take the current background colour only (like xterm and tmux)."""
        bg = self.cursor.attrs.bg
        return BLANK if bg == DEFAULT else Cell(" ", DEFAULT, bg, CLEARED)

    def mark_all_dirty(self) -> None:
        self.dirty.update(range(self.lines))

    # -- drawing --------------------------------------------------------------------------

    def draw(self, data: str) -> None:
        """Draw printable text at the cursor (no control characters in ``data``)."""
        if self.translate is not None:
            data = data.translate(self.translate)
        if not data:
            return
        cursor = self.cursor
        node = self._style
        if node.cell is not cursor.attrs:
            node = self.current_style()
        glyph = node.glyph
        mode = self.mode
        if not data.isascii() or modes.IRM in mode:
            self._draw_general(data, glyph)
            return
        x = cursor.x
        end = x + len(data)
        columns = self.columns
        if end <= columns and (columns > 1 or modes.DECAWM in mode):
            row = self.buffer[cursor.y]
            cut_wide_left(row, x, ascii_run=modes.DECAWM in mode and self.translate is None)
            row.update(enumerate(map(glyph, data), x))
            cut_wide_right(row, end)
            # without autowrap the cursor stays on the last column (no pending wrap)
            cursor.x = end if end < columns or modes.DECAWM in mode else columns - 1
            self.dirty.add(cursor.y)
            self.last_char = data[-1]
            return
        if modes.DECAWM not in mode:
            self._draw_general(data, glyph)
            return
        self._put_wrapping(list(map(glyph, data)))

    def _wrap_linefeed(self) -> None:
        """The line feed of an autowrap: a line it scrolls in is blank in the default
        colours, whatever the current background (tmux's screen_write_cell feeds the line
        with bg 8; an explicit LF brings the line in under the background)."""
        cursor = self.cursor
        attrs, cursor.attrs = cursor.attrs, BLANK
        try:
            self.linefeed()
        finally:
            cursor.attrs = attrs

    def _put_wrapping(self, cells: list[Cell]) -> None:
        """Write single-width cells at the cursor, autowrap on, insert mode off."""
        cursor = self.cursor
        buffer = self.buffer
        dirty = self.dirty
        columns = self.columns
        x = cursor.x
        length = len(cells)
        position = 0
        if x < columns:
            cut_wide_left(buffer[cursor.y], x, ascii_run=self.translate is None
                          and cells[0].data.isascii())
        while True:
            if x >= columns:
                buffer[cursor.y].wrapped = True
                dirty.add(cursor.y)
                cursor.x = 0
                self._wrap_linefeed()
                x = 0
            end = min(length, position + columns - x)
            buffer[cursor.y].update(enumerate(cells[position:end], x))
            x += end - position
            cut_wide_right(buffer[cursor.y], x)
            position = end
            if position >= length:
                break
        cursor.x = x
        dirty.add(cursor.y)
        self.last_char = cells[-1].data

    def _draw_general(self, data: str, glyph: Callable[[str], Cell]) -> None:
        cursor = self.cursor
        buffer = self.buffer
        columns = self.columns
        mode = self.mode
        autowrap = modes.DECAWM in mode
        insert = modes.IRM in mode
        ascii_run = autowrap and not insert and self.translate is None
        for char in data:
            width = wcwidth(char)
            if width < 0:
                continue
            if width == 0:
                self._join_previous(char)
                continue
            if width > columns:
                # tmux (screen_write_cell): a wide character in a 1-column pane never
                # wraps; with autowrap it fills the column (or nothing, from the pending
                # wrap) and the cursor comes back to column 0; without it, it is dropped
                if autowrap:
                    if cursor.x >= columns:
                        # (tmux writes it past the edge, out of sight: the row's cells
                        # are in use from then on)
                        row = buffer[cursor.y]
                        row.extent = max(row.extent, columns)
                    else:
                        if insert:
                            self.insert_characters(width, default_background=True)
                        buffer[cursor.y][cursor.x] = glyph(char)
                    cursor.x = columns - 1  # x + 2 is past the edge: set_cursor clamps
                    self.dirty.add(cursor.y)
                self.last_char = ""
                continue
            if cursor.x + width > columns and not autowrap:
                # tmux drops a wide character that does not fit, and any character
                # at x = columns (only a 1-column pane without autowrap gets there)
                if width > 1 or cursor.x >= columns:
                    self.last_char = ""  # nothing printed: REP has nothing to repeat
                    continue
                cursor.x = columns - width
            if insert:
                # (before an autowrap, on the row being left, as tmux's screen_write_cell:
                # the first character on the next row overwrites; the cells come in in
                # the default colours)
                self.insert_characters(width, default_background=True)
            if cursor.x + width > columns and autowrap:
                buffer[cursor.y].wrapped = True
                self.dirty.add(cursor.y)
                cursor.x = 0
                self._wrap_linefeed()
            row = buffer[cursor.y]
            cut_wide_left(row, cursor.x, ascii_run=ascii_run and width == 1 and char < "\x7f")
            old = row.get(cursor.x, BLANK).data
            cell = glyph(char)
            row[cursor.x] = cell
            if width == 2:
                row[cursor.x + 1] = cell._replace(data="")
            if width != 1 or old == "" or not old.isascii():
                # (tmux's screen_write_overwrite: the stubs after a wide character
                # overwritten, or after a wide one written; not those an insert moved)
                cut_wide_right(row, cursor.x + width)
            cursor.x += width
            if not autowrap and cursor.x > columns - 1 and columns - 1 - width >= 0:
                # tmux keeps the cursor on the last column; its unsigned arithmetic lets
                # a pane narrower than the character plus one reach x = columns
                cursor.x = columns - 1
            self.last_char = char if width == 1 and char.isascii() else ""
        self.dirty.add(cursor.y)

    def _join_previous(self, char: str) -> None:
        """A zero-width character (combining mark, joiner, selector) joins the cell left of
        the cursor; at column 0 it is dropped (tmux's screen_write_combine)."""
        cursor = self.cursor
        x, y = min(cursor.x, self.columns), cursor.y
        self.last_char = ""  # REP repeats only a plain ASCII character
        if x == 0:
            return
        row, x = self.buffer[y], x - 1
        if row[x].data == "" and x > 0:
            x -= 1
        cell = row[x]
        # (the cell is set: an erased one is in use from now on, as in tmux)
        row[x] = cell._replace(data=cell.data + char, attrs=cell.attrs & ~CLEARED)
        self.dirty.add(y)

    def repeat_last(self, count: int) -> None:
        """REP: repeat an ASCII character printed immediately before (any other sequence,
        REP included, forgets it), never past the end of the line (tmux)."""
        room = self.columns - self.cursor.x
        if self.last_char and room > 0:
            self.draw(self.last_char * min(count, room))
        self.last_char = ""

    def bulk_lines_allowed(self) -> bool:
        mode = self.mode
        return (self.margins is None and self.translate is None
                and modes.DECAWM in mode and modes.IRM not in mode)

    def draw_plain_lines(self, texts: list[str], *, trailing_blanks: bool = True) -> None:
        """Draw printable-ASCII lines each followed by CR LF, exactly as one by one would.

        Only the rows that end up visible or within the history limit are built: a flood
        of thousands of lines costs little more than its last screenful.
        ``trailing_blanks=False`` promises that no line ends with a space.
        """
        cursor = self.cursor
        if cursor.x != 0 or cursor.attrs.bg != DEFAULT:
            # (a coloured background fills each line the LF brings in: one by one)
            if texts[0]:
                self.draw(texts[0])
            cursor.x = 0
            self.linefeed()
            texts = texts[1:]
            if not texts:
                return
            if cursor.attrs.bg != DEFAULT:
                self.draw_plain_lines(texts, trailing_blanks=trailing_blanks)
                return
        columns = self.columns
        if max(map(len, texts)) <= columns:
            pieces = texts
            wraps: list[bool] | None = None
        else:
            pieces = []
            wraps = []
            for text in texts:
                if len(text) <= columns:
                    pieces.append(text)
                    wraps.append(False)
                    continue
                for start in range(0, len(text), columns):
                    pieces.append(text[start:start + columns])
                    wraps.append(start + columns < len(text))
        node = self.current_style()
        get_glyph = node.glyph
        fg, bg, attrs = node.cell.fg, node.cell.bg, node.cell.attrs

        def cells(index: int) -> Iterable[Cell]:
            return map(get_glyph, pieces[index])

        # only default-style rows lose trailing blanks in history
        strip = trailing_blanks and fg == DEFAULT and bg == DEFAULT and not attrs

        def history_lines(start: int, stop: int) -> list[HistoryLine]:
            """Exactly ``history_line_from_row`` of the rows the pieces make."""
            chunk = pieces[start:stop]
            if strip:
                chunk = [piece.rstrip(" ") for piece in chunk]
            if wraps is None:
                return [(((piece, fg, bg, attrs),), False) if piece else EMPTY_LINE
                        for piece in chunk]
            return [(((pieces[index], fg, bg, attrs),), True) if wraps[index]
                    else (((piece, fg, bg, attrs),), False) if piece else EMPTY_LINE
                    for index, piece in zip(range(start, stop), chunk)]

        last_char = next((piece[-1] for piece in reversed(pieces) if piece), self.last_char)
        self._draw_line_block(len(pieces), cells, history_lines, wraps, keep_encodings=False,
                              encoded_weight=LINE_WEIGHT)
        self.last_char = last_char

    def draw_styled(self, segment: str) -> None:
        """Draw printable ASCII interleaved with plain SGR sequences (``CSI digits;... m``).

        Exactly ``sgr``/``draw`` part by part, but (without charset or insert mode) the
        cells of all parts are built at once and written like one ``draw``.
        """
        if self.cursor.x == 0 and self.draw_reset_row(segment):
            return
        self.draw_styled_rest(segment)

    def draw_styled_rest(self, segment: str) -> None:
        """:meth:`draw_styled` but its first case, :meth:`draw_reset_row` (tried already)."""
        parts = _SGR_SPLIT.split(segment)
        if self.translate is not None or modes.IRM in self.mode:
            self._draw_styled_parts(parts)
            return
        node = self.current_style()
        glyphs = [node.glyph]
        add_glyph = glyphs.append
        for params in parts[1::2]:
            node = node.after.get(params) or self.next_style(node, params)
            add_glyph(node.glyph)
        texts = parts[0::2]
        cursor = self.cursor
        x = cursor.x
        end = x + sum(map(len, texts))
        if x == 0 and 0 < end <= self.columns and self.columns > 1:
            # a row rewritten from column 0 (full-screen redraws): if nothing stays of
            # what it held, its cells are built only when read (_LazyRow)
            row = self.buffer[cursor.y]
            if (row.width <= end if type(row) is _LazyRow
                    else not row or max(row) < end):
                make_lazy(row, (glyphs, texts), end)
                self._style = node
                cursor.attrs = node.cell
                cursor.x = end if end < self.columns or modes.DECAWM in self.mode else end - 1
                self.dirty.add(cursor.y)
                self.last_char = parts[-1][-1] if parts[-1] else ""
                return
        # each text part mapped through its style's glyphs, flattened in C
        cells = list(chain.from_iterable(map(map, glyphs, texts)))
        if end > self.columns or (self.columns == 1 and modes.DECAWM not in self.mode):
            # (a 1-column pane without autowrap: the cursor goes to x = 1, see _draw_general)
            if modes.DECAWM not in self.mode:
                self._draw_styled_parts(parts)
                return
            self._style = node
            cursor.attrs = node.cell
            self._put_wrapping(cells)
            if not parts[-1]:
                self.last_char = ""
            return
        self._style = node
        cursor.attrs = node.cell
        if cells:
            row = self.buffer[cursor.y]
            cut_wide_left(row, x, ascii_run=modes.DECAWM in self.mode)
            row.update(enumerate(cells, x))
            cut_wide_right(row, end)
            cursor.x = end if end < self.columns or modes.DECAWM in self.mode else end - 1
            self.dirty.add(cursor.y)
        self.last_char = cells[-1].data if parts[-1] else ""

    def draw_reset_row(self, segment: str) -> bool:
        """:meth:`draw_styled` from column 0 of a segment whose last SGR resets the style
        (``CSI m``, ``CSI 0 m``, ``CSI 0;... m``: a full-screen redraw's rows end so),
        when nothing of the row stays beyond it: the row becomes a :class:`_LazyRow` of
        the segment and the style it starts in, and the SGRs before the last are not even
        read (the style after the segment does not depend on them). Returns False, having
        done nothing, in any other case.

        The segment (printable ASCII and plain SGRs) splits at ``CSI`` into its first text
        and ``params m text`` parts: the cells are the characters but the SGRs' own. (str
        methods: a regex split costs ~25k instructions for a 300-character row, this ~20k
        less the per-SGR work draw_styled does in Python.)"""
        columns = self.columns
        if self.translate is not None or columns == 1:
            return False
        parts = segment.split("\x1b[")
        if len(parts) == 1:
            return False
        last = parts[-1]
        close = last.index("m")
        if close and last[0] != ";" and last[:2] != "0;" and last[:close] != "0":
            return False  # (not a reset: the style after it depends on those before)
        mode = self.mode
        if modes.IRM in mode:
            return False
        del parts[0]
        end = len(segment) - 3 * len(parts) - sum(map(str.index, parts, repeat("m")))
        if not 0 < end <= columns:
            return False
        cursor = self.cursor
        row = self.buffer[cursor.y]
        if not (row.width <= end if type(row) is _LazyRow else not row or max(row) < end):
            return False
        node = self._style
        if node.cell is not cursor.attrs:
            node = self.current_style()
        make_lazy(row, (node, segment), end)
        if close:
            params = last[:close]
            blank = self._blank
            node = blank.after.get(params) or self.next_style(blank, params)
        else:
            node = self._blank
        self._style = node
        cursor.attrs = node.cell
        cursor.x = end if end < columns or modes.DECAWM in mode else end - 1
        self.dirty.add(cursor.y)
        self.last_char = last[-1] if close + 1 < len(last) else ""
        return True

    def _draw_styled_parts(self, parts: list[str]) -> None:
        """``_SGR_SPLIT`` parts (text, params, text, ...) through ``draw`` and ``sgr``, as
        the tokens one by one (an SGR forgets REP's character)."""
        if parts[0]:
            self.draw(parts[0])
        for index in range(1, len(parts), 2):
            self.sgr(parts[index])
            self.last_char = ""
            if parts[index + 1]:
                self.draw(parts[index + 1])

    def draw_styled_lines(self, texts: list[str]) -> None:
        """Draw lines of printable ASCII and plain SGRs, each followed by CR LF.

        Like :meth:`draw_plain_lines`: a line wider than the screen wraps into several
        rows; only the rows that stay visible are built as cells. A line that fits a row
        goes into history as a :class:`StyledLine` (its text and starting style, encoded
        only if read), a wrapping one as runs from its text and styles.
        """
        cursor = self.cursor
        if cursor.x != 0 or not self.bulk_lines_allowed():
            self.draw_styled(texts[0])
            cursor.x = 0
            self.linefeed()
            texts = texts[1:]
            if not texts or not self.bulk_lines_allowed():
                for text in texts:
                    self.draw_styled(text)
                    cursor.x = 0
                    self.linefeed()
                return
        columns = self.columns
        node = self.current_style()
        split = _SGR_SPLIT.split
        find_params = _SGR_SPLIT.findall
        next_style = self.next_style
        lines: list[StyledLine | list[tuple[str, _Style]]] = []
        starts: list[_Style] = []
        """The style node each line starts in (for the cells of the visible ones)."""
        wraps: list[bool] = []
        wrapping = False
        for text in texts:
            start = node
            params = find_params(text)
            for sgr in params:
                node = node.after.get(sgr) or next_style(node, sgr)
            # (its cells are its characters but the SGRs': fewer than len(text))
            if (len(text) <= columns
                    or len(text) - sum(map(len, params)) - 3 * len(params) <= columns):
                if node.cell.bg != DEFAULT:
                    # a coloured background at a CR LF fills the line it brings in (tmux's
                    # grid_empty_line): drawn one by one, from the style they started in
                    self._draw_styled_one_by_one(texts)
                    return
                lines.append(StyledLine(start.cell, text))
                starts.append(start)
                wraps.append(False)
                continue
            parts = split(text)
            segments: list[tuple[str, _Style]] = []
            segment_node = start
            if parts[0]:
                segments.append((parts[0], segment_node))
            for index in range(1, len(parts), 2):
                segment_node = (segment_node.after.get(parts[index])
                                or next_style(segment_node, parts[index]))
                if parts[index + 1]:
                    segments.append((parts[index + 1], segment_node))
            if any(piece_node.cell.bg != DEFAULT for _, piece_node in segments) \
                    or node.cell.bg != DEFAULT:
                # (likewise where the line wraps)
                self._draw_styled_one_by_one(texts)
                return
            wrapping = True
            row: list[tuple[str, _Style]] = []
            used = 0
            for piece, piece_node in segments:
                while piece:
                    if used == columns:
                        lines.append(row)
                        starts.append(start)
                        wraps.append(True)
                        row = []
                        used = 0
                    taken = piece[:columns - used]
                    row.append((taken, piece_node))
                    used += len(taken)
                    piece = piece[len(taken):]
            lines.append(row)
            starts.append(start)
            wraps.append(False)

        def cells(index: int) -> list[Cell]:
            line = lines[index]
            if type(line) is StyledLine:
                parts = split(line.text)
                line_node = starts[index]
                glyphs = [line_node.glyph]
                for sgr in parts[1::2]:
                    line_node = line_node.after.get(sgr) or next_style(line_node, sgr)
                    glyphs.append(line_node.glyph)
                return list(chain.from_iterable(map(map, glyphs, parts[0::2])))
            row: list[Cell] = []
            for piece, piece_node in cast(list[tuple[str, _Style]], line):
                row.extend(map(piece_node.glyph, piece))
            return row

        def history_line(index: int) -> HistoryLine | StyledLine:
            """The line's history item: its StyledLine, or for a piece of a wrapping
            line exactly ``history_line_from_row`` of the row its segments make."""
            line = lines[index]
            if type(line) is StyledLine:
                return line
            runs: list[Run] = []
            previous = None
            for piece, piece_node in cast(list[tuple[str, _Style]], line):
                style = piece_node.cell
                if style == previous:
                    runs[-1] = (runs[-1][0] + piece, *runs[-1][1:])
                else:
                    runs.append((piece, *style[1:]))
                    previous = style
            if wraps[index]:
                return tuple(runs), True
            return _strip_trailing_blanks(runs), False

        def history_lines(start: int, stop: int) -> list[Any]:
            if not wrapping:
                return lines[start:stop]
            return list(map(history_line, range(start, stop)))

        def lazy(index: int) -> tuple[tuple[Any, Any], int] | None:
            line = lines[index]
            if type(line) is not StyledLine:
                return None  # (a piece of a wrapping line)
            params = find_params(line.text)
            width = len(line.text) - sum(map(len, params)) - 3 * len(params)
            return ((starts[index], line), width) if width else None

        self._draw_line_block(len(lines), cells, history_lines, wraps if wrapping else None,
                              keep_encodings=True,
                              encoded_weight=None if wrapping else _styled_lines_weight,
                              lazy=lazy)
        self._style = node
        cursor.attrs = node.cell
        last = next((text for text in reversed(_SGR_SPLIT.split(texts[-1])[0::2]) if text),
                    None)
        if last is None:
            last = next((piece for text in reversed(texts[:-1])
                         for piece in reversed(_SGR_SPLIT.split(text)[0::2]) if piece), "")
        if last:
            self.last_char = last[-1]

    def _draw_styled_one_by_one(self, texts: list[str]) -> None:
        for text in texts:
            self.draw_styled(text)
            self.cursor.x = 0
            self.linefeed()

    def _draw_line_block(self, count: int, cells: Callable[[int], Iterable[Cell]],
                         history_lines: Callable[[int, int], list[Any]],
                         wraps: list[bool] | None, *, keep_encodings: bool,
                         encoded_weight: int | Callable[[list[Any]], int] | None,
                         lazy: Callable[[int], tuple[tuple[Any, Any], int] | None] | None = None
                         ) -> None:
        """Draw ``count`` lines from column 0, each followed by CR LF, like one by one.

        ``cells(i)`` gives line ``i``'s cells (at most a row; a list with
        ``keep_encodings``), ``history_lines(i, j)`` the
        history encoding of lines ``i`` to ``j - 1``, exactly as ``history_line_from_row``
        would give it for their rows; only the rows that stay visible or in history are
        built. With ``keep_encodings`` a new visible row keeps its encoding for when it
        scrolls off (worth it for multi-style rows, whose ``row_runs`` is costly).
        ``encoded_weight``: the scrollback weight of every encoded line, when uniform,
        or a function giving the weight of a list of them.
        ``lazy(i)``: the ``(pending, width)`` of a :class:`_LazyRow` for line ``i`` if it
        ends up visible in a new row (None: build its cells), for lines that fit a row
        whose encoding is the :class:`StyledLine` ``pending`` holds.
        """
        cursor = self.cursor
        lines = self.lines
        bottom = lines - 1
        first_y = cursor.y
        buffer = self.buffer
        for index in range(min(count, lines - first_y)):
            row = buffer[first_y + index]
            line_cells = list(cells(index))
            row.update(enumerate(line_cells))
            cut_wide_right(row, len(line_cells))
            if wraps is not None and wraps[index]:
                row.wrapped = True
        scrolls = max(0, first_y + count - bottom)
        if not scrolls:
            cursor.y = first_y + count
            self.dirty.update(range(first_y, cursor.y + 1))
            return
        history = self.history
        if self.main_screen is None and history.limit:
            start = scrolls - min(scrolls, history.collected_size(scrolls))
            leaving: list[Any] = [history_item(buffer.get(v, EMPTY_LINE))
                                  for v in range(start, min(scrolls, lines))]
            if keep_encodings:
                # a row left half-drawn by the last feed weighs as much as ~20 lazy
                # lines: encoded now, it does not push them into compression
                leaving = [history_line_from_row(item) if type(item) is _Row else item
                           for item in leaving]
            first_piece = max(start, lines) - first_y
            encoded = (history_lines(first_piece, scrolls - first_y)
                       if first_piece < scrolls - first_y else [])
            self.scrolled += scrolls
            if encoded_weight is None:
                history.extend(leaving + encoded, count=scrolls)
            else:
                weight = sum(map(_pushed_weight, leaving)) + (
                    encoded_weight * len(encoded) if type(encoded_weight) is int
                    else cast(Callable[[list[Any]], int], encoded_weight)(encoded))
                history.extend(leaving + encoded, count=scrolls, weight=weight)
        visible: dict[int, _Row] = {}
        first_new = max(lines, scrolls) - first_y
        encodings = history_lines(first_new, count) if keep_encodings else None
        for new_y in range(lines):
            virtual = scrolls + new_y
            if virtual < lines:
                kept = buffer.get(virtual)
                if kept is not None:
                    visible[new_y] = kept
                continue
            index = virtual - first_y
            if index < count:
                pending = lazy(index) if lazy is not None else None
                if pending is not None and (wraps is None or not wraps[index]):
                    row = _LazyRow()
                    make_lazy(row, *pending)
                    visible[new_y] = row
                    continue
                row_cells = cells(index)
                row = _Row(enumerate(row_cells))
                if wraps is not None and wraps[index]:
                    row.wrapped = True
                if encodings is not None and row:
                    # (with keep_encodings, ``cells`` gives lists)
                    row.encoded = (cast(list[Cell], row_cells), encodings[index - first_new])
                visible[new_y] = row
        buffer.clear()
        buffer.update(visible)
        cursor.y = bottom
        self.mark_all_dirty()

    # -- scrolling ------------------------------------------------------------------------

    def index(self) -> None:
        """Cursor down; at the bottom margin scroll up, feeding history when that applies."""
        cursor = self.cursor
        margins = self.margins
        if margins is None:
            top, bottom = 0, self.lines - 1
        else:
            top, bottom = margins
        if cursor.y != bottom:
            if cursor.y < self.lines - 1:
                cursor.y += 1
            return
        buffer = self.buffer
        without_history = self.main_screen is not None or not self.history.limit
        if without_history and top > 0:
            self._unwrap(top - 1)  # (tmux's grid_move_lines; not through the history)
        leaving = buffer.pop(top, None)
        if self.main_screen is None:
            # any region's top row goes into the history, as tmux's
            # grid_scroll_history_region puts it
            self.history.append(history_item(leaving) if leaving is not None else EMPTY_LINE)
            self.scrolled += 1
        if bottom > top:
            buffer.update(zip(range(top, bottom), map(buffer.__getitem__, range(top + 1, bottom + 1))))
        self._new_line(bottom)
        if without_history and bottom - top == 1:
            self._unwrap(top)  # (grid_move_lines: above the line it moved from)
        dirty = self.dirty
        if len(dirty) < bottom - top + 1:
            dirty.update(range(top, bottom + 1))

    def delete_lines(self, count: int | None = None) -> None:
        """DL: delete ``count`` lines at the cursor inside the scroll region; the lines
        below move up and blank lines come in at the bottom margin. pyte's version copies
        a line up only when the buffer holds it and otherwise leaves the old line in place,
        so on this sparse buffer (blank lines are absent) ``0 ESC[M`` kept the ``0``."""
        count = count or 1
        top, bottom = self.margins or Margins(0, self.lines - 1)
        inside = top <= self.cursor.y <= bottom
        if not inside:
            bottom = self.lines - 1  # tmux: outside the region, down to the screen's end
        buffer = self.buffer
        self.dirty.update(range(self.cursor.y, self.lines))
        y0 = self.cursor.y
        moved = bottom + 1 - y0 - count
        if moved > 0 and y0 > 0:
            self._unwrap(y0 - 1)  # (tmux's grid_move_lines)
        for y in range(self.cursor.y, bottom + 1):
            if y + count > bottom:
                self._new_line(y)
                continue
            moving = buffer.pop(y + count, None)
            if moving is None:
                buffer.pop(y, None)
            else:
                buffer[y] = moving
        if moved > 0 and count >= moved:
            self._unwrap(y0 + count - 1)
        self._unwrap_cleared(y0, count, bottom, inside=inside, deleting=True)

    def _unwrap_cleared(self, y0: int, count: int, bottom: int, *, inside: bool,
                        deleting: bool) -> None:
        """The line above the lines DL or IL clears loses its wrap (tmux's
        grid_view_{delete,insert}_lines[_region] clear with grid_clear_lines, their
        counts as tmux computes them)."""
        lines = bottom + 1 - y0
        count = min(count, lines)
        kept = lines - count
        if inside:
            first = y0 + kept if count > kept else None
        elif deleting:
            first = self.lines - count if y0 + 2 * count > self.lines else None
        else:
            first = None
        if first is not None and first > 0:
            self._unwrap(first - 1)

    def insert_lines(self, count: int | None = None) -> None:
        """IL: insert ``count`` blank lines at the cursor inside the scroll region; the
        cursor keeps its column (tmux and xterm; pyte moved it to column 0), a pending
        wrap included (tmux)."""
        count = count or 1
        top, bottom = self.margins or Margins(0, self.lines - 1)
        y0 = self.cursor.y
        inside = top <= y0 <= bottom
        if not inside:
            bottom = self.lines - 1  # tmux: outside the region, down to the screen's end
            if count >= self.lines - y0:
                # tmux's grid moves no line and blanks none (grid_view_insert_lines), and
                # xterm ignores IL outside the region
                return
        buffer = self.buffer
        self.dirty.update(range(y0, self.lines))
        moved = bottom + 1 - y0 - count
        if moved > 0:  # (tmux's grid_move_lines: the line above where they go, then the
            # line above where they came from, lose their wrap)
            self._unwrap(y0 + count - 1)
            if y0 > 0:
                self._unwrap(y0 - 1)
        for y in range(bottom, y0 - 1, -1):
            if y - count < y0:
                self._new_line(y)
                continue
            moving = buffer.pop(y - count, None)
            if moving is None:
                buffer.pop(y, None)
            else:
                buffer[y] = moving
        self._unwrap_cleared(y0, count, bottom, inside=inside, deleting=False)

    def reverse_index(self) -> None:
        """RI: cursor up; at the top margin scroll the region down, a new line at the top."""
        top, bottom = self.margins or Margins(0, self.lines - 1)
        if self.cursor.y != top:
            if self.cursor.y > 0:  # tmux: up a row, the column (and a pending wrap) kept
                self.cursor.y -= 1
            return
        self.dirty.update(range(self.lines))
        buffer = self.buffer
        if bottom > top:  # (tmux's grid_move_lines, as in insert_lines)
            self._unwrap(top)
            if top > 0:
                self._unwrap(top - 1)
        for y in range(bottom, top, -1):
            moving = buffer.pop(y - 1, None)
            if moving is None:
                buffer.pop(y, None)
            else:
                buffer[y] = moving
        self._new_line(top)

    def _unwrap(self, y: int) -> None:
        """Row ``y`` is no longer wrapped into the next one."""
        row = self.buffer.get(y)
        if row is not None and row.wrapped:
            row.wrapped = False
            self.dirty.add(y)

    def _new_line(self, y: int) -> None:
        """Row ``y`` becomes a line that scrolling or inserting brings in: blank in the
        current background (tmux's grid_empty_line: the cells take it, but none is in use,
        so ``capture-pane -e`` shows nothing of it), or absent when that is the default."""
        cell = self.erase_cell()
        if cell is BLANK:
            self.buffer.pop(y, None)
        else:
            self.buffer[y] = _Row(dict.fromkeys(range(self.columns), cell))

    def scroll_up(self, count: int) -> None:
        """SU: scroll the region up ``count`` lines, the cursor stays."""
        top, bottom = self.margins or Margins(0, self.lines - 1)
        saved = self.cursor.y
        self.cursor.y = bottom
        for _ in range(min(count, bottom - top + 1)):
            self.index()
        self.cursor.y = saved

    def scroll_down(self, count: int) -> None:
        """SD: scroll the region down ``count`` lines, the cursor stays."""
        top, bottom = self.margins or Margins(0, self.lines - 1)
        saved = self.cursor.y
        self.cursor.y = top
        for _ in range(min(count, bottom - top + 1)):
            self.reverse_index()
        self.cursor.y = saved

    def set_margins(self, top: int | None = None, bottom: int | None = None) -> None:
        """DECSTBM: set the scroll region (1-based, inclusive) and home the cursor."""
        top_row = max(0, min((top or 1) - 1, self.lines - 1))
        bottom_row = max(0, min((bottom or self.lines) - 1, self.lines - 1))
        if bottom_row - top_row < 1:
            return
        if top_row == 0 and bottom_row == self.lines - 1:
            self.margins = None
        else:
            self.margins = Margins(top_row, bottom_row)
        # (the screen's top-left even in origin mode: tmux's screen_write_scrollregion;
        # xterm homes to the region's top)
        self.cursor.x = self.cursor.y = 0

    # -- erasing --------------------------------------------------------------------------

    def erase_in_line(self, how: int = 0, private: bool = False) -> None:
        cursor = self.cursor
        y = cursor.y
        self.dirty.add(y)
        cell = BLANK if cursor.attrs.bg == DEFAULT else self.erase_cell()
        x = min(cursor.x, self.columns)
        if how == 0:
            span = range(x, self.columns)
        elif how == 1:
            span = range(min(x + 1, self.columns))
        elif how == 2:
            span = range(self.columns)
        else:
            return
        if len(span) == self.columns:
            # tmux empties the whole line (grid_clear_lines): it and the line above it
            # are no longer wrapped
            above = self.buffer.get(y - 1) if y > 0 else None
            if above is not None:
                above.wrapped = False
            if cell is BLANK:
                self.buffer.pop(y, None)
                return
            row = self.buffer[y]
            row.update(dict.fromkeys(span, cell))
            row.extent = 0
            row.wrapped = False
            return
        _erase_span(self.buffer[y], span, cell)

    def scroll_screen_into_history(self) -> None:
        """Before clearing the whole main screen, its rows down to the last one in use go
        into the history (tmux's ED 2 and RIS); the alternate screen has no history."""
        if self.main_screen is not None or not self.history.limit:
            return
        used = [y for y, row in self.buffer.items() if row and y < self.lines]
        if used:
            self.history.extend(self.buffer.get(y, EMPTY_LINE) for y in range(max(used) + 1))
        self.scrolled = 0

    def _erase_rows(self, rows: range) -> None:
        cell = self.erase_cell()
        buffer = self.buffer
        above = buffer.get(rows.start - 1) if rows and rows.start > 0 else None
        if above is not None:
            above.wrapped = False  # tmux's grid_clear_lines
        for y in rows:
            if cell is BLANK:
                buffer.pop(y, None)
            else:
                buffer[y] = _Row(dict.fromkeys(range(self.columns), cell))
        self.dirty.update(rows)

    def erase_in_display(self, how: int = 0, *args: Any, **kwargs: Any) -> None:
        y = self.cursor.y
        if how == 0:
            self.erase_in_line(0)
            self._erase_rows(range(y + 1, self.lines))
        elif how == 1:
            self._erase_rows(range(y))
            self.erase_in_line(1)
        elif how == 2:
            self.scroll_screen_into_history()
            self._erase_rows(range(self.lines))
        elif how == 3:
            self.clear_history()

    def insert_characters(self, count: int | None = None, *,
                          default_background: bool = False) -> None:
        """ICH: the cells from the cursor on move right (those pushed past the last column
        are lost) and the inserted ones take the current background, as tmux's
        grid_view_insert_cells."""
        cursor = self.cursor
        start = cursor.x
        if start >= self.columns:
            return
        if self.columns == 1:  # tmux clears the whole line (grid_clear_lines)
            self.erase_in_line(2)
            return
        self.dirty.add(cursor.y)
        row = self.buffer[cursor.y]
        row.extent = row_used(row)
        count = min(count or 1, self.columns - start)
        moved = {x + count: row[x] for x in range(start, self.columns - count) if x in row}
        for x in [x for x in row if x >= start]:
            del row[x]
        row.update(moved)
        cell = BLANK if default_background else self.erase_cell()
        if cell is not BLANK:
            row.update(dict.fromkeys(range(start, start + count), cell))
        if start + count < self.columns:  # tmux moves the cells left: they are in use
            row.extent = self.columns

    def delete_characters(self, count: int | None = None) -> None:
        """DCH: the cells after the deleted ones move left, and the cells they leave at
        the end of the line take the current background (xterm's and tmux's
        grid_view_delete_cells); the moved cells are in use."""
        cursor = self.cursor
        start = cursor.x
        if start >= self.columns:
            return
        self.dirty.add(cursor.y)
        deleted = min(count or 1, self.columns - start)
        if deleted == self.columns:  # tmux clears the whole line (grid_clear_lines)
            self.erase_in_line(2)
            return
        row = self.buffer[cursor.y]
        row.extent = row_used(row)
        moved = {x - deleted: row[x] for x in range(start + deleted, self.columns) if x in row}
        for x in [x for x in row if x >= start]:
            del row[x]
        row.update(moved)
        cell = self.erase_cell()
        if cell is not BLANK:
            row.update(dict.fromkeys(range(self.columns - deleted, self.columns), cell))
        if start + deleted < self.columns:
            row.extent = max(row.extent, self.columns - deleted)

    def erase_characters(self, count: int | None = None) -> None:
        cursor = self.cursor
        self.dirty.add(cursor.y)
        start = min(cursor.x, self.columns)
        span = range(start, min(start + (count or 1), self.columns))
        if len(span) == self.columns:  # tmux empties the whole line (grid_clear_lines)
            self.erase_in_line(2)
            return
        cell = self.erase_cell()
        _erase_span(self.buffer[cursor.y], span, cell)

    # -- cursor ---------------------------------------------------------------------------

    def cursor_up(self, count: int | None = None) -> None:
        """CUU: stops at the top margin, or at row 0 when starting above the region."""
        margins = self.margins
        top = margins.top if margins is not None and self.cursor.y >= margins.top else 0
        self.cursor.y = max(self.cursor.y - (count or 1), top)
        self.cursor.x = min(self.cursor.x, self.columns - 1)

    def cursor_down(self, count: int | None = None) -> None:
        """CUD: stops at the bottom margin, or at the last row when starting below it."""
        margins = self.margins
        if margins is not None and self.cursor.y <= margins.bottom:
            bottom = margins.bottom
        else:
            bottom = self.lines - 1
        self.cursor.y = min(self.cursor.y + (count or 1), bottom)
        self.cursor.x = min(self.cursor.x, self.columns - 1)

    def cursor_back(self, count: int | None = None) -> None:
        """CUB and BS: from the pending-wrap position (x = columns) count from there, so
        one step lands on the last column (tmux; xterm and pyte land one further left)."""
        self.cursor.x = max(0, min(self.cursor.x - (count or 1), self.columns - 1))

    def backspace(self) -> None:
        """BS: one column left; from column 0 onto the last column of the line above when
        that line wrapped (tmux's screen_write_backspace)."""
        cursor = self.cursor
        if cursor.x == 0:
            above = self.buffer.get(cursor.y - 1) if cursor.y > 0 else None
            if above is not None and above.wrapped:
                cursor.y -= 1
                cursor.x = self.columns - 1
            return
        self.cursor_back(1)

    def tab(self) -> None:
        """HT: to the next tab stop or the last column; nothing from the last column or
        the pending-wrap position (tmux)."""
        cursor = self.cursor
        if cursor.x >= self.columns - 1:
            return
        stops = [stop for stop in self.tabstops if stop > cursor.x]
        cursor.x = min(min(stops, default=self.columns - 1), self.columns - 1)

    def cursor_to_line(self, line: int | None = None) -> None:
        y = (line or 1) - 1
        if modes.DECOM in self.mode and self.margins is not None:
            y = min(y + self.margins.top, self.margins.bottom)
        self.cursor.y = max(0, min(y, self.lines - 1))

    def save_cursor(self) -> None:
        cursor = self.cursor
        self.saved_cursor = _SavedCursor(cursor.x, cursor.y, cursor.attrs, self.g0_charset,
                                         self.g1_charset, self.charset,
                                         modes.DECOM in self.mode, modes.DECAWM in self.mode)

    def restore_cursor(self) -> None:
        saved = self.saved_cursor
        if saved is None:
            self.mode.discard(modes.DECOM)
            self.cursor.attrs = BLANK
            self.cursor_position()
            return
        cursor = self.cursor
        cursor.x = min(saved.x, self.columns - 1)
        cursor.y = min(saved.y, self.lines - 1)
        cursor.attrs = saved.attrs
        self.g0_charset, self.g1_charset, self.charset = saved.g0, saved.g1, saved.charset
        self._update_translate()
        # origin mode comes back, autowrap does not (tmux's input_restore_state, xterm)
        if saved.origin:
            self.mode.add(modes.DECOM)
        else:
            self.mode.discard(modes.DECOM)

    def alignment_display(self) -> None:
        """DECALN: fill the screen with default-style E's, reset the margins, home."""
        filled = Cell("E")
        wrapped = {y for y, row in self.buffer.items() if row.wrapped}
        self.buffer.clear()
        for y in range(self.lines):
            self.buffer[y] = row = _Row(dict.fromkeys(range(self.columns), filled))
            row.wrapped = y in wrapped  # (tmux sets the cells only: lines stay wrapped)
        self.margins = None
        self.cursor.x = self.cursor.y = 0
        self.mark_all_dirty()

    def back_tab(self, count: int) -> None:
        for _ in range(min(count, self.columns)):
            stops = [stop for stop in self.tabstops if stop < self.cursor.x]
            self.cursor.x = max(stops) if stops else 0

    # -- charsets -------------------------------------------------------------------------

    def define_charset(self, code: str, mode: str) -> None:
        table = _DEC_GRAPHICS if code == "0" else None
        if mode == "(":
            self.g0_charset = table
        elif mode == ")":
            self.g1_charset = table
        self._update_translate()

    def shift_in(self) -> None:
        self.charset = 0
        self._update_translate()

    def shift_out(self) -> None:
        self.charset = 1
        self._update_translate()

    def _update_translate(self) -> None:
        self.translate = self.g1_charset if self.charset else self.g0_charset

    # -- modes ----------------------------------------------------------------------------

    def set_ansi_modes(self, numbers: list[int], on: bool) -> None:
        for number in numbers:
            if number in (modes.IRM, modes.LNM):
                if on:
                    self.mode.add(number)
                else:
                    self.mode.discard(number)

    def set_private_modes(self, numbers: list[int], on: bool) -> None:
        for number in numbers:
            if number == 1:
                self.app_cursor_keys = on
            elif number == 5:
                self.reverse_video = on
                self.mark_all_dirty()
            elif number in (6, 7):
                flag = number << 5
                if on:
                    self.mode.add(flag)
                else:
                    self.mode.discard(flag)
                if number == 6:
                    self.cursor_position()
            elif number == 3:
                # DECCOLM: the width stays, the cursor homes (in origin mode to the
                # region's top) and the screen clears; tmux 3.3a keeps the margins
                self.cursor_position()
                self.scroll_screen_into_history()
                self._erase_rows(range(self.lines))
            elif number == 25:
                self.cursor.hidden = not on
                if on:
                    self.mode.add(modes.DECTCEM)
                else:
                    self.mode.discard(modes.DECTCEM)
            elif number in (47, 1047, 1049):
                if on:
                    self.enter_alternate(save_cursor=number == 1049)
                else:
                    self.leave_alternate(restore_cursor=number == 1049)
            # ?1048 (xterm's save/restore cursor) is ignored, as tmux 3.3a ignores it:
            # terminfo's sc/rc are ESC 7 / ESC 8 and smcup/rmcup use ?1049
            elif number in (9, 1000, 1002, 1003):
                self.mouse_mode = (1000 if number == 9 else number) if on else 0
            elif number == 1006:
                self.mouse_sgr = on
            elif number == 1004:
                self.focus_events = on
                self.focus_asked = self.focus_asked or on
            elif number == 2004:
                self.bracketed_paste = on

    def enter_alternate(self, *, save_cursor: bool) -> None:
        """47/1047/1049 on. 1049 saves the cursor (position and style) in a slot of its
        own, apart from DECSC's (tmux: ``ESC 8`` after a 1049 round trip is unaffected)."""
        if self.main_screen is not None:
            return
        cursor = self.cursor
        saved = None
        if save_cursor:
            saved = _SavedCursor(cursor.x, cursor.y, cursor.attrs, None, None, 0, False, False)
            self.alternate_cursor = saved
        self.main_screen = (self.buffer, saved)
        self.main_size = (self.columns, self.lines)
        self.buffer = defaultdict(_Row)
        self.mark_all_dirty()

    def leave_alternate(self, *, restore_cursor: bool) -> None:
        """47/1047/1049 off: 1049 restores the cursor 1049 saved; after 47/1047 (nothing
        saved) the cursor stays where it is (tmux). As tmux's screen_alternate_off, ?1049l
        restores the cursor the last ?1049h saved even outside the alternate screen."""
        cursor = self.cursor
        saved = self.alternate_cursor
        if restore_cursor and saved is not None:
            cursor.x, cursor.y, cursor.attrs = saved.x, saved.y, saved.attrs
        if self.main_screen is None:
            # (even outside the alternate screen the cursor comes back inside the screen,
            # off a pending wrap, as tmux's screen_alternate_off)
            cursor.x = min(cursor.x, self.columns - 1)
            cursor.y = min(cursor.y, self.lines - 1)
            return
        self.buffer, _saved = self.main_screen
        self.main_screen = None
        columns, lines = self.columns, self.lines
        if (columns, lines) != self.main_size:
            # the main screen kept its size under the alternate one: resize it now
            self.columns, self.lines = self.main_size
            cursor.x = min(cursor.x, self.columns - 1)
            cursor.y = min(cursor.y, self.lines - 1)
            self.resize(lines, columns)
        cursor.x = min(cursor.x, self.columns - 1)
        cursor.y = min(cursor.y, self.lines - 1)
        self.mark_all_dirty()

    # -- resize ---------------------------------------------------------------------------

    def resize(self, lines: int | None = None, columns: int | None = None) -> None:
        """Resize like tmux: shrinking drops rows below the cursor first, then pushes rows
        from the top into history (main screen); growing pulls back rows that scrolled
        off. A width change re-wraps the main screen and its history (:mod:`.reflow`).
        The alternate screen is resized, not reflowed: cells past the new width are kept
        hidden (they come back when it widens) and the cursor keeps its column, as in
        tmux; the main screen waits under it and is reflowed when it comes back."""
        lines = max(1, lines or self.lines)
        columns = max(1, columns or self.columns)
        if lines == self.lines and columns == self.columns:
            return
        reflowing = columns != self.columns and self.main_screen is None
        old_columns = self.columns
        if not reflowing:
            self.columns = columns
        if lines != self.lines:
            on_main = self.main_screen is None
            self.cursor.y = self._resize_rows(self.buffer, self.cursor.y, lines, on_main)
            self.lines = lines
        if reflowing:
            self._reflow(columns)
            self.columns = columns
        self.margins = None
        stops = {stop for stop in self.tabstops if stop < columns}
        if columns > old_columns:
            stops.update(range((old_columns + 7) // 8 * 8 or 8, columns, 8))
        default = default_tabstops(columns)
        self.tabstops = default if stops == default else stops
        self.cursor.y = max(0, min(self.cursor.y, lines - 1))
        self.dirty.clear()
        self.mark_all_dirty()

    @property
    def history(self) -> Scrollback:
        """The whole history (waits for a re-wrap still running on its worker)."""
        if self._rewrapping is not None:
            self._settle_history()
        return self._history

    def clear_history(self) -> None:
        """Drop the history (ED 3, clear-history), a re-wrap under way too."""
        if self._rewrapping is not None:
            self._rewrapping.cancel()
            self._rewrapping = None
        self._history.clear()
        self.scrolled = 0

    def _settle_history(self) -> None:
        job = self._rewrapping
        assert job is not None
        self._rewrapping = None
        older = job.wait()
        newer = self._history
        older.extend(newer.lines(0, len(newer)), scrolled=False)
        self._history = older
        self.scrolled = min(self.scrolled, len(older))

    def _history_tail(self, sources: list[Segment]) -> tuple[list[HistoryLine], list[Segment]]:
        """The newest rows of ``sources`` (oldest first) that hold at least a screenful of
        logical lines and start one, and the sources' rows before them."""
        tail: list[HistoryLine] = []
        ends = 0
        for position in range(len(sources) - 1, -1, -1):
            view, start, stop = sources[position]
            while stop > start:
                first = max(start, stop - 256)
                rows = view.lines(first, stop)
                for index in range(len(rows) - 1, -1, -1):
                    row = rows[index]
                    if not row[1]:
                        if ends >= self.lines:  # the rows after this one suffice
                            tail.reverse()
                            return tail, [*sources[:position], (view, start, first + index + 1)]
                        ends += 1
                    tail.append(row)
                stop = first
        tail.reverse()
        return tail, []

    def _reflow(self, columns: int) -> None:
        """Re-wrap the main screen and the history at ``columns`` (tmux's reflow): the
        cursor keeps its character, or goes home when its row went into history.

        The screen and the newest history rows (a screenful of logical lines at least)
        are re-wrapped now; when more than ``LAZY_REFLOW_ROWS`` rows are older, those are
        re-wrapped on a worker thread (:mod:`.reflow_worker`) that :attr:`history` waits
        for. Re-wrapping to one column drops wide characters, so it is done at once."""
        from .reflow import reflow, run_width
        from .reflow_worker import HistoryReflow, segments_size

        job = self._rewrapping
        if columns == 1 or len(self._history) + (
                segments_size(job.segments) if job is not None else 0) <= LAZY_REFLOW_ROWS:
            history = self.history
            old_rows = history.lines(0, len(history))
            segments: list[Segment] = []
        else:
            segments = job.segments if job is not None else []
            if job is not None:
                job.cancel()
                self._rewrapping = None
            # fresh views: a cancelled worker may still be reading the old ones
            sources = [(view.frozen(), first, stop) for view, first, stop in segments]
            if len(self._history):
                sources.append((self._history.frozen(), 0, len(self._history)))
            old_rows, segments = self._history_tail(sources)
            history = self._history = Scrollback(
                self._history.limit, encode=history_line_from_row, weigh=history_weight)
        rows: list[tuple[HistoryLine, int]] = [(line, run_width(line[0])) for line in old_rows]
        tail_size = len(rows)
        for y in range(self.lines):
            row = self.buffer.get(y)
            if not row:
                wrapped = row is not None and row.wrapped
                rows.append((((), True) if wrapped else EMPTY_LINE, 0))
                continue
            used = max(row) + 1
            if not row.wrapped:
                # only the cells in use (tmux's cellused): not those a coloured erase or
                # a line brought in under a colour filled, nor blanks left at the end
                used = row_used(row)
                while used > row.extent and row.get(used - 1) is BLANK:
                    used -= 1
            rows.append(((tuple(row_runs(row, min(used, self.columns))), row.wrapped), used))
        cursor = self.cursor
        new_rows, new_row, new_x = reflow(rows, tail_size + cursor.y, cursor.x, columns)
        while len(new_rows) < self.lines:
            new_rows.append((EMPTY_LINE, 0))
        kept = len(new_rows) - self.lines
        history.clear()
        history.extend((line for line, _used in new_rows[:kept]), scrolled=False)
        if segments:
            self._rewrapping = HistoryReflow(segments, columns, partial(
                Scrollback, history.limit, encode=history_line_from_row,
                weigh=history_weight))
        else:
            self.scrolled = min(self.scrolled, len(history))
        self.buffer.clear()
        for y, (line, _used) in enumerate(new_rows[kept:]):
            if line[0] or line[1]:
                self.buffer[y] = _row_from_history(line, columns)
        if new_row >= kept:
            cursor.x, cursor.y = min(new_x, columns), new_row - kept
        else:
            cursor.x = cursor.y = 0

    def _resize_rows(self, buffer: defaultdict[int, _Row], cursor_y: int, lines: int,
                     with_history: bool) -> int:
        old = self.lines
        if lines < old:
            needed = old - lines
            below = max(0, min(old - 1 - cursor_y, needed))
            for y in range(old - below, old):
                buffer.pop(y, None)
            needed -= below
            if needed:
                leaving = [buffer.pop(y, None) for y in range(needed)]
                if with_history:
                    self._history.extend((row if row is not None else EMPTY_LINE
                                          for row in leaving), scrolled=False)
                    self.scrolled += needed
                kept = {y - needed: row for y, row in buffer.items()}
                buffer.clear()
                buffer.update(kept)
                cursor_y -= needed
            return max(0, cursor_y)
        if with_history and self._rewrapping is not None and (
                min(lines - old, self.scrolled) > len(self._history)):
            self._settle_history()
        history = self._history  # its newest rows are the newest: no need to wait
        pulled = (history.pop_newest(min(lines - old, self.scrolled, len(history)))
                  if with_history else [])
        if with_history:
            self.scrolled -= len(pulled)
        if pulled:
            count = len(pulled)
            kept = {y + count: row for y, row in buffer.items()}
            buffer.clear()
            buffer.update(kept)
            for y, line in enumerate(pulled):
                buffer[y] = _row_from_history(line, self.columns)
            cursor_y += count
        return cursor_y

    # -- queries --------------------------------------------------------------------------

    def report_device_attributes(self, mode: int = 0, **kwargs: Any) -> None:
        if mode == 0:
            self.reply(SECONDARY_DA_REPLY if kwargs.get("secondary") else PRIMARY_DA_REPLY)

    def report_device_status(self, mode: int) -> None:
        if mode == 5:
            self.reply("\x1b[0n")
        elif mode == 6:
            y = self.cursor.y + 1
            if modes.DECOM in self.mode and self.margins is not None:
                y -= self.margins.top
            self.reply(f"\x1b[{y};{min(self.cursor.x, self.columns - 1) + 1}R")

    # -- CSI ------------------------------------------------------------------------------

    def sgr(self, params: str) -> None:
        node = self._style
        if node.cell is not self.cursor.attrs:
            node = self.style_node(self.cursor.attrs)
        node = self._style = node.after.get(params) or self.next_style(node, params)
        self.cursor.attrs = node.cell

    def cup(self, params: str) -> None:
        if modes.DECOM in self.mode:
            values = _ints(params) + [0, 0]
            self.cursor_position(values[0], values[1])
            return
        cursor = self.cursor
        y, x = _CUP_TARGETS.get(params) or _cup_target(params)
        lines = self.lines
        cursor.y = y if y < lines else lines - 1
        columns = self.columns
        cursor.x = x if x < columns else columns - 1

    def el(self, params: str) -> None:
        """EL (``CSI K``) from its parameters. Erasing right of the cursor on a lazy row
        with no cell there (a redraw's row, after its text) changes nothing: it is only
        marked, without a call down to :func:`_erase_span`."""
        if params:
            self.erase_in_line(_first(params, 0))
            return
        cursor = self.cursor
        x = cursor.x
        if x and cursor.attrs.bg == DEFAULT:
            y = cursor.y
            row = self.buffer.get(y)
            if type(row) is _LazyRow and row.width <= x:
                self.dirty.add(y)
                return
        self.erase_in_line(0)

    def _decstbm(self, params: str) -> None:
        """DECSTBM as tmux reads it: a missing parameter is the default, 0 counts as 1
        (so ``;0r`` asks for a one-line region and changes nothing)."""
        fields = (params.split(";") + ["", ""])[:2]
        if not all(field.isdigit() or not field for field in fields):
            return
        top = max(int(fields[0]), 1) if fields[0] else 1
        bottom = max(int(fields[1]), 1) if fields[1] else self.lines
        self.set_margins(top, bottom)

    def csi_other(self, params: str, intermediates: str, final: str) -> None:
        """CSI with a private marker and/or intermediates; unknown ones are ignored."""
        marker = params[:1] if params[:1] in ("<", "=", ">", "?") else ""
        body = params[1:] if marker else params
        if marker == "?" and not intermediates:
            if final == "h":
                self.set_private_modes(_ints(body), True)
            elif final == "l":
                self.set_private_modes(_ints(body), False)
            elif final == "J":
                self.erase_in_display(_first(body, 0))
            elif final == "K":
                self.erase_in_line(_first(body, 0))
        elif marker == ">" and final == "c" and not intermediates:
            if _first(body, 0) == 0:
                self.report_device_attributes(0, secondary=True)
        elif not marker and intermediates == " " and final == "q":
            self.cursor_shape = _first(body, 0)

    # -- escapes and strings --------------------------------------------------------------

    def escape(self, final: str) -> None:
        """ESC followed by a single final character."""
        if final == "7":
            self.save_cursor()
        elif final == "8":
            self.restore_cursor()
        elif final == "D":
            self.index()
        elif final == "E":
            self.carriage_return()
            self.index()
        elif final == "M":
            self.reverse_index()
        elif final == "H":
            self.set_tab_stop()
        elif final == "c":
            self.reset()
        elif final == "=":
            self.app_keypad = True
        elif final == ">":
            self.app_keypad = False

    def escape_intermediate(self, intermediates: str, final: str) -> None:
        """ESC with intermediates: charset designation, DECALN; the rest is ignored."""
        if intermediates in ("(", ")"):
            self.define_charset(final, intermediates)
        elif intermediates == "#" and final == "8":
            self.alignment_display()

    def rename_string(self, name: str) -> None:
        """``ESC k name ST`` (tmux's rename string): kept for the server, whose
        ``allow-rename`` option decides whether it names the window."""
        self.rename = name[:_MAX_TITLE]

    def osc(self, body: str) -> None:
        code, _, argument = body.partition(";")
        if code in ("0", "2"):
            self.title = argument[:_MAX_TITLE]
        if code in ("0", "1"):
            self.icon_name = argument[:_MAX_TITLE]
        elif code == "52":
            self.selections = [*self.selections[1 - _MAX_SELECTIONS:], argument]


# A plain SGR inside tokens 2 and 3, its parameters captured (split gives text, params...).
_SGR_SPLIT = re.compile(r"\x1b\[([0-9;]*)m")
