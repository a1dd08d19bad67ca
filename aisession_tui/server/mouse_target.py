"""The mouse event a command runs with: tmux 3.3a's ``struct mouse_event`` as a key
binding's commands see it (``cmd_mouse_pane``, ``cmd_mouse_window``, ``cmd_mouse_at`` in
``cmd.c``; the ``=`` / ``{mouse}`` target in ``cmd-find.c``; ``#{mouse_x}``,
``#{mouse_y}``, ``#{mouse_word}``, ``#{mouse_line}`` and ``#{mouse_pane}`` in ``format.c``).

A full-screen client turns a mouse event into a key (``MouseDown3Pane``...) and runs the
bound commands; each ``command`` request it sends for them carries the event as
``mouse`` (:func:`parse_mouse` checks it). Invariants: ``x``/``y`` are terminal cells
(status lines included, as tmux's ``m->x``/``m->y``); ``window``/``pane`` are None where
tmux has ``-1`` (a click on the status line has no pane); a pane or window that has gone
since the click is simply no mouse target. The client adds the line under the mouse when
the pane is in copy mode (its copy mode, not the pane's screen, is what shows there: tmux's
``window_copy_get_word`` / ``window_copy_get_line``).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from .. import protocol
from ..protocol import ProtocolError

if TYPE_CHECKING:
    from .options import Options
    from .pane import Pane
    from .registry import Registry, Session, Window


PANE_MOUSE_FLAGS = frozenset({"mouse_any_flag", "mouse_all_flag", "mouse_button_flag",
                              "mouse_sgr_flag", "mouse_standard_flag", "mouse_utf8_flag"})
"""``mouse_*`` variables that are the pane's modes, not the event's."""


@dataclass(frozen=True)
class MouseEvent:
    """One mouse event, as tmux keeps it for the commands of the key it made."""

    session: int
    window: int | None
    pane: int | None
    x: int
    y: int
    last_x: int
    last_y: int
    status_at: int
    """The first status line's terminal row, -1 without a status line."""
    status_lines: int
    copy_line: str | None = None
    """The line under the mouse as the pane's copy mode shows it (the client's)."""
    b: int = 0
    """The report's button code as the terminal sent it (SGR)."""
    release: bool = False
    ignore: bool = False
    """A double click: ``send-keys -M`` passes it to no pane."""


def _int(params: dict[str, Any], name: str, *, optional: bool = False) -> int | None:
    value = params.get(name)
    if value is None and optional:
        return None
    if not isinstance(value, int) or isinstance(value, bool):
        raise ProtocolError(protocol.INVALID_PARAMS, f"mouse {name} must be an integer")
    return value


def parse_mouse(value: Any) -> MouseEvent | None:
    """The ``mouse`` of a ``command`` request (None when absent), or INVALID_PARAMS."""
    if value is None:
        return None
    if not isinstance(value, dict):
        raise ProtocolError(protocol.INVALID_PARAMS, "mouse must be an object")
    copy_line = value.get("copy_line")
    if copy_line is not None and not isinstance(copy_line, str):
        raise ProtocolError(protocol.INVALID_PARAMS, "mouse copy_line must be a string")
    x, y = _int(value, "x"), _int(value, "y")
    assert x is not None and y is not None
    status_at = _int(value, "status_at", optional=True)
    last_x, last_y = _int(value, "last_x", optional=True), _int(value, "last_y", optional=True)
    return MouseEvent(
        session=_int(value, "session") or 0, window=_int(value, "window", optional=True),
        pane=_int(value, "pane", optional=True), x=x, y=y,
        last_x=x if last_x is None else last_x, last_y=y if last_y is None else last_y,
        status_at=-1 if status_at is None else status_at,
        status_lines=_int(value, "status_lines", optional=True) or 0,
        copy_line=copy_line, b=_int(value, "b", optional=True) or 0,
        release=value.get("release") is True, ignore=value.get("ignore") is True)


def mouse_window(registry: Registry, mouse: MouseEvent | None
                 ) -> tuple[Session, Window] | None:
    """``cmd_mouse_window``: the clicked window (its session's current one when the event
    names none)."""
    if mouse is None:
        return None
    session = registry.sessions.get(mouse.session)
    if session is None:
        return None
    if mouse.window is None:
        return session, session.current
    for window in session.windows.values():
        if window.id == mouse.window:
            return session, window
    return None


def mouse_pane(registry: Registry, mouse: MouseEvent | None
               ) -> tuple[Session, Window, Pane] | None:
    """``cmd_mouse_pane``: the pane under the mouse, if it is still in that window."""
    found = mouse_window(registry, mouse)
    if found is None or mouse is None or mouse.pane is None:
        return None
    session, window = found
    pane = window.panes.get(mouse.pane)
    return (session, window, pane) if pane is not None else None


def mouse_current(registry: Registry, mouse: MouseEvent) -> str | None:
    """The pane a mouse key's commands take as current (tmux's ``cmd_find_from_mouse``):
    the pane under the mouse; None (the client's own) when it is on the status line."""
    found = mouse_pane(registry, mouse)
    return f"%{found[2].id}" if found is not None else None


def mouse_at(window: Window, pane: Pane, mouse: MouseEvent, *, last: bool = False
             ) -> tuple[int, int] | None:
    """``cmd_mouse_at``: the mouse's cell inside ``pane``, None when it is outside."""
    x, y = (mouse.last_x, mouse.last_y) if last else (mouse.x, mouse.y)
    if mouse.status_at == 0 and y >= mouse.status_lines:
        y -= mouse.status_lines
    box = window.layout.geometry().get(pane.id)
    if box is None:
        return None
    if not (box.x <= x < box.x + box.width and box.y <= y < box.y + box.height):
        return None
    return x - box.x, y - box.y


def grid_word(text: str, x: int, separators: str) -> str | None:
    """tmux's ``format_grid_word`` on one line: the word at ``x``; on a separator or a
    space, the word after it (tmux's walk starts one cell on)."""
    length = len(text.rstrip(" "))

    def separator(index: int) -> bool:
        char = text[index] if index < len(text) else " "
        return char == " " or char in separators

    found = False
    while True:
        if separator(x):
            found = True
            break
        if x == 0:
            break
        x -= 1
    word = []
    while True:
        if found:
            if length == 0 or x >= length - 1:
                break
            x += 1
        found = True
        if separator(x):
            break
        word.append(text[x] if x < len(text) else " ")
    return "".join(word) or None


def mouse_formats(registry: Registry, options: Options, mouse: MouseEvent | None,
                  client_tty: bool = True) -> Callable[[str], str | None]:
    """The ``#{mouse_*}`` variables of ``mouse`` (all None without one)."""

    def lookup(name: str) -> str | None:
        if mouse is None:
            return None
        found = mouse_pane(registry, mouse)
        at = mouse_at(found[1], found[2], mouse) if found is not None else None
        if name == "mouse_pane":
            return f"%{found[2].id}" if found is not None else None
        if name in ("mouse_x", "mouse_y"):
            if at is not None:
                return str(at[0] if name == "mouse_x" else at[1])
            on_status = ((mouse.status_at == 0 and mouse.y < mouse.status_lines)
                         or (mouse.status_at > 0 and mouse.y >= mouse.status_at))
            if client_tty and on_status:
                return str(mouse.x if name == "mouse_x" else mouse.y)
            return None
        if name not in ("mouse_word", "mouse_line") or found is None or at is None:
            return None
        pane = found[2]
        if pane.modes:
            if pane.modes[0] not in ("copy-mode", "view-mode") or mouse.copy_line is None:
                return None
            line = mouse.copy_line  # (the copy-mode screen's line, from the client)
        else:
            line = pane.emulator.line_text(at[1])
        if name == "mouse_line":
            return line.rstrip(" ") or None
        return grid_word(line, at[0], options.get("word-separators"))

    return lookup


def with_mouse_formats(lookup: Callable[[str], str | None], registry: Registry,
                       options: Options, mouse: MouseEvent) -> Callable[[str], str | None]:
    """``lookup`` with the event's ``#{mouse_*}`` variables over the objects' own (the
    pane's mouse-mode flags stay the pane's)."""
    mouse_lookup = mouse_formats(registry, options, mouse)

    def combined(name: str) -> str | None:
        if name.startswith("mouse_") and name not in PANE_MOUSE_FLAGS:
            return mouse_lookup(name)
        return lookup(name)

    return combined
