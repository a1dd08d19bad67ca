"""The server's message log (tmux's ``message_log``), read by ``show-messages``.

Every message shown in a client's status line is logged with its time; the log keeps the
newest ``message-limit`` entries (tmux's default: 1000). The server's one log is
``Services.message_log``. Configuration errors (``Services.config_causes``, see
:mod:`.config_causes`) are listed by ``show-messages`` before the log.
"""

from __future__ import annotations

import time
from dataclasses import dataclass

DEFAULT_LIMIT = 1000


@dataclass(frozen=True)
class Message:
    """One logged message."""

    number: int
    at: float
    text: str


class MessageLog:
    """Numbered, timed messages, oldest first, trimmed to a limit."""

    def __init__(self) -> None:
        self.messages: list[Message] = []
        self.next_number = 0

    def add(self, text: str, limit: int = DEFAULT_LIMIT) -> None:
        """Log ``text`` now, dropping the oldest past ``limit``."""
        self.messages.append(Message(self.next_number, time.time(), text))
        self.next_number += 1
        if limit >= 0 and len(self.messages) > limit:
            del self.messages[: len(self.messages) - limit]
