"""The multi-agent message bus (headless): agents, inboxes, topics, sync points, tasks.

:class:`~aisession_tui.bus.core.MessageBus` is the model; the server glue that loads it
from the store and exposes it to commands and clients is
:mod:`aisession_tui.server.bus_service`.
"""

from __future__ import annotations

from .core import MessageBus
from .model import (
                    MESSAGE_TYPES,
                    PRIORITIES,
                    Agent,
                    BusError,
                    BusTimeout,
                    Message,
                    Task,
                    parse_payload,
)

__all__ = [
                    "MESSAGE_TYPES",
                    "PRIORITIES",
                    "Agent",
                    "BusError",
                    "BusTimeout",
                    "Message",
                    "MessageBus",
                    "Task",
                    "parse_payload",
]
