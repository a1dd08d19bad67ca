"""The bus's data: messages, agents, tasks, and the checks every front end shares.

A :class:`Message` is immutable once sent. ``recipient`` is an agent name for a direct
message, ``"*"`` for a broadcast and None for a topic publish (then ``topic`` is set).
``correlation_id`` ties a response to its request: a reply (``reply_to`` set) inherits the
correlation id of the message it answers, which is that message's own id when it had none.
Priorities are integers (0 low .. 3 critical); an inbox hands out higher priorities first
and, within one priority, messages in the order the server accepted them, so the order of
one sender's messages is always kept.

Topic patterns use shell-style wildcards (``status.*`` matches ``status.build`` and
``status.build.ci``; ``*`` also crosses dots).
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from fnmatch import fnmatchcase
from typing import Any

MESSAGE_TYPES = ("task_assignment", "status_update", "data_share", "coordination_request",
                 "response", "help_request", "custom")
PRIORITIES = {"low": 0, "normal": 1, "high": 2, "critical": 3}
PRIORITY_NAMES = {value: name for name, value in PRIORITIES.items()}
BROADCAST = "*"
SYSTEM_SENDER = "ai-session"
MAX_PAYLOAD_BYTES = 1 << 20
_NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.@-]{0,63}$")


class BusError(Exception):
    """Something the caller asked for that the bus refuses; the text says what to do."""


class BusTimeout(BusError):
    """A wait (recv, request, sync) ended without what it waited for."""


@dataclass(frozen=True, slots=True)
class Message:
    """One message as sent (copies in several inboxes share this object)."""

    id: int
    at: float
    sender: str
    recipient: str | None
    topic: str | None
    type: str
    priority: int
    payload: Any
    reply_to: int | None = None
    correlation_id: int | None = None

    @property
    def target(self) -> str:
        """``backend``, ``*`` (broadcast) or ``#status.build`` (topic)."""
        if self.topic is not None:
            return f"#{self.topic}"
        return self.recipient or ""

    def to_dict(self) -> dict[str, Any]:
        """The message as JSON-ready data (what ``--json`` and notifications carry)."""
        return {"id": self.id, "at": self.at, "from": self.sender, "to": self.recipient,
                "topic": self.topic, "type": self.type, "priority":
                PRIORITY_NAMES.get(self.priority, str(self.priority)),
                "payload": self.payload, "reply_to": self.reply_to,
                "correlation_id": self.correlation_id}


@dataclass(slots=True)
class Agent:
    """A registered agent. ``pane`` is ``%N`` of the server run ``run_id``."""

    name: str
    session: str | None = None
    pane: str | None = None
    role: str | None = None
    capabilities: tuple[str, ...] = ()
    topics: tuple[str, ...] = ()
    inbox_limit: int = 1000
    registered_at: float = 0.0
    run_id: int | None = None

    def can(self, requires: tuple[str, ...]) -> bool:
        """True when the agent has every required capability."""
        return set(requires) <= set(self.capabilities)

    def subscribed(self, topic: str) -> bool:
        """True when one of the agent's topic patterns matches ``topic``."""
        return any(topic_matches(pattern, topic) for pattern in self.topics)


TASK_STATES = ("queued", "assigned", "done", "failed")


@dataclass(slots=True)
class Task:
    """A unit of work routed to a capable agent."""

    id: int
    submitted_at: float
    submitter: str
    requires: tuple[str, ...]
    payload: Any
    priority: int = PRIORITIES["normal"]
    state: str = "queued"
    agent: str | None = None
    assigned_at: float | None = None
    finished_at: float | None = None
    result: Any = None
    message_id: int | None = None

    @property
    def open(self) -> bool:
        """Queued or assigned (not finished)."""
        return self.state in ("queued", "assigned")

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready data."""
        return {"id": self.id, "state": self.state, "requires": list(self.requires),
                "agent": self.agent, "submitter": self.submitter,
                "priority": PRIORITY_NAMES.get(self.priority, str(self.priority)),
                "payload": self.payload, "result": self.result,
                "submitted_at": self.submitted_at, "assigned_at": self.assigned_at,
                "finished_at": self.finished_at, "message_id": self.message_id}


def topic_matches(pattern: str, topic: str) -> bool:
    """Shell-style match of a topic against a subscription pattern."""
    return fnmatchcase(topic, pattern)


def check_name(name: str, what: str = "agent name") -> str:
    """An agent (or barrier) name: letters, digits, ``_ . @ -``, at most 64."""
    if not _NAME.match(name or ""):
        raise BusError(f"invalid {what}: {name!r} (use letters, digits, _ . @ -; "
                       "at most 64 characters)")
    return name


def check_topic(topic: str) -> str:
    """A topic to publish on: non-empty, no wildcard, no spaces."""
    if not topic or any(ch in topic for ch in "*?[] \t\n"):
        raise BusError(f"invalid topic: {topic!r} (a dotted name such as status.build; "
                       "wildcards only in subscriptions)")
    return topic


def parse_payload(text: str) -> Any:
    """A JSON payload from the command line, or a clear error."""
    if len(text.encode("utf-8", "replace")) > MAX_PAYLOAD_BYTES:
        raise BusError(f"payload too large (more than {MAX_PAYLOAD_BYTES} bytes)")
    try:
        return json.loads(text)
    except json.JSONDecodeError as exc:
        raise BusError(f"bad JSON payload: {exc.msg} at line {exc.lineno} column "
                       f"{exc.colno}: {text[:60]!r} (quote it: '{{\"key\": \"value\"}}')") \
            from None


def check_payload(value: Any) -> Any:
    """A payload given as data (MCP, requests): it must survive a JSON round trip."""
    try:
        text = json.dumps(value)
    except (TypeError, ValueError) as exc:
        raise BusError(f"payload is not JSON data: {exc}") from None
    if len(text) > MAX_PAYLOAD_BYTES:
        raise BusError(f"payload too large (more than {MAX_PAYLOAD_BYTES} bytes)")
    return value


def parse_type(text: str | None) -> str:
    """A message type; the seed's seven names (``task-assignment`` spelling accepted)."""
    name = (text or "custom").strip().lower().replace("-", "_")
    if name not in MESSAGE_TYPES:
        raise BusError(f"unknown message type: {text} (one of {', '.join(MESSAGE_TYPES)})")
    return name


def parse_priority(text: str | int | None) -> int:
    """``low|normal|high|critical`` or 0-3."""
    if text is None:
        return PRIORITIES["normal"]
    if isinstance(text, int):
        value = text
    elif text.strip().lower() in PRIORITIES:
        return PRIORITIES[text.strip().lower()]
    else:
        try:
            value = int(text)
        except ValueError:
            raise BusError(f"unknown priority: {text} (low, normal, high, critical "
                           "or 0-3)") from None
    if value not in PRIORITY_NAMES:
        raise BusError(f"priority out of range: {value} (0-3)")
    return value


def parse_list(text: str | None) -> tuple[str, ...]:
    """``a,b, c`` as ``("a", "b", "c")`` (empty items dropped, order kept, no repeats)."""
    items: list[str] = []
    for part in (text or "").split(","):
        part = part.strip()
        if part and part not in items:
            items.append(part)
    return tuple(items)
