"""When the server stops: the one ``stopping`` event every part may set.

Invariants: :meth:`Lifetime.stop` is the only way to stop the server cleanly
(``kill-server``, SIGTERM, the last session or client gone); the daemon waits on
``stopping``, then kills every pane, closes connections and the store. What must happen
at the very moment the stop is decided - the daemon stops accepting connections, so a
client that got the reply of the command that ended the server (``kill-session`` of the
last session, ``kill-server``) and starts the next one finds no server and starts a new
one, instead of reaching this one as it goes - runs synchronously inside :meth:`stop`,
once (:attr:`Lifetime.on_stop`).
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Callable


class Lifetime:
    """The server's start time and its stop request."""

    def __init__(self) -> None:
        self.started = time.time()
        self.stopping = asyncio.Event()
        self.on_stop: list[Callable[[], None]] = []
        """Called in :meth:`stop`, once, before it returns."""

    def stop(self) -> None:
        """Ask the server to shut down (idempotent)."""
        if self.stopping.is_set():
            return
        self.stopping.set()
        for callback in self.on_stop:
            callback()
