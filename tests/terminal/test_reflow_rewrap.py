"""``reflow.rewrap`` (the history's re-wrap, whole logical lines cut from their joined
text) and ``reflow.reflow`` give the rows the character-by-character split gives
(``_units``), on seeded random histories of wrapped rows: wide characters at the wrap
point, combining marks (also starting a run), characters in blocks of mixed widths,
C1 controls, characters past the BMP. Runs are compared merged (a joined line's
adjacent runs of one style are merged, a split ASCII line's used to stay apart)."""

from __future__ import annotations

import random

from aisession_tui.terminal import reflow
from aisession_tui.terminal.scrollback import HistoryLine
from aisession_tui.terminal.style import Run

ALPHABET = ["a", "b", " ", "abcdefghij", "x" * 25, "中", "✓", "✅", "ｗ", "\u0301", "\u20d7",
            "漢字中文한あｗ", "中中中", "é", "\u0085", "│", "\U0001f600", "\u302a", "カタカナ",
            "\ud7a3\ud7b0", "\u200b"]
STYLES = [(0, 0, 0), (1, 0, 0), (0, 2, 4)]


def _merged(runs: tuple[Run, ...] | list[Run]) -> tuple[Run, ...]:
    merged: list[Run] = []
    for run in runs:
        if not run[0]:
            continue
        if merged and merged[-1][1:] == run[1:]:
            merged[-1] = (merged[-1][0] + run[0], *run[1:])
        else:
            merged.append(run)
    return tuple(merged)


def _expected(lines: list[HistoryLine], columns: int) -> list[HistoryLine]:
    """Logical lines joined, then split one character at a time when too wide."""
    logical: list[list[Run]] = []
    current: list[Run] = []
    for runs, wrapped in lines:
        current.extend(runs)
        if not wrapped:
            logical.append(current)
            current = []
    if current:
        logical.append(current)
    rows: list[HistoryLine] = []
    for runs in logical:
        if reflow.run_width(runs) <= columns:  # kept as it is
            rows.append((tuple(runs), False))
            continue
        row: list[tuple[str, int, tuple[int, int, int]]] = []
        used = 0
        for unit in reflow._units(runs):
            if used + unit[1] > columns and row:
                rows.append((reflow._runs_of(row), True))
                row, used = [], 0
            row.append(unit)
            used += unit[1]
        rows.append((reflow._runs_of(row), False))
    return rows


def _random_history(rng: random.Random) -> list[HistoryLine]:
    lines: list[HistoryLine] = []
    for _ in range(rng.randint(1, 6)):
        runs = tuple(("".join(rng.choice(ALPHABET) for _ in range(rng.randint(1, 8))),
                      *rng.choice(STYLES)) for _ in range(rng.randint(0, 4)))
        lines.append((runs, rng.random() < 0.5))
    return lines


def _normal(rows: list[HistoryLine]) -> list[HistoryLine]:
    return [(_merged(runs), wrapped) for runs, wrapped in rows]


def test_rewrap_matches_the_character_split() -> None:
    rng = random.Random(15)
    for _ in range(4000):
        lines = _random_history(rng)
        columns = rng.choice([2, 3, 4, 5, 7, 9, 13, 30, 80])
        expected = _normal(_expected(lines, columns))
        assert _normal(reflow.rewrap(lines, columns)) == expected, (lines, columns)
        rows = [(line, reflow.run_width(line[0])) for line in lines]
        new_rows, _row, _x = reflow.reflow(rows, -1, 0, columns)
        assert _normal([row for row, _used in new_rows]) == expected, (lines, columns)


def test_rewrap_keeps_unchanged_lines_as_they_are() -> None:
    short: HistoryLine = ((("ok 中文 ✓", 1, 0, 0),), False)
    wrapped: list[HistoryLine] = [((("a" * 10, 0, 0, 0),), True), ((("b" * 3, 0, 0, 0),), False)]
    rows = reflow.rewrap([short, *wrapped], 20)
    assert rows[0] is short
    assert rows[1] == ((("a" * 10 + "b" * 3, 0, 0, 0),), False)


def test_rewrap_cells_are_wcwidths() -> None:
    """The cells counted per character (UTF-16 high-byte blocks, the mixed ones looked up
    alone) are wcwidth's, for every BMP character and some past it."""
    from pyte.screens import wcwidth

    codes = list(range(0x80, 0x10000, 7)) + [0x1F600, 0x1F1E6, 0xE0001, 0x20000]
    text = "".join(chr(code) for code in codes if not 0xD800 <= code < 0xE000)
    expected = bytes(max(0, wcwidth(char)) for char in text)
    assert reflow._line_widths(text) == expected
    for start in range(0, len(text), 97):
        piece = "ab" + text[start:start + 97]
        assert reflow._line_widths(piece) == b"\x01\x01" + expected[start:start + 97]
