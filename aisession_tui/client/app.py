"""The ai-session client: a Textual app attached to one session of a server.

``MultiplexerApp`` connects with ``cli.async_client.open_client``, sends ``attach`` and
then mirrors the server's notifications (``session`` -> window layout and status line,
``screen`` -> dirty rows of pane views, ``message`` -> status line, ``closed`` -> exit).
The side panel is fed live too: ``record`` / ``context`` notifications and ``panel.state``
replies (asked when the focused pane changes) for the AI panels, and a ``bus.subscribe``
on the same connection for the bus panel and the agents' states in the status line.

Keys follow tmux's model. The prefix (the configured key) arms the ``prefix`` table for
one key; a ``repeat`` binding keeps it armed for ``repeat-time``; a pane in copy mode uses
``copy-mode`` or ``copy-mode-vi`` (its window's ``mode-keys`` option when it entered copy
mode, as the server holds it); the ``root`` table comes next; anything else is encoded for the child
as xterm would (``textual_key_bytes`` honouring DECCKM and the keypad mode), so ctrl+q,
ctrl+c, ctrl+p, tab, shift+tab and escape reach the program in the pane. Bindings run
action ids (``aisession_tui.keymaps.actions``): the client-side ones here (prompts,
copy mode, display-panes, detach, panels, views), the rest as server commands through the
``command`` request with tmux argv - the same registry as the CLI.

Keys are taken in the order the terminal sent them, as the app reads them (``on_event``,
before Textual forwards them anywhere). A binding runs in a task (it may wait for the
server); until that task is done, later keys are held in order and then replayed to
whatever it opened (prompt, confirm, list, copy mode) or through the tables - also when it
failed - as tmux queues keys behind a running command. With no binding pending a key costs
one check more than its routing. A key for an open prompt or list is handled at once, not
through Textual's message queues (``key_to_prompt``, ``key_to_overlay``), so the key that
closes it is the last one it gets: the keys after it wait until the prompt's command or the
list's choice has run, then go through the tables to the pane, as in tmux.

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
import tempfile
import time
from collections.abc import Coroutine
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, cast

from textual import events
from textual.app import App, ComposeResult
from textual.containers import Container, Horizontal
from textual.geometry import Offset
from textual.screen import Screen

from aisession_tui.cli.async_client import AsyncClient, open_client
from aisession_tui.cli.client import ClientError
from aisession_tui.config import Config, config_dir, load_config
from aisession_tui.keymaps import (
    DEFAULT_PREFIX,
    Command,
    Keymap,
    load_keymap_or_default,
    parse_command_line,
)
from aisession_tui.keymaps import (
    Binding as KeyBinding,
)
from aisession_tui.keymaps.actions import copy_mode_command, is_copy_mode_action
from aisession_tui.keymaps.convert import migrate_user_keymap
from aisession_tui.keymaps.server_tables import key_options, keymap_from_server
from aisession_tui.protocol import messages
from aisession_tui.terminal.keys import (
    bracketed_paste,
    mouse_report,
    textual_key_bytes,
    textual_to_tmux_key,
    tmux_key_bytes,
    tmux_key_to_textual,
)
from aisession_tui.themes import resolve_theme, theme_variable_defaults, to_textual_theme
from aisession_tui.widgets.copy_mode import CopyMode, pipe_command, word_pattern
from aisession_tui.widgets.overlays import (
    ChooseList,
    ChooseTree,
    KeysView,
    Overlay,
    build_tree,
    parse_tree_output,
)
from aisession_tui.widgets.pane_view import PaneView
from aisession_tui.widgets.panel_format import TimeFormat
from aisession_tui.widgets.prompt import PromptBar
from aisession_tui.widgets.side_panel import PANE_INFO_FORMAT, SidePanel
from aisession_tui.widgets.status_bar import StatusBar
from aisession_tui.widgets.window_view import WindowView

BUS_HISTORY = 200
"""Bus messages shown when the client attaches."""
WHEEL_LINES = 5
"""Lines one wheel step scrolls in copy mode (tmux scrolls 5)."""

TREE_FORMAT = ("#{session_name}\t#{window_index}\t#{window_name}\t#{window_flags}\t"
               "#{window_panes}\t#{session_attached}")
PANE_TREE_FORMAT = ("#{session_name}\t#{window_index}\t#{pane_index}\t"
                    "#{pane_current_command}\t#{pane_active}")


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
    keymap_source: Path | None = None
    """A keymap.toml converted at this start: the server sources it once attached."""


def load_options(socket_path: Path, target: str | None, *, start_server: bool = False
                 ) -> AppOptions:
    """Options from the user's config.toml; an old keymap.toml is converted to tmux's
    language once (keymaps/convert.py), every problem a notice."""
    config, notices = load_config()
    migration = migrate_user_keymap(config_dir())
    notices.extend(migration.messages)
    keymap, problem = load_keymap_or_default(None, config.prefix)
    if problem:
        notices.append(problem)
    options = AppOptions(socket_path, target, start_server, config, keymap, notices)
    options.keymap_source = migration.source
    return options


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
            app.route_key(event)

    def on_paste(self, event: events.Paste) -> None:
        app = self.app
        if isinstance(app, MultiplexerApp):
            event.stop()
            app.paste(event.text)


class MultiplexerApp(App[str], inherit_bindings=False):
    """The attached client."""

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
        self.key_table: str | None = None
        """The table ``switch-client -T`` chose for the next key."""
        self.repeat_table = "prefix"
        """The table a ``-r`` binding keeps armed for ``repeat-time``."""
        spec, theme_problem = resolve_theme(self.config.theme)
        if theme_problem:
            options.notices.append(theme_problem)
        self.register_theme(to_textual_theme(spec))
        self.theme = spec.name
        self.client: AsyncClient | None = None
        self.session: messages.SessionMessage | dict[str, Any] = {}
        self.window_view = WindowView(id="window")
        self.status = StatusBar(id="status")
        self.prompt = PromptBar(id="prompt")
        self.side_panel = SidePanel(times=options.times, id="panel")
        self.agents: dict[str, dict[str, Any]] = {}
        """Bus agents by name, as ``bus.agent`` events and ``agent list`` tell."""
        self.side_panel.styles.width = self.config.side_panel_width
        self.overlay: Overlay | None = None
        self.in_prefix = False
        self.repeat_until = 0.0
        self.pending_key: Any = None
        self.held_keys: list[events.Key] | None = None
        """Keys read while a binding is pending, in order; None when none is."""
        self.bindings_pending = 0
        """Holds on the keys: running bindings, and a closed prompt whose message is due."""
        self.prompt_holds_keys = False
        """A key closed the prompt: keys wait until its Submitted / Cancelled is handled."""
        self.replaying_keys = False
        self.copy_tables: dict[int, str] = {}
        self.server_modes: dict[int, str] = {}
        """Each shown pane's mode as the server last reported it (``follow_pane_modes``)."""
        """Each pane's copy-mode key table, from mode-keys when it entered copy mode."""
        self.message_log: list[str] = []
        self.exit_message = ""
        self._drag: tuple[int, str] | None = None
        self._mouse_buttons = 0
        self._sent_size: tuple[int, int] | None = None
        self._terminal_cursor: int | None = None
        """The cursor shape last shown in the terminal, None while it is hidden."""
        self._panes_timer: Any = None
        self.attached = asyncio.Event()

    # ------------------------------------------------------------------ layout
    def get_theme_variable_defaults(self) -> dict[str, str]:
        return theme_variable_defaults()

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

    def window_area(self, terminal: tuple[int, int] | None = None) -> tuple[int, int]:
        """Columns and lines the panes get: the terminal (``terminal``, else the app's
        size) minus the status line and panel."""
        width, height = terminal if terminal is not None else self.size
        if self.side_panel.display:
            width -= self.config.side_panel_width
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
            self.client = await open_client(self.options.socket_path,
                                            start=self.options.start_server,
                                            on_notification=self.on_server_notification)
            if self.config.states("status_right"):  # config.toml's, as tmux.conf's would be
                await self.server_command(["set-option", "-g", "status-right",
                                           self.config.status_right], quiet=True)
            columns, lines = self.window_area()
            self._sent_size = (columns, lines)
            await self.client.request(messages.ATTACH, {
                "target": self.options.target, "columns": columns, "lines": lines})
        except ClientError as exc:
            self.exit(return_code=1, message=str(exc))
            return
        if self.options.keymap_source is not None:  # converted this start: load it now
            await self.server_command(["source-file", str(self.options.keymap_source)])
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
        self.send_size(tuple(event.size))

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
        elif method == messages.KEY_TABLE:
            self.set_key_table(str(params.get("table", "")))
        elif method == messages.MESSAGE:
            delay = params.get("delay")  # ms (display-time, or display-message -d); 0: a key
            self.show_message(str(params.get("text", "")),
                              seconds=None if delay is None else delay / 1000)
        elif method == messages.CLOSED:
            self.exit(message="[exited]")
        elif method == messages.DETACHED:
            name = params.get("session") or self.session.get("name", "")
            self.exit(message=f"[detached (from session {name})]")
        elif method == messages.DISPLAY_PANES:
            self.call_later(self.do_display_panes, [])
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
        self.status.set_session(session.get("name", ""), windows, session.get("status"))
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
            view = self.window_view.panes.get(pane_id)
            if mode == before or view is None:
                continue
            if mode == "copy-mode" and view.copy_mode is None:
                self.call_later(self.enter_copy_mode, view)
            elif before == "copy-mode" and view.copy_mode is not None:
                view.copy_mode = None
                view.repaint()

    async def leave_copy_mode(self, view: PaneView) -> None:
        """Close the copy-mode view and take the pane out of copy mode on the server."""
        view.copy_mode = None
        if self.server_modes.get(view.pane_id) == "copy-mode":
            await self.server_command(["send-keys", "-X", "-t", f"%{view.pane_id}",
                                       "cancel"], quiet=True)

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
            result = await self.client.request("command", {
                "argv": argv, "cwd": self.options.cwd, "env": self.options.env})
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
                     seconds: float | None = None) -> None:
        """Show text in the status line (``seconds``: how long, 0 until a key; None: the
        client's own default) and keep it in the message log."""
        self.message_log.append(time.strftime("%H:%M:%S ") + text)
        del self.message_log[:-100]
        if seconds is None:
            self.status.show_message(text, error=error)
        else:
            self.status.show_message(text, error=error, seconds=seconds)

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
        if (view is not None and info is not None and view.cursor_visible
                and view.copy_mode is None and self.overlay is None
                and not self.prompt.is_open and self.window_view.display):
            x, y = view.cursor
            if 0 <= x < info["width"] and 0 <= y < info["height"]:
                area = self.window_view.region
                self.cursor_position = Offset(area.x + info["x"] + x, area.y + info["y"] + y)
                shape = view.cursor_shape
        if shape != self._terminal_cursor:
            self._terminal_cursor = shape
            self._driver.write("\x1b[?25l" if shape is None else f"\x1b[{shape} q\x1b[?25h")

    # -------------------------------------------------------------------- keys
    async def on_event(self, event: events.Event) -> None:
        """Keys from the terminal, in the order read: held while a binding is pending,
        else taken at once (so ``ls`` Enter C-b % in one read keeps its order)."""
        if isinstance(event, events.Key) and not event.is_forwarded:
            if self.held_keys is not None:
                self.held_keys.append(event)
            else:
                await self.take_key(event)
            return
        await super().on_event(event)

    async def take_key(self, event: events.Key) -> None:
        """One key: to the open prompt or list, else the prefix, a focused side panel, or
        the tables and the active pane."""
        if self.prompt.is_open:
            await self.key_to_prompt(event)
        elif self.overlay is not None:
            await self.key_to_overlay(self.overlay, event)
        elif event.key is not None and event.key in (self.prefix_key, self.prefix2_key):
            self.press_prefix(event.key)
        elif self.panel_has_focus():
            await super().on_event(event)
        else:
            self.route_key(event)

    async def key_to_prompt(self, event: events.Key) -> None:
        """A key for the open prompt, handled now (Textual would queue it for the input and
        close the prompt messages later). The key that closes it holds the keys after it
        until the app has handled its ``Submitted`` / ``Cancelled``."""
        entry = self.prompt.input
        if self.screen.focused is not entry:  # open() asked Textual to focus it later
            self.screen.set_focus(entry)
        if not await entry.take_key(event):
            await self._check_bindings(event.key)  # the input's moves and deletions
        if not self.prompt.is_open:
            self.prompt_holds_keys = True
            self.hold_keys()

    async def release_prompt_keys(self) -> None:
        """The prompt's Submitted / Cancelled was handled: end the hold its key made."""
        if self.prompt_holds_keys:
            self.prompt_holds_keys = False
            await self.release_keys()

    async def key_to_overlay(self, overlay: Overlay, event: events.Key) -> None:
        """A key for the open list, handled now: it closes the list (its choice then runs
        before the next key) or moves in it."""
        if self.screen.focused is not overlay:  # show_overlay asked Textual to focus it later
            self.screen.set_focus(overlay)
        closed = overlay.dismissal(event.key)
        if closed is not None:
            self.dismiss_overlay(closed)
        else:
            await self._check_bindings(event.key)  # the list's moves

    def press_prefix(self, key: str) -> None:
        """A prefix key (``prefix`` or ``prefix2``): arm the prefix table (or, when armed,
        look itself up there), as tmux does from any other table."""
        if self.panel_has_focus():
            self.set_focus(None)  # the keyboard goes back to the panes
        self.status.clear_message()
        self.dismiss_pending()
        self.key_table = None
        self.repeat_until = 0.0
        if self.in_prefix:
            self.in_prefix = False
            try:
                binding = self.keymap.lookup("prefix", textual_to_tmux_key(key))
            except ValueError:
                binding = None
            if binding is not None:
                self.run_binding(binding)
            return
        self.in_prefix = True

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

    def set_key_table(self, table: str) -> None:
        """``switch-client -T``: the next key is looked up in ``table`` (root: no table)."""
        self.in_prefix = table == "prefix"
        self.key_table = None if table in ("root", "prefix") else table

    def dismiss_pending(self) -> None:
        """Drop a one-key handler (display-panes, confirm) and its overlay."""
        if self.pending_key is not None:
            self.pending_key = None
            self.window_view.hide_numbers()

    def route_key(self, event: events.Key) -> None:
        """Send one key through the tables, else to the active pane's child."""
        if self.prompt.is_open or self.overlay is not None:
            return
        try:
            name = textual_to_tmux_key(event.key)
        except ValueError:
            return
        self.status.clear_message()
        if self.pending_key is not None:
            handler, self.pending_key = self.pending_key, None
            handler(name)
            return
        if self.in_prefix or self.key_table is not None:
            # tmux: the chosen table, else the root table; never the pane.
            table = "prefix" if self.in_prefix else str(self.key_table)
            self.in_prefix = False
            self.key_table = None
            binding = self.keymap.lookup(table, name)
            if binding is not None:
                self.run_binding(binding)
                if binding.repeat and self.config.repeat_time > 0:
                    self.repeat_table = table
                    self.repeat_until = time.monotonic() + self.config.repeat_time / 1000
                return
            binding = self.keymap.lookup("root", name)
            if binding is not None:
                self.run_binding(binding)
            return
        if time.monotonic() < self.repeat_until:
            binding = self.keymap.lookup(self.repeat_table, name)
            if binding is not None and binding.repeat:
                self.repeat_until = time.monotonic() + self.config.repeat_time / 1000
                self.run_binding(binding)
                return
        self.repeat_until = 0.0
        view = self.active_view()
        if view is not None and view.copy_mode is not None:
            binding = self.keymap.lookup(self.copy_tables.get(view.pane_id, "copy-mode"), name)
            if binding is not None:
                self.run_binding(binding)
            return
        binding = self.keymap.lookup("root", name)
        if binding is not None:
            self.run_binding(binding)
            return
        if view is None:
            return
        data = textual_key_bytes(event.key, event.character,
                                 app_cursor=bool(view.modes.get("app_cursor")),
                                 app_keypad=bool(view.modes.get("app_keypad")))
        if data:
            self.send_bytes(view.pane_id, data)

    def paste(self, text: str) -> None:
        """Bracketed paste when the child enabled it, else the text with CRs."""
        if self.prompt.is_open:
            self.prompt.input.insert_text_at_cursor(text)
            return
        view = self.active_view()
        if view is not None and view.copy_mode is None:
            self.send_bytes(view.pane_id,
                            bracketed_paste(text, bool(view.modes.get("bracketed_paste"))))

    # ----------------------------------------------------------------- actions
    def run_binding(self, binding: KeyBinding) -> None:
        """Run a binding's commands in order (in a task: some wait for the server)."""
        self.run_holding_keys(self.run_commands(list(binding.commands)))

    def run_holding_keys(self, work: Coroutine[Any, Any, None]) -> None:
        """Run ``work`` in a task; keys read until it is done are held, in order, and
        replayed then - also when it failed."""
        self.hold_keys()
        self.run_worker(self._release_keys_after(work), group="commands")

    def hold_keys(self) -> None:
        """Hold the keys read from now on, in order, until a matching ``release_keys``."""
        self.bindings_pending += 1
        if self.held_keys is None:
            self.held_keys = []

    async def _release_keys_after(self, work: Coroutine[Any, Any, None]) -> None:
        try:
            await work
        finally:
            await self.release_keys()

    async def release_keys(self) -> None:
        """End one hold; with none left the held keys are replayed."""
        self.bindings_pending -= 1
        await self.replay_held_keys()

    async def replay_held_keys(self) -> None:
        """Take the held keys in order while no binding is pending (a replayed key may start
        one, which then holds the rest); one replay at a time."""
        if self.replaying_keys:
            return
        self.replaying_keys = True
        try:
            while not self.bindings_pending and self.held_keys:
                await self.take_key(self.held_keys.pop(0))
        finally:
            self.replaying_keys = False
        if not self.bindings_pending:
            self.held_keys = None

    async def run_commands(self, commands: list[Command]) -> None:
        """Run commands one after the other."""
        for command in commands:
            await self.run_command(command)

    async def run_line(self, line: str) -> None:
        """Run a tmux command line (``cmd1 ; cmd2``) typed at the prompt."""
        try:
            commands = parse_command_line(line)
        except ValueError as exc:
            self.show_message(str(exc), error=True)
            return
        for words in commands:
            if words[0] == "send":
                words = ["send-keys", *words[1:]]
            await self.run_command(Command.from_words(words))

    async def run_command(self, command: Command) -> None:
        """One action: client-side when it is about this client, else a server command."""
        action, args = command.action, command.args
        if is_copy_mode_action(action):
            modifiers, rest = command.copy_modifiers()
            count = 1
            if "-N" in modifiers:
                try:
                    count = max(1, int(modifiers[modifiers.index("-N") + 1]))
                except ValueError:
                    count = 1
            if "-F" in modifiers:
                rest = tuple([await self.expand(self.copy_format(word)) for word in rest])
            for _ in range(count):
                await self.copy_command(copy_mode_command(action), rest)
            return
        handler = getattr(self, "do_" + action.replace("-", "_"), None)
        if handler is not None:
            await handler(list(args))
            return
        result = await self.server_command(command.words())
        stdout = str(result.get("stdout", ""))
        if stdout.strip():
            self.show_output(stdout.splitlines())

    def copy_format(self, template: str) -> str:
        """Fill the copy-mode variables the client alone knows (``#{copy_cursor_word}``,
        ``#{copy_cursor_line}``) before the server expands the rest."""
        view = self.active_view()
        copy = view.copy_mode if view is not None else None
        if copy is None:
            return template
        for name, value in (("copy_cursor_word", copy.cursor_word()),
                            ("copy_cursor_line", copy.cursor_line())):
            template = template.replace("#{" + name + "}", value.replace("#", "##"))
        return template

    async def do_send_prefix(self, args: list[str]) -> None:
        if "-t" in args:
            await self.server_command(["send-prefix", *args])
            return
        key = self.prefix2 if "-2" in args else self.keymap.prefix if self.prefix_key else None
        view = self.active_view()
        data = tmux_key_bytes(key) if key else b""
        if view is not None and data:
            self.send_bytes(view.pane_id, data)

    async def do_detach_client(self, args: list[str]) -> None:
        if any(flag in args for flag in ("-a", "-s", "-t")):
            await self.server_command(["detach-client", *args])  # other clients
            return
        if self.client is not None:
            try:
                await self.client.request(messages.DETACH, {})
            except ClientError:
                pass
        self.exit(message=f"[detached (from session {self.session.get('name', '')})]")

    async def do_display_panes(self, args: list[str]) -> None:
        self.window_view.show_numbers()

        def choose(key: str) -> None:
            self.window_view.hide_numbers()
            for pane in self.window_view.window.get("panes", []):
                if str(pane["index"]) == key and self.client is not None:
                    self.client.send_nowait(messages.SELECT, {"pane": pane["id"]})

        self.pending_key = choose
        if self._panes_timer is not None:
            self._panes_timer.stop()
        self._panes_timer = self.set_timer(self.options.display_panes_time,
                                           self.dismiss_pending)

    async def do_command_prompt(self, args: list[str]) -> None:
        flags, positional = _prompt_flags(args, takes_value="ItpT")
        initial = await self.expand(str(flags.get("I", ""))) if "I" in flags else ""
        label = str(flags.get("p", "")).split(",")[0]
        template = positional[0] if positional else ""
        shown = f"{label} " if label else ":"
        incremental = bool(flags.get("i"))
        if not incremental:
            await self.load_prompt_history("command")
        self.open_prompt(shown, initial, purpose="incremental" if incremental else "command",
                         data=template, single=bool(flags.get("1")), incremental=incremental)

    async def load_prompt_history(self, kind: str) -> None:
        """The server's history of ``kind`` prompts (shared by every client, as tmux's)."""
        result = await self.server_command(["show-prompt-history", "-T", kind], quiet=True)
        if result.get("exit_code", 1) == 0:
            entries = [line.partition(": ")[2] for line in
                       str(result.get("stdout", "")).splitlines()[1:] if ": " in line]
            self.prompt.history[kind] = entries

    def open_prompt(self, label: str, initial: str, *, purpose: str, data: Any,
                    single: bool = False, incremental: bool = False) -> None:
        """Open the prompt bar in place of the status line."""
        self.in_prefix = False
        self.status.display = False
        self.prompt.open(label, initial, purpose=purpose, data=data, single=single,
                         incremental=incremental)
        self.sync_terminal_cursor()

    async def do_confirm_before(self, args: list[str]) -> None:
        flags, positional = _prompt_flags(args, takes_value="pt")
        if not positional:
            return
        line = positional[0]
        question = str(flags.get("p") or f"Confirm '{line}'? (y/n)")
        question = await self.expand(question)

        def answer(key: str) -> None:
            self.status.clear_message()
            if key in ("y", "Y"):
                self.run_holding_keys(self.run_line(line))

        self.status.show_message(question, seconds=3600)
        self.pending_key = answer

    async def do_switch_client(self, args: list[str]) -> None:
        """``-T table`` chooses the next key's table here (the keys are routed here);
        the rest is the server's."""
        if "-T" in args[:-1]:
            table = args[args.index("-T") + 1]
            if table not in self.keymap.tables and table not in ("root", "prefix"):
                self.show_message(f"table {table} doesn't exist", error=True)
                return
            self.set_key_table(table)
            return
        await self.server_command(["switch-client", *args])

    def show_output(self, lines: list[str]) -> None:
        """Command output (``:list-windows``) in a view like tmux's view mode."""
        self.show_overlay(KeysView(lines))

    async def do_show_messages(self, args: list[str]) -> None:
        """The server's show-messages (config errors, its message log), then this
        client's own messages (notices at start, command errors)."""
        result = await self.server_command(["show-messages", *args], quiet=True)
        lines = str(result.get("stdout", "")).splitlines()
        self.show_overlay(KeysView([*lines, *self.message_log]))

    async def do_find_window(self, args: list[str]) -> None:
        """find-window from this client (``prefix f``): the window tree of ``prefix w``
        holding only the windows that match, with tmux 3.3a's filter (``-C`` content,
        ``-N`` name, ``-T`` title, all three without them; ``-i``, ``-r``)."""
        flags = "".join(arg[1:] for arg in args if arg.startswith("-") and arg != "--")
        words = [arg for arg in args if not arg.startswith("-")]
        if not words:
            self.show_message("find-window: too few arguments (need at least 1)", error=True)
            return
        match = words[-1].replace("}", "##}").replace(",", "#,")
        suffix = "/" + "".join(letter for letter in "ri" if letter in flags)
        suffix = "" if suffix == "/" else suffix
        pattern = match if "r" in flags else f"*{match}*"
        parts = []
        if "C" in flags or not set("CNT") & set(flags):
            parts.append(f"#{{C{suffix}:{match}}}")
        if "N" in flags or not set("CNT") & set(flags):
            parts.append(f"#{{m{suffix}:{pattern},#{{window_name}}}}")
        if "T" in flags or not set("CNT") & set(flags):
            parts.append(f"#{{m{suffix}:{pattern},#{{pane_title}}}}")
        condition = parts[0]
        for part in parts[1:]:
            condition = f"#{{||:{condition},{part}}}"
        await self.do_choose_tree(["-Zw"], window_filter=condition)

    async def do_choose_tree(self, args: list[str], window_filter: str = "") -> None:
        """tmux's tree (``-s`` sessions collapsed, ``-w`` windows shown and the current
        window highlighted) with a preview from ``capture-pane``."""
        windows = await self.server_command(
            ["list-windows", "-a", "-F", TREE_FORMAT,
             *(["-f", window_filter] if window_filter else [])])
        panes = await self.server_command(["list-panes", "-a", "-F", PANE_TREE_FORMAT])
        items = build_tree(parse_tree_output(str(windows.get("stdout", ""))),
                           parse_tree_output(str(panes.get("stdout", "")), fields=5),
                           expand_sessions=any(arg.startswith("-") and "w" in arg
                                               for arg in args))
        name = self.session.get("name", "")
        current = next((w for w in self.session.get("windows", []) if w.get("active")), None)
        highlighted = f"{name}:{current['index']}" if current and "-Zw" in args else f"{name}:"
        self.show_overlay(ChooseTree(items, highlighted, self.capture_preview))

    async def capture_preview(self, target: str) -> list[str]:
        """The visible text of ``target``'s active pane, for choose-tree's preview."""
        result = await self.server_command(["capture-pane", "-p", "-t", target], quiet=True)
        return str(result.get("stdout", "")).splitlines()

    async def do_choose_buffer(self, args: list[str]) -> None:
        result = await self.server_command(["list-buffers", "-F", "#{buffer_name}\t#{buffer_sample}"])
        entries = []
        for line in str(result.get("stdout", "")).splitlines():
            name, _, sample = line.partition("\t")
            entries.append((f"buffer:{name}", f"{name}: {sample}"))
        self.show_overlay(ChooseList(entries))

    def show_overlay(self, overlay: Overlay) -> None:
        """Replace the window with a full-window list until it is closed."""
        self.close_overlay()
        self.overlay = overlay
        self.window_view.display = False
        self.query_one("#main").mount(overlay)
        overlay.focus()
        self.sync_terminal_cursor()

    def close_overlay(self) -> None:
        """Back to the window."""
        if self.overlay is not None:
            self.overlay.remove()
            self.overlay = None
            self.window_view.display = True
            self.set_focus(None)
            self.sync_terminal_cursor()

    def on_overlay_closed(self, event: Overlay.Closed) -> None:
        """A click chose an entry (keys close lists in ``key_to_overlay``)."""
        if event.overlay is self.overlay:
            self.dismiss_overlay(event)

    def dismiss_overlay(self, closed: Overlay.Closed) -> None:
        """Close the list; its choice runs before any key read after it."""
        self.close_overlay()
        if closed.choice:
            self.run_holding_keys(self.take_choice(closed.choice))

    async def take_choice(self, choice: str) -> None:
        """Paste the chosen buffer, or switch to the chosen session / window."""
        if choice.startswith("buffer:"):
            await self.server_command(["paste-buffer", "-p", "-b", choice[7:]])
            return
        session_name, _, index = choice.partition(":")
        if session_name != self.session.get("name") and self.client is not None:
            columns, lines = self.window_area()
            try:
                await self.client.request(messages.ATTACH, {
                    "target": session_name, "columns": columns, "lines": lines})
            except ClientError as exc:
                self.show_message(str(exc), error=True)
                return
        window, _, pane = index.partition(".")
        if window:
            await self.server_command(["select-window", "-t", f"{session_name}:{window}"])
        if pane:
            await self.server_command(["select-pane", "-t", choice])

    async def do_toggle_panel(self, args: list[str]) -> None:
        section = args[0] if args else ""
        panel = self.side_panel
        if panel.display and (not section or section == panel.section):
            panel.display = False
            if self.panel_has_focus():
                self.set_focus(None)
        else:
            panel.show_section(section)
            panel.display = True
            await self.refresh_panel()
        self.send_size()

    async def do_refresh_client(self, args: list[str]) -> None:
        for view in self.window_view.panes.values():
            view.repaint()

    async def do_kill_server(self, args: list[str]) -> None:
        await self.server_command(["kill-server"])

    # ---------------------------------------------------------------- copy mode
    async def do_copy_mode(self, args: list[str]) -> None:
        view = self.active_view()
        if view is None:
            return
        if view.copy_mode is None:
            await self.enter_copy_mode(view)
        if "-u" in args and view.copy_mode is not None:
            view.copy_mode.run("page-up")
            view.repaint()

    async def enter_copy_mode(self, view: PaneView) -> None:
        """Freeze the pane's history and screen into a copy-mode view."""
        if self.client is None:
            return
        try:
            probe, mode_keys, separators = await asyncio.gather(
                self.client.request(messages.HISTORY, {
                    "pane": view.pane_id, "start": 0, "count": 0}),
                self.pane_mode_keys(view.pane_id),
                self.server_command(["show-options", "-Aqv", "-t", f"%{view.pane_id}",
                                     "word-separators"], quiet=True))
            size = int(probe.get("history_size", 0))
            limit = min(10000, max(self.config.history_limit, 0))
            start = max(0, size - limit)
            result = await self.client.request(messages.HISTORY, {
                "pane": view.pane_id, "start": start, "count": size - start})
        except ClientError as exc:
            self.show_message(str(exc), error=True)
            return
        entering = view.copy_mode is None
        view.copy_mode = CopyMode(result.get("lines", []), [list(r) for r in view.rows],
                                  view.columns, view.lines, view.cursor)
        view.copy_mode.exclusive_end = mode_keys == "emacs"
        if separators.get("exit_code", 1) == 0:  # the session's word-separators option
            view.copy_mode.word_pattern = word_pattern(
                str(separators.get("stdout", "")).removesuffix("\n"))
        self.copy_tables[view.pane_id] = "copy-mode-vi" if mode_keys == "vi" else "copy-mode"
        view.repaint()
        if entering and self.server_modes.get(view.pane_id) != "copy-mode":
            await self.server_command(["copy-mode", "-t", f"%{view.pane_id}"], quiet=True)

    async def pane_mode_keys(self, pane_id: int) -> str:
        """The ``mode-keys`` option of the pane's window, else the global one (``-A``), as
        tmux reads it for copy mode."""
        result = await self.server_command(
            ["show-options", "-Awqv", "-t", f"%{pane_id}", "mode-keys"], quiet=True)
        return "vi" if str(result.get("stdout", "")).strip() == "vi" else "emacs"

    async def copy_command(self, name: str, args: tuple[str, ...]) -> None:
        """Run a copy-mode command on the active pane and act on its outcome."""
        view = self.active_view()
        if view is None or view.copy_mode is None:
            return
        if name == "refresh-from-pane":
            old = view.copy_mode
            await self.enter_copy_mode(view)
            if view.copy_mode is not None and view.copy_mode is not old:
                view.copy_mode.take_position(old)
            view.repaint()
            return
        copy = view.copy_mode
        outcome = copy.run(name, args)
        if outcome in ("copy", "copy-keep", "copy-cancel"):
            text = copy.selection_text()
            if text:
                await self.server_command(["set-buffer", "--", text])
                self.copy_to_clipboard(text)
                pipe = pipe_command(name, args)
                if pipe is not None:
                    await self.pipe_selection(pipe, text)
            if outcome != "copy-keep":
                copy.clear_selection()
        if outcome in ("copy-cancel", "cancel"):
            await self.leave_copy_mode(view)
        view.repaint()

    async def pipe_selection(self, command: str, text: str) -> None:
        """copy-pipe: start ``command`` (its formats expanded as tmux does), or the
        ``copy-command`` option when it is empty, with ``text`` on its stdin, in the
        pane's directory. The client runs it (see ``run_copy_pipe``) and does not wait."""
        if command:
            command = await self.expand(self.copy_format(command))
        else:
            result = await self.server_command(["show-options", "-gqv", "copy-command"],
                                               quiet=True)
            command = str(result.get("stdout", "")).rstrip("\n")
        if not command.strip():
            return
        directory = await self.expand("#{pane_current_path}")
        self.run_worker(self.run_copy_pipe(command, text, directory), group="copy-pipe")

    async def run_copy_pipe(self, command: str, text: str, directory: str) -> None:
        """Run ``/bin/sh -c command`` to its end and reap it; a failure is a status-line
        message. It runs here, in the client, rather than in the server as in tmux: the
        client holds the selection and the user's session environment (``DISPLAY``,
        ``WAYLAND_DISPLAY`` for clipboard tools) and the server has no job runner. Its own
        session keeps it off the terminal; stderr goes to a file, so a clipboard tool that
        leaves a child holding the selection does not keep this waiting. Cancelled (the
        app exits) while it runs, its process group is killed."""
        if not os.path.isdir(directory):
            directory = self.options.env.get("HOME", "/")
        with tempfile.TemporaryFile() as errors:
            try:
                process = await asyncio.create_subprocess_exec(
                    "/bin/sh", "-c", command, stdin=asyncio.subprocess.PIPE,
                    stdout=asyncio.subprocess.DEVNULL, stderr=errors, cwd=directory,
                    env=self.options.env, start_new_session=True)
            except OSError as exc:
                self.show_message(f"'{command}' failed: {exc.strerror}", error=True)
                return
            try:
                assert process.stdin is not None
                try:
                    process.stdin.write(text.encode())
                    await process.stdin.drain()
                    process.stdin.close()
                except (BrokenPipeError, ConnectionResetError):
                    pass  # the command did not read it all, as tmux allows
                code = await process.wait()
            except asyncio.CancelledError:
                try:
                    os.killpg(process.pid, signal.SIGKILL)
                except ProcessLookupError:
                    pass
                await process.wait()
                raise
            if code:
                errors.seek(0)
                detail = errors.read().decode(errors="replace").strip().splitlines()
                message = f"'{command}' returned {code}"
                self.show_message(message + (f": {detail[-1]}" if detail else ""), error=True)

    # -------------------------------------------------------------- prompt
    async def on_prompt_bar_submitted(self, event: PromptBar.Submitted) -> None:
        """Run the prompt's line; keys after its Enter wait until it has run."""
        try:
            self.status.display = self.status.display_wanted
            self.set_focus(None)
            self.sync_terminal_cursor()
            if event.purpose == "incremental":
                self.end_incremental_search(restore=False)  # the commands ran as it was typed
                return
            if (event.purpose == "command" and event.value and not self.prompt.single
                    and self.client is not None):
                try:
                    await self.client.request(messages.PROMPT_HISTORY,
                                              {"type": "command", "entry": event.value})
                except ClientError:
                    pass  # the history is a convenience: the command still runs
            template = str(event.data or "")
            line = _fill_template(template, event.value) if template else event.value
            if line.strip():
                self.run_holding_keys(self.run_line(line))
        finally:
            await self.release_prompt_keys()

    async def on_prompt_bar_changed(self, event: PromptBar.Changed) -> None:
        """``command-prompt -i``: run the template on every change of the text."""
        template = str(event.data or "")
        if template:
            await self.run_line(_fill_template(template, event.value))

    async def on_prompt_bar_cancelled(self, event: PromptBar.Cancelled) -> None:
        try:
            self.status.display = self.status.display_wanted
            self.set_focus(None)
            self.sync_terminal_cursor()
            if event.purpose == "incremental":  # tmux 3.3a leaves the cursor on the match
                self.end_incremental_search(restore=False)
        finally:
            await self.release_prompt_keys()

    def end_incremental_search(self, *, restore: bool) -> None:
        """Close the active pane's incremental search; ``restore`` goes back to its start."""
        view = self.active_view()
        if view is not None and view.copy_mode is not None:
            view.copy_mode.end_incremental(restore=restore)
            view.repaint()

    # ---------------------------------------------------------------- mouse
    def on_status_bar_window_clicked(self, event: StatusBar.WindowClicked) -> None:
        for window in self.session.get("windows", []):
            if window["index"] == event.window_index and self.client is not None:
                self.client.send_nowait(messages.SELECT, {"window": window["id"]})

    def _window_cell(self, event: events.MouseEvent) -> tuple[int, int]:
        region = self.window_view.region
        return event.screen_x - region.x, event.screen_y - region.y

    def _wants_mouse(self, pane: messages.PaneInfo | None) -> PaneView | None:
        if pane is None:
            return None
        view = self.window_view.panes.get(pane["id"])
        if view is None or view.copy_mode is not None or not view.modes.get("mouse"):
            return None
        return view

    def _report(self, view: PaneView, pane: messages.PaneInfo, button: int, x: int, y: int, *,
                press: bool, motion: bool = False) -> None:
        self.send_bytes(view.pane_id, mouse_report(
            button, x - pane["x"], y - pane["y"], press=press, motion=motion,
            sgr=bool(view.modes.get("mouse_sgr"))))

    def on_mouse_down(self, event: events.MouseDown) -> None:
        if self._in_window(event) and self.panel_has_focus():
            self.set_focus(None)
        if not self.config.mouse or self.overlay is not None or not self._in_window(event):
            return
        x, y = self._window_cell(event)
        pane = self.window_view.pane_at(x, y)
        view = self._wants_mouse(pane)
        if view is not None and pane is not None:
            self._mouse_buttons = event.button
            self._report(view, pane, max(0, event.button - 1), x, y, press=True)
            return
        if pane is not None:
            if not pane.get("active") and self.client is not None:
                self.client.send_nowait(messages.SELECT, {"pane": pane["id"]})
            return
        left = self.window_view.pane_at(x - 1, y)
        above = self.window_view.pane_at(x, y - 1)
        if left is not None and left["x"] + left["width"] == x:
            self._drag = (left["id"], "x")
        elif above is not None and above["y"] + above["height"] == y:
            self._drag = (above["id"], "y")
        if self._drag is not None:
            self.capture_mouse(self.window_view)

    def on_mouse_move(self, event: events.MouseMove) -> None:
        if self._drag is not None:
            x, y = self._window_cell(event)
            pane_id, axis = self._drag
            pane = self.window_view.pane_info(pane_id)
            if pane is None:
                return
            size = x - pane["x"] if axis == "x" else y - pane["y"]
            if size >= 1 and size != pane["width" if axis == "x" else "height"]:
                self.run_worker(self.server_command(
                    ["resize-pane", "-t", f"%{pane_id}", f"-{axis}", str(size)], quiet=True),
                    group="drag", exclusive=True)
            return
        if not self._in_window(event):
            return
        x, y = self._window_cell(event)
        pane = self.window_view.pane_at(x, y)
        view = self._wants_mouse(pane)
        if view is None or pane is None:
            return
        mode = int(view.modes.get("mouse") or 0)
        if (mode == 1002 and event.button) or mode == 1003:
            button = max(0, event.button - 1) if event.button else 3
            self._report(view, pane, button, x, y, press=True, motion=True)

    def on_mouse_up(self, event: events.MouseUp) -> None:
        if self._drag is not None:
            self._drag = None
            self.capture_mouse(None)
            return
        if not self._in_window(event):
            return
        x, y = self._window_cell(event)
        pane = self.window_view.pane_at(x, y)
        view = self._wants_mouse(pane)
        if view is not None and pane is not None:
            self._report(view, pane, max(0, event.button - 1), x, y, press=False)

    async def on_mouse_scroll_up(self, event: events.MouseScrollUp) -> None:
        await self._wheel(event, up=True)

    async def on_mouse_scroll_down(self, event: events.MouseScrollDown) -> None:
        await self._wheel(event, up=False)

    async def _wheel(self, event: events.MouseEvent, *, up: bool) -> None:
        if not self.config.mouse or self.overlay is not None or not self._in_window(event):
            return
        x, y = self._window_cell(event)
        pane = self.window_view.pane_at(x, y)
        if pane is None:
            return
        view = self._wants_mouse(pane)
        if view is not None:
            self._report(view, pane, 64 if up else 65, x, y, press=True)
            return
        view = self.window_view.panes.get(pane["id"])
        if view is None:
            return
        if view.copy_mode is None:
            if not up:
                return
            await self.enter_copy_mode(view)
        copy = view.copy_mode
        if copy is None:
            return
        for _ in range(WHEEL_LINES):
            copy.run("scroll-up" if up else "scroll-down")
        if not up and copy.top >= copy.max_top and copy.mark is None:
            await self.leave_copy_mode(view)
        view.repaint()

    def _in_window(self, event: events.MouseEvent) -> bool:
        return self.window_view.display and self.window_view.region.contains(
            event.screen_x, event.screen_y)


def _fill_template(template: str, value: str) -> str:
    """A prompt's template with its answer put in as tmux does (``%1``, the first ``%%``;
    ``%%%`` escaped): :func:`aisession_tui.server.cmdlang.template_replace`."""
    from aisession_tui.server.cmdlang import template_replace

    return template_replace(template, value, 1)


def _prompt_flags(args: list[str], takes_value: str) -> tuple[dict[str, Any], list[str]]:
    """getopt-style flags of command-prompt / confirm-before (values for ``takes_value``)."""
    flags: dict[str, Any] = {}
    index = 0
    while index < len(args) and args[index].startswith("-") and args[index] != "-":
        word = args[index]
        index += 1
        if word == "--":
            break
        position = 1
        while position < len(word):
            letter = word[position]
            position += 1
            if letter in takes_value:
                if position < len(word):
                    flags[letter] = word[position:]
                elif index < len(args):
                    flags[letter] = args[index]
                    index += 1
                break
            flags[letter] = True
    return flags, args[index:]


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
        config = config or load_config()[0]
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
