"""The server's log: private, bounded in size, and calm under a flood of bad requests.

* The file is created 0600 (also each rotated file), whatever the umask.
* It rotates at :data:`MAX_BYTES` keeping :data:`BACKUPS` old files, so the log never takes
  more than ``MAX_BYTES * (BACKUPS + 1)`` bytes.
* A traceback from the same place is written at most :data:`TRACEBACKS_PER_WINDOW` times per
  :data:`WINDOW` seconds; the rest are counted and the count is reported with the next one
  let through, so one bad client sending the same broken request cannot fill the disk.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from logging.handlers import RotatingFileHandler
from pathlib import Path
from typing import Any

from ..protocol.paths import private_file

MAX_BYTES = 5 * 1024 * 1024
BACKUPS = 2
TRACEBACKS_PER_WINDOW = 5
WINDOW = 60.0
FORMAT = "%(asctime)s %(process)d %(levelname)s %(name)s: %(message)s"


class PrivateRotatingFileHandler(RotatingFileHandler):
    """A rotating handler whose files are created 0600."""

    def _open(self) -> Any:
        private_file(Path(self.baseFilename))
        return super()._open()


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
