"""The SQLite store: server runs, sessions, windows, panes, command records, scrollback.

All writes go through one background thread that owns the write connection and commits
each batch at once (WAL, ``synchronous=NORMAL``): a record handed to :meth:`Store.submit`
is on disk within milliseconds, so a server killed with SIGKILL loses nothing that finished
a second earlier. The event loop never waits on the disk. A failed write (full disk, locked
file) is logged and counted in :attr:`Store.errors`; the server keeps serving.

Large text (command output, scrollback) is stored zstd-compressed (:func:`pack`).
Reads open their own short-lived connection, so they never contend with the writer thread.
"""

from __future__ import annotations

import logging
import queue
import sqlite3
import threading
from collections.abc import Callable
from pathlib import Path
from typing import Any

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
"""

_COMPRESSOR = zstandard.ZstdCompressor(level=3)


def pack(text: str | bytes) -> bytes:
    """zstd-compress text (UTF-8) or bytes."""
    data = text.encode("utf-8", "replace") if isinstance(text, str) else text
    return _COMPRESSOR.compress(data)


def unpack(blob: bytes | None) -> bytes:
    """Undo :func:`pack`."""
    if not blob:
        return b""
    return zstandard.ZstdDecompressor().decompress(blob)


def connect(path: Path) -> sqlite3.Connection:
    """A connection with the pragmas every user of the store needs."""
    connection = sqlite3.connect(path, timeout=10, check_same_thread=False)
    connection.execute("PRAGMA journal_mode=WAL")
    connection.execute("PRAGMA synchronous=NORMAL")
    connection.execute("PRAGMA busy_timeout=10000")
    return connection


def open_database(path: Path) -> sqlite3.Connection:
    """Open (creating or migrating) the database at ``path``."""
    path.parent.mkdir(parents=True, exist_ok=True)
    connection = connect(path)
    connection.executescript(SCHEMA)
    connection.execute("INSERT OR IGNORE INTO meta VALUES ('schema_version', ?)",
                       (str(SCHEMA_VERSION),))
    connection.commit()
    return connection


Job = Callable[[sqlite3.Connection], Any]


class Store:
    """The write side: a thread that runs submitted jobs in order and commits them."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.errors = 0
        self._queue: queue.Queue[Job | None] = queue.Queue()
        self._connection = open_database(path)
        self._thread = threading.Thread(target=self._run, name="store-writer", daemon=True)
        self._thread.start()

    def submit(self, job: Job) -> None:
        """Queue ``job(connection)``; it runs on the writer thread and is committed."""
        self._queue.put(job)

    def execute(self, sql: str, params: tuple[Any, ...] = ()) -> None:
        """Queue one statement."""
        self.submit(lambda connection: connection.execute(sql, params))

    def call(self, job: Job, timeout: float = 10.0) -> Any:
        """Run ``job`` on the writer thread and wait for its result (not from the loop)."""
        done = threading.Event()
        box: dict[str, Any] = {}

        def wrapper(connection: sqlite3.Connection) -> None:
            try:
                box["value"] = job(connection)
            except Exception as exc:  # handed back to the caller
                box["error"] = exc
            finally:
                done.set()

        self.submit(wrapper)
        if not done.wait(timeout):
            raise TimeoutError("store did not answer")
        if "error" in box:
            raise box["error"]
        return box.get("value")

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

    def _run(self) -> None:
        while True:
            job = self._queue.get()
            batch = [job]
            while True:
                try:
                    batch.append(self._queue.get_nowait())
                except queue.Empty:
                    break
            stop = False
            for item in batch:
                if item is None:
                    stop = True
                    continue
                try:
                    item(self._connection)
                except Exception as exc:
                    self.errors += 1
                    log.error("store write failed: %s", exc)
            try:
                self._connection.commit()
            except sqlite3.Error as exc:
                self.errors += 1
                log.error("store commit failed: %s", exc)
            if stop:
                return
