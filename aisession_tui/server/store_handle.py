"""The records database of this server run, once it is open.

The store opens when the server starts serving (after every service is built), and may
fail to open: then ``db`` stays None, ``unavailable`` says why, and every service keeps
working from memory. Services hold this handle and read ``db`` when they write.
"""

from __future__ import annotations

import logging
import os
import time
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from ..store.db import Store

log = logging.getLogger(__name__)


class StoreHandle:
    """The open :class:`~aisession_tui.store.db.Store` (or why there is none)."""

    def __init__(self) -> None:
        self.db: Store | None = None
        self.unavailable: str | None = None
        """Why the store could not be opened (None when it opened or was never tried)."""
        self.run_id: int | None = None

    @property
    def failure(self) -> str | None:
        """The store's current failure (``ping`` reports it), None when it writes."""
        return self.db.failure if self.db is not None else self.unavailable

    def open(self, path: Path, socket_path: Path, opened: Store | None = None) -> Store | None:
        """Open the database (or take ``opened``, the same database opened already) and
        record this server run; None (and ``unavailable``) when it cannot be opened."""
        from ..store.db import Store

        try:
            store = opened if opened is not None else Store(path)
            run_id = self.run_id = store.call(lambda c: c.execute(
                "INSERT INTO runs (pid, socket, started_at) VALUES (?,?,?)",
                (os.getpid(), str(socket_path), time.time())).lastrowid)
            from ..store.db import close_dead_runs

            socket_name = str(socket_path)
            store.submit(lambda c: close_dead_runs(c, socket_name, run_id, time.time()))
        except Exception as exc:  # noqa: BLE001 - a broken store must not stop the multiplexer
            self.unavailable = f"cannot open the store {path}: {exc}"
            log.error("%s; records will not be kept", self.unavailable)
            self.db = None
            return None
        self.db = store
        return store

    def close(self) -> None:
        """Record the run's end and close the database."""
        if self.db is not None:
            self.db.execute("UPDATE runs SET stopped_at=? WHERE id=?",
                            (time.time(), self.run_id))
            self.db.close()
