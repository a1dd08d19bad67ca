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

Silence (``monitor-silence N``): a window none of whose panes wrote anything for N seconds
(or that has not been made current again in that time) gets the ``~`` flag (unless it is the current window of an attached session), its
clients hear of it by ``silence-action`` and ``visual-silence`` (``Silence in window N``),
and :class:`~aisession_tui.server.events.WindowSilence` is published (the
``alert-silence`` hook). It fires once; the next output starts the wait again. Setting
the option starts every window's wait afresh, as tmux's ``alerts_reset_all``.

Invariant: the output path pays one attribute read and one dict lookup per chunk; silence
costs it nothing (a timer per watched window reads the panes' last output times when it
is due, and again every N seconds while the window stays silent).
"""

from __future__ import annotations

import asyncio
import time
from typing import TYPE_CHECKING

from ..protocol import messages
from .events import (
    EventBus,
    OptionsChanged,
    PaneExited,
    PaneOutput,
    SessionWindowChanged,
    WindowActivity,
    WindowBell,
    WindowCreated,
    WindowSilence,
)

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
        self.silence: dict[int, asyncio.TimerHandle] = {}
        """Window id -> its ``monitor-silence`` timer."""
        self.silent_since: dict[int, float] = {}
        """Window id -> the output time its silence alert fired for (it fires once)."""
        self.reset_at: dict[int, float] = {}
        """Window id -> when setting ``monitor-silence`` started its wait afresh."""
        events.subscribe(PaneOutput, self._output)
        events.subscribe(PaneExited, self._forget)
        events.subscribe(WindowActivity, self._activity)
        events.subscribe(OptionsChanged, self._option_set)
        events.subscribe(WindowCreated, lambda event: self.watch_silence(event.window, None))
        events.subscribe(SessionWindowChanged, self._selected)

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

    # ------------------------------------------------------------------ silence
    def _option_set(self, event: OptionsChanged) -> None:
        if event.name == "monitor-silence":
            now = time.time()
            for window in self.engine.registry.all_windows():
                self.silent_since.pop(window.id, None)
                self.reset_at[window.id] = now
                self.watch_silence(window, now)

    def _selected(self, event: SessionWindowChanged) -> None:
        """The newly current window's silence wait starts again (tmux's
        ``session_set_current`` updates the window's activity)."""
        session = event.session
        window = session.windows.get(session.current_index)
        if window is not None and window.id in self.silence:
            now = time.time()
            self.silent_since.pop(window.id, None)
            self.reset_at[window.id] = now
            self.watch_silence(window, now)

    def watch_silence(self, window: Window, since: float | None) -> None:
        """(Re)arm ``window``'s silence timer: due ``monitor-silence`` seconds after its
        last output, or after ``since`` when that is later (the option was just set)."""
        timer = self.silence.pop(window.id, None)
        if timer is not None:
            timer.cancel()
        seconds = self.engine.options.number("monitor-silence", f"@{window.id}")
        if seconds <= 0:
            return
        last = max(self._last_output(window), since or 0.0)
        due = max(0.0, last + seconds - time.time())
        self.silence[window.id] = asyncio.get_running_loop().call_later(
            due, self._silence_due, window)

    def _last_output(self, window: Window) -> float:
        """When the window last had output, or when setting the option reset its wait;
        0 when neither happened (tmux starts a window's wait at its first output)."""
        written = [pane.last_output for pane in window.panes.values()
                   if pane.last_output > pane.created]
        return max([*written, self.reset_at.get(window.id, 0.0)])

    def _silence_due(self, window: Window) -> None:
        self.silence.pop(window.id, None)
        found = self.engine.registry.find_window(window.id)
        if found is None:
            self.silent_since.pop(window.id, None)
            self.reset_at.pop(window.id, None)
            return
        session = found[0]
        seconds = self.engine.options.number("monitor-silence", f"@{window.id}")
        if seconds <= 0:
            return
        last = self._last_output(window)
        if not last:  # nothing to measure the silence from yet
            self.silence[window.id] = asyncio.get_running_loop().call_later(
                seconds, self._silence_due, window)
            return
        fired = self.silent_since.get(window.id)
        quiet_for = time.time() - max(last, fired or 0.0)
        if fired is not None and last <= fired:  # still silent since it fired: wait on
            self.silence[window.id] = asyncio.get_running_loop().call_later(
                seconds, self._silence_due, window)
            return
        if quiet_for < seconds - 0.01:  # output came: wait for the rest
            self.silence[window.id] = asyncio.get_running_loop().call_later(
                seconds - quiet_for, self._silence_due, window)
            return
        self.silent_since[window.id] = last
        self._alert_silence(session, window)
        self.silence[window.id] = asyncio.get_running_loop().call_later(
            seconds, self._silence_due, window)

    def _alert_silence(self, session: Session, window: Window) -> None:
        """As tmux's ``alerts_check_silence``: nothing while the window still has its
        ``~`` flag; the flag unless the user looks at the window; the hook and the
        clients' bell or message only where ``silence-action`` applies."""
        if window.silence_flag:
            return
        current = window.index == session.current_index
        if not current or not session.attached:
            window.silence_flag = True
        action = self.engine.options.get("silence-action", f"${session.id}")
        if action != "any" and action != ("current" if current else "other"):
            self.events.publish(WindowSilence(window, hook=False))
            return
        self.tell(session, window, "Silence", "silence-action", "visual-silence")
        self.events.publish(WindowSilence(window))

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
