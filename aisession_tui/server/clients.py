"""Attached clients: who watches which session, and the coalesced screen updates they get.

Invariants:
* an attached client receives a ``session`` notification before any ``screen`` for a pane
  of that session, and a ``full`` screen of a pane before any partial one; this holds
  when ``switch-client`` gives it another session too (its pending rows are dropped and
  the new session is sent whole), and ``Session.attached`` counts the clients showing it;
* dirty rows accumulate per client and pane as sets (bounded by the screen height), so a
  slow client costs no memory: when its transport buffer is above ``HIGH_WATER`` the
  flush is postponed, intermediate frames are dropped, the final screen is never lost;
* frames are timed per pane: a pane's change goes out at once when that pane's last
  frame is older than its interval (an idle pane's keystroke echo goes out immediately,
  even while another pane floods, and never waits behind another pane's batched frame),
  otherwise at the end of it. The interval is ``FRAME_INTERVAL`` (~60 frames a second),
  ``FLOOD_FRAME_INTERVAL`` (30) for a pane that has repainted at least half its rows in
  ``FLOOD_STREAK`` back-to-back frames, or three times what encoding the pane's last
  frame cost, whichever is longest, so a flooding pane can never take more than about a
  third of the server's time to serialize its frames;
* activity (``monitor-activity``) costs the output path one dict lookup per chunk: the
  panes to watch (non-current windows with the option on, flag not yet set) are
  recomputed on every model change, and a session update goes out only when a flag is set;
* automatic window names are re-read every ``NAME_CHECK_INTERVAL`` seconds while clients
  are attached (no timer otherwise); a client gets a session update when a name it was
  sent changed, or its status line (``status_line.status_payload``: a clock, a ``#()``
  output, an option) did.
"""

from __future__ import annotations

import asyncio
import itertools
import time
from collections.abc import Callable, Iterable, Mapping
from typing import TYPE_CHECKING, Any

from .. import protocol
from ..protocol import messages
from .events import (
    AttentionChanged,
    ClientAttached,
    ClientDetached,
    ClientResized,
    ClientSessionChanged,
    EventBus,
    ModelChanged,
    PaneCreated,
    PaneOutput,
    SessionClosed,
    WindowActivity,
    WindowBell,
    WindowSilence,
)
from .format_vars import format_lookup, window_flags, window_style
from .formats import expand
from .option_effects import destroy_if_unattached, session_after_destroy
from .pane import Pane
from .pane_modes import VIEW_MODE
from .pending_attach import PendingAttaches
from .registry import Session, Window
from .status_line import border_styles, status_payload
from .styles import run_colour
from .window_size import WindowSizes

if TYPE_CHECKING:
    from .client_flags import Client
    from .engine import Engine
    from .format_vars import FormatSources
    from .message_log import MessageLog
    from .peer import Peer

HIGH_WATER = 1 << 20
FLOOD_STREAK = 30
"""Frames in a row that repaint at least half a pane (half a second at 60 a second) make
it a flooding pane."""
FLOOD_GAP = 0.1
"""Frames further apart than this do not continue a flood (a ``top`` repainting every
second never becomes one)."""
FLOOD_FRAME_INTERVAL = 1 / 30
"""A flooding pane's frames are at least this far apart: nobody reads a flood at 60 frames a
second, and the halved work leaves the client and the server free for the panes a person
types into. A frame that repaints less than half the pane ends the flood."""
NAME_CHECK_INTERVAL = 0.75
"""Seconds between two looks at the foreground process names (tmux checks about 1/s)."""
_ids = itertools.count(1)


def pane_modes(pane: Pane) -> messages.PaneModes:
    """The emulator modes a client needs to encode input for the child."""
    emulator = pane.emulator
    return {"app_cursor": emulator.app_cursor_keys, "app_keypad": emulator.app_keypad,
            "bracketed_paste": emulator.bracketed_paste, "mouse": emulator.mouse_mode,
            "mouse_sgr": emulator.mouse_sgr, "focus": emulator.focus_events,
            "alternate": emulator.alternate_screen}


def screen_message(pane: Pane, rows: set[int] | range, full: bool) -> messages.ScreenMessage:
    """A ``screen`` notification for ``rows`` of ``pane``."""
    emulator = pane.emulator
    lines = emulator.lines
    return {
        "pane": pane.id, "full": full, "columns": emulator.columns, "lines": lines,
        "rows": {str(row): emulator.line_runs(row) for row in rows if 0 <= row < lines},
        "cursor": [emulator.cursor_x, emulator.cursor_y],
        "cursor_visible": emulator.cursor_visible, "cursor_shape": emulator.cursor_shape,
        "modes": pane_modes(pane), "title": pane.title or emulator.title,
        "dead": pane.dead,
    }


def session_message(session: Session,
                    server: FormatSources | None = None) -> messages.SessionMessage:
    """A ``session`` notification: the session's whole structure.

    With ``server``, pane cells leave room for ``pane-border-status`` and each pane of a
    window that shows border status lines carries ``border_title``, its
    ``pane-border-format`` expanded (the window's ``border_status`` says where it goes).
    """
    engine = server.engine if server is not None else None
    windows: list[messages.WindowInfo] = []
    for window in session.ordered_windows():
        geometry = engine.pane_cells(window) if engine else window.layout.geometry()
        border_status = engine.border_status(window) if engine else "off"
        panes: list[messages.PaneInfo] = []
        for position, pane in enumerate(window.ordered_panes()):
            cell = geometry.get(pane.id)
            entry: messages.PaneInfo = {
                "id": pane.id, "index": position + window.pane_base_index,
                "active": pane.id == window.active_pane,
                "x": cell.x if cell else 0, "y": cell.y if cell else 0,
                "width": cell.width if cell else 0, "height": cell.height if cell else 0,
                "visible": cell is not None, "title": pane.title or pane.emulator.title,
                "dead": pane.dead, "command": pane.current_command(),
                "mode": pane.modes[0] if pane.modes else ""}
            if pane.modes and pane.modes[0] == VIEW_MODE:  # (view_mode made that mode)
                from .view_mode import version as view_version

                entry["view"] = view_version(pane)
            if engine is not None:
                default = window_style(engine.options, window, pane)
                if run_colour(default.fg) >= 0:
                    entry["fg"] = run_colour(default.fg)
                if run_colour(default.bg) >= 0:
                    entry["bg"] = run_colour(default.bg)
            if border_status != "off" and server is not None:
                entry["border_title"] = expand(
                    server.engine.options.get("pane-border-format", f"%{pane.id}",
                                              f"@{window.id}"),
                    format_lookup(server, session, window, pane))
            panes.append(entry)
        info: messages.WindowInfo = {
            "id": window.id, "index": window.index, "name": window.display_name(),
            "flags": window_flags(session, window),
            "active": window.index == session.current_index,
            "zoomed": window.layout.zoomed is not None, "width": window.layout.width,
            "height": window.layout.height, "layout": window.layout.to_string(),
            "borders": window.layout.border_segments(), "border_status": border_status,
            "panes": panes}
        if server is not None:
            styles = border_styles(server, session, window)
            info["border_style"] = styles["border_style"]
            info["active_border_style"] = styles["active_border_style"]
            info["border_indicators"] = styles["border_indicators"]
            info["fill_character"] = styles["fill_character"]
        windows.append(info)
    message: messages.SessionMessage = {"id": session.id, "name": session.name, "current_window": session.current_index,
               "windows": windows}
    if server is not None:
        message["status"] = status_payload(server, session)
    return message


def window_names(session: Session) -> list[str]:
    """The names the status line shows, window by window."""
    return [window.display_name() for window in session.ordered_windows()]


class AttachedClient:
    """One client attached to one session."""

    def __init__(self, server: FormatSources, connection: Peer, session: Session,
                 columns: int, lines: int) -> None:
        self.id = next(_ids)
        self.server = server
        self.connection = connection
        self.session = session
        self.columns = columns
        self.lines = lines
        self.dirty: dict[int, set[int]] = {}
        self.full: set[int] = set()
        self.structure_dirty = True
        self.pane_flushed: dict[int, float] = {}
        self.pane_interval: dict[int, float] = {}
        self.bulk_frames: dict[int, int] = {}
        """Per pane: how many frames in a row repainted at least half of its rows."""
        self.flush_handle: asyncio.Handle | None = None
        self.flush_at = 0.0
        """The loop time ``flush_handle`` fires at (an earlier need reschedules it)."""
        self.sent_names: list[str] = []
        self.sent_status: messages.StatusLine | None = None
        """The status line last sent (the name check resends it when it changes)."""
        """The window names of the last ``session`` notification."""
        self.last_session: Session | None = None
        """The session this client showed before its last ``switch-client``."""
        self.suspended = False
        """Locked or suspended (``client_lock``): nothing is sent until it resumes."""
        self.flags: set[str] = set()
        """tmux's client flags (``read-only``, ``ignore-size``, ``active-pane``):
        :mod:`.client_flags`."""
        self.flags_sent = False
        """Whether the client was told its read-only state (``client-flags``)."""
        self.tty = ""
        """The client's terminal device (tmux names a client by it), "" if unknown."""
        self.termname = ""
        """The client's ``TERM``."""
        self.pid = 0
        """The client process's pid (0 if unknown)."""
        self.status_window_ranges: list[tuple[int, int, int]] = []
        """Where each window's entry sits on its status line, as it last reported
        (``status-ranges``: start cell, end cell, window index; :mod:`.status_ranges`)."""
        self.created = time.time()
        self.activity = self.created
        """When it last had a key (``#{client_activity}``; tmux's best client)."""

    def send(self, method: str, params: Mapping[str, Any]) -> None:
        """Send one notification (its params: the method's type in protocol.messages)."""
        self.connection.send(protocol.notification(method, params))

    def visible_panes(self) -> list[Pane]:
        """Panes of the current window that are on screen (a zoom hides the others)."""
        if self.session.id not in self.server.engine.registry.sessions:
            return []
        window = self.session.current
        geometry = window.layout.geometry()
        return [pane for pane in window.ordered_panes() if pane.id in geometry]

    def mark(self, pane: Pane, rows: set[int]) -> None:
        """Rows of ``pane`` changed; an idle pane's change is sent right away, even while
        another pane's batched frame waits (a keystroke's echo never queues behind a
        flood in a neighbouring pane)."""
        self.dirty.setdefault(pane.id, set()).update(rows)
        now = time.monotonic()
        if (self.due(pane.id) <= now and not (self.structure_dirty or self.full)
                and not self.connection.closed and not self.suspended
                and self.connection.write_buffer_size <= HIGH_WATER):
            self._send_screen(pane, self.dirty.pop(pane.id), False, now)
        else:
            self.schedule()

    def mark_full(self, pane_id: int | None = None) -> None:
        """Resend whole screens (one pane, or every visible pane)."""
        if pane_id is None:
            self.full.update(pane.id for pane in self.visible_panes())
        else:
            self.full.add(pane_id)
        self.schedule()

    def mark_structure(self) -> None:
        """The session's structure changed."""
        self.structure_dirty = True
        self.mark_full()

    def mark_session(self) -> None:
        """Only names or flags changed: a ``session`` notification, no screens."""
        self.structure_dirty = True
        self.schedule()

    def due(self, pane_id: int) -> float:
        """When the pane's next frame may go out (``time.monotonic`` clock)."""
        return self.pane_flushed.get(pane_id, 0.0) + self.pane_interval.get(
            pane_id, messages.FRAME_INTERVAL)

    def _send_screen(self, pane: Pane, rows: set[int] | range, full: bool, now: float) -> None:
        started = time.perf_counter()
        self.send(messages.SCREEN, screen_message(pane, rows, full))
        cost = time.perf_counter() - started
        back_to_back = now - self.pane_flushed.get(pane.id, 0.0) < FLOOD_GAP
        self.pane_flushed[pane.id] = now
        streak = 0
        if len(rows) * 2 >= pane.lines:  # a bulk frame: it continues or starts a streak
            streak = (self.bulk_frames.get(pane.id, 0) if back_to_back else 0) + 1
        self.bulk_frames[pane.id] = streak
        floor = FLOOD_FRAME_INTERVAL if streak >= FLOOD_STREAK else messages.FRAME_INTERVAL
        self.pane_interval[pane.id] = max(floor, 3 * cost)

    def schedule(self) -> None:
        """Flush when the earliest waiting pane's frame interval is over (now if idle)."""
        loop = asyncio.get_running_loop()
        wait = 0.0
        if not (self.structure_dirty or self.full):
            now = time.monotonic()
            wait = min((self.due(pane_id) - now for pane_id in self.dirty), default=0.0)
        when = loop.time() + max(0.0, wait)
        if self.flush_handle is not None:
            if self.flush_at <= when:
                return
            self.flush_handle.cancel()
        self.flush_at = when
        if wait <= 0:
            self.flush_handle = loop.call_soon(self.flush)
        else:
            self.flush_handle = loop.call_at(when, self.flush)

    def flush_structure(self) -> None:
        """Send a pending structure change now (before a command's reply), not at the
        next turn of the loop."""
        if self.structure_dirty and not self.connection.closed:
            if self.flush_handle is not None:
                self.flush_handle.cancel()
                self.flush_handle = None
            self.flush()

    def flush(self) -> None:
        """Send what is due (or postpone everything if the client is slow)."""
        self.flush_handle = None
        if self.connection.closed or self.suspended:
            return
        if self.connection.write_buffer_size > HIGH_WATER:
            loop = asyncio.get_running_loop()
            self.flush_at = loop.time() + messages.FRAME_INTERVAL
            self.flush_handle = loop.call_at(self.flush_at, self.flush)
            return
        now = time.monotonic()
        if self.structure_dirty:
            self.structure_dirty = False
            message = session_message(self.session, self.server)
            self.sent_names = [window["name"] for window in message["windows"]]
            self.sent_status = message.get("status")
            self.send(messages.SESSION, message)
        visible = {pane.id: pane for pane in self.visible_panes()}
        for pane_id in list(self.full):
            pane = visible.get(pane_id)
            if pane is not None:
                self._send_screen(pane, range(pane.lines), True, now)
            self.dirty.pop(pane_id, None)
        self.full.clear()
        for pane_id, rows in list(self.dirty.items()):
            pane = visible.get(pane_id)
            if pane is None:
                del self.dirty[pane_id]
                continue
            if self.due(pane_id) > now + 0.001:
                continue  # this pane had a frame moments ago: batch it
            self._send_screen(pane, rows, False, now)
            del self.dirty[pane_id]
        if self.dirty:
            self.schedule()


class ClientHub:
    """All attached clients; turns pane output and model changes into client updates."""

    def __init__(self, engine: Engine, events: EventBus, formats: FormatSources,
                 message_log: MessageLog) -> None:
        self.engine = engine
        self.events = events
        self.message_log = message_log
        """The server's message log (``show-messages``): every message shown is logged."""
        self.formats = formats
        """What the status line and pane border titles are expanded from."""
        self.clients: dict[int, AttachedClient] = {}
        self.watched: dict[int, Window] = {}
        """Pane id -> its window, for panes whose output would raise an activity flag."""
        self.name_timer: asyncio.TimerHandle | None = None
        self.control_clients: Callable[[], Iterable[Client]] = tuple
        """The control clients that show a session (the control hub's, set when the
        services are wired): their sizes count as an attached client's do."""
        self.sizes = WindowSizes(engine, self.sized_clients)
        """Window sizes from the clients (``window-size``, ``aggressive-resize``)."""
        self.pending = PendingAttaches()
        """Thin clients painted while their renderer starts (:mod:`.pending_attach`):
        detaching a session's clients detaches them too."""
        events.subscribe(PaneCreated, self._pane_created)
        events.subscribe(PaneOutput, self._pane_output)
        events.subscribe(ModelChanged, self._model_changed)

    # ---------------------------------------------------------------- events
    def _pane_created(self, event: PaneCreated) -> None:
        self._watch_activity()

    def _pane_output(self, event: PaneOutput) -> None:
        pane = event.pane
        rows = pane.emulator.take_dirty()
        window = self.watched.get(pane.id)
        if window is not None:
            self._raise_activity(window)
        if not self.clients:
            return
        for client in self.clients.values():
            if any(p.id == pane.id for p in client.visible_panes()):
                if rows:
                    client.mark(pane, rows)
                else:
                    client.mark(pane, set())

    def _watch_activity(self) -> None:
        """Recompute the panes whose output sets their window's activity flag."""
        options = self.engine.options
        self.watched = {
            pane_id: window
            for session in self.engine.registry.sessions.values()
            for window in session.windows.values()
            if (window.index != session.current_index or not session.attached)
            and not window.activity_flag
            and options.flag("monitor-activity", f"@{window.id}", f"${session.id}")
            for pane_id in window.panes}

    def _raise_activity(self, window: Window) -> None:
        """A watched window had output: flag it and tell its clients (once)."""
        window.activity_flag = True
        for pane_id in window.panes:
            self.watched.pop(pane_id, None)
        self.events.publish(WindowActivity(window))

    def attention_changed(self, event: AttentionChanged) -> None:
        """A pane's attention changed: redraw the status line of its session's clients
        (the ``?`` window flag, ``#{window_attention}``)."""
        for client in self.clients.values():
            if client.session is event.session:
                client.mark_session()

    def _model_changed(self, event: ModelChanged) -> None:
        subject = event.subject
        activity = isinstance(event, (WindowActivity, WindowBell, WindowSilence))  # redraw
        if not activity:
            self._watch_activity()
            self.sizes.recalculate()
        session = _session_of(subject)
        for client in list(self.clients.values()):
            if isinstance(event, SessionClosed) and client.session is subject:
                following = session_after_destroy(self.engine, client.session)
                if following is not None:
                    self.switch(client, following)
                    continue
                closed: messages.ClosedMessage = {"reason": "session closed"}
                client.send(messages.CLOSED, closed)
                self.detach(client)
                continue
            shown = client.session is session or _links(client.session, subject)
            if activity and shown:
                client.mark_session()
            elif session is None or shown:
                client.mark_structure()

    # --------------------------------------------------------------- clients
    def attach(self, connection: Peer, session: Session, columns: int,
               lines: int, flags: str = "") -> AttachedClient:
        """Attach ``connection`` to ``session`` with tmux's client ``flags`` (``-f``) and
        size the session to it."""
        from .client_flags import set_flags

        client = AttachedClient(self.formats, connection, session, columns, lines)
        set_flags(client, flags)  # before sizing: ignore-size
        self.clients[client.id] = client
        connection.attached = client
        session.attached += 1
        session.last_used = time.time()
        _seen(session)
        self.resize(client, columns, lines)
        if self.name_timer is None:
            self.name_timer = asyncio.get_running_loop().call_later(
                NAME_CHECK_INTERVAL, self._check_names)
        self.events.publish(ClientAttached(client, session))
        return client

    def _check_names(self) -> None:
        """Send a session update to clients whose windows' automatic names changed."""
        self.name_timer = None
        if not self.clients:
            return
        registry = self.engine.registry
        names: dict[int, list[str]] = {}
        statuses: dict[int, messages.StatusLine] = {}
        for client in self.clients.values():
            session = client.session
            if session.id not in registry.sessions or client.structure_dirty:
                continue
            if session.id not in names:
                names[session.id] = window_names(session)
                statuses[session.id] = status_payload(self.formats, session)
            if names[session.id] != client.sent_names or \
                    statuses[session.id] != client.sent_status:
                client.mark_session()
        self.name_timer = asyncio.get_running_loop().call_later(
            NAME_CHECK_INTERVAL, self._check_names)

    def switch(self, client: AttachedClient, session: Session) -> None:
        """Show ``session`` on ``client`` (``switch-client``): the previous one becomes its
        last session, the new one is sized to the client and sent whole (a ``session``
        notification, then full screens)."""
        previous = client.session
        if session is previous:
            return
        previous.attached = max(0, previous.attached - 1)
        client.last_session = previous
        client.session = session
        session.attached += 1
        session.last_used = time.time()
        _seen(session)
        client.dirty.clear()
        client.full.clear()
        client.pane_flushed.clear()
        client.pane_interval.clear()
        self.resize(client, client.columns, client.lines)
        client.mark_structure()
        self.events.publish(ClientSessionChanged(client, previous))

    def best_client(self, session: Session | None) -> AttachedClient | None:
        """The client a command names implicitly: the most recently attached one showing
        ``session``, else the most recently attached one (tmux's best client)."""
        ordered = sorted(self.clients.values(), key=lambda client: client.id, reverse=True)
        for client in ordered:
            if client.session is session:
                return client
        return ordered[0] if ordered else None

    def detach_client(self, client: AttachedClient) -> None:
        """Tell a client to detach (it exits printing ``[detached ...]``), then forget it."""
        detached: messages.DetachedMessage = {"session": client.session.name}
        client.send(messages.DETACHED, detached)
        self.detach(client)

    def detach(self, client: AttachedClient) -> None:
        """Forget a client (on detach, disconnect or session close)."""
        if self.clients.pop(client.id, None) is None:
            return
        client.session.attached = max(0, client.session.attached - 1)
        if client.flush_handle is not None:
            client.flush_handle.cancel()
        if client.connection.attached is client:
            client.connection.attached = None
        self.sizes.client_lost(client)
        self.events.publish(ClientDetached(client, client.session))
        destroy_if_unattached(self.engine, client.session)

    def resize(self, client: AttachedClient, columns: int, lines: int) -> None:
        """The client's pane area changed: it becomes the latest client of its current
        window and every window's size is recomputed (:mod:`window_size`)."""
        client.columns, client.lines = max(1, columns), max(1, lines)
        self.sizes.make_latest(client)
        self.sizes.recalculate()
        client.mark_structure()
        self.events.publish(ClientResized(client, client.session))

    def sized_clients(self) -> list[Client]:
        """Every client that shows a session, oldest first (control clients too): the
        clients whose sizes may count."""
        found: list[Client] = [*self.clients.values(), *self.control_clients()]
        return sorted(found, key=lambda client: client.created)

    def post_message(self, session: object, text: str, *, delay: int | None = None,
                     no_dismiss: bool = False) -> bool:
        """Show ``text`` in the status lines of ``session``'s clients and log it for
        ``show-messages``; False when none is attached."""
        self.message_log.add(f"message: {text}", self.engine.options.number("message-limit"))
        return self.show_message(session, text, delay=delay, no_dismiss=no_dismiss)

    def show_message(self, session: object, text: str, *, only: object = None,
                     delay: int | None = None, no_dismiss: bool = False) -> bool:
        """Send a status-line message to every client of ``session`` (or to ``only``);
        ``delay`` (ms, display-message -d) and ``no_dismiss`` (-N) go with it."""
        sent = False
        payload: messages.StatusMessage = {"text": text}
        if delay is None and isinstance(session, Session):  # tmux: the session's display-time
            delay = self.engine.options.number("display-time", f"${session.id}")
        if delay is not None:
            payload["delay"] = delay
        if no_dismiss:
            payload["no_dismiss"] = True
        for client in self.clients.values():
            if client.session is session and (only is None or client is only):
                client.send(messages.MESSAGE, payload)
                sent = True
        return sent


def _seen(session: Session) -> None:
    """A client now shows ``session``: its current window's alerts (activity, bell) are
    seen, as tmux's ``server_client_set_session`` clears them."""
    if session.current_index in session.windows:
        session.current.activity_flag = session.current.bell_flag = False
        session.current.silence_flag = False


def _links(session: Session, subject: object) -> bool:
    """``subject`` is a window that ``session`` shows through a place of its own (a window
    linked into several sessions, winlinks.py)."""
    return isinstance(subject, Window) and any(
        place.id == subject.id for place in session.windows.values())


def _session_of(subject: object) -> Session | None:
    if isinstance(subject, Session):
        return subject
    if isinstance(subject, Window):
        return subject.session
    return None
