"""The SQLite store: server runs, sessions, windows, panes, command records, scrollback.

All writes go through one background thread that owns the write connection and commits
each job in a transaction of its own (WAL, ``synchronous=NORMAL``: a commit survives
``kill -9``). A caller that acknowledges something to a client waits for the commit first
(:meth:`Store.commit`, :meth:`Store.call`). The event loop never waits on the disk. A
failed write (full disk, read-only, corrupt file) rolls back, is reported to its caller as
a :class:`StoreError` naming the cause and the path, and is counted in
:attr:`Store.errors`; the server keeps serving from memory.

Large text (command output, scrollback) is stored zstd-compressed (:func:`pack`, one
compressor per thread: zstd contexts are not thread-safe; zstandard is imported with the
first pack or unpack, not with the store).
Reads open their own short-lived connection, so they never contend with the writer thread.
"""

from __future__ import annotations

import asyncio
import logging
import queue
import sqlite3
import threading
from collections import deque
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ..protocol.paths import private_file

if TYPE_CHECKING:  # zstandard loads with the first pack or unpack, not with the store
    import zstandard

log = logging.getLogger(__name__)

SCHEMA_VERSION = 1
SCHEMA = """
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS runs (
    id INTEGER PRIMARY KEY, pid INTEGER NOT NULL, socket TEXT NOT NULL,
    started_at REAL NOT NULL, stopped_at REAL);
CREATE TABLE IF NOT EXISTS sessions (
    run_id INTEGER NOT NULL, id INTEGER NOT NULL, name TEXT NOT NULL, cwd TEXT,
    created_at REAL NOT NULL, closed_at REAL, ai_context INTEGER NOT NULL DEFAULT 0,
    max_tokens INTEGER, PRIMARY KEY (run_id, id));
CREATE TABLE IF NOT EXISTS windows (
    run_id INTEGER NOT NULL, id INTEGER NOT NULL, session_id INTEGER NOT NULL,
    idx INTEGER NOT NULL, name TEXT, created_at REAL NOT NULL, closed_at REAL,
    PRIMARY KEY (run_id, id));
CREATE TABLE IF NOT EXISTS panes (
    run_id INTEGER NOT NULL, id INTEGER NOT NULL, window_id INTEGER NOT NULL,
    session_id INTEGER NOT NULL, command TEXT, cwd TEXT, pid INTEGER,
    created_at REAL NOT NULL, exited_at REAL, exit_status INTEGER,
    PRIMARY KEY (run_id, id));
CREATE TABLE IF NOT EXISTS commands (
    id INTEGER PRIMARY KEY, run_id INTEGER NOT NULL, pane_id INTEGER NOT NULL,
    session_id INTEGER NOT NULL, session_name TEXT NOT NULL, text TEXT NOT NULL,
    cwd TEXT, started_at REAL NOT NULL, finished_at REAL NOT NULL, exit_code INTEGER,
    output_zstd BLOB, output_bytes INTEGER NOT NULL DEFAULT 0,
    truncated INTEGER NOT NULL DEFAULT 0, parsed_json TEXT);
CREATE INDEX IF NOT EXISTS commands_by_session ON commands (session_name, id);
CREATE TABLE IF NOT EXISTS scrollback (
    run_id INTEGER NOT NULL, pane_id INTEGER NOT NULL, saved_at REAL NOT NULL,
    lines INTEGER NOT NULL, text_zstd BLOB NOT NULL, PRIMARY KEY (run_id, pane_id));
CREATE TABLE IF NOT EXISTS resurrect (
    socket TEXT PRIMARY KEY, saved_at REAL NOT NULL, blob BLOB NOT NULL);
"""

_CODECS = threading.local()
"""One zstd compressor and decompressor per thread: a zstd context is not thread-safe
(a shared one crashed the server with ``free(): invalid pointer``)."""


def _compressor() -> zstandard.ZstdCompressor:
    compressor = getattr(_CODECS, "compressor", None)
    if compressor is None:
        import zstandard

        compressor = _CODECS.compressor = zstandard.ZstdCompressor(level=3)
    return compressor


def _decompressor() -> zstandard.ZstdDecompressor:
    decompressor = getattr(_CODECS, "decompressor", None)
    if decompressor is None:
        import zstandard

        decompressor = _CODECS.decompressor = zstandard.ZstdDecompressor()
    return decompressor


def compress_stream() -> zstandard.ZstdCompressionObj:
    """A streamed compression (a resurrection snapshot's) on this thread's compressor,
    whose context is reused: a compressor made per snapshot left ~0.8 MB of the store
    writer's heap resident from the second snapshot on (glibc had raised its mmap
    threshold when the first one's context was freed). Flush it before this thread packs
    anything else."""
    return _compressor().compressobj()


def pack(text: str | bytes) -> bytes:
    """zstd-compress text (UTF-8) or bytes; safe from any thread."""
    data = text.encode("utf-8", "replace") if isinstance(text, str) else text
    return _compressor().compress(data)


def unpack(blob: bytes | None) -> bytes:
    """Undo :func:`pack`; safe from any thread."""
    if not blob:
        return b""
    import zstandard

    if zstandard.frame_content_size(blob) < 0:  # streamed: no size in the frame header
        return _decompressor().decompressobj().decompress(blob)
    return _decompressor().decompress(blob)


def connect(path: Path) -> sqlite3.Connection:
    """A connection with the pragmas every user of the store needs."""
    connection = sqlite3.connect(path, timeout=10, check_same_thread=False)
    connection.execute("PRAGMA journal_mode=WAL")
    connection.execute("PRAGMA synchronous=NORMAL")
    connection.execute("PRAGMA busy_timeout=10000")
    return connection


def open_database(path: Path) -> sqlite3.Connection:
    """Open (creating or migrating) the database at ``path``."""
    private_file(path)  # 0600 before SQLite opens it: the WAL and -shm files get its mode
    connection = connect(path)
    connection.executescript(SCHEMA)
    # Every table exists from the start: a table created on first use fails on a full disk
    # and every later write to it would fail with "no such table".
    from . import bus_store, context_store

    bus_store.create_tables(connection)
    context_store.create_tables(connection)
    connection.execute("INSERT OR IGNORE INTO meta VALUES ('schema_version', ?)",
                       (str(SCHEMA_VERSION),))
    connection.commit()
    return connection


def close_dead_runs(connection: sqlite3.Connection, socket: str, current_run: int,
                    now: float) -> None:
    """Runs of ``socket`` that never stopped (the server was killed) are closed, with their
    sessions, windows and panes, so they do not stay "open" for ever."""
    dead = [row[0] for row in connection.execute(
        "SELECT id FROM runs WHERE socket=? AND stopped_at IS NULL AND id != ?",
        (socket, current_run))]
    for run_id in dead:
        connection.execute("UPDATE runs SET stopped_at=? WHERE id=?", (now, run_id))
        for table in ("sessions", "windows"):
            connection.execute(f"UPDATE {table} SET closed_at=? WHERE run_id=? "
                               "AND closed_at IS NULL", (now, run_id))
        connection.execute("UPDATE panes SET exited_at=? WHERE run_id=? AND exited_at IS NULL",
                           (now, run_id))


Job = Callable[[sqlite3.Connection], Any]
Done = Callable[[Any, "StoreError | None"], None]
"""Told on the writer thread once a job's transaction committed (result, None) or was rolled
back (None, error)."""

RETRY_LIMIT = 10_000
"""Unacknowledged writes (structure rows) kept for a retry while the disk is full."""
RETRY_INTERVAL = 2.0


class StoreError(Exception):
    """A write that did not reach the disk; the message names the cause and the file."""


def is_storage_failure(exc: BaseException) -> bool:
    """True for errors of the medium (full, read-only, I/O, corrupt), not of the job."""
    if isinstance(exc, OSError):
        return True
    if not isinstance(exc, sqlite3.Error):
        return False
    text = str(exc).lower()
    return any(word in text for word in ("full", "readonly", "read-only", "disk i/o",
                                         "malformed", "not a database", "unable to open"))


class Store:
    """The write side: a thread that runs submitted jobs in order, each in a transaction of
    its own, committed before anyone is told it is done.

    Invariants: a job is all or nothing (a failure rolls back what it wrote); a caller of
    :meth:`call` or :meth:`commit` hears back only after the commit that holds its job (so a
    reply sent then survives ``kill -9``) or gets a :class:`StoreError` naming the cause and
    the path; fire-and-forget jobs that hit a full or read-only disk are kept (bounded) and
    retried, so writing resumes on its own when space returns. :attr:`failure` holds the
    current storage failure (None when healthy) and ``on_health`` listeners hear each change
    (on the writer thread).
    """

    def __init__(self, path: Path) -> None:
        self.path = path
        self.errors = 0
        self.failure: str | None = None
        self.on_health: list[Callable[[str | None], None]] = []
        self._queue: queue.Queue[tuple[Job, Done | None] | None] = queue.Queue()
        self._retry: deque[Job] = deque(maxlen=RETRY_LIMIT)
        self._connection = open_database(path)
        self._thread = threading.Thread(target=self._run, name="store-writer", daemon=True)
        self._thread.start()

    def submit(self, job: Job, done: Done | None = None) -> None:
        """Queue ``job(connection)``; it runs on the writer thread in its own transaction.
        ``done`` is told the outcome after the commit (or the rollback)."""
        self._queue.put((job, done))

    def execute(self, sql: str, params: tuple[Any, ...] = ()) -> None:
        """Queue one statement."""
        self.submit(lambda connection: connection.execute(sql, params))

    def call(self, job: Job, timeout: float = 10.0) -> Any:
        """Run ``job`` on the writer thread and return its result once committed (not from
        the event loop); raises :class:`StoreError` when it could not be stored."""
        finished = threading.Event()
        box: dict[str, Any] = {}

        def done(value: Any, error: StoreError | None) -> None:
            box["value"], box["error"] = value, error
            finished.set()

        self.submit(job, done)
        if not finished.wait(timeout):
            raise StoreError(f"store did not answer within {timeout:g}s: {self.path}")
        if box["error"] is not None:
            raise box["error"]
        return box["value"]

    def commit(self, job: Job) -> asyncio.Future[Any]:
        """From the event loop: a future resolved with ``job``'s result after its commit
        (or failed with :class:`StoreError`); reply to the client only after it."""
        loop = asyncio.get_running_loop()
        future: asyncio.Future[Any] = loop.create_future()

        def settle(value: Any, error: StoreError | None) -> None:
            if future.done():
                return
            if error is None:
                future.set_result(value)
            else:
                future.set_exception(error)

        def done(value: Any, error: StoreError | None) -> None:
            try:
                loop.call_soon_threadsafe(settle, value, error)
            except RuntimeError:  # the loop is closed: nobody waits any more
                pass

        self.submit(job, done)
        return future

    def flush(self, timeout: float = 10.0) -> None:
        """Wait until everything queued so far is committed."""
        self.call(lambda connection: None, timeout)

    def close(self) -> None:
        """Commit what is queued and stop the writer thread."""
        self._queue.put(None)
        self._thread.join(timeout=10)
        try:
            self._connection.close()
        except sqlite3.Error:
            pass

    # ------------------------------------------------------------ writer
    def _run(self) -> None:
        while True:
            try:
                item = self._queue.get(timeout=RETRY_INTERVAL if self._retry else None)
            except queue.Empty:
                self._retry_failed()
                continue
            if item is None:
                self._retry_failed()
                return
            if self._retry:
                self._retry_failed()
            job, done = item
            value, error = self._transaction(job, keep=done is None)
            if done is not None:
                try:
                    done(value, error)
                except Exception:
                    log.exception("a store completion callback failed")
            # Drop the finished job before waiting for the next one: it may hold a whole
            # resurrection snapshot (every pane's scrollback), megabytes kept alive for
            # as long as the store stays idle otherwise.
            del item, job, done, value, error

    def _transaction(self, job: Job, *, keep: bool) -> tuple[Any, StoreError | None]:
        """Run one job and commit it; on failure roll it back and report why."""
        connection = self._connection
        try:
            value = job(connection)
            connection.commit()
        except Exception as exc:  # noqa: BLE001 - any failure rolls the job back
            try:
                connection.rollback()
            except sqlite3.Error:
                pass
            self.errors += 1
            storage = is_storage_failure(exc)
            message = (f"cannot write the store {self.path}: {exc}" if storage
                       else f"store write failed ({type(exc).__name__}: {exc}): {self.path}")
            log.error("%s", message)
            if storage:
                if keep:
                    self._retry.append(job)
                self._set_failure(message)
            return None, StoreError(message)
        if self.failure is not None and not self._retry:
            self._set_failure(None)
        return value, None

    def _retry_failed(self) -> None:
        """Write again what a full disk refused, oldest first; stop at the first refusal."""
        while self._retry:
            job = self._retry.popleft()
            _, error = self._transaction(job, keep=False)
            if error is not None:
                self._retry.appendleft(job)
                return
        if self.failure is not None:
            self._set_failure(None)

    def _set_failure(self, failure: str | None) -> None:
        if failure == self.failure:
            return
        self.failure = failure
        if failure is None:
            log.warning("store writable again: %s", self.path)
        for listener in list(self.on_health):
            try:
                listener(failure)
            except Exception:
                log.exception("a store health listener failed")
