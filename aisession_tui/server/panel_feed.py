"""Live feed for the TUI's AI panels: ``record`` and ``context`` notifications, ``panel.state``.

A :class:`PanelFeed` subscribes to the server's processed command records
(:class:`~aisession_tui.server.events.CommandRecorded`) and to notes added to a pane's
context (:class:`~aisession_tui.server.events.NoteAdded`), and pushes to every client
attached to the pane's session:

* ``record`` ``{pane, seq, id, command, cwd, exit_code, started_at, finished_at,
  duration_ms, parsed}`` the moment a command's record is processed;
* ``context`` ``{pane, session, tokens, max_tokens, threshold, compressions, raw_tokens,
  saved_tokens, savings_percent, messages_total, omitted, merged, summarized, verbatim,
  messages: [{id, role, kind, form, at, text, tokens, exit_code?, raw_id?, clipped?}]}``
  once the AI layer has the command (or note) in the pane's live context.

It also answers the request ``panel.state {pane?}`` -> ``{pane, context, records}``: the
same data for one pane (the attached client's active pane by default), with the pane's
last :data:`RECORDS_PER_PANE` records, oldest first. A client asks on attach and when the
focused pane changes, then applies the notifications that follow.

Invariants: numbers are the AI layer's own (exact counts, nothing estimated); only message
texts longer than :data:`TEXT_PREVIEW` characters and issue/failure lists longer than
:data:`MAX_ITEMS` are cut for the wire (``clipped`` / ``clipped_items`` say so). Context
pushes are coalesced per pane: one push after the AI layer settled, however many records
arrived meanwhile. A notification is sent on the connection in the order it was computed,
so the newest state a client receives is the newest the server had.
"""

from __future__ import annotations

import asyncio
import itertools
import logging
from collections import deque
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from .. import protocol
from ..protocol import messages
from .events import CommandRecorded, EventBus, NoteAdded

if TYPE_CHECKING:
    from .ai_layer import AiLayer
    from .clients import ClientHub
    from .peer import Peer
    from .records import ProcessedRecord
    from .registry import Registry

log = logging.getLogger(__name__)

RECORDS_PER_PANE = 20
"""How many of a pane's latest records ``panel.state`` returns."""
TEXT_PREVIEW = 2000
"""Longest message text sent to a panel (the panel shows a few lines of each)."""
MAX_ITEMS = 200
"""Most issues / failures of one parsed output sent to a panel."""


def record_payload(seq: int, processed: ProcessedRecord) -> messages.RecordMessage:
    """A ``record`` notification's params: the record's facts and parsed output."""
    record = processed.record
    parsed = dict(processed.parsed)
    clipped = 0
    for key in ("issues", "failures"):
        items = parsed.get(key)
        if isinstance(items, list) and len(items) > MAX_ITEMS:
            clipped += len(items) - MAX_ITEMS
            parsed[key] = items[:MAX_ITEMS]
    payload: messages.RecordMessage = {"pane": processed.pane_id, "session": processed.session_name, "seq": seq,
               "id": processed.row_id, "command": processed.text, "cwd": record.cwd,
               "exit_code": record.exit_code, "started_at": record.started_at,
               "finished_at": record.finished_at,
               "duration_ms": round((record.finished_at - record.started_at) * 1000, 1),
               "parsed": parsed}
    if clipped:
        payload["clipped_items"] = clipped
    return payload


class PanelFeed:
    """Pushes records and contexts to attached clients; answers ``panel.state``."""

    def __init__(self, registry: Registry, ai: AiLayer, clients: ClientHub,
                 events: EventBus) -> None:
        self.registry = registry
        self.ai = ai
        self.clients = clients
        self.records: dict[int, deque[messages.RecordMessage]] = {}
        self._seq = itertools.count(1)
        self._dirty: set[int] = set()
        self._pusher: asyncio.Task[None] | None = None
        events.subscribe(CommandRecorded, self._on_record)
        events.subscribe(NoteAdded, self._on_note)

    # ------------------------------------------------------------- sources
    def _on_record(self, event: CommandRecorded) -> None:
        processed = event.processed
        payload = record_payload(next(self._seq), processed)
        kept = self.records.setdefault(processed.pane_id, deque(maxlen=RECORDS_PER_PANE))
        kept.append(payload)
        self._send(processed.session_id, messages.RECORD, payload)
        self.context_changed(processed.pane_id)

    def _on_note(self, event: NoteAdded) -> None:
        """An added note is pushed like a command."""
        self.context_changed(event.pane_id)

    def context_changed(self, pane_id: int) -> None:
        """Push the pane's context once the AI layer has taken in what is queued."""
        self._dirty.add(pane_id)
        if self._pusher is None or self._pusher.done():
            self._pusher = asyncio.get_running_loop().create_task(self._push())

    async def _push(self) -> None:
        while self._dirty:
            await self.ai.settled()
            panes, self._dirty = self._dirty, set()
            for pane_id in sorted(panes):
                try:
                    found = self.registry.find_pane(pane_id)
                    if found is not None and self._watchers(found[0].id):
                        self._send(found[0].id, messages.CONTEXT, self.context_payload(pane_id))
                except Exception:  # one pane's bad state must not stop the feed
                    log.exception("pushing the context of %%%d failed", pane_id)

    # ------------------------------------------------------------- payloads
    def context_payload(self, pane_id: int) -> messages.ContextMessage:
        """A ``context`` notification's params for one pane (empty before any message)."""
        ai = self.ai
        holder = ai.pane_ai(pane_id)
        if holder is None:
            found = self.registry.find_pane(pane_id)
            budget = ai.budget_for(found[0] if found else None)
            from ..ai.context import DEFAULT_THRESHOLD

            return {"pane": pane_id, "session": found[0].name if found else None,
                    "tokens": 0, "max_tokens": budget, "threshold": DEFAULT_THRESHOLD,
                    "compressions": 0, "raw_tokens": 0, "saved_tokens": 0,
                    "savings_percent": None, "messages_total": 0, "omitted": 0,
                    "merged": 0, "summarized": 0, "verbatim": 0, "messages": []}
        context = holder.context
        window = context.view().to_dict()
        for entry in window["messages"]:
            if len(entry["text"]) > TEXT_PREVIEW:
                entry["text"] = entry["text"][:TEXT_PREVIEW]
                entry["clipped"] = True
        raw, used = context.raw_tokens, window["tokens"]
        return {"pane": pane_id, "session": holder.session_name,
                "max_tokens": window["max_tokens"], "tokens": used,
                "text_tokens": window["text_tokens"],
                "messages_total": window["messages_total"], "omitted": window["omitted"],
                "merged": window["merged"], "summarized": window["summarized"],
                "verbatim": window["verbatim"], "messages": window["messages"],
                "threshold": context.threshold, "compressions": context.compressions,
                "raw_tokens": raw, "saved_tokens": raw - used,
                "savings_percent": round(100 * (raw - used) / raw, 1) if raw else None}

    def state(self, pane_id: int) -> messages.PanelStateResult:
        """``panel.state``'s reply for one pane."""
        return {"pane": pane_id, "context": self.context_payload(pane_id),
                "records": list(self.records.get(pane_id, ()))}

    # ------------------------------------------------------------- clients
    def _watchers(self, session_id: int) -> list[Any]:
        return [client for client in self.clients.clients.values()
                if client.session.id == session_id]

    def _send(self, session_id: int, method: str, params: Mapping[str, Any]) -> None:
        for client in self._watchers(session_id):
            client.send(method, params)

    async def handle_state(self, connection: Peer,
                           params: dict[str, Any]) -> messages.PanelStateResult:
        """``panel.state {pane?}``: a pane's context and latest records."""
        pane = params.get("pane")
        if pane is None:
            attached = connection.attached
            if attached is None:
                raise protocol.ProtocolError(protocol.INVALID_PARAMS,
                                             "panel.state needs a pane when not attached")
            pane = attached.session.current.active_pane
        try:
            pane_id = int(str(pane).lstrip("%"))
        except ValueError:
            raise protocol.ProtocolError(protocol.INVALID_PARAMS,
                                         f"pane invalid: {pane}") from None
        ai = self.ai
        if self.registry.find_pane(pane_id) is None and \
                ai.pane_ai(pane_id) is None:
            raise protocol.ProtocolError(protocol.COMMAND_FAILED,
                                         f"can't find pane: %{pane_id}")
        await ai.settled()
        return self.state(pane_id)

