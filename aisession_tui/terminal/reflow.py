"""Re-wrap the main screen and its history at a new width, as tmux 3.3a's grid_reflow.

Rows are ``(runs, wrapped)`` (:data:`~.scrollback.HistoryLine`): a wrapped row continues
on the next one. A logical line (rows joined while wrapped) is re-split at the new width;
a wide character that does not fit at a row's end starts the next row (the row is
shorter and marked wrapped). Every row is kept, empty ones too, so the grid keeps its
blank rows below the cursor.

The cursor keeps its character: its position becomes (logical line, cell offset), or
"end of the logical line" when it stood past the row's last cell, and is found again in
the re-wrapped rows (tmux's grid_wrap_position / grid_unwrap_position).
"""

from __future__ import annotations

import re
from bisect import bisect_right
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


def _slice_ascii(runs: list[Run], start: int, stop: int) -> tuple[Run, ...]:
    """Cells ``start`` to ``stop`` of ASCII runs (one cell per character)."""
    sliced: list[Run] = []
    position = 0
    for text, fg, bg, attrs in runs:
        end = position + len(text)
        if end > start and position < stop:
            sliced.append((text[max(0, start - position):stop - position], fg, bg, attrs))
        position = end
        if position >= stop:
            break
    return tuple(sliced)


def _split(runs: list[Run], width: int, columns: int) -> list[tuple[HistoryLine, int]]:
    """One logical line's runs as rows of at most ``columns`` cells, with their widths."""
    if width <= columns:
        return [((tuple(runs), False), width)]
    if all(text.isascii() for text, *_style in runs):
        rows: list[tuple[HistoryLine, int]] = []
        for start in range(0, width, columns):
            stop = min(start + columns, width)
            rows.append(((_slice_ascii(runs, start, stop), stop < width), stop - start))
        return rows
    if columns >= 2:
        # many non-ASCII characters (CJK text): cut by summed widths; a few among ASCII
        # (an icon, a word): slicing around them is faster
        text = "".join([run[0] for run in runs])
        if (len(text.encode()) - len(text)) * 4 > len(text):
            return _split_by_widths(runs, columns) or _split_wide(runs, columns)
        return _split_wide(runs, columns)
    rows = []
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




def _split_by_widths(runs: list[Run], columns: int) -> list[tuple[HistoryLine, int]] | None:
    """:func:`_split_wide`'s rows, cut where the running sum of the characters' widths
    (computed in C: ``str.translate`` and ``itertools.accumulate``) passes each row's end.
    None when a run starts with a zero-width character (it joins the run before it, which
    :func:`_split_wide` handles)."""
    pieces: list[bytes] = []
    for text, *_style in runs:
        if text.isascii():
            pieces.append(b"\x01" * len(text))  # one cell a character, as _split_wide
            continue
        widths = text.translate(_CELL_WIDTHS).encode("latin-1")
        if widths[:1] == b"\x00":
            return None
        pieces.append(widths)
    ends = list(accumulate(b"".join(pieces)))
    total = len(ends)
    cuts: list[tuple[int, int, int]] = []
    first = 0
    cells_before = 0
    while first < total:
        last = bisect_right(ends, cells_before + columns, first)
        cuts.append((first, last, ends[last - 1] - cells_before))
        cells_before = ends[last - 1]
        first = last
    return _cut_rows(runs, cuts, total)


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
