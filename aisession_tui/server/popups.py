"""Popups (``display-popup``): a command on its own PTY drawn over one client's panes.

A popup belongs to one client (tmux allows one per client) and is not a pane of any window:
it never appears in ``list-panes`` and its id is never handed out by the registry. The
server runs the child on a :class:`~aisession_tui.server.pane.Pane` (PTY + emulator) and
sends the client ``popup`` notifications with the geometry, the border options and the
rows of the popup's screen; the client sends every key typed while the popup is open as
``popup-input``.

Invariants, as in tmux 3.3a's popup.c:

* ``-E`` closes the popup when the command exits, ``-EE`` only when it exits with 0;
  otherwise the popup stays (showing what the command left) until Escape or C-c, which
  also close it while the command runs if neither ``-E`` was given.
* ``display-popup -C`` and a client's detach close it; closing kills a running command.
* The command that opened the popup waits for it to close (``closed``).
* With the mouse, as popup_key_cb: a drag on the border with the left button moves the
  popup (kept on the terminal), with the right button resizes it from its bottom-right
  corner (never below 3x3 with a border); Meta and a drag anywhere on it do the same.
* When the client's terminal changes size the popup keeps the size and place it was
  opened with where they fit, else shrinks and moves back onto the terminal, and its
  command's terminal follows (popup_resize_cb).
"""

from __future__ import annotations

import asyncio
import base64
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from ..protocol import messages

if TYPE_CHECKING:
    from .events import ClientDetached, ClientResized
    from .pane import Pane
    from .peer import Peer
    from .request_probe import RequestProbe

CLOSE_KEYS = (b"\x1b", b"\x03")
"""Escape and C-c: they close a popup whose command is done (or that has no ``-E``)."""

EXIT_POLL = 0.05
"""Seconds between checks whether the popup's command has ended."""

POPUP_PANE_ID = -1
"""The id a popup's terminal carries: never a pane id, never in any window."""


@dataclass
class PopupGeometry:
    """Where the popup sits on the client's terminal (outer box, border included)."""

    x: int
    y: int
    width: int
    height: int
    border: bool

    @property
    def inner(self) -> tuple[int, int]:
        """Columns and lines of the popup's terminal."""
        edge = 2 if self.border else 0
        return max(1, self.width - edge), max(1, self.height - edge)


@dataclass
class Popup:
    """One open popup."""

    client: Any
    pane: Pane
    geometry: PopupGeometry
    border_lines: str
    title: str
    style: str
    border_style: str
    close_on_exit: bool
    close_on_success: bool
    closed: asyncio.Event = field(default_factory=asyncio.Event)
    status: int = 0
    """The command's shell-style status once closed (128 + 1 when closing hung it up): the
    exit code of the CLI that opened the popup, as in tmux."""
    status_lines: int = 0
    """The client's status lines when it opened (the terminal is the panes' area and them)."""
    preferred: PopupGeometry | None = None
    """Where it was opened, and how big: what a resized terminal shrinks it from."""
    dragging: str = ""
    """``move`` or ``size`` while a mouse drag moves or resizes it."""
    drag_offset: tuple[int, int] = (0, 0)
    last_mouse: tuple[int, int, int] = (0, 0, 0)
    """(x, y, button) of the mouse event before (tmux's lx, ly, lb)."""
    request_close: Callable[[], object] = field(default=lambda: False, repr=False)
    """Closes this popup (set by :meth:`Popups.open`: its command's exit, or a close
    key)."""
    _send_handle: asyncio.Handle | None = None
    _full: bool = True

    def terminal_size(self) -> tuple[int, int]:
        """The client's terminal: its panes' area and its status lines."""
        return int(self.client.columns), int(self.client.lines) + self.status_lines

    def mouse(self, kind: str, button: int, x: int, y: int, *, meta: bool = False,
              shift: bool = False, ctrl: bool = False) -> None:
        """A mouse event on the client's terminal (popup_key_cb's mouse part)."""
        drag = kind == "move" and button != 0
        if self.dragging:
            self._drag(drag, x, y)
        else:
            self._press_or_drag(drag, x, y, meta and not shift and not ctrl)
        self.last_mouse = (x, y, button)

    def _press_or_drag(self, drag: bool, x: int, y: int, meta_only: bool) -> None:
        box = self.geometry
        if not (box.x <= x < box.x + box.width and box.y <= y < box.y + box.height):
            return
        on_border = box.border and (x in (box.x, box.x + box.width - 1)
                                    or y in (box.y, box.y + box.height - 1))
        if not (meta_only or on_border) or not drag:
            return
        last_x, last_y, last_button = self.last_mouse
        if last_button == 1:
            self.dragging = "move"
        elif last_button == 3:
            self.dragging = "size"
        self.drag_offset = (last_x - box.x, last_y - box.y)

    def _drag(self, drag: bool, x: int, y: int) -> None:
        """popup_handle_drag: follow the mouse until the button is released."""
        if not drag:
            self.dragging = ""
            return
        box = self.geometry
        columns, lines = self.terminal_size()
        if self.dragging == "move":
            dx, dy = self.drag_offset
            left = 0 if x < dx else columns - box.width if x - dx + box.width > columns \
                else x - dx
            top = 0 if y < dy else lines - box.height if y - dy + box.height > lines \
                else y - dy
            self.geometry = PopupGeometry(left, top, box.width, box.height, box.border)
            self.drag_offset = (x - left, y - top)
            wanted = self.preferred or box
            self.preferred = PopupGeometry(left, top, wanted.width, wanted.height, box.border)
        else:
            least = 3 if box.border else 1
            if x < box.x + least or y < box.y + least:
                return
            self.geometry = PopupGeometry(box.x, box.y, x - box.x, y - box.y, box.border)
            self.preferred = self.geometry
            self.pane.resize(*self.geometry.inner)
        self._full = True
        self.notify()

    def fit(self, columns: int, lines: int) -> None:
        """The client's terminal is now ``columns`` x ``lines``: tmux's popup_resize_cb."""
        wanted = self.preferred or self.geometry
        height, width = min(wanted.height, lines), min(wanted.width, columns)
        y = lines - height if wanted.y + height > lines else wanted.y
        x = columns - width if wanted.x + width > columns else wanted.x
        self.geometry = PopupGeometry(x, y, width, height, wanted.border)
        if not wanted.border or (width > 2 and height > 2):
            self.pane.resize(*self.geometry.inner)
        self._full = True
        self.notify()

    def notify(self) -> None:
        """Send the popup's screen to its client soon (coalesced)."""
        if self._send_handle is None and not self.closed.is_set():
            self._send_handle = asyncio.get_running_loop().call_soon(self._send)

    def _send(self) -> None:
        self._send_handle = None
        if self.closed.is_set() or _is_control(self.client):
            return
        emulator = self.pane.emulator
        dirty = emulator.take_dirty()
        rows = range(emulator.lines) if self._full else sorted(dirty)
        geometry = self.geometry
        message: messages.PopupMessage = {
            "open": True, "full": self._full,
            "x": geometry.x, "y": geometry.y,
            "width": geometry.width, "height": geometry.height,
            "border": geometry.border, "border_lines": self.border_lines,
            "title": self.title, "style": self.style, "border_style": self.border_style,
            "columns": emulator.columns, "lines": emulator.lines,
            "rows": {str(row): emulator.line_runs(row) for row in rows
                     if 0 <= row < emulator.lines},
            "cursor": [emulator.cursor_x, emulator.cursor_y],
            "cursor_visible": emulator.cursor_visible and not self.pane.dead,
        }
        self._full = False
        self.client.send(messages.POPUP, message)

    def input(self, data: bytes) -> None:
        """A key (or paste) the client read while the popup is open."""
        done = self.pane.dead or self.pane.killed
        if data in CLOSE_KEYS and (done or not (self.close_on_exit or self.close_on_success)):
            self.request_close()
            return
        if not done:
            self.pane.write(data)

    def watch_exit(self) -> None:
        """Reap the command: the popup's terminal is in no window, so the server's own
        reaping never looks at it; poll until it has ended (or the popup closed)."""
        if self.closed.is_set() or self.pane.check_exit():
            return
        asyncio.get_running_loop().call_later(EXIT_POLL, self.watch_exit)

    def exited(self) -> None:
        """The command ended: close when ``-E`` / ``-EE`` say so, else keep its screen."""
        status = self.pane.exit.status if self.pane.exit is not None else 1
        if self.close_on_exit or (self.close_on_success and status == 0):
            self.request_close()
        else:
            self.notify()


def _is_control(client: Any) -> bool:
    return hasattr(client, "pause_after")


class Popups:
    """The open popups, at most one per client (tmux keeps one overlay per client).

    The daemon routes ``popup-input`` to :meth:`handle_input` and subscribes
    :meth:`fit_for_resized` and :meth:`close_for_detached` to the client events; the
    ``display-popup`` command opens and closes popups here.
    """

    def __init__(self, requests: RequestProbe) -> None:
        self._requests = requests
        """The server's request probe: a popup's terminal gives way to a client's request
        as a window's pane does."""
        self._open: dict[int, Popup] = {}
        """Open popups by ``id(client)`` (an entry goes when its client detaches)."""

    def of(self, client: Any) -> Popup | None:
        """The client's open popup, if any."""
        return self._open.get(id(client))

    def open(self, client: Any, *, argv: list[str], cwd: str, env: dict[str, str],
             integrated: bool, start_command: str, geometry: PopupGeometry,
             border_lines: str, title: str, style: str, border_style: str,
             close_on_exit: bool, close_on_success: bool, status_lines: int = 0) -> Popup:
        """Start the popup's command and show it on ``client``."""
        from .pane import Pane

        columns, lines = geometry.inner
        pane = Pane(POPUP_PANE_ID, argv=argv, cwd=cwd, env=env, columns=columns,
                    lines=lines, history_limit=0, integrated=integrated,
                    start_command=start_command, requests=self._requests)
        popup = Popup(client, pane, geometry, border_lines, title, style, border_style,
                      close_on_exit, close_on_success, status_lines=status_lines,
                      preferred=geometry, request_close=lambda: self.close(client))
        self._open[id(client)] = popup
        pane.listeners.on_output.append(lambda _pane: popup.notify())
        pane.listeners.on_exit.append(lambda _pane: popup.exited())
        popup.notify()
        popup.watch_exit()
        return popup

    def close(self, client: Any) -> bool:
        """Close the client's popup (killing a running command); False when none is
        open."""
        popup = self._open.pop(id(client), None)
        if popup is None:
            return False
        if popup._send_handle is not None:
            popup._send_handle.cancel()
            popup._send_handle = None
        if popup.pane.exit is not None:
            popup.status = popup.pane.exit.status
        else:
            popup.status = 128 + 1  # SIGHUP, as the closing hangs the command up
            popup.pane.kill()
        popup.closed.set()
        if not _is_control(client):
            closing: messages.PopupMessage = {"open": False}
            try:
                client.send(messages.POPUP, closing)
            except (ConnectionError, OSError):
                pass
        return True

    def handle_input(self, connection: Peer, params: dict[str, Any]) -> messages.Empty:
        """``popup-input`` from a full-screen client: bytes for its popup."""
        client = connection.attached
        popup = self.of(client) if client is not None else None
        if popup is None:
            return {}
        mouse = params.get("mouse")
        if isinstance(mouse, dict):
            try:
                popup.mouse(str(mouse.get("kind", "")), int(mouse.get("button", 0)),
                            int(mouse.get("x", -1)), int(mouse.get("y", -1)),
                            meta=bool(mouse.get("meta")), shift=bool(mouse.get("shift")),
                            ctrl=bool(mouse.get("ctrl")))
            except (TypeError, ValueError):
                pass
            return {}
        if "data_b64" in params:
            data = base64.b64decode(str(params["data_b64"]))
        else:
            data = str(params.get("data", "")).encode("utf-8", "surrogateescape")
        popup.input(data)
        return {}

    def fit_for_resized(self, event: ClientResized) -> None:
        """A client's terminal changed size: its popup fits itself to it."""
        popup = self.of(event.client)
        if popup is not None:
            popup.fit(*popup.terminal_size())

    def close_for_detached(self, event: ClientDetached) -> None:
        """A client went away: its popup goes with it."""
        self.close(event.client)
