"""A long history re-wrapped on a worker thread, so a resize does not stall the server.

A resize re-wraps the visible screen and the newest history rows at once (see
``PaneScreen._reflow``); the older rows (``segments``: frozen views of scrollbacks, rows of
any width that end at a logical line's end) are re-wrapped here at the new width, into a
new :class:`~.scrollback.Scrollback`, on a daemon thread. The owner takes the result with
:meth:`HistoryReflow.wait` the first time it needs the whole history.

Invariants:

* the worker reads only its frozen views (immutable blocks, their own hot lists) and writes
  only its own new scrollback: nothing the owner's thread changes;
* re-wrapping is per logical line and keeps no trace of the width rows had, so rows from
  several earlier widths (resizes that came before this job ended) re-wrap to what one
  re-wrap of the original rows gives; a cancelled job's segments start the next job;
* the worker stops at the next chunk once cancelled, and its result is then never used.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator

from .reflow import rewrap
from .scrollback import HistoryLine, Scrollback, lines_weight

Segment = tuple[Scrollback, int, int]
"""Rows ``start`` to ``stop`` of a frozen scrollback."""

_READ_ROWS = 512
_CHUNK_ROWS = 2048


def segment_rows(segments: list[Segment]) -> Iterator[list[HistoryLine]]:
    """The rows of ``segments``, oldest first, a list at a time."""
    for view, start, stop in segments:
        for first in range(start, stop, _READ_ROWS):
            yield view.lines(first, min(stop, first + _READ_ROWS))


def segments_size(segments: list[Segment]) -> int:
    return sum(stop - start for _view, start, stop in segments)


class HistoryReflow:
    """Re-wrap ``segments`` at ``columns`` into ``new_scrollback()`` on a worker thread."""

    def __init__(self, segments: list[Segment], columns: int,
                 new_scrollback: Callable[[], Scrollback]) -> None:
        self.segments = segments
        self.columns = columns
        self._new_scrollback = new_scrollback
        self._cancelled = False
        self._result: Scrollback | None = None
        self._error: BaseException | None = None
        self._thread = threading.Thread(target=self._run, name="history-reflow", daemon=True)
        self._thread.start()

    @property
    def done(self) -> bool:
        return not self._thread.is_alive()

    def cancel(self) -> None:
        """Stop at the next chunk; the result is dropped."""
        self._cancelled = True

    def wait(self) -> Scrollback:
        """The re-wrapped rows (waits for the worker; re-wraps here if it failed)."""
        self._thread.join()
        if self._result is None:
            # the worker failed (it never should): do its work on this thread
            self._cancelled = False
            self._error = None
            self._run()
        if self._result is None:
            raise RuntimeError("history reflow failed") from self._error
        return self._result

    def _run(self) -> None:
        try:
            self._result = self._rewrap()
        except BaseException as error:  # kept for wait(), which re-raises
            self._error = error

    def _rewrap(self) -> Scrollback | None:
        output = self._new_scrollback()
        columns = self.columns
        chunk: list[HistoryLine] = []
        for rows in segment_rows(self.segments):
            chunk += rows
            if len(chunk) < _CHUNK_ROWS:
                continue
            end = len(chunk)
            while end and chunk[end - 1][1]:  # re-wrap up to the last logical line's end
                end -= 1
            if not end:
                continue
            if self._cancelled:
                return None
            self._store(output, rewrap(chunk[:end], columns))
            del chunk[:end]
        if chunk:
            self._store(output, rewrap(chunk, columns))
        return output

    @staticmethod
    def _store(output: Scrollback, rows: list[HistoryLine]) -> None:
        output.extend(rows, weight=lines_weight(rows), scrolled=False)
