"""The client's terminal driver: Textual's Linux driver, sized the way tmux sizes a client.

A terminal can report a size of 0 (``TIOCGWINSZ`` with ``ws_row``/``ws_col`` 0: some CI
pseudo-terminals, ``stty rows 0 cols 0``). tmux 3.3a's client then counts as 80 columns
when the columns are 0 and 24 lines when the lines are 0, each on its own (measured: a
tmux client in a 0x0 terminal is ``80x24``, in 0 lines by 100 columns ``100x24``, in 30
lines by 0 columns ``80x30``). :func:`terminal_size` does the same.

Textual asks two places for the size, and they disagree on such a terminal: the driver
(``shutil.get_terminal_size``: 80x24) and, for the app's first layout, Rich's console
(80x25). Two resize events of different sizes in flight make Textual's screen lay itself
out at one, post itself a resize, lay out at the other, and so on forever (a renderer at
a third of a CPU that never draws). :class:`TerminalDriver` answers both from
:func:`terminal_size`: its size is known from its creation, so the app never asks Rich.

Invariant: every size this driver reports has both dimensions at least 1 and equals what
:func:`terminal_size` says for the process's terminal at that moment.
"""

from __future__ import annotations

import os
import sys
from typing import Any

from textual.drivers.linux_driver import LinuxDriver

DEFAULT_COLUMNS = 80
"""Columns of a terminal that reports 0 columns (or no size at all), as in tmux."""
DEFAULT_LINES = 24
"""Lines of a terminal that reports 0 lines (or no size at all), as in tmux."""


def terminal_size(fds: tuple[int, ...] | None = None) -> tuple[int, int]:
    """(columns, lines) of the first of ``fds`` that is a terminal (standard output, then
    standard input, by default), a dimension of 0 replaced by tmux's default for it."""
    if fds is None:
        fds = tuple(_fileno(stream) for stream in (sys.__stdout__, sys.__stdin__))
    for fd in fds:
        if fd < 0:
            continue
        try:
            columns, lines = os.get_terminal_size(fd)
        except (OSError, ValueError):
            continue
        return columns or DEFAULT_COLUMNS, lines or DEFAULT_LINES
    return DEFAULT_COLUMNS, DEFAULT_LINES


def _fileno(stream: Any) -> int:
    try:
        return int(stream.fileno())
    except (AttributeError, OSError, ValueError):
        return -1


class TerminalDriver(LinuxDriver):
    """Textual's Linux driver whose size is always :func:`terminal_size`'s."""

    def __init__(self, app: Any, **kwargs: Any) -> None:
        super().__init__(app, **kwargs)
        if self._size is None:  # known now: the app's first layout must not ask Rich
            self._size = self._get_terminal_size()

    def _get_terminal_size(self) -> tuple[int, int]:
        return terminal_size()
