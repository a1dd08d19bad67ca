"""Clock mode (``C-b t``) in the real TUI against tmux 3.3a in the same harness: the same
block digits in the same cells, then the text form in a pane too small for them, and any
key leaves the mode in both. Cells are compared by character and by whether their
background is coloured (the exact colour codes are the terminals' own)."""

from __future__ import annotations

import re
import shutil
import subprocess

import pytest
from conftest import wait_until
from e2e_harness import Harness, SideBySide, harness, oracle_harness, side_by_side  # noqa: F401

pytestmark = pytest.mark.skipif(shutil.which("tmux") is None, reason="tmux is not installed")

_SGR = re.compile(r"\x1b\[([0-9;:]*)m")


def _coloured_background(params: str, current: bool) -> bool:
    """Whether the background is coloured after ``CSI params m``."""
    codes = [code for code in re.split(r"[;:]", params) if code] or ["0"]
    index = 0
    while index < len(codes):
        code = int(codes[index]) if codes[index].isdigit() else -1
        if code in (0, 49):
            current = False
        elif 40 <= code <= 47 or 100 <= code <= 107:
            current = True
        elif code in (38, 48):
            current = current or code == 48
            index += 2 if index + 1 < len(codes) and codes[index + 1] == "5" else 4
        index += 1
    return current


def _cells(harness: Harness) -> list[str]:
    """The pane rows (above the status line): each cell its character, or ``#`` where its
    background is coloured; trailing blanks removed."""
    text = subprocess.run(["tmux", "-L", harness.name, "capture-pane", "-e", "-p", "-N", "-t", "h"],
                          capture_output=True, text=True, timeout=30, check=False).stdout
    rows = []
    for line in text.rstrip("\n").split("\n")[:-1]:
        cells, coloured, position = [], False, 0
        for match in _SGR.finditer(line):
            cells += ["#" if coloured else char for char in line[position:match.start()]]
            coloured = _coloured_background(match.group(1), coloured)
            position = match.end()
        cells += ["#" if coloured else char for char in line[position:]]
        rows.append("".join(cells).rstrip())
    return rows


def _same(ours: Harness, theirs: Harness, left: int = 0) -> tuple[list[str], list[str]]:
    """Both screens from column ``left`` on, once they agree (the minute may turn, or a
    terminal still draws)."""
    def cut(harness: Harness) -> list[str]:
        return [row[left:] for row in _cells(harness)]

    try:
        wait_until(lambda: cut(ours) == cut(theirs), message="the same clock")
    except AssertionError:
        pass  # the caller's assertion shows the difference
    return cut(ours), cut(theirs)


def test_clock_mode_matches_tmux(side_by_side: SideBySide) -> None:
    server, oracle = side_by_side.server, side_by_side.oracle
    harness, oracle_harness = side_by_side.ours, side_by_side.theirs
    side_by_side.keys("C-b", "t")
    # the face: at least four digits of five cells each ("11:11" is the sparsest time)
    wait_until(lambda: sum(row.count("#") for row in _cells(harness)) >= 20,
               message="our clock drawn")
    ours, theirs = _same(harness, oracle_harness)
    assert ours == theirs
    assert server.ok("display-message", "-p", "-t", "p", "#{pane_mode}") == "clock-mode\n"
    side_by_side.keys("x")  # any key leaves it
    wait_until(lambda: server.ok("display-message", "-p", "-t", "p", "#{pane_mode}")
               == "\n", message="our clock left")
    wait_until(lambda: "#" * 5 not in "".join(_cells(harness)), message="our face gone")
    # a pane too small for the digits: the time as text, on its middle row
    for run in (server.ok, oracle.run):
        run("split-window", "-h", "-t", "p", "-l", "20")
        run("set-option", "-w", "-t", "p", "clock-mode-style", "12")
        run("clock-mode", "-t", "p.1")
    wait_until(lambda: re.search(r"[AP]M", "".join(_cells(harness))) is not None,
               message="our small clock")
    ours, theirs = _same(harness, oracle_harness, left=100)  # the 20-column pane
    assert ours == theirs
    assert sum(bool(re.search(r"\d:\d\d [AP]M", row)) for row in ours) == 1
