"""The server's log: private, bounded in size, and calm under a flood of bad requests.

* The file is created 0600 (also each rotated file), whatever the umask.
* It rotates at :data:`MAX_BYTES` keeping :data:`BACKUPS` old files, so the log never takes
  more than ``MAX_BYTES * (BACKUPS + 1)`` bytes (:class:`PrivateRotatingFileHandler`: what
  the standard library's ``RotatingFileHandler`` does, on ``logging.FileHandler``, because
  importing ``logging.handlers`` - ``pickle`` and the rest - was ~2.5 ms of the server's
  start, issue 17).
* A traceback from the same place is written at most :data:`TRACEBACKS_PER_WINDOW` times per
  :data:`WINDOW` seconds; the rest are counted and the count is reported with the next one
  let through, so one bad client sending the same broken request cannot fill the disk.
"""

from __future__ import annotations

import logging
import os
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from ..protocol.paths import private_file

MAX_BYTES = 5 * 1024 * 1024
BACKUPS = 2
TRACEBACKS_PER_WINDOW = 5
WINDOW = 60.0
FORMAT = "%(asctime)s %(process)d %(levelname)s %(name)s: %(message)s"


class PrivateRotatingFileHandler(logging.FileHandler):
    """Appends records to a file created 0600. Before a record that would bring the file
    to ``maxBytes``, the file becomes ``NAME.1`` (``NAME.1`` becomes ``NAME.2``, and so on
    up to ``backupCount``; the oldest goes) and a new one starts. Like the standard
    library's rotating handler: no rotation when either bound is 0, nor for a file that is
    not a regular file (``/dev/null``)."""

    def __init__(self, filename: str | os.PathLike[str], maxBytes: int = 0,
                 backupCount: int = 0, encoding: str | None = None,
                 errors: str | None = None) -> None:
        super().__init__(filename, mode="a", encoding=encoding, errors=errors)
        self.max_bytes = maxBytes
        self.backups = backupCount

    def _open(self) -> Any:
        private_file(Path(self.baseFilename))
        return super()._open()

    def emit(self, record: logging.LogRecord) -> None:
        try:
            if self._full(record):
                self._rotate()
        except Exception:  # as logging does: report, never raise
            self.handleError(record)
            return
        super().emit(record)

    def _full(self, record: logging.LogRecord) -> bool:
        if self.max_bytes <= 0 or self.backups <= 0:
            return False
        if os.path.exists(self.baseFilename) and not os.path.isfile(self.baseFilename):
            return False
        if self.stream is None:
            self.stream = self._open()
        size = self.stream.seek(0, os.SEEK_END)
        return size + len(self.format(record)) + 1 >= self.max_bytes

    def _rotate(self) -> None:
        if self.stream is not None:
            self.stream.close()
            self.stream = None  # (FileHandler.emit opens it again)
        for number in range(self.backups, 0, -1):
            source = self.baseFilename if number == 1 else f"{self.baseFilename}.{number - 1}"
            if os.path.exists(source):
                os.replace(source, f"{self.baseFilename}.{number}")


class TracebackRateLimit(logging.Filter):
    """Lets through at most ``limit`` tracebacks per place per ``window`` seconds."""

    def __init__(self, limit: int = TRACEBACKS_PER_WINDOW, window: float = WINDOW,
                 clock: Callable[[], float] = time.monotonic) -> None:
        super().__init__()
        self.limit = limit
        self.window = window
        self.clock = clock
        # place -> (window start, let through in the window, suppressed since the last)
        self._seen: dict[tuple[str, str, int], tuple[float, int, int]] = {}

    def filter(self, record: logging.LogRecord) -> bool:
        if not record.exc_info:
            return True
        kind = record.exc_info[0].__name__ if record.exc_info[0] else ""
        key = (kind, record.pathname, record.lineno)
        now = self.clock()
        start, count, suppressed = self._seen.get(key, (now, 0, 0))
        if now - start >= self.window:
            start, count = now, 0
        if count >= self.limit:
            self._seen[key] = (start, count, suppressed + 1)
            return False
        if suppressed:
            record.msg = f"{record.msg} ({suppressed} similar tracebacks suppressed)"
        self._seen[key] = (start, count + 1, 0)
        if len(self._seen) > 1000:  # places are few; never let the table itself grow
            self._seen.clear()
        return True


def configure(logfile: Path) -> logging.Handler:
    """Send the process's logging to ``logfile`` (rotating, private, rate-limited); to
    stderr when the file cannot be written (a read-only or full home: the server runs)."""
    handler: logging.Handler
    try:
        handler = PrivateRotatingFileHandler(logfile, maxBytes=MAX_BYTES,
                                             backupCount=BACKUPS, encoding="utf-8",
                                             errors="backslashreplace")
    except OSError:
        handler = logging.StreamHandler()
    handler.setFormatter(logging.Formatter(FORMAT))
    handler.addFilter(TracebackRateLimit())
    root = logging.getLogger()
    root.addHandler(handler)
    root.setLevel(logging.INFO)
    return handler
