"""MessageBus: agents, bounded inboxes, direct/broadcast/topic delivery, request/response.

Invariants:
* every inbox copy is written to the journal, and the sender is answered only after the
  journal made it durable (so an acknowledged message survives a SIGKILL);
* a broadcast or topic publish puts one copy in *each* recipient's inbox (no competing
  consumers); live observers each get their own copy too;
* an inbox holds at most its agent's ``inbox_limit`` copies; a send that would overflow any
  recipient fails as a whole with :class:`BusError` naming the full inboxes: nothing is
  dropped silently;
* an inbox hands out higher priorities first and, within a priority, acceptance order
  (message ids grow in acceptance order), so one sender's messages keep their order;
* secrets in a payload are masked (:func:`~aisession_tui.ai.redact.redact_value`) before
  the message is journaled or delivered, so none reaches the disk;
* a response (``reply_to`` set) carries its request's correlation id; a pending
  :meth:`MessageBus.request` takes its response directly, before any ``receive``.

All methods run on one event loop; nothing here blocks.
"""

from __future__ import annotations

import asyncio
import heapq
import time
from collections import deque
from collections.abc import Callable, Iterable
from typing import Any

from ..ai.redact import redact_value
from .barriers import SyncPoints
from .journal import Journal, MemoryJournal
from .model import (
    BROADCAST,
    PRIORITIES,
    SYSTEM_SENDER,
    Agent,
    BusError,
    BusTimeout,
    Message,
    Task,
    check_name,
    check_payload,
    check_topic,
    parse_type,
)
from .tasks import TaskBoard

HISTORY_KEPT = 10000
DEFAULT_INBOX_LIMIT = 1000

Listener = Callable[[str, dict[str, Any]], None]
"""``listener(kind, data)``: kind ``message`` (data: the message dict plus ``recipients``),
``agent`` (data: an agent dict, or ``{"name", "removed": True}``) or ``task``."""


class MessageBus:
    """The bus of one server."""

    def __init__(self, journal: Journal | None = None, *,
                 default_inbox_limit: int = DEFAULT_INBOX_LIMIT,
                 clock: Callable[[], float] = time.time,
                 is_offline: Callable[[Agent], bool] = lambda agent: False) -> None:
        self.journal: Journal = journal or MemoryJournal()
        self.default_inbox_limit = default_inbox_limit
        self.clock = clock
        self.is_offline = is_offline
        self.agents: dict[str, Agent] = {}
        self._inboxes: dict[str, list[tuple[int, int, Message]]] = {}
        self._receivers: dict[str, list[asyncio.Future[None]]] = {}
        self._requests: dict[tuple[str, int], asyncio.Future[Message]] = {}
        self.history: deque[Message] = deque(maxlen=HISTORY_KEPT)
        self._by_id: dict[int, Message] = {}
        self.listeners: list[Listener] = []
        self.next_message_id = 1
        self.syncs = SyncPoints(self)
        self.tasks = TaskBoard(self)

    # ------------------------------------------------------------------ loading
    def restore(self, state: dict[str, Any]) -> None:
        """Adopt what :func:`aisession_tui.store.bus_store.load` read back."""
        for agent in state["agents"]:
            self.agents[agent.name] = agent
            self._inboxes.setdefault(agent.name, [])
        for message in state["history"]:
            self._remember(message)
        for name, message in state["inbox"]:
            if name in self._inboxes:
                heapq.heappush(self._inboxes[name], (-message.priority, message.id, message))
        self.next_message_id = max(self.next_message_id, state["next_message_id"])
        self.tasks.restore(state["tasks"], state["next_task_id"])

    # ------------------------------------------------------------------- agents
    async def register(self, name: str, *, session: str | None = None,
                       pane: str | None = None, role: str | None = None,
                       capabilities: Iterable[str] = (), topics: Iterable[str] = (),
                       inbox_limit: int | None = None, run_id: int | None = None) -> Agent:
        """Register (or update) an agent; queued tasks it can do are assigned at once."""
        check_name(name)
        limit = inbox_limit if inbox_limit is not None else self.default_inbox_limit
        if limit < 1:
            raise BusError(f"inbox size must be at least 1 (got {limit})")
        old = self.agents.get(name)
        agent = Agent(name=name, session=session, pane=pane, role=role,
                      capabilities=tuple(capabilities), topics=tuple(topics),
                      inbox_limit=limit,
                      registered_at=old.registered_at if old else self.clock(),
                      run_id=run_id)
        self.agents[name] = agent
        self._inboxes.setdefault(name, [])
        await self.journal.write(("agent", agent))
        self._emit("agent", self.agent_dict(agent))
        await self.tasks.assign_queued()
        return agent

    async def unregister(self, name: str, *, force: bool = False) -> dict[str, Any]:
        """Remove an agent. Refused while its inbox holds messages unless ``force``
        (which discards them, and says how many); its open tasks are routed again."""
        self.agent(name)
        pending = len(self._inboxes.get(name, []))
        if pending and not force:
            raise BusError(f"agent {name} has {pending} undelivered message(s); receive "
                           "them first (bus recv) or unregister with --force to discard "
                           "them")
        del self.agents[name]
        self._inboxes.pop(name, None)
        for future in self._receivers.pop(name, []):
            if not future.done():
                future.set_exception(BusError(f"agent {name} was unregistered"))
        await self.journal.write(("unregister", name))
        self._emit("agent", {"name": name, "removed": True})
        rerouted = await self.tasks.release_agent(name)
        return {"name": name, "discarded": pending, "rerouted_tasks": rerouted}

    def agent(self, name: str) -> Agent:
        """A registered agent, or a clear error."""
        agent = self.agents.get(name)
        if agent is None:
            known = ", ".join(sorted(self.agents)) or "none registered"
            raise BusError(f"unknown agent: {name} (agents: {known}; register with "
                           f"'ai-session agent register {name}')")
        return agent

    def status(self, agent: Agent) -> str:
        """``offline`` (its pane or session is gone), ``busy`` (open tasks),
        ``waiting`` (blocked in recv or sync) or ``idle``."""
        if self.is_offline(agent):
            return "offline"
        if self.tasks.open_count(agent.name):
            return "busy"
        if self._receivers.get(agent.name) or self.syncs.waiting(agent.name):
            return "waiting"
        return "idle"

    def agent_dict(self, agent: Agent) -> dict[str, Any]:
        """An agent as data, with its live status and counts."""
        return {"name": agent.name, "session": agent.session, "pane": agent.pane,
                "role": agent.role, "capabilities": list(agent.capabilities),
                "topics": list(agent.topics), "status": self.status(agent),
                "inbox": len(self._inboxes.get(agent.name, [])),
                "inbox_limit": agent.inbox_limit,
                "open_tasks": self.tasks.open_count(agent.name),
                "registered_at": agent.registered_at}

    def list_agents(self) -> list[dict[str, Any]]:
        """Every agent, in registration order."""
        return [self.agent_dict(agent) for agent in self.agents.values()]

    def pending(self, name: str) -> int:
        """How many copies wait in an agent's inbox."""
        return len(self._inboxes.get(name, []))

    # ------------------------------------------------------------------ sending
    async def send(self, sender: str, recipient: str, type: str, payload: Any, *,
                   priority: int = PRIORITIES["normal"], reply_to: int | None = None
                   ) -> Message:
        """A direct message into ``recipient``'s inbox."""
        self.agent(recipient)
        message = self._new(sender, recipient, None, type, payload, priority, reply_to)
        await self._deliver(message, [recipient])
        return message

    async def broadcast(self, sender: str, type: str, payload: Any, *,
                        priority: int = PRIORITIES["normal"]) -> tuple[Message, list[str]]:
        """A copy for every registered agent except the sender."""
        message = self._new(sender, BROADCAST, None, type, payload, priority, None)
        recipients = [name for name in self.agents if name != sender]
        await self._deliver(message, recipients)
        return message, recipients

    async def publish(self, sender: str, topic: str, type: str, payload: Any, *,
                      priority: int = PRIORITIES["normal"]) -> tuple[Message, list[str]]:
        """A copy for every agent subscribed to a pattern matching ``topic`` (live
        observers with a matching pattern see it too)."""
        check_topic(topic)
        message = self._new(sender, None, topic, type, payload, priority, None)
        recipients = [agent.name for agent in self.agents.values()
                      if agent.name != sender and agent.subscribed(topic)]
        await self._deliver(message, recipients)
        return message, recipients

    async def request(self, sender: str, recipient: str, type: str, payload: Any, *,
                      timeout: float, priority: int = PRIORITIES["normal"]
                      ) -> tuple[Message, Message]:
        """Send and wait for the response (a message to ``sender`` whose correlation id
        is the request's id); the response never reaches ``sender``'s inbox."""
        self.agent(sender)
        self.agent(recipient)
        message = self._new(sender, recipient, None, type, payload, priority, None)
        key = (sender, message.id)
        future: asyncio.Future[Message] = asyncio.get_running_loop().create_future()
        self._requests[key] = future
        try:
            await self._deliver(message, [recipient])
            try:
                response = await asyncio.wait_for(asyncio.shield(future), timeout)
            except TimeoutError:
                raise BusTimeout(f"no response from {recipient} to message {message.id} "
                                 f"within {timeout:g}s") from None
        finally:
            self._requests.pop(key, None)
        return message, response

    def _new(self, sender: str, recipient: str | None, topic: str | None, type: str,
             payload: Any, priority: int, reply_to: int | None) -> Message:
        check_name(sender, "sender name")
        parse_type(type)
        check_payload(payload)
        correlation = None
        if reply_to is not None:
            original = self._by_id.get(reply_to)
            correlation = (original.correlation_id or original.id) if original else reply_to
        message = Message(id=self.next_message_id, at=self.clock(), sender=sender,
                          recipient=recipient, topic=topic, type=type, priority=priority,
                          payload=redact_value(payload), reply_to=reply_to,
                          correlation_id=correlation)
        self.next_message_id += 1
        return message

    async def _deliver(self, message: Message, recipients: list[str]) -> None:
        full = [name for name in recipients
                if len(self._inboxes[name]) >= self.agents[name].inbox_limit]
        if full:
            details = ", ".join(f"{name} ({self.agents[name].inbox_limit} messages)"
                                for name in full)
            raise BusError(f"inbox full: {details}; message not sent to anyone. The agent "
                           "must receive (bus recv) first, or re-register with a larger "
                           "--inbox-size")
        # All or nothing: nobody sees the message before it is stored; a failed write
        # delivers it to no one (the sender's retry must not make a duplicate).
        try:
            await self.journal.write(("message", message, tuple(recipients)))
        except Exception as exc:  # noqa: BLE001 - the store's error, told to the sender
            raise BusError(f"message not sent to anyone: {exc}") from None
        taken: list[tuple[str, asyncio.Future[Message]]] = []
        queued: list[str] = []
        for name in recipients:
            waiter = (self._requests.get((name, message.correlation_id))
                      if message.correlation_id is not None else None)
            if waiter is not None and not waiter.done():
                taken.append((name, waiter))
            elif name in self._inboxes:
                heapq.heappush(self._inboxes[name], (-message.priority, message.id, message))
                queued.append(name)
        self._remember(message)
        for name, _ in taken:
            self.journal.write(("delivered", name, (message.id,)))
        self._emit("message", {**message.to_dict(), "recipients": list(recipients)})
        for name in queued:
            self._wake(name)
        for _, waiter in taken:
            if not waiter.done():
                waiter.set_result(message)

    def _remember(self, message: Message) -> None:
        if len(self.history) == self.history.maxlen:
            self._by_id.pop(self.history[0].id, None)
        self.history.append(message)
        self._by_id[message.id] = message

    # ---------------------------------------------------------------- receiving
    def take(self, name: str, limit: int | None = 1) -> list[Message]:
        """Up to ``limit`` (None: all) messages from an agent's inbox, removed from it."""
        self.agent(name)
        inbox = self._inboxes[name]
        out: list[Message] = []
        while inbox and (limit is None or len(out) < limit):
            out.append(heapq.heappop(inbox)[2])
        if out:
            self.journal.write(("delivered", name, tuple(m.id for m in out)))
            self._emit("agent", self.agent_dict(self.agents[name]))
        return out

    def peek(self, name: str) -> list[Message]:
        """The inbox in delivery order, left in place."""
        self.agent(name)
        return [entry[2] for entry in sorted(self._inboxes[name])]

    async def receive(self, name: str, *, limit: int | None = 1,
                      timeout: float | None = None) -> list[Message]:
        """Take messages; with ``timeout`` wait up to that long for the first one
        (:class:`BusTimeout` when none came)."""
        messages = self.take(name, limit)
        if messages or not timeout:
            return messages
        deadline = asyncio.get_running_loop().time() + timeout
        while not messages:
            remaining = deadline - asyncio.get_running_loop().time()
            if remaining <= 0:
                raise BusTimeout(f"no message for {name} within {timeout:g}s")
            future: asyncio.Future[None] = asyncio.get_running_loop().create_future()
            waiters = self._receivers.setdefault(name, [])
            waiters.append(future)
            if len(waiters) == 1:
                self._emit("agent", self.agent_dict(self.agents[name]))
            try:
                await asyncio.wait_for(future, remaining)
            except TimeoutError:
                pass
            finally:
                if future in waiters:
                    waiters.remove(future)
                if not waiters:
                    self._receivers.pop(name, None)
            messages = self.take(name, limit)
        return messages

    def _wake(self, name: str) -> None:
        for future in self._receivers.get(name, []):
            if not future.done():
                future.set_result(None)

    # ------------------------------------------------------------------ history
    def recent(self, limit: int, *, agent: str | None = None,
               type: str | None = None) -> list[Message]:
        """The last ``limit`` messages (oldest first) kept in memory, optionally only
        those from/to ``agent`` (broadcasts and its topics included) or of ``type``."""
        out: list[Message] = []
        for message in reversed(self.history):
            if type is not None and message.type != type:
                continue
            if agent is not None and not self.involves(message, agent):
                continue
            out.append(message)
            if len(out) >= limit:
                break
        out.reverse()
        return out

    def involves(self, message: Message, name: str) -> bool:
        """True when ``name`` sent the message or is one of its recipients."""
        if name in (message.sender, message.recipient):
            return True
        if message.recipient == BROADCAST:
            return True
        registered = self.agents.get(name)
        return bool(message.topic and registered and registered.subscribed(message.topic))

    def _emit(self, kind: str, data: dict[str, Any]) -> None:
        for listener in list(self.listeners):
            listener(kind, data)

    async def system_notice(self, topic: str, payload: Any) -> Message:
        """Publish a status update from ai-session itself (barrier releases, tasks)."""
        message, _ = await self.publish(SYSTEM_SENDER, topic, "status_update", payload)
        return message

    def task_changed(self, task: Task) -> None:
        """Tell listeners about a task's new state (called by the task board)."""
        self._emit("task", task.to_dict())
