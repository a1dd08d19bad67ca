"""``pane-border-indicators arrows`` / ``both`` in the real TUI against tmux 3.3a in the same
harness: the same arrows in the same border cells, in the same colours, as the active pane
moves, with four panes, three and two (tmux's two-pane halves). Not with
``pane-border-status``: its title lines are not yet drawn as tmux draws them (styles in
``pane-border-format``, the title's place), so they are left out here."""

from __future__ import annotations

import shutil

import pytest
from e2e_harness import SideBySide, harness, oracle_harness, side_by_side  # noqa: F401

pytestmark = pytest.mark.skipif(shutil.which("tmux") is None, reason="tmux is not installed")

ARROWS = "←→↑↓"


def _arrows(rows: list[list[tuple[str, str]]]) -> int:
    return sum(text.count(arrow) for row in rows for _, text in row for arrow in ARROWS)


def test_border_arrows_match_tmux(side_by_side: SideBySide) -> None:
    pair, both = side_by_side, side_by_side.both

    def compare(what: str, arrows: bool | None = True) -> None:
        rows = pair.same(what)
        if arrows is not None:
            assert (_arrows(rows) > 0) == arrows, what

    both("respawn-pane", "-k", "-t", "p.0", "cat")  # the same (empty) screens
    both("split-window", "-h", "-t", "p", "cat")
    compare("no arrows yet", arrows=False)  # the screen each later step must change
    both("set-option", "-w", "-t", "p", "pane-border-indicators", "arrows")
    for pane in ("p.1", "p.0"):
        both("select-pane", "-t", pane)
        compare(f"two panes, {pane} active")
    both("set-option", "-w", "-t", "p", "pane-border-indicators", "both")
    for pane in ("p.1", "p.0"):  # the separator in halves: an arrow only if one lands
        both("select-pane", "-t", pane)  # in a half of the active pane's
        compare(f"two panes, both, {pane} active", arrows=None)
    both("split-window", "-v", "-t", "p.1", "cat")
    compare("three panes, both")
    both("split-window", "-v", "-t", "p.0", "-l", "8", "cat")
    for pane in ("p.0", "p.1", "p.2", "p.3"):
        both("select-pane", "-t", pane)
        compare(f"four panes, {pane} active")
    both("set-option", "-w", "-t", "p", "pane-border-indicators", "colour")
    compare("colour: no arrows", arrows=False)
