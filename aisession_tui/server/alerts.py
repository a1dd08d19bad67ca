"""Bells and activity alerts (tmux's ``alerts.c``): a child's BEL flags its window and
reaches the people watching; so does the first output of a ``monitor-activity`` window.

When a pane's emulator has counted a new BEL (:attr:`Emulator.bells`) and its window's
``monitor-bell`` is on:

* the window gets the bell flag (``!`` in ``#{window_flags}``, ``#{window_bell_flag}``,
  ``window-status-bell-style``) unless it is the current window of an attached session
  (the user sees it); selecting the window clears it;
* if the session's ``bell-action`` applies (``any``; ``current`` or ``other`` by whether the
  window is current; never ``none``), each attached client of the session rings its
  terminal's bell (``visual-bell`` off), shows ``Bell in window N`` (on), or both;
* :class:`~aisession_tui.server.events.WindowBell` is published (the ``alert-bell`` hook,
  a status-line redraw).

Activity is flagged by the client hub (``monitor-activity``, once until the window is
selected); its :class:`~aisession_tui.server.events.WindowActivity` reaches the clients
here the same way, by ``activity-action`` and ``visual-activity`` (``Activity in window
N``).

Invariant: the output path pays one attribute read and one dict lookup per chunk.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from ..protocol import messages
from .events import EventBus, PaneExited, PaneOutput, WindowActivity, WindowBell

if TYPE_CHECKING:
    from .clients import ClientHub
    from .engine import Engine
    from .pane import Pane
    from .registry import Session, Window


class AlertWatch:
    """Turns each pane's new BELs into flags, terminal bells, messages and hooks, and
    activity flags into terminal bells and messages."""

    def __init__(self, engine: Engine, clients: ClientHub, events: EventBus) -> None:
        self.engine = engine
        self.clients = clients
        self.events = events
        self.heard: dict[int, int] = {}
        """Pane id -> the emulator's bell count already handled."""
        events.subscribe(PaneOutput, self._output)
        events.subscribe(PaneExited, self._forget)
        events.subscribe(WindowActivity, self._activity)

    def _forget(self, event: PaneExited) -> None:
        self.heard.pop(event.pane.id, None)

    def _output(self, event: PaneOutput) -> None:
        pane = event.pane
        bells = pane.emulator.bells
        if bells != self.heard.get(pane.id, 0):
            self.heard[pane.id] = bells
            self.rang(pane)

    def rang(self, pane: Pane) -> None:
        """``pane`` rang the bell (once, however many BELs the chunk held)."""
        found = self.engine.registry.find_pane(pane.id)
        if found is None:
            return
        session, window, _ = found
        options = self.engine.options
        if not options.flag("monitor-bell", f"@{window.id}"):
            return
        current = window.index == session.current_index
        if not current or not session.attached:
            window.bell_flag = True
        self.tell(session, window, "Bell", "bell-action", "visual-bell")
        self.events.publish(WindowBell(window))

    def _activity(self, event: WindowActivity) -> None:
        window = event.window
        session = window.session
        if session.windows.get(window.index) is window:
            self.tell(session, window, "Activity", "activity-action", "visual-activity")

    def tell(self, session: Session, window: Window, what: str, action_option: str,
             visual_option: str) -> None:
        """The session's clients hear of an alert as its options say (tmux's
        ``alerts_set_message``): a terminal bell, ``<what> in window N``, or both."""
        options = self.engine.options
        current = window.index == session.current_index
        action = options.get(action_option, f"${session.id}")
        if action != "any" and action != ("current" if current else "other"):
            return
        visual = options.get(visual_option, f"${session.id}")
        for client in list(self.clients.clients.values()):
            if client.session is not session:
                continue
            if visual in ("off", "both"):
                client.send(messages.BELL, {})
            if visual in ("on", "both"):
                self.clients.show_message(session, f"{what} in window {window.index}",
                                          only=client)
