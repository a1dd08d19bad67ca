"""The client's terminal size (aisession_tui/client/terminal_driver.py): a dimension a
terminal reports as 0 is tmux's default for it (80 columns, 24 lines), each on its own;
no terminal at all is 80x24. The e2e test (tests/e2e/test_e2e_zero_size_terminal.py)
compares a whole attach with tmux 3.3a's."""

from __future__ import annotations

import fcntl
import os
import struct
import termios

import pytest

pytest.importorskip("textual")

from aisession_tui.client.terminal_driver import terminal_size  # noqa: E402


@pytest.mark.parametrize(("lines", "columns", "expected"), [
    (0, 0, (80, 24)), (0, 100, (100, 24)), (30, 0, (80, 30)), (40, 120, (120, 40))])
def test_zero_dimensions_fall_back_as_in_tmux(lines: int, columns: int,
                                              expected: tuple[int, int]) -> None:
    master, slave = os.openpty()
    try:
        fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", lines, columns, 0, 0))
        assert terminal_size((slave,)) == expected
    finally:
        os.close(master)
        os.close(slave)


def test_the_first_terminal_answers_and_no_terminal_is_80x24() -> None:
    read, write = os.pipe()
    master, slave = os.openpty()
    try:
        fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", 10, 50, 0, 0))
        assert terminal_size((read, slave)) == (50, 10)  # a pipe is skipped
        assert terminal_size((read, write)) == (80, 24)
        assert terminal_size((-1,)) == (80, 24)
    finally:
        for fd in (read, write, master, slave):
            os.close(fd)
