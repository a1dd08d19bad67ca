"""Mouse events as tmux 3.3a's mouse keys (``server_client_check_mouse``).

The terminal reports a mouse event as a button code, a cell and, with SGR reports, press
(``M``) or release (``m``): :class:`RawMouse`. :class:`MouseKeys` keeps what tmux keeps per
client to turn that into a key such as ``MouseDown1Pane``, ``M-MouseDown3Pane``,
``MouseDrag1Border``, ``WheelUpStatus`` or ``DoubleClick1Pane``:

* the kind: a press is ``MouseDown``, or ``SecondClick`` within :data:`CLICK_TIMEOUT` of the
  last press of the same button, or ``TripleClick`` within it of a second click; a second
  click with no third one becomes ``DoubleClick`` when the timeout passes
  (:meth:`MouseKeys.click_timeout`); a release is ``MouseUp``; motion with a button held is
  ``MouseDrag`` once, then (while a command such as ``copy-mode -M`` follows the drag) the
  drag's own updates, and the next other event ends it as ``MouseDragEnd`` of the button
  that started it; motion with no button is ``MouseMove``; the wheel is ``WheelUp`` /
  ``WheelDown``;
* the place (:class:`Screen` says where things are): ``Status``, ``StatusLeft``,
  ``StatusRight``, ``StatusDefault`` on the status line (a window's entry, ``status-left``,
  ``status-right``, elsewhere), ``Border`` on a pane's right or bottom border (unless the
  window is zoomed), ``Pane`` inside one;
* the modifiers ``C-``, ``M-``, ``S-`` from the button code.

The result, :class:`MouseKey`, is also the event the bound commands run with (tmux's
``struct mouse_event``): the session, window and pane it names, its cell and the previous
one. Headless: the client feeds it Textual's events, tests feed it numbers.
"""

from __future__ import annotations

import contextvars
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from aisession_tui.protocol import messages
from aisession_tui.terminal.mouse_reports import (
    MASK_CTRL,
    MASK_DRAG,
    MASK_META,
    MASK_SHIFT,
    WHEEL_DOWN,
    WHEEL_UP,
    RawMouse,
    buttons,
    encode_report,
    is_drag,
    is_release,
    is_wheel,
)

CLICK_TIMEOUT = 0.3
"""Seconds within which a press counts as the next click (tmux's KEYC_CLICK_TIMEOUT)."""

def raw_mouse(kind: str, button: int, x: int, y: int, *, shift: bool = False,
              meta: bool = False, ctrl: bool = False) -> RawMouse:
    """A report from an event: ``kind`` ``down``/``up``/``move``/``wheel-up``/
    ``wheel-down``, ``button`` 1-3 (0 for motion without a button)."""
    modifiers = (MASK_SHIFT if shift else 0) | (MASK_META if meta else 0) | \
        (MASK_CTRL if ctrl else 0)
    if kind == "wheel-up":
        return RawMouse(WHEEL_UP | modifiers, x, y)
    if kind == "wheel-down":
        return RawMouse(WHEEL_DOWN | modifiers, x, y)
    code = (button - 1) if 1 <= button <= 3 else 3
    if kind == "move":
        return RawMouse(code | MASK_DRAG | modifiers, x, y)
    return RawMouse(code | modifiers, x, y, release=kind == "up")


@dataclass
class PaneBox:
    """A visible pane of the window, in window cells."""

    pane: int
    x: int
    y: int
    width: int
    height: int


@dataclass
class Screen:
    """Where things are on the client's terminal when the event comes."""

    session: int
    window: int
    """The current window's id."""
    panes: list[PaneBox]
    window_x: int
    """Terminal column of the window's first column (the side panel may sit left)."""
    window_y: int
    """Terminal row of the window's first row (below a status line at the top)."""
    window_size: tuple[int, int]
    zoomed: bool = False
    status_at: int = -1
    """Terminal row of the first status line; -1 without one."""
    status_lines: int = 0
    status_range: Callable[[int, int], tuple[str, int | None] | None] = \
        field(default=lambda x, line: None)
    """What is at (column, status line): ``("left", None)``, ``("right", None)``,
    ``("window", window id)``, or None (the rest: ``StatusDefault``)."""


@dataclass(frozen=True)
class MouseKey:
    """A mouse key and the event its commands run with."""

    key: str | None
    """The key name (``M-MouseDown3Pane``); None for a drag update (:attr:`dragging`)."""
    raw: RawMouse
    where: str
    """``Pane``, ``Border``, ``Status``, ``StatusLeft``, ``StatusRight``, ``StatusDefault``."""
    session: int
    window: int | None
    pane: int | None
    x: int
    y: int
    last_x: int
    last_y: int
    status_at: int
    status_lines: int
    window_x: int = 0
    window_y: int = 0
    ignore: bool = False
    """A double click (tmux's ``m->ignore``): ``send-keys -M`` does not pass it on."""
    dragging: bool = False
    """A motion of a drag that a command follows (``copy-mode -M``, ``resize-pane -M``)."""
    drag_ended: bool = False
    """The event ended a drag (its key is ``MouseDragEnd``)."""
    copy_line: str | None = None
    """The line under the mouse as the pane's copy mode shows it (``#{mouse_word}``,
    ``#{mouse_line}`` of a pane in copy mode)."""

    def params(self) -> messages.MouseEventMessage:
        """The event for a ``command`` request (:mod:`aisession_tui.server.mouse_target`),
        in terminal cells less the columns left of the window."""
        params: messages.MouseEventMessage = {"session": self.session, "window": self.window, "pane": self.pane,
                  "x": self.x - self.window_x, "y": self.y,
                  "last_x": self.last_x - self.window_x, "last_y": self.last_y,
                  "status_at": self.status_at, "status_lines": self.status_lines,
                  "b": self.raw.sgr_b, "release": self.raw.release, "ignore": self.ignore}
        if self.copy_line is not None:
            params["copy_line"] = self.copy_line
        return params

    def window_cell(self, *, last: bool = False) -> tuple[int, int]:
        """The event's (or the previous event's) cell in window cells."""
        x, y = (self.last_x, self.last_y) if last else (self.x, self.y)
        return x - self.window_x, y - self.window_y


CURRENT_MOUSE: contextvars.ContextVar[MouseKey | None] = contextvars.ContextVar(
    "current_mouse", default=None)
"""The mouse event whose key's commands the running task runs (None: not a mouse key)."""

def with_mouse(params: dict[str, Any]) -> dict[str, Any]:
    """A ``command`` request's params, with the running mouse key's event if any."""
    event = CURRENT_MOUSE.get()
    if event is not None:
        params["mouse"] = event.params()
    return params


def menu_mouse(params: messages.MouseEventMessage | None, window_x: int, window_y: int
               ) -> MouseKey | None:
    """The event the server sent back with a menu (:meth:`MouseKey.params`), as the
    right-button press it stands for."""
    if not isinstance(params, dict):
        return None
    try:
        x, y = int(params["x"]) + window_x, int(params["y"])
        last_x, last_y = int(params["last_x"]) + window_x, int(params["last_y"])
        window, pane = params.get("window"), params.get("pane")
        return MouseKey(None, RawMouse(2, x, y), "Pane" if pane is not None else "Status",
                        int(params["session"]), int(window) if window is not None else None,
                        int(pane) if pane is not None else None, x, y, last_x, last_y,
                        int(params["status_at"]), int(params["status_lines"]),
                        window_x, window_y)
    except (KeyError, TypeError, ValueError):
        return None


_KINDS = {"down": "MouseDown", "up": "MouseUp", "drag": "MouseDrag", "second": "SecondClick",
          "double": "DoubleClick", "triple": "TripleClick", "move": "MouseMove"}
_WHERE = {"left": "StatusLeft", "right": "StatusRight", "window": "Status"}


def key_name(kind: str, code: int, where: str) -> str | None:
    """The mouse key for ``kind`` with button code ``code`` at ``where``."""
    if kind == "wheel":
        name = "WheelUp" if buttons(code) == WHEEL_UP else "WheelDown"
    elif kind == "move":
        name = "MouseMove"
    else:
        button = buttons(code)
        if button > 2:
            return None
        name = f"{_KINDS[kind]}{button + 1}"
    prefix = ("C-" if code & MASK_CTRL else "") + ("M-" if code & MASK_META else "") + \
        ("S-" if code & MASK_SHIFT else "")
    return f"{prefix}{name}{where}"


class MouseKeys:
    """tmux's per-client mouse state (see the module docstring)."""

    def __init__(self, clock: Callable[[], float] = time.monotonic) -> None:
        self.clock = clock
        self.last = RawMouse(3, 0, 0)
        """The previous report (tmux's ``lx``/``ly``/``lb``)."""
        self.drag_flag = 0
        """The button of the drag in progress plus one; 0 for none."""
        self.drag_followed = False
        """A command follows the drag (tmux's ``mouse_drag_update``)."""
        self.click = ""
        """``double`` after a press, ``triple`` after a second click, within the timeout."""
        self.click_button = -1
        self.click_event: tuple[RawMouse, RawMouse] | None = None
        self.click_deadline = 0.0

    def report(self, raw: RawMouse, screen: Screen) -> MouseKey | None:
        """The key for one report, or None when tmux makes none."""
        last, self.last = self.last, raw
        if self.click and self.clock() >= self.click_deadline:
            self.click = ""  # (the client calls click_timeout; this is the safety net)
        return self._check(raw, last, screen, "")

    def click_timeout(self, screen: Screen) -> MouseKey | None:
        """The click timeout passed: a second click with no third is a ``DoubleClick``."""
        was, self.click = self.click, ""
        if was != "triple" or self.click_event is None:
            return None
        raw, last = self.click_event
        return self._check(raw, last, screen, "double")

    def _check(self, raw: RawMouse, last: RawMouse, screen: Screen, forced: str
               ) -> MouseKey | None:
        b, x, y = raw.b, raw.x, raw.y
        ignore = False
        if forced == "double":
            kind, ignore = "double", True
        elif is_drag(raw.sgr_b) and is_release(raw.sgr_b):
            kind, b = "move", 0
        elif is_drag(b):
            kind = "drag"
            if self.drag_flag:
                if (x, y) == (last.x, last.y):
                    return None
            else:
                x, y, b = last.x, last.y, last.b
        elif is_wheel(b):
            kind = "wheel"
        elif is_release(b):
            kind, b = "up", last.b
        else:
            kind = ""
            if self.click == "double":
                self.click = ""
                if b == self.click_button:
                    kind = "second"
                    self.click = "triple"
            elif self.click == "triple":
                self.click = ""
                if b == self.click_button:
                    kind = "triple"
            else:
                kind = "down"
                self.click = "double"
            if kind != "triple":
                self.click_event = (raw, last)
                self.click_button = b
                self.click_deadline = self.clock() + CLICK_TIMEOUT
            if not kind:
                return None
        where, window, pane = self._where(x, y, screen)
        if where is None:
            return None
        event = MouseKey(None, raw, where, screen.session, window, pane, raw.x, raw.y,
                         last.x, last.y, screen.status_at, screen.status_lines,
                         screen.window_x, screen.window_y, ignore=ignore)
        if kind not in ("drag", "wheel") and self.drag_flag:
            button, self.drag_flag, self.drag_followed = self.drag_flag - 1, 0, False
            name = f"MouseDragEnd{button + 1}{where}" if button <= 2 else None
            return _replace(event, key=_modifiers(b) + name if name else None,
                            drag_ended=True)
        if kind == "drag":
            if self.drag_followed:
                self.drag_flag = buttons(b) + 1
                return _replace(event, dragging=True)
            self.drag_flag = buttons(b) + 1
        return _replace(event, key=key_name(kind, b, where))

    def follow_drag(self) -> None:
        """A command follows the drag from now on (``copy-mode -M``, ``resize-pane -M``):
        its motions are updates, not keys."""
        if self.drag_flag:
            self.drag_followed = True

    def _where(self, x: int, y: int, screen: Screen) -> tuple[str | None, int | None,
                                                            int | None]:
        """(place, window id, pane id) of terminal cell (x, y)."""
        if screen.status_at != -1 and screen.status_at <= y < screen.status_at + \
                screen.status_lines:
            found = screen.status_range(x, y - screen.status_at)
            if found is None:
                return "StatusDefault", None, None
            kind, window = found
            return _WHERE[kind], window if kind == "window" else None, None
        px, py = x - screen.window_x, y - screen.window_y
        width, height = screen.window_size
        if px < 0 or py < 0 or px > width or py > height:
            return None, None, None
        if not screen.zoomed:
            for box in screen.panes:
                if ((box.x + box.width == px and box.y <= 1 + py and box.y + box.height >= py)
                        or (box.y + box.height == py and box.x <= 1 + px
                            and box.x + box.width >= px)):
                    return "Border", screen.window, box.pane
        for box in screen.panes:
            if box.x <= px < box.x + box.width and box.y <= py < box.y + box.height:
                return "Pane", screen.window, box.pane
        return None, None, None


def _modifiers(code: int) -> str:
    return ("C-" if code & MASK_CTRL else "") + ("M-" if code & MASK_META else "") + \
        ("S-" if code & MASK_SHIFT else "")


def _replace(event: MouseKey, **changes: Any) -> MouseKey:
    from dataclasses import replace

    return replace(event, **changes)


def encode_for_pane(event: MouseKey, mode: int, sgr: bool, x: int, y: int) -> bytes:
    """tmux's ``input_key_get_mouse``: the report a pane in mouse mode ``mode`` (9, 1000,
    1002, 1003; 0 none) gets for ``event`` at its cell (x, y); b"" when it takes none."""
    return encode_report(event.raw, mode, sgr, x, y)
