"""What the ``agent``, ``bus`` and ``task`` commands share: errors, printing.

Bus errors become :class:`CommandError` (stderr, exit 1) with the bus's own wording.
Messages print as one line each: ``[HH:MM:SS] #ID FROM -> TO TYPE [PRIORITY] PAYLOAD``
(``TO`` is ``*`` for a broadcast, ``#topic`` for a publish). Nothing heavy is imported at
module level: the CLI loads this to parse argv.
"""

from __future__ import annotations

import json
import math
import time
from typing import Any

from .spec import CommandError


async def bus_of(ctx: Any) -> Any:
    """The server's :class:`~aisession_tui.bus.core.MessageBus` (loaded on first use)."""
    return await ctx.services.bus.get()


def bus_failure(exc: Exception) -> CommandError:
    """A bus error as a command error."""
    return CommandError(str(exc))


def seconds(text: str | None, what: str) -> float | None:
    """A positive number of seconds, or None when not given."""
    if text is None:
        return None
    try:
        value = float(text)
    except ValueError:
        raise CommandError(f"{what} invalid: {text} (seconds, e.g. 30 or 0.5)") from None
    if not math.isfinite(value):
        raise CommandError(f"{what} invalid: {text} (seconds, e.g. 30 or 0.5)")
    if value <= 0:
        raise CommandError(f"{what} must be positive: {text}")
    return value


def count(text: str | None, what: str, default: int) -> int:
    """A positive integer option."""
    if text is None:
        return default
    try:
        value = int(text)
    except ValueError:
        raise CommandError(f"{what} invalid: {text}") from None
    if value < 1:
        raise CommandError(f"{what} must be at least 1: {text}")
    return value


def clock(epoch: float) -> str:
    """``HH:MM:SS`` local time."""
    return time.strftime("%H:%M:%S", time.localtime(epoch))


def preview(payload: Any, width: int = 80) -> str:
    """Compact JSON of a payload, cut to ``width`` characters."""
    text = json.dumps(payload, ensure_ascii=False, separators=(", ", ": "))
    return text if len(text) <= width else text[:width - 1] + "…"


def message_line(message: dict[str, Any], width: int = 80) -> str:
    """One message in the human format."""
    target = f"#{message['topic']}" if message.get("topic") else (message.get("to") or "")
    priority = "" if message.get("priority") == "normal" else f" [{message['priority']}]"
    reply = f" (reply to #{message['reply_to']})" if message.get("reply_to") else ""
    return (f"[{clock(message['at'])}] #{message['id']} {message['from']} -> {target} "
            f"{message['type']}{priority}{reply} {preview(message['payload'], width)}")
