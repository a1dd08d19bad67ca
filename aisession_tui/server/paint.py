"""The ``paint`` request: a session's frames drawn by the server while a renderer starts.

On a cold start the thin client (:mod:`aisession_tui.cli.thin_attach`) has handed its
terminal to a renderer that is still importing Textual. Meanwhile it asks the server to
paint: :func:`handle_paint` sends it the frame a terminal of the given size shows of the
session - built by :func:`aisession_tui.server.first_frame.paint_frame` from the same
``session`` and ``screen`` payloads an attached client gets (:mod:`.clients`) - at once,
then again whenever the session's screen or status line changes, until the client closes
the connection (its renderer took the terminal over) or the session is gone.

Invariants:
* the frame is what the renderer will draw: before the first one, the session's current
  window is given the size the renderer's attach will give it (the terminal minus the
  status lines, as :meth:`aisession_tui.client.app.MultiplexerApp.window_area` computes)
  - only while no client's size counts for the session (:mod:`.window_size`: a window no
  client counts for keeps its size, so the attach that follows finds it already there);
  with such a client the window's size is not touched and the frame shows it as it is;
* the first frame waits for the panes' first output, up to :data:`FIRST_OUTPUT_WAIT`
  after the request: a session just made shows its program's first lines at once, not a
  blank pane and then, moments later, those lines (a frame nobody needs to see);
* only the first frame switches to the alternate screen (``ESC[?1049h``), and not even
  that one when the request says ``alternate`` false (the client painted before: a
  repaint at a new size);
* frames are whole frames, sent only when their bytes changed, at most one per
  :data:`aisession_tui.protocol.messages.FRAME_INTERVAL` (or three times what the last
  frame cost to draw, as attached clients' frames are timed); a client that does not read
  misses intermediate frames, never the last one;
* when ``paint_frame`` cannot draw the session exactly (None) the client is told so
  (``frame`` None, with the painter's ``reason``, also in the server log) and the request
  ends: it waits for its renderer;
* a paint request is no client: it is not listed, runs no hook, counts for no size, and
  ends with its connection (the daemon cancels it) leaving nothing behind but its
  ``ticket`` (:mod:`.pending_attach`): until the renderer's ``attach`` brings it, the
  attach is on its way, and detaching the session's clients (``attach -d``,
  ``detach-client -s``/``-a``) ends the request with ``detached`` - at once, or at the
  next paint request of that ticket (a repaint at a new size).
"""

from __future__ import annotations

import asyncio
import base64
import logging
import time
from collections.abc import Callable
from typing import Any

from .. import protocol
from ..protocol import ProtocolError, messages
from .clients import HIGH_WATER, screen_message, session_message
from .commands.spec import CommandError
from .events import ModelChanged, PaneOutput
from .first_frame import ENTER
from .peer import Peer
from .pending_attach import valid_ticket
from .registry import Session
from .services import Services
from .window_size import counts

log = logging.getLogger("aisession_tui.server")

CHECK_INTERVAL = 0.5
"""Seconds between two looks at the frame when nothing was published (a clock, a ``#()``
output or an option on the status line)."""
FIRST_OUTPUT_WAIT = 0.3
"""Longest the first frame waits for a pane that has written nothing yet (a shell that is
starting; its program's first output)."""
SIZE_LIMIT = 10_000


def status_lines(status: messages.StatusLine | None) -> int:
    """Terminal lines the status line takes (as the client's status bar counts them)."""
    if status is None:
        return 1
    return 0 if status.get("status", "on") == "off" else 1 + len(status.get("lines", []))


class Painter:
    """One paint request: the session, the terminal's size, and when to draw again."""

    def __init__(self, services: Services, session: Session, columns: int, lines: int,
                 colours: str | None, alternate: bool = True, ticket: str | None = None,
                 first_frame: Callable[[], None] | None = None) -> None:
        self.services = services
        self.first_frame = first_frame
        """Called once the first frame was sent (the daemon's work that waited for it)."""
        self.ticket = ticket
        """The attach this paints for (:mod:`.pending_attach`), None: not named."""
        self.session = session
        self.columns = columns
        self.lines = lines
        self.colours = colours
        """The renderer's colour system (None: one the painter cannot match)."""
        self.alternate = alternate
        """Whether the first frame switches to the alternate screen (not when the client
        painted before this request: a terminal may clear it again on each switch)."""
        self.changed = asyncio.Event()
        self.changed.set()
        self.wake = self.changed.set

    # ----------------------------------------------------------------- events
    def _output(self, event: PaneOutput) -> None:
        if self._shows(event.pane.id):
            self.changed.set()

    def _model(self, event: ModelChanged) -> None:
        self.changed.set()

    def _shows(self, pane_id: int) -> bool:
        if self.session.id not in self.services.engine.registry.sessions:
            return True  # gone: the loop ends the request
        return pane_id in self.session.current.panes

    # ------------------------------------------------------------------ frames
    def alive(self) -> bool:
        return self.session.id in self.services.engine.registry.sessions

    def presize(self, status: messages.StatusLine | None) -> bool:
        """Give the current window the size the renderer's attach will give it, when no
        client's size counts for this session; whether it was resized."""
        hub = self.services.clients
        clients = list(hub.sized_clients())
        if any(counts(client, clients) and client.session is self.session
               for client in clients):
            return False
        window = self.session.current
        size = (max(1, self.columns), max(1, self.lines - status_lines(status)))
        if not window.panes or (window.layout.width, window.layout.height) == size:
            return False
        self.services.engine.resize_window(window, *size)
        return True

    def frame(self) -> tuple[bytes | str, bool]:
        """The frame the terminal shows now (a sentence saying why when it cannot be drawn
        exactly), and whether every pane in it is still blank (its program has written
        nothing yet)."""
        from .first_frame import frame_or_reason

        if self.colours is None:
            return "a colour system the painter cannot match", False
        formats = self.services.clients.formats
        session = session_message(self.session, formats)
        if self.presize(session.get("status")):
            session = session_message(self.session, formats)  # at the new size
        window = self.session.current
        geometry = window.layout.geometry()
        screens = {pane.id: screen_message(pane, range(pane.lines), True)
                   for pane in window.ordered_panes() if pane.id in geometry}
        blank = all(_blank(screen) for screen in screens.values())
        return frame_or_reason(self.columns, self.lines, session, screens,
                               colours=self.colours, alternate=False), blank

    async def run(self, connection: Peer) -> messages.PaintResult:
        """Send frames until the session is gone, it cannot be drawn, or the connection
        ends (the request is cancelled then)."""
        events = self.services.events
        events.subscribe(PaneOutput, self._output)
        events.subscribe(ModelChanged, self._model)
        sent: bytes | None = None
        interval = messages.FRAME_INTERVAL
        loop = asyncio.get_running_loop()
        first_output_by = loop.time() + FIRST_OUTPUT_WAIT
        wait = CHECK_INTERVAL
        pending = None
        if self.ticket is not None:
            pending = self.services.clients.pending.expect(self.ticket, self.session.id,
                                                           self.wake)
        try:
            while True:
                try:
                    await asyncio.wait_for(self.changed.wait(), wait)
                except TimeoutError:
                    pass
                self.changed.clear()
                if pending is not None and pending.detached is not None:
                    return {"ended": "detached", "session": pending.detached}
                if not self.alive():
                    return {"ended": "session closed"}
                started = time.perf_counter()
                frame, blank = self.frame()
                cost = time.perf_counter() - started
                if isinstance(frame, str):
                    log.info("paint of session %s at %dx%d declined: %s", self.session.name,
                             self.columns, self.lines, frame)
                    none: messages.PaintFrame = {"frame": None, "reason": frame}
                    connection.send(protocol.notification(messages.PAINT_FRAME, none))
                    return {"ended": "cannot paint"}
                wait = first_output_by - loop.time()
                if sent is None and blank and wait > 0:
                    continue  # the program has not written yet: its output comes first
                wait = CHECK_INTERVAL
                if frame != sent and connection.write_buffer_size <= HIGH_WATER:
                    data = ENTER + frame if sent is None and self.alternate else frame
                    sent = frame
                    params: messages.PaintFrame = {
                        "frame": base64.b64encode(data).decode("ascii")}
                    connection.send(protocol.notification(messages.PAINT_FRAME, params))
                    done = self.first_frame
                    if done is not None:
                        self.first_frame = None
                        done()
                elif frame != sent:
                    self.changed.set()  # the client is behind: try again after a pause
                await asyncio.sleep(max(interval, 3 * cost))
        finally:
            events.unsubscribe(PaneOutput, self._output)
            events.unsubscribe(ModelChanged, self._model)
            if self.ticket is not None:
                self.services.clients.pending.painted(self.ticket, self.wake)


def _blank(screen: messages.ScreenMessage) -> bool:
    """Whether nothing was written on ``screen`` (blank rows, the cursor at the origin)."""
    return screen["cursor"] == [0, 0] and all(
        not str(run[0]).strip() for runs in screen["rows"].values() for run in runs)


async def handle_paint(services: Services, connection: Peer, params: dict[str, Any],
                       first_frame: Callable[[], None] | None = None
                       ) -> messages.PaintResult:
    """The ``paint`` request (see the module docstring); ``first_frame`` is called once
    its first frame was sent."""
    from . import targets

    try:
        columns, lines = int(params.get("columns", 0)), int(params.get("lines", 0))
    except (TypeError, ValueError):
        columns = lines = 0
    if not (1 <= columns <= SIZE_LIMIT and 2 <= lines <= SIZE_LIMIT):
        raise ProtocolError(protocol.INVALID_PARAMS,
                            "columns and lines must be integers from 1 (2) to 10000")
    from .first_frame import colour_system

    env = params.get("env")
    environ = {str(key): str(value) for key, value in env.items()} \
        if isinstance(env, dict) else {}
    target = params.get("target")
    try:
        session = targets.find_session(targets.Current(services.engine.registry),
                                        str(target) if target else None)
    except CommandError as exc:
        raise ProtocolError(protocol.COMMAND_FAILED, str(exc)) from None
    return await Painter(services, session, columns, lines, colour_system(environ),
                         params.get("alternate", True) is not False,
                         valid_ticket(params.get("ticket")), first_frame).run(connection)
