"""The server's AI layer: a :class:`PaneContext` per pane, fed by command records.

Every finished command (from :class:`RecordKeeper`, already redacted, plain and parsed)
becomes two messages of its pane's context; ``context add`` adds notes. Work is kept off
the event loop and in order: one worker task takes items from a queue, builds and counts
the messages in a thread (``asyncio.to_thread``: summaries, exact token counts), appends
them on the loop (a cheap prefix-sum update, compaction included), then renders the live
view in a thread so readers on the loop find it cached. Each batch of messages and the
pane's live state are written to the store (:mod:`aisession_tui.store.context_store`);
``context add`` answers only after the commit that holds its note.

A resurrected pane's context is rebuilt from the store before anything new enters it
(:meth:`AiLayer.restore_pane`, :mod:`aisession_tui.server.context_rebuild`); ``stats``
reads each command's tokens and facts kept from :meth:`AiLayer.command_usage`.

Budget of a pane: its session's ``max_tokens`` (``create --max-tokens``), else
``AI_SESSION_MAX_TOKENS`` from the session's environment or the server's, else 4096;
threshold 0.8. Contexts of closed panes stay (for ``stats``) until the server exits.
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from .events import CommandRecorded, EventBus, NoteAdded

if TYPE_CHECKING:  # the AI package loads with a pane's first context, not at start
    from ..ai.context import ContextWindow, Message, PaneContext
    from ..ai.retention import CommandUsage
    from .pane import Pane
    from .records import RecordKeeper
    from .registry import Registry, Session
    from .store_handle import StoreHandle

log = logging.getLogger(__name__)

SETTLE_TIMEOUT = 15.0
BIG_MESSAGE_TOKENS = 200_000
"""Messages this big are followed by giving freed memory back (``malloc_trim``)."""


@dataclass
class PaneAi:
    """One pane's context and where it belongs."""

    pane_id: int
    session_name: str
    context: PaneContext
    commands: int = 0
    created: float = field(default_factory=time.time)


class AiLayer:
    """Contexts per pane, kept up to date from the server's command records."""

    def __init__(self, registry: Registry, records: RecordKeeper, store: StoreHandle,
                 events: EventBus) -> None:
        self.registry = registry
        self.records = records
        self.store = store
        self.events = events
        self.panes: dict[int, PaneAi] = {}
        self._queue: asyncio.Queue[tuple[Any, ...]] | None = None
        self._worker: asyncio.Task[None] | None = None
        events.subscribe(CommandRecorded, self._on_record)

    # ------------------------------------------------------------- lookups
    def budget_for(self, session: Session | None) -> int:
        """The token budget a session's panes get."""
        from .commands.create import default_max_tokens

        if session is not None and session.max_tokens:
            return int(session.max_tokens)
        return default_max_tokens(session.env if session is not None else {})

    def pane_ai(self, pane_id: int) -> PaneAi | None:
        """The pane's context holder, if it has one yet."""
        return self.panes.get(pane_id)

    def _holder(self, pane_id: int, session_name: str) -> PaneAi:
        holder = self.panes.get(pane_id)
        if holder is None:
            from ..ai.context import DEFAULT_THRESHOLD, PaneContext

            found = self.registry.find_pane(pane_id)
            session = found[0] if found else None
            context = PaneContext(max_tokens=self.budget_for(session),
                                  threshold=DEFAULT_THRESHOLD)
            holder = PaneAi(pane_id, session_name, context)
            self.panes[pane_id] = holder
        holder.session_name = session_name
        return holder

    def view(self, pane_id: int) -> ContextWindow | None:
        """The pane's live context (cached), or None when it has no messages yet."""
        holder = self.panes.get(pane_id)
        return holder.context.view() if holder is not None else None

    def record_ids(self, pane_id: int) -> list[int]:
        """The store record ids of every command in the pane's context, oldest first."""
        holder = self.panes.get(pane_id)
        if holder is None:
            return []
        from ..ai.context import record_ids_of

        return list(record_ids_of(holder.context.messages))

    def context_tokens(self, pane_id: int) -> int:
        """Tokens of the pane's live context (0 without one)."""
        window = self.view(pane_id)
        return window.tokens if window is not None else 0

    def attention(self, pane: Pane) -> str:
        """The pane's attention state (see :mod:`aisession_tui.ai.attention`)."""
        from ..ai.attention import pane_attention

        return pane_attention(pane)

    def command_usage(self, pane_id: int) -> list[CommandUsage]:
        """Per command of the pane's live context: tokens raw and held, facts kept."""
        from ..ai.retention import command_usage

        holder = self.panes.get(pane_id)
        if holder is None:
            return []
        return command_usage(holder.context.view(), holder.context.messages)

    def pane_stats(self, pane_id: int) -> dict[str, Any]:
        """Numbers for ``stats`` and ``list --detailed`` (zeros without a context)."""
        holder = self.panes.get(pane_id)
        if holder is None:
            return {"pane": f"%{pane_id}", "messages": 0, "commands": 0, "raw_tokens": 0,
                    "context_tokens": 0, "compressions": 0, "max_tokens": None}
        context = holder.context
        return {"pane": f"%{pane_id}", "session": holder.session_name,
                "messages": len(context.messages), "commands": holder.commands,
                "raw_tokens": context.raw_tokens, "context_tokens": context.view().tokens,
                "compressions": context.compressions, "max_tokens": context.max_tokens}

    # ------------------------------------------------------------- feeding
    def _on_record(self, event: CommandRecorded) -> None:
        from ..ai.context import command_messages

        processed = event.processed
        record = processed.record

        def build() -> list[Message]:
            return command_messages(processed.text, processed.plain, record.exit_code,
                                    processed.parsed, at=record.started_at,
                                    finished_at=record.finished_at,
                                    record_id=processed.row_id, cwd=record.cwd)

        self._enqueue(processed.pane_id, processed.session_name, build, None)

    async def add_note(self, pane_id: int, session_name: str, role: str,
                       text: str) -> Message:
        """Add an assistant/agent/user/system note to a pane's context (in order);
        :class:`NoteAdded` is published once it is in."""
        from ..ai.context import note_message

        message = note_message(role, text, at=time.time())
        await self.settled()  # commands that finished before the note come before it
        future: asyncio.Future[list[Message]] = asyncio.get_running_loop().create_future()
        self._enqueue(pane_id, session_name, lambda: [message], future)
        added = (await future)[0]
        self.events.publish(NoteAdded(pane_id, session_name, added))
        return added

    def restore_pane(self, session: Session, pane: Pane, saved: dict[str, Any]) -> None:
        """Rebuild a resurrected pane's context from the store (``saved``: the run and
        pane id it had); queued first, so the pane's new commands come after it."""
        run_id, old_pane = saved.get("run_id"), saved.get("pane_id")
        if not isinstance(run_id, int) or not isinstance(old_pane, int):
            return
        self._enqueue(pane.id, session.name, None, None,
                      restore=(run_id, old_pane, self.budget_for(session)))

    def _enqueue(self, pane_id: int, session_name: str,
                 build: Callable[[], list[Message]] | None, future: asyncio.Future[list[Message]] | None,
                 restore: tuple[int, int, int] | None = None) -> None:
        if self._queue is None:
            self._queue = asyncio.Queue()
        if self._worker is None or self._worker.done():
            self._worker = asyncio.get_running_loop().create_task(self._work())
        self._queue.put_nowait((pane_id, session_name, build, future, restore))

    async def _work(self) -> None:
        from ..ai.context import count_messages

        assert self._queue is not None
        while True:
            pane_id, session_name, build, future, restore = await self._queue.get()
            try:
                if restore is not None:
                    await self._restore(pane_id, session_name, *restore)
                    continue
                assert build is not None
                messages = await asyncio.to_thread(_prepare, build, count_messages)
                holder = self._holder(pane_id, session_name)
                holder.context.append(messages)
                holder.commands += sum(1 for m in messages if m.kind == "output")
                await asyncio.to_thread(holder.context.view)
                if sum(m.tokens for m in messages) > BIG_MESSAGE_TOKENS:
                    from .limits import trim_memory

                    trim_memory()  # a huge output's verbatim text left memory when compacted
                stored = self._persist(holder, messages)
                if future is not None and stored is not None:
                    await stored  # a note is acknowledged only once it is committed
                if future is not None and not future.done():
                    future.set_result(messages)
            except Exception as exc:  # one bad record must not stop the layer
                log.exception("adding to a pane context failed")
                if future is not None and not future.done():
                    future.set_exception(exc)
            finally:
                self._queue.task_done()

    async def settled(self, timeout: float = SETTLE_TIMEOUT) -> None:
        """Wait until every finished command so far is in its pane's context."""
        pending = [f for f in self.records.recent.values() if not f.done()]
        if pending:
            await asyncio.wait(pending, timeout=timeout)
        if self._queue is not None:
            try:
                await asyncio.wait_for(self._queue.join(), timeout)
            except TimeoutError:
                log.warning("pane contexts still busy after %.0fs", timeout)

    async def _restore(self, pane_id: int, session_name: str, run_id: int, old_pane: int,
                       budget: int) -> None:
        """Read the pane's history of run ``run_id`` and replay it (in a thread)."""
        store = self.store.db
        if store is None:
            return
        if pane_id in self.panes:
            log.warning("pane %%%d already has a context; its history of run %d is not "
                        "restored", pane_id, run_id)
            return
        from ..store import context_store
        from ..store.db import connect
        from .context_rebuild import rebuild

        def read_and_replay() -> Any:
            store.flush()
            connection = connect(store.path)
            try:
                history = context_store.load_pane_history(connection, run_id, old_pane)
            finally:
                connection.close()
            if not history.messages and not history.unreferenced:
                return None
            return rebuild(history, budget)

        rebuilt = await asyncio.to_thread(read_and_replay)
        if rebuilt is None:
            return
        for problem in rebuilt.problems:
            log.warning("pane %%%d (was %%%d of run %d): %s", pane_id, old_pane, run_id,
                        problem)
        if not rebuilt.matches_state:
            log.warning("pane %%%d: the rebuilt context's boundaries differ from the "
                        "stored ones (the compaction changed since run %d)", pane_id, run_id)
        holder = PaneAi(pane_id, session_name, rebuilt.context, commands=rebuilt.commands)
        self.panes[pane_id] = holder
        log.info("pane %%%d: context of run %d pane %%%d rebuilt (%d messages, %d tokens)",
                 pane_id, run_id, old_pane, len(rebuilt.context.messages),
                 rebuilt.context.view().tokens)
        self._persist(holder, rebuilt.context.messages)

    # ------------------------------------------------------------- storing
    def _persist(self, holder: PaneAi, messages: list[Message]) -> asyncio.Future[Any] | None:
        """Write the messages and the pane's state; the future settles after the commit
        (None without a store)."""
        store, run_id = self.store.db, self.store.run_id
        if store is None or run_id is None:
            return None
        from ..store import context_store

        context = holder.context
        rows = [message.to_dict() for message in messages]
        state = {"max_tokens": context.max_tokens, "threshold": context.threshold,
                 "omitted": context.live.omitted, "merged": context.live.merged,
                 "summarized": context.live.summarized, "compressions": context.compressions,
                 "raw_tokens": context.raw_tokens, "updated_at": time.time()}
        pane_id, name = holder.pane_id, holder.session_name

        def write(connection: Any) -> None:
            context_store.insert_messages(connection, run_id, pane_id, name, rows)
            context_store.save_state(connection, run_id, pane_id, name, state)

        stored = store.commit(write)
        stored.add_done_callback(_consume_error)
        return stored

    async def raw_output(self, record_id: int) -> dict[str, Any] | None:
        """A command record's full stored output (read on its own connection)."""
        store = self.store.db
        if store is None:
            return None
        from ..store import context_store
        from ..store.db import connect

        def read() -> dict[str, Any] | None:
            store.flush()
            connection = connect(store.path)
            try:
                return context_store.load_raw(connection, record_id)
            finally:
                connection.close()

        return await asyncio.to_thread(read)


def _consume_error(future: asyncio.Future[Any]) -> None:
    """A record's context write that failed was logged by the store; nobody awaits it."""
    if not future.cancelled():
        future.exception()


def _prepare(build: Callable[[], list[Message]],
             count: Callable[[list[Message]], None]) -> list[Message]:
    """Build messages and count their tokens (runs in a worker thread)."""
    messages = build()
    count(messages)
    return messages
