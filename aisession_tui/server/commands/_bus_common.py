"""What the ``agent``, ``bus`` and ``task`` commands share: errors, printing, forwarding.

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

from .spec import CommandError, CommandResult


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


def forward(socket_path: Any, argv: list[str]) -> CommandResult:
    """Run ``argv`` on the server from the CLI process (starting it if needed), with the
    caller's pane, as the CLI's own request path does."""
    import os

    from ...cli.client import ClientError, connect

    try:
        client = connect(socket_path, start=True)
    except ClientError as exc:
        return CommandResult(stderr=f"{exc}\n", exit_code=1)
    inside = os.environ.get("AI_SESSION", "").split(",", 1)[0]
    client_pane = os.environ.get("AI_SESSION_PANE") if inside == str(socket_path) else None
    try:
        reply = client.request("command", {"argv": argv, "cwd": os.getcwd(),
                                           "env": dict(os.environ),
                                           "client_pane": client_pane})
    except ClientError as exc:
        return CommandResult(stderr=f"{exc}\n", exit_code=1)
    except KeyboardInterrupt:
        return CommandResult(exit_code=130)
    finally:
        client.close()
    return CommandResult(stdout=reply.get("stdout", ""), stderr=reply.get("stderr", ""),
                         exit_code=int(reply.get("exit_code", 0)), data=reply.get("data"))
