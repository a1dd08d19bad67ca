"""Tells people when the store stops (or resumes) writing.

The store's writer thread reports each change of its health (a full, read-only or corrupt
database, then writable again). This module brings the news onto the event loop, logs it,
and shows it in the status line of every attached client and in ``show-messages`` (also
when the store cannot be opened at start); ``ping`` reports the current failure. The server keeps serving from memory meanwhile; the store retries the writes
nobody was waiting for and resumes on its own when the disk allows.
"""

from __future__ import annotations

import asyncio
import logging
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from ..store.db import Store
    from .clients import ClientHub
    from .registry import Registry

log = logging.getLogger(__name__)


def watch(clients: ClientHub, registry: Registry, store: Store) -> None:
    """Announce the store's health changes to attached clients (call on the loop)."""
    loop = asyncio.get_running_loop()

    def heard(failure: str | None) -> None:
        try:
            loop.call_soon_threadsafe(announce, clients, registry, failure)
        except RuntimeError:  # the loop is closed: the server is stopping
            pass

    store.on_health.append(heard)


def notice_text(failure: str | None) -> str:
    """The status-line text for a health change."""
    if failure is None:
        return "ai-session: the store is writable again"
    return f"ai-session: {failure} (serving from memory; writing resumes when it can)"


def announce(clients: ClientHub, registry: Registry, failure: str | None) -> None:
    """Log the change and show it to every attached client."""
    text = notice_text(failure)
    if failure is None:
        log.warning("%s", text)
    else:
        log.error("%s", text)
    # once for show-messages, however many sessions see it
    clients.message_log.add(f"message: {text}")
    for session in list(registry.sessions.values()):
        clients.show_message(session, text)
