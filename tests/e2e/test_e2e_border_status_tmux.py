"""``pane-border-status`` and ``pane-border-format`` in the real TUI against tmux 3.3a in the
same harness: each pane's title line in the same cells, characters and colours (the format's
``#[...]`` styles on the pane's border style, from two cells in, the border line around it),
at the top and at the bottom, as the active pane moves, with arrows on."""

from __future__ import annotations

import shutil
from typing import Any

import pytest
from conftest import IsolatedServer, LiveTmux
from e2e_harness import (  # noqa: F401 - fixtures
    Harness,
    harness,
    oracle_harness,
    same_window_runs,
    start_tmux_oracle,
)

pytestmark = pytest.mark.skipif(shutil.which("tmux") is None, reason="tmux is not installed")


def test_border_status_lines_match_tmux(server: IsolatedServer, harness: Harness,
                                        oracle_harness: Harness) -> None:
    oracle = LiveTmux(dict(server.env))

    def both(*args: str) -> None:
        server.ok(*args)
        code, _, err = oracle.run(*args)
        assert code == 0, err

    def compare(what: str) -> None:
        ours, theirs = same_window_runs(harness, oracle_harness, screens[-1] if screens else None)
        screens.append((ours, theirs))
        assert ours == theirs, what

    screens: list[tuple[Any, Any]] = []
    try:
        server.ok("new-session", "-d", "-s", "p")
        harness.start("attach", "-t", "p")
        start_tmux_oracle(oracle_harness, oracle, server)
        harness.wait_for("0:bash*")
        oracle_harness.wait_for("0:bash*")
        both("respawn-pane", "-k", "-t", "p.0", "cat")  # the same (empty) screens
        both("split-window", "-h", "-t", "p", "cat")
        both("split-window", "-v", "-t", "p.1", "cat")
        for pane in ("p.0", "p.1", "p.2"):  # pane titles are the host name in both
            both("select-pane", "-t", pane, "-T", "title")
        compare("no status lines")  # the screen each later step must change
        both("set-option", "-w", "-t", "p", "pane-border-status", "top")
        for pane in ("p.2", "p.0"):
            both("select-pane", "-t", pane)
            compare(f"top, {pane} active")
        both("set-option", "-w", "-t", "p", "pane-border-status", "bottom")
        compare("bottom")
        both("set-option", "-w", "-t", "p", "pane-border-indicators", "arrows")
        compare("bottom, arrows")
        both("set-option", "-w", "-t", "p", "pane-border-format",
             "#[fg=red]#{pane_index}#[default]:#{pane_width}#[align=right,bg=blue]R")
        compare("a styled format, right-aligned part")
        both("set-option", "-w", "-t", "p", "pane-border-status", "top")
        both("select-pane", "-t", "p.1")
        compare("top, styled, p.1 active")
    finally:
        oracle.kill()
