"""Pane focus, as tmux 3.3a's ``window_pane_update_focus``: a pane is focused when it is
its window's active pane and a client shows that window. When a pane gains or loses focus
it gets ``ESC [ I`` / ``ESC [ O`` if its program asked for focus reports (``?1004h``), and
the ``pane-focus-in`` / ``pane-focus-out`` hook runs; a program that turns the reports on
while its pane has the focus gets ``ESC [ I`` at once.

Where tmux looks again, so does this watch: with ``focus-events`` on, at the panes a
window's active-pane change or a session's current-window change concerns; always (the
option is not read there) at the current window of the sessions a client attaches to,
switches from or to, or leaves. Elsewhere a pane keeps the focus state it had, as in tmux.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from .events import (
    ClientAttached,
    ClientDetached,
    ClientSessionChanged,
    EventBus,
    ModelChanged,
    PaneFocusIn,
    PaneFocusOut,
    PaneOutput,
)

if TYPE_CHECKING:
    from .client_flags import Client
    from .engine import Engine
    from .registry import Session, Window


class FocusWatch:
    """Keeps each pane's focus flag and tells panes and hooks when it changes."""

    def __init__(self, engine: Engine, clients: Callable[[], list[Client]],
                 events: EventBus) -> None:
        self.engine = engine
        self.clients = clients
        self.events = events
        self.focused: set[int] = set()
        """Pane ids with tmux's PANE_FOCUSED."""
        self.active: dict[int, int] = {}
        """Window id -> the active pane id last seen."""
        self.current: dict[int, int] = {}
        """Session id -> the current window id last seen."""
        events.subscribe(ModelChanged, self._changed)
        events.subscribe(PaneOutput, self._output)

    def _output(self, event: PaneOutput) -> None:
        """A program that turns focus reports on hears at once that it has the focus (tmux's
        handling of ``?1004h``)."""
        pane = event.pane
        if pane.emulator.take_focus_asked() and pane.id in self.focused:
            pane.write(b"\x1b[I")

    def _changed(self, event: ModelChanged) -> None:
        if isinstance(event, (PaneFocusIn, PaneFocusOut)):
            return
        registry = self.engine.registry
        watching = self.engine.options.flag("focus-events")
        seen_active, self.active = self.active, {}
        seen_current, self.current = self.current, {}
        for session in list(registry.sessions.values()):
            for window in session.ordered_windows():
                self.active[window.id] = window.active_pane
                before = seen_active.get(window.id)
                if watching and before is not None and before != window.active_pane:
                    self._update(window, before)
                    self._update(window, window.active_pane)
            if session.current_index not in session.windows:
                continue
            current = self.current[session.id] = session.current.id
            before = seen_current.get(session.id)
            if watching and before is not None and before != current:
                found = registry.find_window(before)
                if found is not None:
                    self._update(found[1], found[1].active_pane)
                self._update(session.current, session.current.active_pane)
        if isinstance(event, ClientSessionChanged | ClientAttached | ClientDetached):
            sessions: list[Session] = [event.session]
            client_session = event.client.session
            if client_session is not event.session:
                sessions.append(client_session)
            for session in sessions:
                if session.current_index in session.windows:
                    self._update(session.current, session.current.active_pane)

    def _shown(self, window: Window) -> bool:
        """A client shows ``window`` (its session's current window)."""
        for client in self.clients():
            session = client.session
            if (session is not None and session.current_index in session.windows
                    and session.current is window):
                return True
        return False

    def _update(self, window: Window, pane_id: int) -> None:
        pane = window.panes.get(pane_id)
        if pane is None or pane.dead:
            self.focused.discard(pane_id)
            return
        focused = pane_id == window.active_pane and self._shown(window)
        if focused == (pane_id in self.focused):
            return
        if focused:
            self.focused.add(pane_id)
        else:
            self.focused.discard(pane_id)
        if pane.emulator.focus_events:
            pane.write(b"\x1b[I" if focused else b"\x1b[O")
        self.events.publish(PaneFocusIn(pane) if focused else PaneFocusOut(pane))
