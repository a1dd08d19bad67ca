"""A stand-in for :class:`~aisession_tui.server.pane.PtyBackend` that spawns nothing.

Tests pass :func:`fake_pane_factory` where the engine takes a ``pane_factory`` (see
:func:`~aisession_tui.server.services.build_services`), so layout-changing commands and
engine logic run in milliseconds without a shell. A :class:`FakePty` behaves as a terminal
whose child is a silent program: what is written to it is echoed back (as a PTY in cooked
mode echoes, ``\\r`` as ``\\r\\n``), :meth:`FakePty.output` plays bytes as the child's
output, :meth:`FakePty.finish` ends the child with an exit code, and a hang-up ends it with
SIGHUP.

Invariants: the backend's ``fd`` is the read end of a real pipe, so the pane reads it from
the event loop exactly as it reads a PTY; end of file on it means the child is gone; pids
are above Linux's largest possible pid (2**22), so no signal sent to one can reach a real
process; nothing here touches the terminal or spawns a process.
"""

from __future__ import annotations

import itertools
import os
import signal
from collections.abc import Callable
from pathlib import Path
from typing import Any

from .pane import Pane

FIRST_FAKE_PID = 2**22 + 1
"""Linux's ``pid_max`` is at most 2**22: a fake pid never names a real process."""
_pids = itertools.count(FIRST_FAKE_PID)


class FakePty:
    """The OS side of a pane, with no OS process behind it (see the module docstring)."""

    def __init__(self, argv: list[str], cwd: str, env: dict[str, str], columns: int,
                 lines: int, *, echo: bool = True) -> None:
        self.argv = argv
        self.cwd = cwd
        self.env = env
        self.size = (columns, lines)
        self.resizes: list[tuple[int, int]] = []
        """Every size :meth:`resize` set, in order (the SIGWINCHes a child would see)."""
        self.written = bytearray()
        """Everything the pane wrote to the child."""
        self.echo = echo
        self.pid = next(_pids)
        self.fd, self._feed = os.pipe()
        os.set_blocking(self.fd, False)
        self.exited = False
        self.exit_code: int | None = None
        self.exit_signal: int | None = None
        self.hangups = 0

    # ----------------------------------------------------------- test side
    def output(self, data: bytes) -> None:
        """Play ``data`` as the child's output (the pane reads it from the loop)."""
        if self._feed >= 0:
            os.write(self._feed, data)

    def finish(self, code: int = 0, sig: int | None = None) -> None:
        """End the child: it exits with ``code`` (or dies of ``sig``)."""
        if self.exited:
            return
        self.exited = True
        self.exit_code, self.exit_signal = (None, sig) if sig is not None else (code, None)
        self._close_feed()

    # ------------------------------------------------------- PtyBackend side
    def read(self, size: int) -> bytes:
        """Up to ``size`` bytes; ``b""`` once the child is gone; BlockingIOError if empty."""
        if self.fd < 0:
            return b""
        return os.read(self.fd, size)

    def write(self, data: bytes | memoryview) -> int:
        """Take every byte (a fake child reads at once); echo it when ``echo``."""
        chunk = bytes(data)
        self.written += chunk
        if self.echo and not self.exited:
            self.output(chunk.replace(b"\r", b"\r\n"))
        return len(chunk)

    def resize(self, columns: int, lines: int) -> None:
        """Record the new size."""
        self.size = (columns, lines)
        self.resizes.append((columns, lines))

    def poll(self) -> tuple[bool, int | None, int | None]:
        """(exited, exit code, killing signal)."""
        return self.exited, self.exit_code, self.exit_signal

    def hangup(self) -> None:
        """A hang-up ends the fake child (of SIGHUP), as it ends a shell."""
        self.hangups += 1
        self.finish(sig=signal.SIGHUP)

    def force_kill(self) -> None:
        """SIGKILL: the child is gone."""
        self.finish(sig=signal.SIGKILL)

    def close(self) -> None:
        """Close the pane's end (idempotent)."""
        if self.fd >= 0:
            os.close(self.fd)
            self.fd = -1

    def _close_feed(self) -> None:
        if self._feed >= 0:
            os.close(self._feed)
            self._feed = -1

    def foreground_command(self) -> str | None:
        """The child's name: its argv[0]'s base name."""
        return Path(self.argv[0]).name if self.argv else None

    def foreground_cwd(self) -> str | None:
        """Where the child started (a fake child never changes directory)."""
        return self.cwd

    def tty_name(self) -> str:
        """No device: the empty string."""
        return ""

    def _foreground_pid(self) -> int | None:
        """No terminal, so no foreground process group."""
        return None

    def __del__(self) -> None:
        self._close_feed()
        self.close()


def fake_pane_factory(echo: bool = True,
                      made: list[FakePty] | None = None) -> Callable[..., Pane]:
    """A ``pane_factory`` making :class:`Pane` objects on :class:`FakePty` backends
    (each backend is also appended to ``made``, when given)."""

    def backend(*args: Any) -> FakePty:
        fake = FakePty(*args, echo=echo)
        if made is not None:
            made.append(fake)
        return fake

    def factory(*args: Any, **kwargs: Any) -> Pane:
        return Pane(*args, **kwargs, backend_factory=backend)

    return factory
