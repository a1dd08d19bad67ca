"""The area outside a window smaller than the client, in the real TUI against tmux 3.3a in
the same harness: the window's right and bottom edges drawn as one border line (joined
with ``┴`` and ``┤`` to the separators that reach them, ``┘`` at the corner) and the rest
filled with middle dots, or with ``fill-character``, all in ``pane-border-style``.
Compared cell by cell, characters and colours, outside the window (the panes' shells
differ)."""

from __future__ import annotations

import shutil

import pytest
from conftest import wait_until
from e2e_harness import (  # noqa: F401 - fixtures
    Harness,
    SideBySide,
    harness,
    oracle_harness,
    sgr_cells,
    side_by_side,
)

pytestmark = pytest.mark.skipif(shutil.which("tmux") is None, reason="tmux is not installed")

WIDTH, HEIGHT = 40, 10
"""The window's size, smaller than the harness's 120x40 terminal."""


def _outside(terminal: Harness) -> list[list[tuple[str, str]]]:
    """Each terminal row above the status line, from the window's right edge on, and
    the rows from its bottom edge on in full: (character, SGR state) per cell."""
    text = terminal.tmux("capture-pane", "-e", "-p", "-N", "-t", "h")
    rows = []
    for y, line in enumerate(text.rstrip("\n").split("\n")[:39]):
        cells = sgr_cells(line)
        rows.append(cells if y >= HEIGHT else cells[WIDTH:])
    return rows


def _same_outside(harness: Harness, oracle_harness: Harness, fill: str) -> None:
    """Wait until tmux fills its last row with ``fill``, then until ours is the same."""
    wait_until(lambda: {char for char, _ in _outside(oracle_harness)[-1]} == {fill},
               message=f"tmux's last row filled with {fill!r}")
    theirs: list[list[tuple[str, str]]] = []

    def same() -> bool:
        nonlocal theirs
        theirs = _outside(oracle_harness)
        return _outside(harness) == theirs and len(theirs) == 39

    def show(rows: list[list[tuple[str, str]]]) -> str:
        return "\n".join("".join(char for char, _ in row) for row in rows[:HEIGHT + 2])

    try:
        wait_until(same, message="the same cells outside the window")
    except AssertionError:
        raise AssertionError(f"tmux:\n{show(theirs)}\nai-session:\n{show(_outside(harness))}"
                             f"\ntmux's first edge cells: {theirs[0][:2]}, ours: "
                             f"{_outside(harness)[0][:2]}") from None


def test_outside_a_smaller_window_matches_tmux(side_by_side: SideBySide) -> None:
    pair = side_by_side

    def ours(*args: str) -> tuple[int, str, str]:
        result = pair.server.run(*args)
        return result.code, result.out, result.err

    for run in (ours, pair.oracle.run):
        assert run("set", "-g", "pane-border-style", "fg=red")[0] == 0
        assert run("split-window", "-h", "-t", "p")[0] == 0
        assert run("split-window", "-v", "-t", "p")[0] == 0
        assert run("resize-window", "-t", "p", "-x", str(WIDTH), "-y", str(HEIGHT))[0] == 0
    _same_outside(pair.ours, pair.theirs, "·")
    for run in (ours, pair.oracle.run):
        assert run("set", "-w", "-t", "p", "fill-character", "x")[0] == 0
        assert run("set", "-g", "pane-border-style", "fg=blue,bg=yellow")[0] == 0
    _same_outside(pair.ours, pair.theirs, "x")
