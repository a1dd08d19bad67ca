"""The values behind tmux format variables (``#{session_name}``, ``#{pane_id}``, ...).

:func:`format_lookup` returns a function that computes a variable on demand for one
(session, window, pane), so a format naming three variables costs three lookups, not the
~60 below. Unknown names return ``None`` and expand to an empty string, as in tmux.
"""

from __future__ import annotations

import os
import socket
from collections.abc import Callable
from typing import TYPE_CHECKING

from ..protocol.identity import version_string
from .pane import Pane
from .registry import Session, Window

if TYPE_CHECKING:
    from .daemon import Server


def _flag(value: bool) -> str:
    return "1" if value else "0"


def window_flags(session: Session, window: Window) -> str:
    """tmux's window flags: ``*`` current, ``-`` last, ``#`` activity, ``Z`` zoomed."""
    flags = ""
    if window.activity_flag and window.index != session.current_index:
        flags += "#"
    if window.index == session.current_index:
        flags += "*"
    elif window.index == session.last_index:
        flags += "-"
    if window.layout.zoomed is not None:
        flags += "Z"
    return flags


def history_bytes(pane: Pane) -> int:
    """Bytes of text held in the pane's history (tmux reports its grid's memory)."""
    emulator = pane.emulator
    if not emulator.history_size:
        return 0
    return sum(len(line.encode()) + 1 for line in emulator.capture("-", -1))


VARIABLES: tuple[str, ...] = (
    "session_name", "session_id", "session_windows", "session_attached", "session_created",
    "session_activity", "session_path", "session_ai_context", "session_many_attached",
    "window_id", "window_index", "window_name", "window_active", "window_last_flag",
    "window_layout", "window_visible_layout", "window_panes", "window_zoomed_flag",
    "window_flags", "window_raw_flags", "window_width", "window_height",
    "window_activity_flag", "window_created", "window_activity",
    "pane_id", "pane_index", "pane_title", "pane_active", "pane_last", "pane_current_command",
    "pane_current_path", "pane_start_command", "pane_start_path", "pane_pid", "pane_tty",
    "pane_dead", "pane_dead_status", "pane_dead_signal", "pane_width", "pane_height",
    "pane_left", "pane_top", "pane_right", "pane_bottom", "pane_in_mode", "pane_input_off",
    "pane_synchronized", "history_size", "history_limit", "history_bytes", "cursor_x",
    "cursor_y", "cursor_flag", "alternate_on", "mouse_any_flag", "mouse_sgr_flag",
    "keypad_cursor_flag", "pane_commands", "pane_integrated",
    "pane_attention", "pane_context_tokens", "session_context_tokens",
    "socket_path", "pid", "version", "host", "host_short", "client_termtype", "start_time",
)
"""Every variable :func:`format_lookup` knows, for ``display-message -a``."""


def format_lookup(server: Server, session: Session | None, window: Window | None,
                  pane: Pane | None) -> Callable[[str], str | None]:
    """A lookup for :func:`formats.expand` bound to these objects."""
    if pane is not None and (window is None or session is None):
        found = server.engine.registry.find_pane(pane.id)
        if found:
            session, window, _ = found
    if window is not None and session is None:
        session = window.session
    if session is not None and window is None:
        window = session.current
    if window is not None and pane is None and window.panes:
        pane = window.active

    def session_vars(name: str) -> str | None:
        if session is None:
            return None
        values: dict[str, Callable[[], str]] = {
            "session_name": lambda: session.name,
            "session_id": lambda: f"${session.id}",
            "session_windows": lambda: str(len(session.windows)),
            "session_attached": lambda: str(session.attached),
            "session_created": lambda: str(int(session.created)),
            "session_activity": lambda: str(int(session.last_used)),
            "session_path": lambda: session.cwd,
            "session_ai_context": lambda: _flag(session.ai_context),
            "session_many_attached": lambda: _flag(session.attached > 1),
            "session_context_tokens": lambda: str(sum(
                server.ai.context_tokens(p.id) for w in session.windows.values()
                for p in w.panes.values())),
        }
        getter = values.get(name)
        return getter() if getter else None

    def window_vars(name: str) -> str | None:
        if window is None or session is None:
            return None
        layout = window.layout
        values: dict[str, Callable[[], str]] = {
            "window_id": lambda: f"@{window.id}",
            "window_index": lambda: str(window.index),
            "window_name": window.display_name,
            "window_active": lambda: _flag(window.index == session.current_index),
            "window_last_flag": lambda: _flag(window.index == session.last_index),
            "window_layout": layout.to_string,
            "window_visible_layout": layout.to_string,
            "window_panes": lambda: str(len(window.panes)),
            "window_zoomed_flag": lambda: _flag(layout.zoomed is not None),
            "window_flags": lambda: window_flags(session, window),
            "window_raw_flags": lambda: window_flags(session, window),
            "window_width": lambda: str(layout.width),
            "window_height": lambda: str(layout.height),
            "window_activity_flag": lambda: _flag(window.activity_flag),
            "window_created": lambda: str(int(window.created)),
            "window_activity": lambda: str(int(window.activity)),
        }
        getter = values.get(name)
        return getter() if getter else None

    def pane_vars(name: str) -> str | None:
        if pane is None or window is None:
            return None
        emulator = pane.emulator
        geometry = server.engine.pane_cells(window).get(pane.id)
        values: dict[str, Callable[[], str]] = {
            "pane_id": lambda: f"%{pane.id}",
            "pane_index": lambda: str(window.pane_index(pane)),
            "pane_title": lambda: pane.title or emulator.title or socket.gethostname(),
            "pane_active": lambda: _flag(window.active_pane == pane.id),
            "pane_last": lambda: _flag(window.last_pane == pane.id),
            "pane_current_command": pane.current_command,
            "pane_current_path": pane.current_path,
            "pane_start_command": lambda: pane.start_command,
            "pane_start_path": lambda: pane.start_cwd,
            "pane_pid": lambda: str(pane.pid),
            "pane_tty": lambda: pane.backend.tty_name() if not pane.dead else "",
            "pane_dead": lambda: _flag(pane.dead),
            "pane_dead_status": lambda: (str(pane.exit.code) if pane.exit and
                                         pane.exit.code is not None else ""),
            "pane_dead_signal": lambda: (str(pane.exit.signal) if pane.exit and
                                         pane.exit.signal is not None else ""),
            "pane_width": lambda: str(pane.columns),
            "pane_height": lambda: str(pane.lines),
            "pane_left": lambda: str(geometry.x) if geometry else "0",
            "pane_top": lambda: str(geometry.y) if geometry else "0",
            "pane_right": lambda: str(geometry.x + geometry.width - 1) if geometry else "0",
            "pane_bottom": lambda: str(geometry.y + geometry.height - 1) if geometry else "0",
            "pane_in_mode": lambda: "0",
            "pane_input_off": lambda: "0",
            "pane_synchronized": lambda: "0",
            "history_size": lambda: str(emulator.history_size),
            "history_limit": lambda: str(emulator.history_limit),
            "history_bytes": lambda: str(history_bytes(pane)),
            "cursor_x": lambda: str(emulator.cursor_x),
            "cursor_y": lambda: str(emulator.cursor_y),
            "cursor_flag": lambda: _flag(emulator.cursor_visible),
            "alternate_on": lambda: _flag(emulator.alternate_screen),
            "mouse_any_flag": lambda: _flag(emulator.mouse_mode != 0),
            "mouse_sgr_flag": lambda: _flag(emulator.mouse_sgr),
            "keypad_cursor_flag": lambda: _flag(emulator.app_cursor_keys),
            "pane_commands": lambda: str(len(pane.commands)),
            "pane_integrated": lambda: _flag(pane.tracker.integrated),
            "pane_attention": lambda: server.ai.attention(pane),
            "pane_context_tokens": lambda: str(server.ai.context_tokens(pane.id)),
        }
        getter = values.get(name)
        return getter() if getter else None

    def server_vars(name: str) -> str | None:
        values: dict[str, Callable[[], str]] = {
            "socket_path": lambda: str(server.socket_path),
            "pid": lambda: str(os.getpid()),
            "version": version_string,
            "host": socket.gethostname,
            "host_short": lambda: socket.gethostname().split(".")[0],
            "client_termtype": lambda: "",
            "start_time": lambda: str(int(server.engine.started)),
        }
        getter = values.get(name)
        return getter() if getter else None

    def option(name: str) -> str | None:
        """A user option, or (as tmux) any option by name: ``#{mode-keys}``, a flag as
        1 or 0, an array item as ``#{status-format[1]}``."""
        scopes = []
        if pane is not None:
            scopes.append(f"%{pane.id}")
        if window is not None:
            scopes.append(f"@{window.id}")
        if session is not None:
            scopes.append(f"${session.id}")
        return server.engine.options.format_value(name, *scopes)

    def lookup(name: str) -> str | None:
        if name.startswith("@"):
            return option(name)
        for getter in (pane_vars, window_vars, session_vars, server_vars, option):
            value = getter(name)
            if value is not None:
                return value
        return None

    return lookup
