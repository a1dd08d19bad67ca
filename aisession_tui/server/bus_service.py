"""Server glue of the message bus: loading it from the store, agent liveness, streaming.

:class:`BusService` (``services.bus``) answers the requests clients use besides the
``agent``/``bus``/``task`` commands (the daemon routes them here):

* ``bus.subscribe {topic?, agent?, types?, history?, events?, hold?}``: every matching
  message is pushed to this connection as a ``bus.message`` notification
  (``{"subscription", "message"}``); with ``events`` agent and task changes come as
  ``bus.agent`` / ``bus.task``. Without ``hold`` the reply is immediate
  (``{"subscription", "history"}``) and the subscription lasts as long as the connection;
  with ``hold`` the history is pushed as notifications and the request stays open until
  the client goes (so the server stays up for a streaming ``bus subscribe``).
* Subscribers whose topic pattern matches ``system.attention`` (or with ``events``) get
  every pane attention change as ``bus.attention`` (``{"subscription", "attention":
  {session, window, pane, state, previous, prompt?, at}}``).
* ``bus.unsubscribe {subscription}``; ``bus.send {...}`` (payload as data) and
  ``bus.recv {agent, max?, wait?}`` for programs that talk to the socket directly.

Invariants: the bus is loaded from the store once, on first use (the store opens after
the services are built); each subscriber has its own bounded queue and pump task, so a slow reader
never blocks the server or other subscribers: when its queue overflows it is told
(``bus.overflow``) and unsubscribed, never silently skipped. An agent bound to a pane of
an earlier server run is ``offline`` until it registers again.
"""

from __future__ import annotations

import asyncio
import itertools
import logging
from typing import TYPE_CHECKING, Any

from .. import protocol

if TYPE_CHECKING:  # the bus package (~10 ms of imports) loads with the bus's first use
    from pathlib import Path

    from ..bus.core import MessageBus
    from ..bus.model import Agent
    from .events import AttentionChanged
    from .peer import Peer
    from .registry import Registry
    from .store_handle import StoreHandle

log = logging.getLogger(__name__)

SUBSCRIBER_QUEUE = 10000
ATTENTION_TOPIC = "system.attention"
"""The system topic of pane attention changes (``bus subscribe --topic system.attention``)."""


class Subscriber:
    """One live subscription of one connection."""

    def __init__(self, subscription_id: int, connection: Peer, topic: str | None,
                 agent: str | None, types: list[str] | None, events: bool) -> None:
        self.id = subscription_id
        self.connection = connection
        self.topic = topic
        self.agent = agent
        self.types = set(types) if types else None
        self.events = events
        self.queue: asyncio.Queue[tuple[str, dict[str, Any]]] = asyncio.Queue(SUBSCRIBER_QUEUE)
        self.ended: asyncio.Future[str | None] = asyncio.get_running_loop().create_future()
        self.pump: asyncio.Task[None] | None = None

    def wants(self, kind: str, data: dict[str, Any]) -> bool:
        """Whether this subscriber gets the event."""
        from ..bus.model import topic_matches

        if kind == "attention":
            return self.events or (self.topic is not None
                                   and topic_matches(self.topic, ATTENTION_TOPIC))
        if kind != "message":
            return self.events
        if self.topic is not None and not (data.get("topic")
                                           and topic_matches(self.topic, data["topic"])):
            return False
        if self.types is not None and data.get("type") not in self.types:
            return False
        return self.agent is None or self.agent == data.get("from") or \
            self.agent in data.get("recipients", ())


class BusService:
    """``services.bus``: the bus of this server plus what ties it to panes and clients."""

    def __init__(self, socket_path: Path, registry: Registry, store: StoreHandle) -> None:
        self.registry = registry
        self.store = store
        self._bus: MessageBus | None = None
        self._loading: asyncio.Lock | None = None
        self._ids = itertools.count(1)
        self.subscribers: dict[int, Subscriber] = {}
        self.key = str(socket_path)

    async def get(self) -> MessageBus:
        """The bus, loaded from the store on first use."""
        if self._bus is not None:
            return self._bus
        if self._loading is None:
            self._loading = asyncio.Lock()
        async with self._loading:
            if self._bus is None:
                self._bus = await self._load()
        return self._bus

    async def _load(self) -> MessageBus:
        from ..bus.core import MessageBus
        from ..bus.journal import MemoryJournal, SqliteJournal
        from ..store import bus_store

        store = self.store.db
        bus_key = self.key
        if store is None:
            bus = MessageBus(MemoryJournal(), is_offline=self.is_offline)
        else:
            journal = SqliteJournal(store.submit,
                                    lambda connection, op: bus_store.apply(connection,
                                                                           bus_key, op),
                                    asyncio.get_running_loop())
            bus = MessageBus(journal, is_offline=self.is_offline)
            state = await asyncio.to_thread(
                store.call, lambda connection: bus_store.load(connection, bus_key))
            bus.restore(state)
        bus.listeners.append(self._fan_out)
        return bus

    @property
    def persistent(self) -> bool:
        """True when messages are written to the store."""
        return self._bus is not None and self._bus.journal.persistent

    # ------------------------------------------------------------ panes, agents
    def is_offline(self, agent: Agent) -> bool:
        """The agent's pane (or session) is gone, or belongs to an earlier server run."""
        registry = self.registry
        if agent.pane:
            if agent.run_id != self.store.run_id:
                return True
            try:
                found = registry.find_pane(int(agent.pane.lstrip("%")))
            except ValueError:
                return True
            return found is None or bool(getattr(found[2], "dead", False))
        if agent.session:
            return registry.session_by_name(agent.session) is None
        return False

    async def agent_for_pane(self, client_pane: str | None) -> str | None:
        """The agent registered for the caller's pane in this server run."""
        if not client_pane:
            return None
        bus = await self.get()
        for agent in bus.agents.values():
            if agent.pane == client_pane and agent.run_id == self.store.run_id:
                return agent.name
        return None

    async def sender(self, given: str | None, client_pane: str | None) -> str:
        """``--from``, else the agent of the caller's pane, else a clear error."""
        if given:
            return given
        name = await self.agent_for_pane(client_pane)
        if name is None:
            where = f" (no agent is registered for pane {client_pane})" if client_pane else ""
            from ..bus.model import BusError

            raise BusError(f"--from AGENT is required{where}")
        return name

    # ------------------------------------------------------------ subscribers
    def attention_changed(self, event: AttentionChanged) -> None:
        """Push a pane's attention change to the subscribers of ``system.attention``
        (and to those that asked for every event): a ``bus.attention`` notification."""
        if self.subscribers:
            from .attention_watch import attention_facts

            self._fan_out("attention", attention_facts(event))

    def _fan_out(self, kind: str, data: dict[str, Any]) -> None:
        for subscriber in list(self.subscribers.values()):
            if subscriber.connection.closed:
                self._drop(subscriber, None)
                continue
            if not subscriber.wants(kind, data):
                continue
            try:
                subscriber.queue.put_nowait((kind, data))
            except asyncio.QueueFull:
                subscriber.connection.send(protocol.notification(
                    "bus.overflow", {"subscription": subscriber.id,
                                     "message": "subscriber fell behind by "
                                                f"{SUBSCRIBER_QUEUE} events; unsubscribed"}))
                self._drop(subscriber, f"subscriber fell behind by {SUBSCRIBER_QUEUE} "
                                       "events; subscription ended (read faster or filter "
                                       "with --topic/--agent)")

    def _drop(self, subscriber: Subscriber, reason: str | None) -> None:
        self.subscribers.pop(subscriber.id, None)
        if subscriber.pump is not None:
            subscriber.pump.cancel()
        if not subscriber.ended.done():
            subscriber.ended.set_result(reason)

    async def _pump(self, subscriber: Subscriber) -> None:
        connection = subscriber.connection
        while not connection.closed:
            kind, data = await subscriber.queue.get()
            if kind == "message":
                params = {"subscription": subscriber.id, "message": data}
            else:
                params = {"subscription": subscriber.id, kind: data}
            connection.send(protocol.notification(f"bus.{kind}", params))
            try:
                await connection.drain()
            except (ConnectionError, RuntimeError):
                break
        self._drop(subscriber, None)

    async def handle_subscribe(self, connection: Peer,
                               params: dict[str, Any]) -> dict[str, Any]:
        from ..bus.model import BusError, parse_type

        bus = await self.get()
        types = params.get("types")
        if types is not None and (not isinstance(types, list)
                                  or not all(isinstance(t, str) for t in types)):
            raise protocol.ProtocolError(protocol.INVALID_PARAMS, "types must be a list")
        try:
            types = [parse_type(t) for t in types] if types else None
            history_count = max(0, min(int(params.get("history") or 0), 10000))
        except (BusError, ValueError) as exc:
            raise protocol.ProtocolError(protocol.INVALID_PARAMS, str(exc)) from None
        topic = params.get("topic") or None
        agent = params.get("agent") or None
        if agent is not None:
            try:
                bus.agent(agent)
            except BusError as exc:
                raise protocol.ProtocolError(protocol.COMMAND_FAILED, str(exc)) from None
        subscriber = Subscriber(next(self._ids), connection, topic, agent, types,
                                bool(params.get("events")))
        history = [{**m.to_dict(), "recipients": _recipients(bus, m)}
                   for m in bus.recent(history_count * 4 if history_count else 0, agent=agent)]
        history = [m for m in history if subscriber.wants("message", m)][-history_count:] \
            if history_count else []
        self.subscribers[subscriber.id] = subscriber
        subscriber.pump = asyncio.get_running_loop().create_task(self._pump(subscriber))
        if not params.get("hold"):
            return {"subscription": subscriber.id, "history": history,
                    "agents": bus.list_agents()}
        for item in history:
            subscriber.queue.put_nowait(("message", item))
        try:
            reason = await subscriber.ended
        finally:
            self._drop(subscriber, None)
        if reason:
            raise protocol.ProtocolError(protocol.COMMAND_FAILED, reason)
        return {"subscription": subscriber.id}

    async def handle_unsubscribe(self, connection: Peer,
                                 params: dict[str, Any]) -> dict[str, Any]:
        subscriber = self.subscribers.get(params.get("subscription"))  # type: ignore[arg-type]
        if subscriber is None or subscriber.connection is not connection:
            raise protocol.ProtocolError(protocol.COMMAND_FAILED, "no such subscription")
        self._drop(subscriber, None)
        return {}

    async def handle_send(self, connection: Peer,
                          params: dict[str, Any]) -> dict[str, Any]:
        from ..bus.model import BusError, check_payload, parse_priority, parse_type

        bus = await self.get()
        try:
            sender = await self.sender(params.get("from"), params.get("client_pane"))
            kind = parse_type(params.get("type"))
            priority = parse_priority(params.get("priority"))
            payload = check_payload(params.get("payload"))
            if params.get("topic"):
                message, recipients = await bus.publish(sender, str(params["topic"]), kind,
                                                        payload, priority=priority)
            elif params.get("to") in (None, "*"):
                message, recipients = await bus.broadcast(sender, kind, payload,
                                                          priority=priority)
            else:
                message = await bus.send(sender, str(params["to"]), kind, payload,
                                         priority=priority, reply_to=params.get("reply_to"))
                recipients = [str(params["to"])]
        except BusError as exc:
            raise protocol.ProtocolError(protocol.COMMAND_FAILED, str(exc)) from None
        return {**message.to_dict(), "recipients": recipients}

    async def handle_recv(self, connection: Peer,
                          params: dict[str, Any]) -> dict[str, Any]:
        from ..bus.model import BusError

        bus = await self.get()
        try:
            limit = params.get("max", 1)
            messages = await bus.receive(str(params.get("agent")),
                                         limit=None if limit is None else int(limit),
                                         timeout=float(params.get("wait") or 0) or None)
        except (BusError, ValueError) as exc:
            raise protocol.ProtocolError(protocol.COMMAND_FAILED, str(exc)) from None
        return {"messages": [m.to_dict() for m in messages]}


def _recipients(bus: MessageBus, message: Any) -> list[str]:
    if message.recipient == "*":
        return [name for name in bus.agents if name != message.sender]
    if message.topic:
        return [a.name for a in bus.agents.values() if a.subscribed(message.topic)]
    return [message.recipient] if message.recipient else []

