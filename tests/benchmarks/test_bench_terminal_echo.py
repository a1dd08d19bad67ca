"""The terminal_echo workload's harness: finding the echo cell on an emulated screen, and a
real program on the harness's PTY whose echo the watch sees appear and disappear."""

from __future__ import annotations

import os
import sys
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(REPO / "benchmarks"))

from workloads.common import BenchContext, Cleanup
from workloads.terminal_echo import MARKER, TERMINAL_LINES, EchoCell, PtyTerminal

from aisession_tui.terminal.emulator import Emulator

DEADLINE = 60.0


def _screen(data: bytes) -> Emulator:
    screen = Emulator(200, TERMINAL_LINES, history_limit=0)
    screen.feed(data)
    return screen


def test_echo_cell_is_below_the_start_of_the_marker_drawn_with_cursor_addressing() -> None:
    screen = _screen(b"\x1b[?1049h\x1b[H\x1b[2J\x1b[1;102Hother pane"
                     b"\x1b[7;40H" + MARKER.encode() + b"\x1b[51;1H[term] 0:cat*")
    cell = EchoCell.find(screen, MARKER)
    assert cell is not None
    assert (cell.row, cell.column) == (7, 39)
    assert cell.shows(screen, " ") and not cell.watch(True)(screen)
    screen.feed(b"\x1b[8;40Hx")
    assert cell.watch(True)(screen) and not cell.watch(False)(screen)
    screen.feed(b"\x1b[8;40H\x1b[K")
    assert cell.watch(False)(screen)


def test_echo_cell_needs_exactly_one_marker_row_with_a_row_below() -> None:
    assert EchoCell.find(_screen(b"nothing drawn yet"), MARKER) is None
    twice = _screen(MARKER.encode() + b"\r\n\r\n" + MARKER.encode())
    assert EchoCell.find(twice, MARKER) is None
    last_row = _screen(f"\x1b[{TERMINAL_LINES};1H{MARKER}".encode())
    assert EchoCell.find(last_row, MARKER) is None


@pytest.fixture
def context() -> Iterator[BenchContext]:
    cleanup = Cleanup()
    with tempfile.TemporaryDirectory() as workdir:
        try:
            yield BenchContext(quick=True, workdir=Path(workdir), cleanup=cleanup, runs=1,
                               warmups=0, verbose=False)
        finally:
            cleanup.run_all()


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    return True


def test_a_program_on_the_pty_echoes_and_erases_and_is_killed_on_close(
        context: BenchContext) -> None:
    script = f"printf '\\033[?1049h\\033[3;5H{MARKER}\\033[4;5H'; exec cat"
    terminal = PtyTerminal(context, "cat", ["sh", "-c", script],
                           {"PATH": os.environ.get("PATH", "/usr/bin:/bin"),
                            "TERM": "xterm-256color"})
    found: list[EchoCell] = []

    def drawn(screen: Emulator) -> bool:
        cell = EchoCell.find(screen, MARKER)
        if cell is not None:
            found.append(cell)
        return cell is not None

    terminal.wait_until(drawn, DEADLINE)
    cell = found[-1]
    assert (cell.row, cell.column) == (3, 4)
    for key, echoed in ((b"x", True), (b"\x7f", False), (b"x", True)):
        terminal.expect(cell.watch(echoed))
        terminal.type(key)
        terminal.wait(DEADLINE)
        shown = terminal.snapshot()[cell.row][cell.column:cell.column + 1]
        assert (shown == "x") == echoed
    assert terminal.received > len(MARKER)
    terminal.close()
    assert not _alive(terminal.pid)
