"""When the server stops: the one ``stopping`` event every part may set.

Invariant: setting it is the only way to stop the server cleanly (``kill-server``,
SIGTERM, the last session or client gone); the daemon waits on it, then kills every pane,
closes connections and the store.
"""

from __future__ import annotations

import asyncio
import time


class Lifetime:
    """The server's start time and its stop request."""

    def __init__(self) -> None:
        self.started = time.time()
        self.stopping = asyncio.Event()

    def stop(self) -> None:
        """Ask the server to shut down (idempotent)."""
        self.stopping.set()
