"""``pane-border-status`` and ``pane-border-format`` in the real TUI against tmux 3.3a in the
same harness: each pane's title line in the same cells, characters and colours (the format's
``#[...]`` styles on the pane's border style, from two cells in, the border line around it),
at the top and at the bottom, as the active pane moves, with arrows on."""

from __future__ import annotations

import shutil

import pytest
from e2e_harness import SideBySide, harness, oracle_harness, side_by_side  # noqa: F401

pytestmark = pytest.mark.skipif(shutil.which("tmux") is None, reason="tmux is not installed")


def test_border_status_lines_match_tmux(side_by_side: SideBySide) -> None:
    pair, both = side_by_side, side_by_side.both
    both("respawn-pane", "-k", "-t", "p.0", "cat")  # the same (empty) screens
    both("split-window", "-h", "-t", "p", "cat")
    both("split-window", "-v", "-t", "p.1", "cat")
    for pane in ("p.0", "p.1", "p.2"):  # the same titles in both
        both("select-pane", "-t", pane, "-T", "title")
    pair.same("no status lines")  # the screen each later step must change
    both("set-option", "-w", "-t", "p", "pane-border-status", "top")
    for pane in ("p.2", "p.0"):
        both("select-pane", "-t", pane)
        pair.same(f"top, {pane} active")
    both("set-option", "-w", "-t", "p", "pane-border-status", "bottom")
    pair.same("bottom")
    both("set-option", "-w", "-t", "p", "pane-border-indicators", "arrows")
    pair.same("bottom, arrows")
    both("set-option", "-w", "-t", "p", "pane-border-format",
         "#[fg=red]#{pane_index}#[default]:#{pane_width}#[align=right,bg=blue]R")
    pair.same("a styled format, right-aligned part")
    both("set-option", "-w", "-t", "p", "pane-border-status", "top")
    both("select-pane", "-t", "p.1")
    pair.same("top, styled, p.1 active")
