"""The sliced split of wide/combining lines (``reflow._split_wide``, the fallback for a run
that starts with a combining mark) gives the rows the character-by-character split gives (``_units`` + ``_runs_of``, kept for 1-column panes), and ``run_width`` the
widths wcwidth gives, on seeded random runs."""

from __future__ import annotations

import random

from pyte.screens import wcwidth

from aisession_tui.terminal import reflow

ALPHABET = ["a", "b", " ", "abcdefghij", "\x01", "中", "✓", "ｗ", "\u0301", "\u20d7",
            "漢字中文한あｗ", "中中中"]
STYLES = [(0, 0, 0), (1, 0, 0), (0, 2, 4)]


def _by_units(runs, columns):  # type: ignore[no-untyped-def]
    rows, row, used = [], [], 0
    for unit in reflow._units(runs):
        if used + unit[1] > columns and row:
            rows.append(((reflow._runs_of(row), True), used))
            row, used = [], 0
        row.append(unit)
        used += unit[1]
    rows.append(((reflow._runs_of(row), False), used))
    return rows


def _random_runs(rng: random.Random) -> list[tuple[str, int, int, int]]:
    return [("".join(rng.choice(ALPHABET) for _ in range(rng.randint(1, 12))),
             *rng.choice(STYLES)) for _ in range(rng.randint(1, 5))]


def test_the_sliced_split_matches_the_character_split() -> None:
    rng = random.Random(1)
    compared = 0
    for _ in range(5000):
        runs = _random_runs(rng)
        columns = rng.randint(2, 9)
        width = reflow.run_width(runs)
        if width <= columns or all(text.isascii() for text, *_ in runs):
            continue
        expected = _by_units(runs, columns)
        assert reflow._split_wide(runs, columns) == expected, (runs, columns)
        compared += 1
    assert compared > 1000


def test_run_width_counts_cells_as_wcwidth_does() -> None:
    rng = random.Random(2)
    for _ in range(3000):
        runs = _random_runs(rng)
        expected = sum(len(text) if text.isascii() else
                       sum(max(0, wcwidth(char)) for char in text) for text, *_ in runs)
        assert reflow.run_width(runs) == expected, runs
