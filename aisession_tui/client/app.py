"""The ai-session client: a Textual app attached to one session of a server.

``MultiplexerApp`` owns the client's lifecycle and the server's notifications: it connects
with ``cli.async_client.open_client``, sends ``attach`` and then mirrors the server's
notifications (``session`` -> window layout and status line, ``screen`` -> dirty rows of
pane views, ``message`` -> status line, ``keys`` -> key tables, ``closed`` -> exit). The
side panel is fed live too: ``record`` / ``context`` notifications and ``panel.state``
replies (asked when the focused pane changes) for the AI panels, and a ``bus.subscribe``
on the same connection for the bus panel and the agents' states in the status line.

What the user does goes to the client's parts, each in its own module: keys to
:class:`~aisession_tui.client.key_routing.KeyRouter` (tmux's tables, held keys), bindings'
actions to :class:`~aisession_tui.client.actions.ClientActions` (dispatched where the action
registry says they run: client, copy mode or server), copy mode to
:class:`~aisession_tui.client.copy_mode.CopyModeCommands`, the mouse to
:class:`~aisession_tui.client.mouse.MouseRouter`. The app's Textual handlers only hand
events to them.

Invariants: the app never draws a pane from anything but the server's screens; every
server command's stderr appears in the status line; the size sent with ``attach`` and
``resize`` is the window area (terminal minus status line minus side panel).
"""

from __future__ import annotations

import asyncio
import base64
import gc
import json
import os
import signal
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, cast

from textual import events
from textual.app import App, ComposeResult
from textual.containers import Container, Horizontal
from textual.driver import Driver
from textual.geometry import Offset
from textual.screen import Screen
from textual.timer import Timer

from aisession_tui.cli.async_client import AsyncClient, open_client
from aisession_tui.cli.client import ClientError
from aisession_tui.client.choosers import MODES as CHOOSER_MODES
from aisession_tui.client.choosers import follow_mode, keys_changed, mode_keys, swallow_echo
from aisession_tui.client.clock_mode import CLOCK_MODE, hide_clock, show_clock
from aisession_tui.client.view_mode import VIEW_MODE, show_view, view_version
from aisession_tui.config import Config, config_dir
from aisession_tui.config_convert import migrate_user_config
from aisession_tui.keymaps import (
    DEFAULT_PREFIX,
    Keymap,
    load_keymap_or_default,
)
from aisession_tui.keymaps.convert import migrate_user_keymap
from aisession_tui.keymaps.mouse_keys import with_mouse
from aisession_tui.keymaps.server_tables import key_options, keymap_from_server
from aisession_tui.protocol import messages
from aisession_tui.terminal.keys import (
    tmux_key_to_textual,
)
from aisession_tui.themes import BASE_THEME, css_variables, legacy_theme_notice
from aisession_tui.widgets.overlays import (
    Overlay,
)
from aisession_tui.widgets.pane_view import PaneView
from aisession_tui.widgets.panel_format import TimeFormat
from aisession_tui.widgets.prompt import PromptBar
from aisession_tui.widgets.side_panel import PANE_INFO_FORMAT, SidePanel
from aisession_tui.widgets.status_bar import StatusBar
from aisession_tui.widgets.window_view import WindowView

from .actions import ClientActions
from .copy_mode import CopyModeCommands
from .key_routing import KeyRouter
from .mouse import MouseRouter
from .panel_fit import (
    HIDDEN_NOTICE,
    current_window,
    panel_columns,
    panel_fits,
    panel_settings,
)

BUS_HISTORY = 200
"""Bus messages shown when the client attaches."""


@dataclass
class AppOptions:
    """What the app is attached to and how it behaves (tests pass their own)."""

    socket_path: Path
    target: str | None = None
    start_server: bool = False
    config: Config = field(default_factory=Config)
    keymap: Keymap | None = None
    notices: list[str] = field(default_factory=list)
    display_panes_time: float = 1.0
    """Seconds the display-panes numbers stay (tmux's display-panes-time)."""
    cwd: str = field(default_factory=os.getcwd)
    env: dict[str, str] = field(default_factory=lambda: dict(os.environ))
    times: TimeFormat = field(default_factory=TimeFormat)
    """How panels print times and durations (tests fix them)."""
    converted_sources: list[Path] = field(default_factory=list)
    """A keymap.toml converted at this start: the server sources it once attached."""
    flags: str = ""
    """tmux's client flags for the attach (``attach -f``, ``-r``)."""
    start_directory: str = ""
    """``attach -c``: the session's new start directory (a format), "" to keep it."""
    client_pid: int = field(default_factory=os.getpid)
    """The process the user ran to attach (``#{client_pid}``; a renderer is told it)."""
    ticket: str = ""
    """The thin client's name for this attach (its ``paint`` requests carried it): the
    server refuses the attach as detached when the session's clients were detached
    while it was on its way ("": not named)."""


def load_options(socket_path: Path, target: str | None, *, start_server: bool = False
                 ) -> AppOptions:
    """The client's options: tmux's defaults until the server sends its own; an old
    config.toml or keymap.toml is converted to tmux's language once (config.py,
    keymaps/convert.py), every problem a notice."""
    config = Config(stated=frozenset())  # the server's options are the truth
    notices: list[str] = []
    sources = []
    for migration in (migrate_user_config(config_dir()), migrate_user_keymap(config_dir())):
        notices.extend(migration.messages)
        if migration.source is not None:
            sources.append(migration.source)
    keymap, problem = load_keymap_or_default(None, config.prefix)
    if problem:
        notices.append(problem)
    options = AppOptions(socket_path, target, start_server, config, keymap, notices)
    options.converted_sources = sources
    return options


def terminal_name() -> str:
    """The client's terminal device (tmux names a client by it), "" without one."""
    try:
        return os.ttyname(sys.stdin.fileno()) if sys.stdin.isatty() else ""
    except (OSError, ValueError):
        return ""


def settle_garbage_collector() -> None:
    """Once attached, freeze what start-up built so collections never scan it again.

    A full collection used to walk the whole Textual DOM and stall the screen for 25-65 ms
    under a flood (measured with ``gc.callbacks`` in the key-to-screen benchmark); with
    start-up's objects frozen those passes take a few milliseconds. The thresholds stay
    Python's: raising them made young collections longer, not rarer in effect.
    """
    gc.collect()
    gc.freeze()


class BlankRow(Horizontal):
    """A row of children with nothing of its own to draw (Textual's ``BLANK``): the pane
    area is covered by the window's canvas, so the compositor takes a plain blank strip
    from it on every frame instead of styling each line."""

    BLANK = True


class BlankArea(Container):
    """A container with nothing of its own to draw (see :class:`BlankRow`)."""

    BLANK = True


class MultiplexerScreen(Screen[None], inherit_bindings=False):
    """The one screen: no focus-cycling or copy bindings. The app routes keys as it reads
    them; a key reaches the screen only by bubbling up from a focused side panel, and goes
    to the router when the panel lost the focus meanwhile."""

    AUTO_FOCUS = None

    def on_key(self, event: events.Key) -> None:
        app = self.app
        if isinstance(app, MultiplexerApp) and not app.prompt.is_open and \
                app.overlay is None and not app.panel_has_focus():
            event.stop()
            event.prevent_default()
            app.keys.route_key(event)

    def on_paste(self, event: events.Paste) -> None:
        app = self.app
        if isinstance(app, MultiplexerApp):
            event.stop()
            app.keys.paste(event.text)


class MultiplexerApp(App[str], inherit_bindings=False):
    """The attached client."""

    actions_class: type[ClientActions] = ClientActions
    """Runs this app's actions (a subclass may handle more of them itself)."""
    ENABLE_COMMAND_PALETTE = False
    AUTO_FOCUS = None
    CSS = """
    Screen {
        layout: vertical;
        background: $background;
    }
    #body {
        height: 1fr;
    }
    #main {
        width: 1fr;
        height: 1fr;
    }
    """

    def __init__(self, options: AppOptions) -> None:
        super().__init__()
        self.options = options
        self.config = options.config
        self.keymap = options.keymap or load_keymap_or_default(None, self.config.prefix)[0]
        self.local_keymap = self.keymap
        """The client's own tables: its mouse and client-only bindings stay when the
        server's tables arrive (``keys``)."""
        self.prefix_key: str | None = tmux_key_to_textual(self.keymap.prefix)
        """The prefix as Textual names the key (None: the ``prefix`` option is None)."""
        self.prefix2: str | None = None
        """The ``prefix2`` option's key (tmux's name), None when unset."""
        self.prefix2_key: str | None = None
        """``prefix2`` as Textual names the key."""
        theme_notice = legacy_theme_notice(
            self.config.theme if self.config.states("theme") else None,
            config_dir() / "themes")
        if theme_notice:
            options.notices.append(theme_notice)
        self.register_theme(BASE_THEME)
        self.theme = BASE_THEME.name
        self.client: AsyncClient | None = None
        self.session: messages.SessionMessage | dict[str, Any] = {}
        self.window_view = WindowView(id="window")
        self.status = StatusBar(id="status")
        self.prompt = PromptBar(id="prompt")
        self.side_panel = SidePanel(times=options.times, id="panel")
        self.agents: dict[str, dict[str, Any]] = {}
        """Bus agents by name, as ``bus.agent`` events and ``agent list`` tell."""
        self.side_panel.styles.width = self.panel_width()
        self.overlay: Overlay | None = None
        self.server_modes: dict[int, str] = {}
        self.clock_timer: Timer | None = None
        """Redraws clock faces when the minute changes (:mod:`.clock_mode`)."""
        """Each shown pane's mode as the server last reported it (``follow_pane_modes``)."""
        self.message_log: list[str] = []
        self.exit_message = ""
        self._sent_size: tuple[int, int] | None = None
        self._terminal_cursor: int | None = None
        """The cursor shape last shown in the terminal, None while it is hidden."""
        self.attached = asyncio.Event()
        self.keys = KeyRouter(self)
        """Routes every key (:mod:`aisession_tui.client.key_routing`)."""
        self.actions = self.actions_class(self)
        """Runs bindings' actions (:mod:`aisession_tui.client.actions`)."""
        self.copy = CopyModeCommands(self)
        """Copy mode on the panes (:mod:`aisession_tui.client.copy_mode`)."""
        self.mouse = MouseRouter(self)
        """Clicks, drags and the wheel (:mod:`aisession_tui.client.mouse`)."""

    # ------------------------------------------------------------------ layout
    def get_theme_variable_defaults(self) -> dict[str, str]:
        return css_variables()

    def get_css_variables(self) -> dict[str, str]:
        """Textual's variables plus ``$status-bg``... from the session's style options."""
        options: dict[str, str] = getattr(self, "_style_options", {})  # none before __init__
        variables = {**super().get_css_variables(), **css_variables(options)}
        self.theme_variables = variables
        return variables

    def follow_style_options(self, session: messages.SessionMessage) -> None:
        """Restyle the CSS-drawn widgets when the session's style options change."""
        status: dict[str, Any] = dict(session.get("status") or {})
        window: dict[str, Any] = dict(next(
            (w for w in session.get("windows", []) if w.get("active")), {}))
        options = {name: str(value) for name, value in (
            ("status-style", status.get("style")), ("message-style", status.get("message_style")),
            ("message-command-style", status.get("message_command_style")),
            ("mode-style", status.get("mode_style")),
            ("pane-border-style", window.get("border_style")),
            ("pane-active-border-style", window.get("active_border_style"))) if value}
        previous: dict[str, str] = getattr(self, "_style_options", {})
        if options != previous:
            self._style_options = options
            """The session's style options behind the CSS variables (``css_variables``)."""
            if css_variables(options) != css_variables(previous):  # not just spelled anew
                self.refresh_css(animate=False)

    def get_driver_class(self) -> type[Driver]:
        """Textual's driver for this platform, or on Linux the one sized as tmux sizes a
        client (:mod:`aisession_tui.client.terminal_driver`: a 0x0 terminal is 80x24)."""
        from textual.drivers.linux_driver import LinuxDriver

        from aisession_tui.client.terminal_driver import TerminalDriver

        found = super().get_driver_class()
        return TerminalDriver if found is LinuxDriver else found

    def get_default_screen(self) -> Screen[None]:
        return MultiplexerScreen()

    def compose(self) -> ComposeResult:
        top = self.config.status_position == "top"
        if top:
            yield self.status
            yield self.prompt
        with BlankRow(id="body"):
            with BlankArea(id="main"):
                yield self.window_view
            yield self.side_panel
        if not top:
            yield self.status
            yield self.prompt

    def panel_width(self, terminal_columns: int | None = None) -> int:
        """The side panel's width in cells for a terminal this wide (default: the app's)."""
        config = self.config
        columns = terminal_columns if terminal_columns is not None else self.size.width
        return panel_columns(config.side_panel_width, columns, config.side_panel_min,
                             config.side_panel_max)

    def window_area(self, terminal: tuple[int, int] | None = None) -> tuple[int, int]:
        """Columns and lines the panes get: the terminal (``terminal``, else the app's
        size) minus the status line and panel."""
        width, height = terminal if terminal is not None else self.size
        if self.side_panel.display:
            width -= self.panel_width(width)
        return max(1, width), max(1, height - self.status.lines_taken())

    # -------------------------------------------------------------- lifecycle
    async def on_mount(self) -> None:
        if self.uses_terminal_colours:
            self.ansi_color = True  # no ANSI-to-truecolor filter: indexes reach the terminal
        for notice in self.options.notices:
            self.show_message(notice, error=True)  # kept for show-messages (C-b ~)
        self.run_worker(self.connect(), exclusive=True, group="connect")

    async def connect(self) -> None:
        """Connect, attach and watch for the server going away."""
        try:
            if self.client is None:  # (a spare renderer connects before its client comes)
                self.client = await open_client(self.options.socket_path,
                                                start=self.options.start_server,
                                                on_notification=self.on_server_notification)
            if self.config.states("status_right"):  # config.toml's, as tmux.conf's would be
                await self.server_command(["set-option", "-g", "status-right",
                                           self.config.status_right], quiet=True)
            columns, lines = self.window_area()
            self._sent_size = (columns, lines)
            params: messages.AttachParams = {
                "target": self.options.target, "columns": columns, "lines": lines,
                "flags": self.options.flags, "tty": terminal_name(),
                "pid": self.options.client_pid,
                "start_directory": self.options.start_directory,
                "termname": self.options.env.get("TERM", ""),
                "status_lines": self.status.lines_taken()}
            if self.options.ticket:
                params["ticket"] = self.options.ticket
            result = await self.client.request(messages.ATTACH, dict(params))
        except ClientError as exc:
            self.exit(return_code=1, message=str(exc))
            return
        if isinstance(result, dict) and result.get("detached"):  # detached on its way
            self.exit(message=f"[detached (from session {result.get('session', '')})]")
            return
        if isinstance(result, dict) and isinstance(result.get("lines"), int):
            # the area the server gave for the session's real status line: the one this
            # app has once the session's options are here (no resize to send then)
            self._sent_size = (int(result.get("columns", columns)), result["lines"])
        for source in self.options.converted_sources:  # converted this start: load now
            await self.server_command(["source-file", str(source)])
        if self.config.states("mode_keys"):  # config.toml's line, as tmux.conf's would be
            await self.server_command(["set-option", "-g", "mode-keys", self.config.mode_keys])
        self.attached.set()
        settle_garbage_collector()
        self.run_worker(self.subscribe_bus(), group="bus")
        await self.client.closed.wait()
        if not self.exit_message:
            self.exit(return_code=1, message="[lost server]")

    def exit(self, result: str | None = None, return_code: int = 0,
             message: Any = None) -> None:
        if message is not None and not self.exit_message:
            self.exit_message = str(message)
        super().exit(result if result is not None else self.exit_message, return_code)

    async def on_unmount(self) -> None:
        if self._terminal_cursor and self._driver is not None:
            self._driver.write("\x1b[0 q")  # the terminal's own cursor shape again
        gc.unfreeze()  # a process that runs apps one after another (tests) frees each one
        if self.client is not None:
            await self.client.close()

    def on_resize(self, event: events.Resize) -> None:
        # A subclass's handler runs before App._on_resize records the new size: take the
        # event's, or the server would keep the old size until the next resize.
        self.side_panel.styles.width = self.panel_width(event.size.width)
        if self.side_panel.display and not panel_fits(
                event.size.width, self.panel_width(event.size.width),
                current_window(self.session)):
            self.side_panel.display = False  # the panes would be too narrow
            self.show_message(HIDDEN_NOTICE)
        self.send_size(tuple(event.size))

    def follow_panel_options(self, status: messages.StatusLine | None) -> None:
        """The side panel's size from the ``@side-panel-width``/``-min``/``-max`` user
        options (ai-session's own settings, set in tmux's language); a value that is not
        valid leaves the setting as it was."""
        wanted = panel_settings((status or {}).get("panel") or {}, self.config)
        current = (self.config.side_panel_width, self.config.side_panel_min,
                   self.config.side_panel_max)
        if wanted != current:
            (self.config.side_panel_width, self.config.side_panel_min,
             self.config.side_panel_max) = wanted
            self.side_panel.styles.width = self.panel_width()
            self.send_size()  # the panes get what the panel no longer takes (or gives)

    def send_size(self, terminal: tuple[int, int] | None = None) -> None:
        """Tell the server the window area when it changed."""
        size = self.window_area(terminal)
        if self.client is not None and self.attached.is_set() and size != self._sent_size:
            self._sent_size = size
            self.client.send_nowait(messages.RESIZE, {"columns": size[0], "lines": size[1]})

    # ---------------------------------------------------------- notifications
    def on_server_notification(self, method: str, params: dict[str, Any]) -> None:
        """Apply one server notification (runs on the app's event loop)."""
        if method == messages.SCREEN:
            view = self.window_view.panes.get(params.get("pane", -1))
            if view is not None:
                view.apply_screen(cast(messages.ScreenMessage, params))
        elif method == messages.SESSION:
            self.apply_session(cast(messages.SessionMessage, params))
        elif method == messages.KEYS:
            self.apply_keys(params)
            keys_changed(self.actions)  # customize-mode lists the bindings
        elif method == messages.KEY_TABLE:
            self.keys.set_key_table(str(params.get("table", "")))
        elif method == messages.CLIENT_FLAGS:
            self.keys.read_only = bool(params.get("read_only"))
        elif method == messages.MESSAGE:
            delay = params.get("delay")  # ms (display-time, or display-message -d); 0: a key
            self.show_message(str(params.get("text", "")),
                              seconds=None if delay is None else delay / 1000,
                              ignore_keys=bool(params.get("no_dismiss")))
        elif method == messages.CLOSED:
            self.exit(message="[exited]")
        elif method == messages.DETACHED:
            name = params.get("session") or self.session.get("name", "")
            self.exit(message=f"[detached (from session {name})]")
        elif method == messages.POPUP:
            from aisession_tui.client.popup import apply_popup

            apply_popup(self, params)
        elif method == messages.DISPLAY_PANES:
            self.call_later(self.actions.display_panes,
                            [str(word) for word in params.get("args") or []])
        elif method == messages.MENU:  # (keys and the mouse wait until it is shown)
            self.keys.hold_keys()
            self.call_later(self.actions.show_menu_holding, cast(messages.MenuMessage, params))
        elif method == messages.BELL:
            self.bell()  # the terminal's own bell, as tmux passes it on
        elif method == messages.SET_SELECTION:
            self.copy_to_clipboard(str(params.get("text", "")))
        elif method == messages.CLIENT_COMMAND:
            argv = [str(word) for word in params.get("argv") or []]
            if not argv or swallow_echo(self.actions, argv):
                pass
            elif argv[0] in CHOOSER_MODES:
                # keys typed from now on are the chooser's, as in tmux's mode at once
                self.keys.run_holding_keys(self.actions.run_client_command(argv))
            else:
                self.call_later(self.actions.run_client_command, argv, params.get("wait"))
        elif method == messages.MODE_KEYS:
            mode_keys(self.actions, int(params.get("pane", -1)),
                      [str(key) for key in params.get("keys") or []])
        elif method in (messages.LOCK, messages.SUSPEND):
            self.call_later(self.give_up_terminal, str(params.get("command", "")))
        elif method == messages.CONTEXT:
            self.side_panel.apply_context(cast(messages.ContextMessage, params))
        elif method == messages.RECORD:
            self.side_panel.apply_record(cast(messages.RecordMessage, params))
        elif method == "bus.message":
            self.side_panel.add_bus_message(params.get("message") or {})
        elif method == "bus.agent":
            agent = params.get("agent") or {}
            if agent.get("removed"):
                self.agents.pop(str(agent.get("name")), None)
            elif agent.get("name"):
                self.agents[str(agent["name"])] = agent
            self.show_agents()
        elif method == "bus.task":
            self.run_worker(self.refresh_agents, group="agents", exclusive=True)

    async def give_up_terminal(self, lock_command: str) -> None:
        """lock-* (``lock_command`` set) or suspend-client: hand the terminal to the lock
        command until it ends, or stop this process (SIGTSTP) until it is continued, as
        tmux's client does; then ask the server for everything again (``resume``)."""
        import subprocess

        try:
            with self.suspend():
                if lock_command:
                    subprocess.run(lock_command, shell=True, check=False)
                else:
                    os.kill(os.getpid(), signal.SIGTSTP)
        except Exception as exc:  # noqa: BLE001 - e.g. no terminal to give up (headless)
            self.show_message(f"{'lock' if lock_command else 'suspend'}: {exc}", error=True)
        if self.client is not None:
            try:
                await self.client.request(messages.RESUME, {})
            except ClientError as exc:
                self.show_message(str(exc), error=True)

    def apply_session(self, session: messages.SessionMessage) -> None:
        """A new structure: status line, current window, panel."""
        self.session = session
        windows = session.get("windows", [])
        current = next((w for w in windows if w.get("active")), windows[0] if windows else None)
        before = (self.status.status or {}).get("mode_style")
        self.status.set_session(session.get("name", ""), windows, session.get("status"))
        self.follow_style_options(session)
        self.follow_panel_options(session.get("status"))
        if (self.status.status or {}).get("mode_style") != before:
            for view in self.window_view.panes.values():  # mode-style changed: restyle
                view.notify_style_update()
        self.send_size()  # the status option may have changed the lines the panes get
        if current is not None:
            self.window_view.apply_window(current)
        panes = current.get("panes", []) if current is not None else []
        self.follow_pane_modes(panes)
        self.side_panel.focus_pane(next((p["id"] for p in panes if p.get("active")), None))
        if self.side_panel.display:
            self.call_later(self.refresh_panel)

    def follow_pane_modes(self, panes: list[dict[str, Any]]) -> None:
        """Copy mode is the pane's, on the server (``#{pane_in_mode}``): when it is entered
        or left elsewhere (a script's ``copy-mode``, ``send-keys q``, another client), this
        client's copy-mode view of the pane opens or closes with it."""
        for entry in panes:
            pane_id, mode = entry.get("id"), str(entry.get("mode", ""))
            if not isinstance(pane_id, int):
                continue
            before = self.server_modes.get(pane_id, "")
            self.server_modes[pane_id] = mode
            follow_mode(self.actions, pane_id, mode)  # a chooser a script opened
            view = self.window_view.panes.get(pane_id)
            if view is not None and mode == VIEW_MODE:  # run-shell's output
                version = int(entry.get("view", 0))
                if view_version(view) != version:
                    self.call_later(show_view, self, view, version)
                continue
            if mode == before or view is None:
                continue
            if before == CLOCK_MODE:
                hide_clock(view)
            if mode == CLOCK_MODE:
                self.call_later(show_clock, self, view)
            elif mode == "copy-mode" and (view.copy_mode is None or before == VIEW_MODE):
                self.call_later(self.copy.enter, view)
            elif before in ("copy-mode", VIEW_MODE) and view.copy_mode is not None:
                view.copy_mode = None
                view.repaint()


    async def refresh_panel(self) -> None:
        """Fill the shown side panel: the pane's facts, or its AI state when never fetched."""
        panel = self.side_panel
        if not panel.display:
            return
        if panel.section not in ("context", "parsed", "bus"):
            panel.show_pane_info(await self.expand(PANE_INFO_FORMAT))
        elif panel.needs_state() and self.client is not None:
            try:
                state = await self.client.request(messages.PANEL_STATE,
                                                  {"pane": panel.pane_id})
            except ClientError as exc:
                self.show_message(str(exc), error=True)
                return
            panel.apply_state(state)

    def panel_has_focus(self) -> bool:
        """True while a side panel widget has the keyboard (after a click on it)."""
        focused = self.focused
        return focused is not None and self.side_panel in focused.ancestors_with_self

    async def subscribe_bus(self) -> None:
        """Follow the message bus on this connection: recent history, then live."""
        if self.client is None:
            return
        try:
            result = await self.client.request("bus.subscribe", {
                "history": BUS_HISTORY, "events": True})
        except ClientError as exc:
            self.show_message(f"message bus: {exc}", error=True)
            return
        for message in result.get("history", []):
            self.side_panel.add_bus_message(message)
        self.agents = {agent["name"]: agent for agent in result.get("agents", [])}
        self.show_agents()

    async def refresh_agents(self) -> None:
        """Re-read the agents' states (a task changed who is busy)."""
        result = await self.server_command(["agent", "list", "--json"], quiet=True)
        if result.get("exit_code") == 0:
            agents = json.loads(str(result.get("stdout") or "[]"))
            self.agents = {agent["name"]: agent for agent in agents}
            self.show_agents()

    def show_agents(self) -> None:
        """Agents and their states in the status line."""
        self.status.set_agents([(name, str(agent.get("status", "?")))
                                for name, agent in self.agents.items()])

    # ------------------------------------------------------------ server calls
    async def server_command(self, argv: list[str], *, quiet: bool = False) -> dict[str, Any]:
        """Run a registered command; stderr goes to the status line."""
        if self.client is None:
            return {"stdout": "", "stderr": "not attached", "exit_code": 1}
        try:
            result = await self.client.request("command", with_mouse({
                "argv": argv, "cwd": self.options.cwd, "env": self.options.env}))
        except ClientError as exc:
            result = {"stdout": "", "stderr": str(exc), "exit_code": 1}
        stderr = str(result.get("stderr", "")).strip()
        if stderr and not quiet:
            self.show_message(stderr.splitlines()[0], error=True)
        return result

    async def expand(self, template: str) -> str:
        """A tmux format expanded by the server for the current pane."""
        if "#" not in template:
            return template
        result = await self.server_command(["display-message", "-p", "--", template],
                                           quiet=True)
        return str(result.get("stdout", "")).rstrip("\n")

    def show_message(self, text: str, *, error: bool = False,
                     seconds: float | None = None, ignore_keys: bool = False) -> None:
        """Show text in the status line (``seconds``: how long, 0 until a key; None: the
        client's own default; ``ignore_keys``: display-message -N) and keep it in the
        message log."""
        self.message_log.append(time.strftime("%H:%M:%S ") + text)
        del self.message_log[:-100]
        if seconds is None:
            self.status.show_message(text, error=error, ignore_keys=ignore_keys)
        else:
            self.status.show_message(text, error=error, seconds=seconds,
                                     ignore_keys=ignore_keys)

    def send_bytes(self, pane_id: int, data: bytes) -> None:
        """Write bytes to a pane's child."""
        if self.client is None or not data:
            return
        try:
            params: dict[str, Any] = {"pane": pane_id, "data": data.decode("utf-8")}
        except UnicodeDecodeError:
            params = {"pane": pane_id, "data_b64": base64.b64encode(data).decode("ascii")}
        self.client.send_nowait(messages.INPUT, params)

    def active_view(self) -> PaneView | None:
        """The active pane's view."""
        return self.window_view.active_pane()

    # ------------------------------------------------------------ the cursor
    @property
    def uses_terminal_cursor(self) -> bool:
        """The active pane's cursor is the terminal's cursor (not in headless runs, where
        the pane view draws it so tests and snapshots see it)."""
        return not self.is_headless

    @property
    def uses_terminal_colours(self) -> bool:
        """Panes and borders use the terminal's palette and default colours, as tmux does
        (not in headless runs, whose output must not depend on a terminal)."""
        return not self.is_headless

    def sync_terminal_cursor(self) -> None:
        """Show the terminal's cursor where the active pane's child has it, in the shape it
        chose (DECSCUSR), or hide it: the child hid it, copy mode, a prompt or a list is up.

        Textual moves the cursor to ``cursor_position`` after every frame; visibility and
        shape are written only when they change. Called while the active pane renders and
        when a prompt or a list opens or closes.
        """
        if not self.uses_terminal_cursor or self._driver is None:
            return
        view = self.active_view()
        info = self.window_view.pane_info(view.pane_id) if view is not None else None
        shape: int | None = None
        from aisession_tui.client.popup import popup_cursor

        popup = popup_cursor(self)  # an open popup has the cursor, as tmux's does
        if popup is not None:
            if popup[0] >= 0:
                self.cursor_position = Offset(*popup)
                shape = 0
        elif (view is not None and info is not None and view.cursor_visible
                and view.copy_mode is None and view.face is None and self.overlay is None
                and not self.prompt.is_open and self.window_view.display):
            x, y = view.cursor
            if 0 <= x < info["width"] and 0 <= y < info["height"]:
                area = self.window_view.region
                self.cursor_position = Offset(area.x + info["x"] + x, area.y + info["y"] + y)
                shape = view.cursor_shape
        if shape != self._terminal_cursor:
            self._terminal_cursor = shape
            self._driver.write("\x1b[?25l" if shape is None else f"\x1b[{shape} q\x1b[?25h")

    # --------------------------------------------------------- input, routed
    async def on_event(self, event: events.Event) -> None:
        """Keys from the terminal go to the key router in the order read
        (:mod:`aisession_tui.client.key_routing`); other events to Textual."""
        if isinstance(event, events.Key) and not event.is_forwarded:
            await self.keys.read(event)
            return
        await super().on_event(event)

    async def textual_event(self, event: events.Event) -> None:
        """Textual's own handling of ``event`` (a key for a focused side panel)."""
        await super().on_event(event)

    def apply_keys(self, params: dict[str, Any]) -> None:
        """The server's key tables and key options (at attach and after every change)."""
        self.keymap = keymap_from_server(self.local_keymap, params)
        options = key_options(params)
        prefix = options.prefix
        if self.local_keymap.prefix != DEFAULT_PREFIX:  # the client's own (TOML) prefix
            prefix = self.keymap.prefix = self.local_keymap.prefix
        self.prefix_key = tmux_key_to_textual(prefix) if prefix else None
        self.prefix2 = options.prefix2
        self.prefix2_key = tmux_key_to_textual(options.prefix2) if options.prefix2 else None
        self.config.repeat_time = options.repeat_time

    async def on_prompt_bar_submitted(self, event: PromptBar.Submitted) -> None:
        await self.actions.prompt_submitted(event)

    async def on_prompt_bar_changed(self, event: PromptBar.Changed) -> None:
        await self.actions.prompt_changed(event)

    async def on_prompt_bar_cancelled(self, event: PromptBar.Cancelled) -> None:
        await self.actions.prompt_cancelled(event)

    def on_overlay_closed(self, event: Overlay.Closed) -> None:
        """A click chose an entry (keys close lists in ``key_to_overlay``)."""
        if event.overlay is self.overlay:
            self.actions.dismiss_overlay(event)

    def on_status_bar_window_clicked(self, event: StatusBar.WindowClicked) -> None:
        self.mouse.status_window_clicked(event)

    def on_mouse_down(self, event: events.MouseDown) -> None:
        self.mouse.down(event)

    def on_mouse_move(self, event: events.MouseMove) -> None:
        self.mouse.move(event)

    def on_mouse_up(self, event: events.MouseUp) -> None:
        self.mouse.up(event)

    def on_click(self, event: events.Click) -> None:
        self.mouse.click(event)

    async def on_mouse_scroll_up(self, event: events.MouseScrollUp) -> None:
        await self.mouse.wheel(event, up=True)

    async def on_mouse_scroll_down(self, event: events.MouseScrollDown) -> None:
        await self.mouse.wheel(event, up=False)


def prepare_terminal_process() -> None:
    """Set up this process to run the client in a real terminal (``ai-session attach``):

    * Textual sizes the screen with ``shutil.get_terminal_size()``, which believes
      ``COLUMNS`` and ``LINES`` over the terminal; exported ones would pin the client to a
      stale size and hide every resize. Like tmux, trust only the terminal;
    * Alt + any key reaches the bindings and the child as tmux's ``M-key``
      (:mod:`aisession_tui.client.alt_keys`).

    Textual's redraw cap is set before this module is imported
    (:func:`aisession_tui.client.frame_rate.raise_frame_rate`).
    """
    from aisession_tui.client.alt_keys import use_alt_key_parser

    for name in ("COLUMNS", "LINES"):
        os.environ.pop(name, None)
    use_alt_key_parser()


def create_app(socket_path: Path, target: str | None = None, *, start_server: bool = False,
               config: Config | None = None, keymap: Keymap | None = None,
               display_panes_time: float = 1.0, env: dict[str, str] | None = None,
               cwd: str | None = None, times: TimeFormat | None = None) -> MultiplexerApp:
    """The app for ``socket_path``; tests pass a fixed config (no clock, no user files)
    and fixed panel ``times``."""
    if config is None and keymap is None:
        options = load_options(socket_path, target, start_server=start_server)
    else:
        config = config or Config(stated=frozenset())
        options = AppOptions(socket_path, target, start_server, config,
                             keymap or load_keymap_or_default(None, config.prefix)[0])
    options.display_panes_time = display_panes_time
    if env is not None:
        options.env = dict(env)
    if cwd is not None:
        options.cwd = cwd
    if times is not None:
        options.times = times
    return MultiplexerApp(options)
