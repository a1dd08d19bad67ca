"""The values behind tmux format variables (``#{session_name}``, ``#{pane_id}``, ...).

:func:`format_lookup` returns a function that computes a variable on demand for one
(session, window, pane), so a format naming three variables costs three lookups, not the
~60 below. Unknown names return ``None`` and expand to an empty string, as in tmux.
"""

from __future__ import annotations

import os
import pwd
import socket
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Protocol

from ..protocol.identity import version_string
from ..terminal.emulator import TerminalState
from . import pane_modes, session_groups, winlinks
from .attention_watch import window_attention
from .format_jobs import JobRunner
from .formats import search_lines
from .options import Options
from .pane import Pane
from .registry import Session, Window
from .styles import Style, StyleError, colour_name, parse_style

if TYPE_CHECKING:
    from .ai_layer import AiLayer
    from .engine import Engine
    from .paste_buffers import PasteBuffers


class FormatSources(Protocol):
    """What format variables read: the model, the AI layer, paste buffers, the socket
    and the ``#()`` job runner (the server's :class:`~aisession_tui.server.services.
    Services` is one)."""

    @property
    def engine(self) -> Engine: ...

    @property
    def ai(self) -> AiLayer: ...

    @property
    def buffers(self) -> PasteBuffers: ...

    @property
    def socket_path(self) -> Path: ...

    @property
    def format_jobs(self) -> JobRunner: ...

    @property
    def config_files(self) -> list[str] | None: ...


def _flag(value: bool) -> str:
    return "1" if value else "0"


def window_flags(session: Session, window: Window) -> str:
    """tmux's window flags: ``*`` current, ``-`` last, ``#`` activity, ``Z`` zoomed; and
    ai-session's ``?``: a pane of a window other than the current one waits for input. Like
    tmux's alert flags it is never on the window the user looks at (a pager or an editor
    there is waiting by nature), so the flags are tmux's own unless a hidden window needs
    the user."""
    flags = ""
    if window.activity_flag:
        flags += "#"
    if window.bell_flag:
        flags += "!"
    if window.silence_flag:
        flags += "~"
    if window.index == session.current_index:
        flags += "*"
    elif window.index == session.last_index:
        flags += "-"
    if window.layout.zoomed is not None:
        flags += "Z"
    if window.index != session.current_index and any(
            getattr(pane, "attention", "") == "waiting" for pane in window.panes.values()):
        flags += "?"  # not a tmux flag: only while a pane of a hidden window waits
    return flags


TREE_MODE_FORMAT = (
    "#{?pane_format,#{?pane_marked,#[reverse],}#{pane_current_command}#{?pane_active,*,}"
    "#{?pane_marked,M,}#{?#{&&:#{pane_title},#{!=:#{pane_title},#{host_short}}},"
    ": \"#{pane_title}\",},#{?window_format,#{?window_marked_flag,#[reverse],}"
    "#{window_name}#{window_flags}#{?#{&&:#{==:#{window_panes},1},#{&&:#{pane_title},"
    "#{!=:#{pane_title},#{host_short}}}},: \"#{pane_title}\",},#{session_windows} windows"
    "#{?session_grouped, (group #{session_group}: #{session_group_list}),}"
    "#{?session_attached, (attached),}}}")
"""choose-tree's default line format (``#{tree_mode_format}``)."""
BUFFER_MODE_FORMAT = "#{t/p:buffer_created}: #{buffer_sample}"
CLIENT_MODE_FORMAT = "#{t/p:client_activity}: session #{session_name}"


def buffer_sample(text: str, limit: int = 50) -> str:
    """A one-line preview of a buffer, escaped like tmux's ``buffer_sample``."""
    shown = text[:limit].replace("\\", "\\\\").replace("\n", "\\n").replace("\r", "\\r")
    shown = shown.replace("\t", "\\t")
    return shown + ("..." if len(text) > limit else "")


def session_stack(session: Session) -> list[int]:
    """Window indexes, current first, then the last-window stack (tmux's
    ``session_stack``)."""
    by_id = {window.id: window.index for window in session.windows.values()}
    return [session.current_index] + [by_id[window_id] for window_id in session.last_windows
                                      if window_id in by_id]


def window_stack_index(session: Session, window: Window) -> int:
    """1 for the last window, 2 for the one before...; 0 for the current window and any
    window never left (tmux's ``window_stack_index``)."""
    if window.id in session.last_windows:
        return session.last_windows.index(window.id) + 1
    return 0


def session_alerts(session: Session) -> str:
    """``1#,3!``: the windows with an alert and their flags (activity ``#``, bell ``!``,
    silence ``~``)."""
    return ",".join(f"{window.index}{'#' if window.activity_flag else ''}"
                    f"{'!' if window.bell_flag else ''}{'~' if window.silence_flag else ''}"
                    for window in session.ordered_windows()
                    if window.activity_flag or window.bell_flag or window.silence_flag)


COPY_MODE_VARIABLES = frozenset({
    "scroll_position", "copy_cursor_x", "copy_cursor_y", "copy_cursor_word",
    "copy_cursor_line", "selection_present", "selection_active", "selection_start_x",
    "selection_start_y", "selection_end_x", "selection_end_y"})
"""tmux's copy-mode formats (``window_copy_formats``): set only while the pane is in copy
mode, from the attached client's copy mode (the ``copy-state`` request)."""


def copy_mode_value(pane: Pane, name: str) -> str | None:
    """A copy-mode format of ``pane``: None outside copy mode, or before a client said;
    the selection's ends only while there is a selection, as in tmux."""
    from . import pane_modes

    state = pane.copy_state
    if state is None or pane_modes.top(pane) != "copy-mode":
        return None
    if name.startswith("selection_") and name != "selection_present" \
            and not state.get("selection_present"):
        return "0" if name == "selection_active" else None
    value = state.get(name)
    if isinstance(value, bool):
        return "1" if value else "0"
    return None if value is None else str(value)


def window_style(options: Options, window: Window, pane: Pane) -> Style:
    """The pane's default colours: ``window-style``, with ``window-active-style`` on top
    for the active pane (a style that does not parse counts as ``default``)."""
    scopes = (f"%{pane.id}", f"@{window.id}")
    style = Style()
    names = ["window-style"]
    if window.active_pane == pane.id:
        names.append("window-active-style")
    for name in names:
        try:
            style = parse_style(options.get(name, *scopes), current=style)
        except StyleError:
            pass
    return style


def loaded_config_files(server: FormatSources) -> list[str]:
    """The config files the server read at start: ``-f``'s, else those of the default
    list that exist (tmux's ``config_files``)."""
    explicit = server.config_files
    if explicit is not None:
        return list(explicit)
    from .command_lists import default_config_files

    return [name for name in default_config_files(dict(os.environ)) if os.path.exists(name)]


def _user_name() -> str:
    try:
        return pwd.getpwuid(os.getuid()).pw_name
    except KeyError:
        return ""


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
    "window_flags", "window_raw_flags", "window_attention", "window_attention_flag", "window_width", "window_height",
    "window_activity_flag", "window_created", "window_activity",
    "pane_id", "pane_index", "pane_title", "pane_active", "pane_last", "pane_current_command",
    "pane_current_path", "pane_start_command", "pane_start_path", "pane_pid", "pane_tty",
    "pane_dead", "pane_dead_status", "pane_dead_signal", "pane_width", "pane_height",
    "pane_left", "pane_top", "pane_right", "pane_bottom", "pane_in_mode", "pane_input_off",
    "pane_mode", "pane_synchronized", "history_size", "history_limit", "history_bytes", "cursor_x",
    "cursor_y", "cursor_flag", "alternate_on", "mouse_any_flag", "mouse_sgr_flag",
    "keypad_cursor_flag", "pane_commands", "pane_integrated",
    "pane_attention", "pane_context_tokens", "session_context_tokens",
    "socket_path", "pid", "version", "host", "host_short", "client_termtype", "start_time",
    "session_stack", "session_alerts", "session_grouped", "session_group",
    "session_group_size", "session_group_list", "session_group_attached",
    "session_group_many_attached", "session_group_attached_list", "session_marked",
    "session_format",
    "active_window_index", "last_window_index", "window_stack_index", "window_linked",
    "window_linked_sessions", "window_linked_sessions_list", "window_active_sessions",
    "window_active_sessions_list", "window_active_clients", "window_bell_flag",
    "window_silence_flag", "window_marked_flag", "window_start_flag", "window_end_flag",
    "window_cell_width", "window_cell_height", "window_format", "pane_at_top",
    "pane_at_bottom", "pane_at_left", "pane_at_right", "pane_format", "pane_marked",
    "pane_marked_set", "pane_pipe", "pane_fg", "pane_bg", "pane_tabs", "pane_dead_time",
    "cursor_character", "scroll_region_upper", "scroll_region_lower", "insert_flag",
    "keypad_flag", "origin_flag", "wrap_flag", "mouse_standard_flag", "mouse_button_flag",
    "mouse_all_flag", "mouse_utf8_flag", "alternate_saved_x", "alternate_saved_y", "uid",
    "user", "next_session_id", "config_files",
)
"""Every variable :func:`format_lookup` knows, for ``display-message -a``."""


def format_lookup(server: FormatSources, session: Session | None, window: Window | None,
                  pane: Pane | None, *, jobs: JobRunner | None = None) -> FormatScope:
    """A lookup for :func:`formats.expand` bound to these objects."""
    kind = "pane" if pane is not None else "window" if window is not None else \
        "session" if session is not None else ""
    """What the caller formats (tmux's ``pane_format``/``window_format``/...)."""
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

    def group() -> list[Session]:
        assert session is not None
        return session_groups.group_of(server.engine.registry, session)

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
            "session_stack": lambda: ",".join(str(index) for index in session_stack(session)),
            "session_alerts": lambda: session_alerts(session),
            "session_grouped": lambda: _flag(session.group is not None),
            "session_group": lambda: session.group or "",
            "session_group_size": lambda: str(len(group())) if group() else "",
            "session_group_list": lambda: ",".join(each.name for each in group()),
            "session_group_attached": lambda: (
                str(sum(each.attached for each in group())) if group() else ""),
            "session_group_many_attached": lambda: (
                _flag(sum(each.attached for each in group()) > 1) if group() else ""),
            "session_group_attached_list": lambda: ",".join(
                each.name for each in group() if each.attached),
            "session_marked": lambda: "0",
            "session_format": lambda: _flag(kind == "session"),
            "active_window_index": lambda: str(session.current_index),
            "last_window_index": lambda: str(max(session.windows, default=0)),
            "session_context_tokens": lambda: str(sum(
                server.ai.context_tokens(p.id) for w in session.windows.values()
                for p in w.panes.values())),
        }
        getter = values.get(name)
        return getter() if getter else None

    def active_sessions() -> list[Session]:
        """The sessions whose current window is this one (through any link)."""
        assert window is not None
        return [each for each, place in winlinks.places(server.engine.registry, window.id)
                if place.index == each.current_index]

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
            # tmux escapes the activity flag's '#' here (window_raw_flags keeps it)
            "window_flags": lambda: window_flags(session, window).replace("#", "##"),
            "window_attention": lambda: window_attention(window),
            "window_attention_flag": lambda: _flag(
                window_attention(window) in ("waiting", "error")),
            "window_raw_flags": lambda: window_flags(session, window),
            "window_width": lambda: str(layout.width),
            "window_height": lambda: str(layout.height),
            "window_activity_flag": lambda: _flag(window.activity_flag),
            "window_created": lambda: str(int(window.created)),
            "window_activity": lambda: str(int(window.activity)),
            "window_stack_index": lambda: str(window_stack_index(session, window)),
            "window_linked": lambda: _flag(session_groups.is_linked(
                server.engine.registry, session, window.id)),
            "window_linked_sessions": lambda: str(
                len(winlinks.places(server.engine.registry, window.id))),
            "window_linked_sessions_list": lambda: ",".join(
                linked.name for linked, _ in winlinks.places(server.engine.registry, window.id)),
            "window_active_sessions": lambda: str(len(active_sessions())),
            "window_active_sessions_list": lambda: ",".join(
                each.name for each in active_sessions()),
            "window_active_clients": lambda: str(
                sum(each.attached for each in active_sessions())),
            "window_bell_flag": lambda: _flag(window.bell_flag),
            "window_silence_flag": lambda: _flag(window.silence_flag),
            "window_marked_flag": lambda: "0",
            "window_start_flag": lambda: _flag(window.index == min(session.windows)),
            "window_end_flag": lambda: _flag(window.index == max(session.windows)),
            "window_cell_width": lambda: "16",
            "window_cell_height": lambda: "32",
            "window_format": lambda: _flag(kind == "window"),
        }
        getter = values.get(name)
        return getter() if getter else None

    def pane_vars(name: str) -> str | None:
        if pane is None or window is None:
            return None
        emulator = pane.emulator
        geometry = server.engine.pane_cells(window).get(pane.id)

        def edges() -> tuple[bool, bool, bool, bool]:
            """(top, bottom, left, right): whether the pane touches each window edge."""
            if geometry is None:
                return (False, False, False, False)
            status = server.engine.border_status(window)
            top = geometry.y == (1 if status == "top" else 0)
            bottom = geometry.y + geometry.height == window.layout.height - \
                (1 if status == "bottom" else 0)
            return (top, bottom, geometry.x == 0,
                    geometry.x + geometry.width == window.layout.width)

        def state() -> TerminalState:
            return emulator.terminal_state()

        def saved_cursor(axis: int) -> str:
            saved = state().alternate_saved
            return str(saved[axis]) if saved is not None else str(2**32 - 1)

        def pane_style() -> Style:
            return window_style(server.engine.options, window, pane)
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
            "pane_tty": lambda: pane.backend.tty_name(),
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
            "pane_in_mode": lambda: str(len(pane_modes.modes(pane))),
            "pane_mode": lambda: pane_modes.top(pane),
            "pane_input_off": lambda: _flag(pane.input_off),
            "pane_synchronized": lambda: _flag(server.engine.options.flag(
                "synchronize-panes", f"%{pane.id}", f"@{window.id}")),
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
            "pane_at_top": lambda: _flag(edges()[0]),
            "pane_at_bottom": lambda: _flag(edges()[1]),
            "pane_at_left": lambda: _flag(edges()[2]),
            "pane_at_right": lambda: _flag(edges()[3]),
            "pane_format": lambda: _flag(kind == "pane"),
            "pane_marked": lambda: _flag(server.engine.marked_pane == pane.id),
            "pane_marked_set": lambda: _flag(server.engine.marked_pane is not None),
            "pane_pipe": lambda: _flag(server.engine.pipes.is_piped(pane.id)),
            "pane_fg": lambda: colour_name(pane_style().fg),
            "pane_bg": lambda: colour_name(pane_style().bg),
            "pane_tabs": lambda: ",".join(map(str, state().tab_stops)),
            "pane_dead_time": lambda: (str(int(pane.exit.at)) if pane.exit else ""),
            "cursor_character": lambda: state().cursor_character,
            "scroll_region_upper": lambda: str(state().scroll_upper),
            "scroll_region_lower": lambda: str(state().scroll_lower),
            "insert_flag": lambda: _flag(state().insert),
            "keypad_flag": lambda: _flag(emulator.app_keypad),
            "origin_flag": lambda: _flag(state().origin),
            "wrap_flag": lambda: _flag(state().wrap),
            "mouse_standard_flag": lambda: _flag(emulator.mouse_mode in (1000, 1002, 1003)),
            "mouse_button_flag": lambda: _flag(emulator.mouse_mode == 1002),
            "mouse_all_flag": lambda: _flag(emulator.mouse_mode == 1003),
            "mouse_utf8_flag": lambda: "0",
            "alternate_saved_x": lambda: saved_cursor(0),
            "alternate_saved_y": lambda: saved_cursor(1),
        }
        getter = values.get(name)
        if getter is None and name in COPY_MODE_VARIABLES:
            return copy_mode_value(pane, name)
        return getter() if getter else None

    def newest_buffer(field: int) -> str:
        """The newest paste buffer's name, size or sample (tmux adds them to every
        format, for choose-buffer)."""
        if not server.buffers.items:
            return ""
        name, text = server.buffers.items[0]
        return (name, str(len(text.encode("utf-8"))), buffer_sample(text))[field]

    def server_vars(name: str) -> str | None:
        values: dict[str, Callable[[], str]] = {
            "socket_path": lambda: str(server.socket_path),
            "pid": lambda: str(os.getpid()),
            "version": version_string,
            "host": socket.gethostname,
            "host_short": lambda: socket.gethostname().split(".")[0],
            "client_termtype": lambda: "",
            "start_time": lambda: str(int(server.engine.started)),
            "uid": lambda: str(os.getuid()),
            "user": _user_name,
            "next_session_id": lambda: f"${server.engine.registry.peek_session_id()}",
            "config_files": lambda: ",".join(loaded_config_files(server)),
            "buffer_mode_format": lambda: BUFFER_MODE_FORMAT,
            "client_mode_format": lambda: CLIENT_MODE_FORMAT,
            "tree_mode_format": lambda: TREE_MODE_FORMAT,
            "buffer_name": lambda: newest_buffer(0),
            "buffer_size": lambda: newest_buffer(1),
            "buffer_sample": lambda: newest_buffer(2),
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

    return FormatScope(lookup, server, session, window, pane, jobs)


class FormatScope:
    """A format lookup bound to a (session, window, pane), with what the loop, search and
    job modifiers need (see :mod:`formats`)."""

    def __init__(self, lookup: Callable[[str], str | None], server: FormatSources,
                 session: Session | None, window: Window | None, pane: Pane | None,
                 jobs: JobRunner | None) -> None:
        self._lookup = lookup
        self.server = server
        self.session, self.window, self.pane = session, window, pane
        self.jobs = jobs

    def __call__(self, name: str) -> str | None:
        return self._lookup(name)

    def loop(self, kind: str) -> list[tuple[FormatScope, bool]] | None:
        """Child scopes for ``S:`` (every session), ``W:`` (the session's windows) and
        ``P:`` (the window's panes), each with whether it is the current one."""
        server, session, window, jobs = self.server, self.session, self.window, self.jobs
        if kind == "S":
            return [(format_lookup(server, each, None, None, jobs=jobs), each is session)
                    for each in server.engine.registry.ordered_sessions()]
        if kind == "W":
            if session is None:
                return None
            return [(format_lookup(server, session, each, None, jobs=jobs),
                     each.index == session.current_index)
                    for each in session.ordered_windows()]
        if window is None:
            return None
        return [(format_lookup(server, session, window, each, jobs=jobs),
                 each.id == window.active_pane) for each in window.ordered_panes()]

    def name_exists(self, kind: str, name: str) -> bool | None:
        """``N/s``: a session of that name exists; ``N``: a window of the session has it
        (None without a session)."""
        if kind == "session":
            return self.server.engine.registry.session_by_name(name) is not None
        if self.session is None:
            return None
        return any(window.display_name() == name for window in self.session.windows.values())

    def search(self, term: str, regex: bool, ignore_case: bool) -> int:
        """``C:``: the first line of the pane's screen that matches, plus one; 0 if none."""
        if self.pane is None:
            return 0
        return search_lines(self.pane.emulator.display(), term, regex, ignore_case)

    def job(self, command: str) -> str:
        """``#(command)``: its cached output for a status line; "" elsewhere, as tmux's
        ``display-message`` gives (a command client never waits for a job)."""
        return self.jobs.output(command) if self.jobs is not None else ""

