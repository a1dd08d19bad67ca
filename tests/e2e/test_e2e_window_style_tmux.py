"""window-style and window-active-style in the real TUI against tmux 3.3a in the same
harness: every cell of a pane takes its default background from window-style, the active
pane's from window-active-style on top; compared cell by cell (which background each cell
has: the panes' text differs, their shells' prompts are not the same)."""

from __future__ import annotations

import re
import shutil
import subprocess

import pytest
from conftest import IsolatedServer, LiveTmux, wait_until
from e2e_harness import Harness, harness, oracle_harness, start_tmux_oracle  # noqa: F401 - fixtures

pytestmark = pytest.mark.skipif(shutil.which("tmux") is None, reason="tmux is not installed")

_SGR = re.compile(r"\x1b\[([0-9;:]*)m")
CLASSES = {"41": "R", "44": "B"}


def _backgrounds(harness: Harness) -> list[str]:
    """Each pane row (status line left out) as one class a cell: R, B or . (no colour)."""
    text = subprocess.run(["tmux", "-L", harness.name, "capture-pane", "-e", "-p", "-N",
                           "-t", "h"], capture_output=True, text=True, timeout=30,
                          check=False).stdout
    rows = []
    for line in text.rstrip("\n").split("\n")[:-1]:
        cells, background, position = [], ".", 0
        for match in _SGR.finditer(line):
            cells += [background] * len(line[position:match.start()])
            for code in (match.group(1) or "0").split(";"):
                if code in ("0", "49", ""):
                    background = "."
                elif code in CLASSES:
                    background = CLASSES[code]
            position = match.end()
        cells += [background] * len(line[position:])
        rows.append("".join(cells).ljust(120, "."))
    return rows


def test_window_styles_match_tmux(server: IsolatedServer, harness: Harness,
                                  oracle_harness: Harness) -> None:
    oracle = LiveTmux(dict(server.env))

    def ours(*args: str) -> tuple[int, str, str]:
        result = server.run(*args)
        return result.code, result.out, result.err

    try:
        server.ok("new-session", "-d", "-s", "p")
        harness.start("attach", "-t", "p")
        start_tmux_oracle(oracle_harness, oracle, server)
        harness.wait_for("0:bash*")
        oracle_harness.wait_for("0:bash*")
        for run in (ours, oracle.run):
            run("set", "-g", "window-style", "bg=blue")
            run("set", "-g", "window-active-style", "bg=red")
            run("split-window", "-h", "-t", "p")
        wait_until(lambda: "R" in "".join(_backgrounds(oracle_harness)), message="tmux's")
        theirs = _backgrounds(oracle_harness)
        # tmux clears a line's end with EL in the pane's colour, which the harness's capture
        # drops at the end of the line; ai-session writes those cells. So each of tmux's
        # rows, up to its last coloured cell, must start ours, and ours fill both panes.
        def same() -> bool:
            ours_rows = _backgrounds(harness)
            return len(ours_rows) == len(theirs) and all(
                mine.startswith(row.rstrip(".")) and mine[:60] == "B" * 60
                and mine[61:] == "R" * 59 for mine, row in zip(ours_rows, theirs))

        wait_until(same, message=f"the same backgrounds: {theirs[:2]} / {_backgrounds(harness)[:2]}")
    finally:
        oracle.kill()
