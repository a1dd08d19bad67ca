"""The attention watch: looks at every pane a few times a second and publishes
:class:`~aisession_tui.server.events.AttentionChanged` when a pane's attention state
(:mod:`aisession_tui.ai.attention`) changes, so nobody has to poll.

Listeners: the client hub redraws the status line of the pane's session (the window
flag ``?`` and ``#{window_attention}``), the bus pushes the change to subscribers of the
``system.attention`` topic (``bus subscribe --topic system.attention``), control mode and
MCP clients hear it through those.

Invariants: the loop runs only while the server has panes (started by the first
:class:`PaneCreated`, it ends when no pane is left); each pane's last state is kept on
the pane (``pane.attention``) so format variables read it without recomputing; a pane
at its shell prompt whose output and commands did not change since the last look is not
looked at again (its state cannot have changed); a failing look is logged, never stops
the loop.
"""

from __future__ import annotations

import asyncio
import logging
import time
from typing import TYPE_CHECKING, Any

from .events import AttentionChanged, EventBus, PaneCreated

if TYPE_CHECKING:
    from .ai_layer import AiLayer
    from .registry import Registry

log = logging.getLogger(__name__)

WATCH_INTERVAL = 0.2
"""Seconds between two looks at the panes."""
SETTLED_STATES = ("idle", "error", "done")
"""States that only change with new output, a new command or the child's exit."""


class AttentionWatch:
    """``services.attention``: the loop that publishes attention changes."""

    def __init__(self, registry: Registry, ai: AiLayer, events: EventBus) -> None:
        self.registry = registry
        self.ai = ai
        self.events = events
        self._task: asyncio.Task[None] | None = None
        self._seen: dict[int, tuple[Any, ...]] = {}
        events.subscribe(PaneCreated, self._on_pane_created)

    def _on_pane_created(self, _event: PaneCreated) -> None:
        if self._task is None or self._task.done():
            self._task = asyncio.get_running_loop().create_task(self._loop())

    async def _loop(self) -> None:
        while True:
            await asyncio.sleep(WATCH_INTERVAL)
            panes = self.registry.all_panes()
            if not panes:
                self._seen.clear()
                return
            try:
                self.look(panes)
            except Exception:  # one bad pane must not end the watch
                log.exception("attention watch failed")

    def look(self, panes: list[tuple[Any, Any, Any]] | None = None) -> None:
        """Look at every pane once and publish the changes."""
        panes = self.registry.all_panes() if panes is None else panes
        alive = set()
        for session, window, pane in panes:
            alive.add(pane.id)
            previous = getattr(pane, "attention", "") or ""
            tracker = pane.tracker
            key = (pane.last_output, tracker.running is None, len(pane.commands), pane.dead)
            if previous in SETTLED_STATES and self._seen.get(pane.id) == key:
                continue
            self._seen[pane.id] = key
            state = self.ai.attention(pane)
            if state == previous:
                continue
            pane.attention = state
            prompt = ""
            if state == "waiting":
                from ..ai.redact import redact
                from .jobs import prompt_lines

                prompt = redact(prompt_lines(pane))
            self.events.publish(AttentionChanged(session, window, pane, previous or "new",
                                                 state, prompt))
        for gone in set(self._seen) - alive:
            del self._seen[gone]


def attention_facts(event: AttentionChanged) -> dict[str, Any]:
    """The JSON facts of a change (bus subscribers, MCP notifications)."""
    facts: dict[str, Any] = {"topic": "system.attention", "session": event.session.name,
                             "window": event.window.index, "pane": f"%{event.pane.id}",
                             "state": event.state, "previous": event.previous,
                             "at": round(time.time(), 3)}
    if event.prompt:
        facts["prompt"] = event.prompt
    return facts


def window_attention(window: Any) -> str:
    """The most urgent attention state among a window's panes (as last seen)."""
    order = ("waiting", "error", "running", "idle", "done")
    states = {getattr(pane, "attention", "") for pane in window.panes.values()}
    return next((state for state in order if state in states), "")
