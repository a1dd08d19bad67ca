"""Where the bus writes what must survive a crash: the journal, and its SQLite form.

The bus keeps its live state in memory and writes every change as an operation tuple:

* ``("message", Message, recipients)``: a message and one inbox entry per recipient;
* ``("delivered", agent, message_ids)``: entries taken out of an inbox;
* ``("agent", Agent)`` / ``("unregister", name)``;
* ``("task", Task)``: a task's current state.

:class:`SqliteJournal` hands operations to the server's store writer thread with *group
commit*: operations that arrive while a commit runs are committed together by the next
one, and each :meth:`~SqliteJournal.write` returns a future that completes only after the
commit that contains it (WAL: the data is in the OS by then, so a SIGKILLed server keeps
it). A sender is answered only after that, so an acknowledged message is never lost.
Operations are applied in the order they were written.

:class:`MemoryJournal` keeps the operations in a list (unit tests, or no store).
"""

from __future__ import annotations

import asyncio
import logging
import threading
from collections.abc import Callable
from typing import Any, Protocol

log = logging.getLogger(__name__)

Operation = tuple[Any, ...]


class Journal(Protocol):
    """The bus's persistence sink."""

    persistent: bool

    def write(self, operation: Operation) -> asyncio.Future[None]:
        """Record ``operation``; the future completes once it is durable."""


class MemoryJournal:
    """Keeps operations in :attr:`operations`; everything is "durable" at once."""

    persistent = False

    def __init__(self) -> None:
        self.operations: list[Operation] = []

    def write(self, operation: Operation) -> asyncio.Future[None]:
        self.operations.append(operation)
        future: asyncio.Future[None] = asyncio.get_running_loop().create_future()
        future.set_result(None)
        return future


class SqliteJournal:
    """Group-committing journal on the store's writer thread."""

    persistent = True

    def __init__(self, submit: Callable[..., None],
                 apply: Callable[[Any, Operation], None],
                 loop: asyncio.AbstractEventLoop) -> None:
        """``submit(job, done)`` queues a job on the writer thread (``Store.submit``),
        which commits it (or rolls it back) and then calls ``done(result, error)``;
        ``apply`` executes one operation on the writer's connection."""
        self._submit = submit
        self._apply = apply
        self._loop = loop
        self._lock = threading.Lock()
        self._pending: list[tuple[Operation, asyncio.Future[None]]] = []
        self._scheduled = False
        self.commits = 0
        self.errors = 0

    def write(self, operation: Operation) -> asyncio.Future[None]:
        future: asyncio.Future[None] = self._loop.create_future()
        with self._lock:
            self._pending.append((operation, future))
            schedule = not self._scheduled
            self._scheduled = True
        if schedule:
            self._schedule_flush()
        return future

    def _schedule_flush(self) -> None:
        taken: list[tuple[Operation, asyncio.Future[None]]] = []

        def flush(connection: Any) -> None:
            with self._lock:
                batch, self._pending = self._pending, []
                self._scheduled = False
            taken.extend(batch)
            for operation, _ in batch:
                self._apply(connection, operation)

        def done(_: Any, error: Exception | None) -> None:
            if error is None:
                self.commits += 1
            else:  # the store rolled the whole batch back: told to every writer
                self.errors += 1
                log.error("bus journal write failed: %s", error)
            try:
                self._loop.call_soon_threadsafe(_settle, list(taken), error)
            except RuntimeError:  # the loop is closed
                pass

        self._submit(flush, done)


def _settle(batch: list[tuple[Operation, asyncio.Future[None]]],
            error: Exception | None) -> None:
    for _, future in batch:
        if future.done():
            continue
        if error is None:
            future.set_result(None)
        else:
            future.set_exception(error)
