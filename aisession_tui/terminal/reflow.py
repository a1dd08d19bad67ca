"""Re-wrap the main screen and its history at a new width, as tmux 3.3a's grid_reflow.

Rows are ``(runs, wrapped)`` (:data:`~.scrollback.HistoryLine`): a wrapped row continues
on the next one. A logical line (rows joined while wrapped) is re-split at the new width;
a wide character that does not fit at a row's end starts the next row (the row is
shorter and marked wrapped). Every row is kept, empty ones too, so the grid keeps its
blank rows below the cursor.

The cursor keeps its character: its position becomes (logical line, cell offset), or
"end of the logical line" when it stood past the row's last cell, and is found again in
the re-wrapped rows (tmux's grid_wrap_position / grid_unwrap_position).

A logical line is cut from its joined text by slicing, never cell by cell: the cells of
its characters come as one byte each (:func:`_line_widths`, mostly in C), rows are cut
by counting wide characters (``bytes.count``) or by the running sum of cells. A history
(:func:`rewrap`, no cursor) keeps every line that stays one row as the same object.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Iterable
from functools import lru_cache
from itertools import accumulate, groupby

from pyte.screens import wcwidth

from .scrollback import HistoryLine
from .style import Run

_WIDE_RANGES = "\u4e00-\u9fff\uac00-\ud7a3\u3041-\u3096\u30a1-\u30fa\uff01-\uff60"
"""Ranges of characters that are all two cells wide for wcwidth."""
_WIDE = re.compile(f"[{_WIDE_RANGES}]")
"""Characters two cells wide for wcwidth, every one (see ``_SEGMENTS``)."""
_OTHER = re.compile(f"[^\\x20-\\x7e{_WIDE_RANGES}]")
"""The characters whose width must be asked (neither printable ASCII nor ``_WIDE``)."""
_SEGMENTS = re.compile(
    r"(?P<ascii>[\x20-\x7e]+)"
    f"|(?P<wide>[{_WIDE_RANGES}]+)"
    r"|(?P<other>.)", re.DOTALL)
"""A run's text as stretches of printable ASCII, stretches of characters that are all
two cells wide (CJK ideographs, Hangul syllables, kana, fullwidth forms: every one of
them is wide for wcwidth), and single other characters."""

END = -1
"""A cursor offset meaning: after the last cell of its logical line."""


@lru_cache(maxsize=4096)
def _char_width(char: str) -> int:
    return max(0, wcwidth(char))


class _CellWidths(dict[int, int]):
    """Code point -> cells, filled on first use: a ``str.translate`` table that turns text
    into one byte per character holding its width."""

    def __missing__(self, code: int) -> int:
        width = self[code] = _char_width(chr(code))
        return width


_CELL_WIDTHS = _CellWidths()


def run_width(runs: tuple[Run, ...] | list[Run]) -> int:
    """Cells covered by ``runs`` (a wide character counts two, combining marks none)."""
    total = 0
    for text, *_style in runs:
        if text.isascii():
            total += len(text)
        elif (len(text.encode()) - len(text)) * 4 > len(text):
            # mostly non-ASCII: one byte a character holding its width, summed in C
            total += sum(text.translate(_CELL_WIDTHS).encode("latin-1"))
        else:  # a few among ASCII: only those can be wider or narrower
            total += len(text) + len(_WIDE.findall(text))
            total += sum(_char_width(char) - 1 for char in _OTHER.findall(text))
    return total


def _units(runs: list[Run]) -> list[tuple[str, int, tuple[int, int, int]]]:
    """Runs as (character with its combining marks, width, style), one per cell group."""
    units: list[tuple[str, int, tuple[int, int, int]]] = []
    for text, fg, bg, attrs in runs:
        style = (fg, bg, attrs)
        if text.isascii():
            units.extend((char, 1, style) for char in text)
            continue
        for char in text:
            width = wcwidth(char)
            if width <= 0:
                if units:
                    previous = units[-1]
                    units[-1] = (previous[0] + char, previous[1], previous[2])
                continue
            units.append((char, width, style))
    return units


def _style_of(unit: tuple[str, int, tuple[int, int, int]]) -> tuple[int, int, int]:
    return unit[2]


def _runs_of(units: list[tuple[str, int, tuple[int, int, int]]]) -> tuple[Run, ...]:
    return tuple(("".join(unit[0] for unit in group), *style)
                 for style, group in groupby(units, _style_of))


def _split(runs: list[Run], width: int, columns: int) -> list[tuple[HistoryLine, int]]:
    """One logical line's runs as rows of at most ``columns`` cells, with their widths."""
    if width <= columns:
        return [((tuple(runs), False), width)]
    if columns >= 2:
        return _split_runs(runs, columns)
    rows: list[tuple[HistoryLine, int]] = []
    row: list[tuple[str, int, tuple[int, int, int]]] = []
    used = 0
    for unit in _units(runs):
        if used + unit[1] > columns and row:
            rows.append(((_runs_of(row), True), used))
            row, used = [], 0
        if unit[1] > columns:
            continue
        row.append(unit)
        used += unit[1]
    rows.append(((_runs_of(row), False), used))
    return rows


@lru_cache(maxsize=1)
def _width_tables() -> tuple[bytes, bytes, re.Pattern[str]]:
    """Two ``bytes.translate``/``str.translate`` tables built on first use from wcwidth
    itself (~10 ms): every BMP character's cells (ASCII ones one cell each), and for
    each high byte of a UTF-16 code unit the cells all its 256 characters share (1 or
    2), or 255 when they differ (the character is then looked up alone); and the
    Latin-1 characters that are not one cell wide (the first block counts one cell)."""
    width_of = wcwidth
    while hasattr(width_of, "__wrapped__"):  # the C function, not its caches
        width_of = width_of.__wrapped__
    widths = bytearray(b"\x01" * 0x10000)
    for code in range(0x80, 0x10000):
        width = width_of(chr(code))
        if width != 1:
            widths[code] = max(0, width)
    blocks = bytearray(256)
    for high in range(256):
        block = set(widths[high << 8:(high + 1) << 8])
        blocks[high] = block.pop() if len(block) == 1 and 0 not in block else 255
    # the first block (ASCII, Latin-1) counts one cell a character: its others (the C1
    # controls) are looked for apart
    latin1_odd = "".join(chr(code) for code in range(0x80, 0x100) if widths[code] != 1)
    blocks[0] = 1
    return bytes(widths), bytes(blocks), re.compile(f"[{re.escape(latin1_odd)}]")


def _line_widths(text: str) -> bytes:
    """The cells of each character of ``text``, one byte each, mostly in C: the high
    bytes of its UTF-16 code units give the width of most characters; the few in
    blocks of mixed widths are looked up alone."""
    table, blocks, latin1_odd = _width_tables()
    try:
        units = text.encode("utf-16-be")
    except UnicodeEncodeError:  # a lone surrogate
        units = b""
    if len(units) != 2 * len(text):  # characters past the BMP (or a lone surrogate)
        return bytes(1 if char.isascii() else _char_width(char) for char in text)
    widths = units[::2].translate(blocks)
    if b"\xc2" in text.encode() and latin1_odd.search(text):  # U+0080-U+00BF: C1?
        patched = bytearray(widths)
        for match in latin1_odd.finditer(text):
            patched[match.start()] = table[ord(match.group())]
        widths = bytes(patched)
    mixed = widths.count(255)
    if not mixed:
        return widths
    if mixed > 8:
        return text.translate(table).encode("latin-1")
    patched = bytearray(widths)
    position = patched.find(255)
    while position >= 0:
        patched[position] = table[ord(text[position])]
        position = patched.find(255, position + 1)
    return bytes(patched)


def max_width(text: str) -> int:
    """An upper bound of the cells ``text`` covers, in C: no character below U+0800
    (two UTF-8 bytes or fewer) is two cells wide, and every other one takes two more
    UTF-8 bytes than characters or more."""
    return len(text) + (len(text.encode()) - len(text)) // 2


def _cuts(text: str, runs: list[Run], columns: int) -> list[tuple[int, int, int]] | None:
    """Where rows of ``columns`` cells end in ``text`` (the runs' text joined, not all
    ASCII, ``columns >= 2``): ``(first, last, cells)`` character ranges, a wide character
    that does not fit starting the next row, combining marks staying with the character
    before them. None when a run (or the line) starts with a zero-width character: that
    mark joins the run before it, which :func:`_split_wide` does.

    From the characters' cells (:func:`_line_widths`): text of one-cell characters only
    (accents, box drawing, arrows, icons such as ✓) is cut as ASCII is; text with a few
    wide characters by counting them in each row (``bytes.count``, a row's first
    ``columns - wide`` characters fit for sure); text with zero-width characters or
    mostly wide ones from the running sum of the cells (``itertools.accumulate`` and
    ``bisect``). All in C but for a few steps per row."""
    total = len(text)
    widths = _line_widths(text)
    cuts: list[tuple[int, int, int]] = []
    wide = widths.count(2)
    if 0 in widths:
        if any(not widths[start] for start in _run_starts(runs) if start < total):
            return None
    elif not wide:
        return [(first, min(first + columns, total), min(columns, total - first))
                for first in range(0, total, columns)]
    elif wide * 4 <= total:
        first = 0
        while first < total:
            last, room = first, columns
            while last < total:
                stop = min(last + room, total)
                wide = widths.count(2, last, stop)
                if stop - last + wide <= room:  # all of it fits
                    room -= stop - last + wide
                    last = stop
                    break
                sure = max(room - wide, room // 2)  # characters that fit whatever they are
                if not sure:
                    break  # one cell left, a wide character next
                room -= sure + widths.count(2, last, last + sure)
                last += sure
                if not room:
                    break
            cuts.append((first, last, columns - room))
            first = last
        return cuts
    ends = list(accumulate(widths))
    first = cells_before = 0
    while first < total:
        last = bisect_right(ends, cells_before + columns, first)
        cuts.append((first, last, ends[last - 1] - cells_before))
        cells_before = ends[last - 1]
        first = last
    return cuts


def _run_starts(runs: list[Run]) -> set[int]:
    return set(accumulate((len(run[0]) for run in runs[:-1]), initial=0))


def _split_runs(runs: list[Run], columns: int) -> list[tuple[HistoryLine, int]]:
    """:func:`_split` for ``columns >= 2``: the rows cut from the joined text by slicing,
    adjacent runs of one style merged."""
    if len(runs) == 1:
        text, fg, bg, attrs = runs[0]
    else:
        text = "".join([run[0] for run in runs])
    total = len(text)
    if not total:
        return [((tuple(runs), False), 0)]
    if text.isascii():
        cuts = [(first, min(first + columns, total), min(columns, total - first))
                for first in range(0, total, columns)]
    else:
        found = _cuts(text, runs, columns)
        if found is None:
            return _split_wide(runs, columns)
        cuts = found
    if len(runs) != 1:
        return _cut_rows(runs, cuts, total)
    rows: list[tuple[HistoryLine, int]] = [
        ((((text[first:last], fg, bg, attrs),), True), cells) for first, last, cells in cuts]
    rows[-1] = ((rows[-1][0][0], False), rows[-1][1])
    return rows


def rewrap(lines: Iterable[HistoryLine], columns: int) -> list[HistoryLine]:
    """``lines`` (rows of any widths) re-wrapped at ``columns``: :func:`reflow` without a
    cursor, for a history. A line that stays one row (not wrapped, no wider than
    ``columns``) is kept as it is, the same object; rows joined into a logical line have
    their adjacent runs of one style merged."""
    output: list[HistoryLine] = []
    put = output.append
    pending: list[Run] | None = None  # the runs of a wrapped logical line so far
    for line in lines:
        runs, wrapped = line
        if pending is None:
            if wrapped:
                pending = list(runs)
                continue
            if not runs:
                put(line)
                continue
            if len(runs) == 1:
                text = runs[0][0]
                if len(text) <= columns and (text.isascii() or max_width(text) <= columns):
                    put(line)
                    continue
            rows = _rewrapped(list(runs), columns)
            if len(rows) == 1:
                put(line)
            else:
                output.extend(rows)
            continue
        if runs:
            if pending and pending[-1][1:] == runs[0][1:]:
                last = pending[-1]
                pending[-1] = (last[0] + runs[0][0], last[1], last[2], last[3])
                pending.extend(runs[1:])
            else:
                pending.extend(runs)
        if not wrapped:
            output.extend(_rewrapped(pending, columns))
            pending = None
    if pending:  # the last row was wrapped: its logical line ends with the rows given
        output.extend(_rewrapped(pending, columns))
    return output


def _rewrapped(runs: list[Run], columns: int) -> list[HistoryLine]:
    """One logical line re-wrapped; kept as it is when it fits (as :func:`_split`)."""
    if columns < 2:
        return [row for row, _cells in _split(runs, run_width(runs), columns)]
    if len(runs) == 1:
        text, fg, bg, attrs = runs[0]
        if len(text) <= columns and (text.isascii() or max_width(text) <= columns):
            return [(tuple(runs), False)]
        lines: list[HistoryLine]
        if text.isascii():
            lines = [(((text[first:first + columns], fg, bg, attrs),), True)
                     for first in range(0, len(text), columns)]
        else:
            cuts = _cuts(text, runs, columns)
            if cuts is None:
                lines = [row for row, _cells in _split_wide(runs, columns)]
            else:
                lines = [(((text[first:last], fg, bg, attrs),), True)
                         for first, last, _cells in cuts]
        if len(lines) <= 1:
            return [(tuple(runs), False)]
        lines[-1] = (lines[-1][0], False)
        return lines
    rows = _split_runs(runs, columns) if runs else []
    if len(rows) <= 1:
        return [(tuple(runs), False)]
    return [row for row, _cells in rows]


def _cut_rows(runs: list[Run], cuts: list[tuple[int, int, int]],
              total: int) -> list[tuple[HistoryLine, int]]:
    """Rows of ``runs`` from ``(first, last, cells)`` character ranges, adjacent runs of
    one style merged (as :func:`_split_wide` makes them); all but the last wrapped."""
    run_ends = list(accumulate(len(run[0]) for run in runs))
    rows: list[tuple[HistoryLine, int]] = []
    run_index = 0
    for first, last, cells in cuts:
        row: list[Run] = []
        position = first
        while position < last:
            while run_ends[run_index] <= position:
                run_index += 1
            text, fg, bg, attrs = runs[run_index]
            run_start = run_ends[run_index] - len(text)
            stop = min(last, run_ends[run_index])
            piece = text[position - run_start:stop - run_start]
            if row and row[-1][1] == fg and row[-1][2] == bg and row[-1][3] == attrs:
                row[-1] = (row[-1][0] + piece, fg, bg, attrs)
            else:
                row.append((piece, fg, bg, attrs))
            position = stop
        rows.append(((tuple(row), last < total), cells))
    return rows


def _split_wide(runs: list[Run], columns: int) -> list[tuple[HistoryLine, int]]:
    """:func:`_split` for a line with wide or combining characters and ``columns >= 2`` (so
    every character fits on a row): the same rows, cut from the runs' strings by slicing
    instead of character by character. A combining mark stays with its base character
    (one that starts a run joins the run before it), and adjacent runs of one style merge,
    as :func:`_runs_of` makes them."""
    rows: list[tuple[HistoryLine, int]] = []
    row: list[Run] = []
    used = 0

    def put(text: str, fg: int, bg: int, attrs: int) -> None:
        if row and row[-1][1:] == (fg, bg, attrs):
            row[-1] = (row[-1][0] + text, fg, bg, attrs)
        else:
            row.append((text, fg, bg, attrs))

    for text, fg, bg, attrs in runs:
        if text.isascii():
            position = 0
            while position < len(text):
                if used == columns:
                    rows.append(((tuple(row), True), used))
                    row, used = [], 0
                piece = text[position:position + columns - used]
                put(piece, fg, bg, attrs)
                used += len(piece)
                position += len(piece)
            continue
        start = 0
        for segment in _SEGMENTS.finditer(text):
            index = segment.start()
            if segment.lastgroup == "ascii":  # printable ASCII: one cell a character
                end = segment.end()
                while index < end:
                    if used == columns:
                        if index > start:
                            put(text[start:index], fg, bg, attrs)
                        rows.append(((tuple(row), True), used))
                        row, used, start = [], 0, index
                    take = min(columns - used, end - index)
                    used += take
                    index += take
                continue
            if segment.lastgroup == "wide":  # two cells a character, columns >= 2
                end = segment.end()
                while index < end:
                    if used + 2 > columns:
                        if index > start:
                            put(text[start:index], fg, bg, attrs)
                        rows.append(((tuple(row), True), used))
                        row, used, start = [], 0, index
                    take = min((columns - used) // 2, end - index)
                    used += 2 * take
                    index += take
                continue
            char = segment.group()
            width = _char_width(char)
            if width <= 0:
                if index == start:
                    # a mark that starts a run belongs to the character before it (with
                    # none at all it is dropped, as _units drops it)
                    if row:
                        last = row[-1]
                        row[-1] = (last[0] + char, last[1], last[2], last[3])
                    start = index + 1
                continue
            if used + width > columns and (row or index > start):
                if index > start:
                    put(text[start:index], fg, bg, attrs)
                rows.append(((tuple(row), True), used))
                row, used, start = [], 0, index
            used += width
        if start < len(text):
            put(text[start:], fg, bg, attrs)
    rows.append(((tuple(row), False), used))
    return rows


def reflow(rows: list[tuple[HistoryLine, int]], cursor_row: int, cursor_x: int,
           columns: int) -> tuple[list[tuple[HistoryLine, int]], int, int]:
    """Re-wrap ``rows`` (each a row and its used cells) at ``columns``.

    Returns the new rows and the cursor's new (row, x), for a cursor that was at
    ``cursor_row``/``cursor_x`` in the old rows.
    """
    logical: list[list[Run]] = []
    widths: list[int] = []
    current: list[Run] = []
    width = 0
    cursor_line = 0
    cursor_offset = END
    for index, ((runs, wrapped), used) in enumerate(rows):
        if index == cursor_row:
            cursor_line = len(logical)
            cursor_offset = width + cursor_x if cursor_x < used else END
        current.extend(runs)
        width += used
        if not wrapped:
            logical.append(current)
            widths.append(width)
            current, width = [], 0
    if current or width:
        logical.append(current)
        widths.append(width)
    output: list[tuple[HistoryLine, int]] = []
    new_row = new_x = 0
    for index, (line_runs, line_width) in enumerate(zip(logical, widths)):
        pieces = _split(line_runs, line_width, columns)
        if index == cursor_line:
            if cursor_offset == END:
                new_row, new_x = len(output) + len(pieces) - 1, pieces[-1][1]
            else:
                offset = cursor_offset
                position = 0
                while position < len(pieces) - 1 and offset >= pieces[position][1]:
                    offset -= pieces[position][1]
                    position += 1
                new_row, new_x = len(output) + position, offset
        output.extend(pieces)
    return output, new_row, new_x
