"""The handlers of the client's own actions, and the dispatcher of every action.

A binding, the command prompt and ``confirm-before`` run actions through
:meth:`ClientActions.run_command`, which asks the action registry where each one runs
(:func:`aisession_tui.keymaps.actions.action_target`): ``copy-mode:*`` ids go to the active
pane's copy mode (:mod:`aisession_tui.client.copy_mode`), ``client`` ids to their handler in
:data:`HANDLERS`, anything else to the server as tmux argv (the same registry as the CLI);
what such a command prints goes to the active pane's view mode on the server, as tmux's.
command-prompt and confirm-before ask through :mod:`aisession_tui.client.prompt_request`;
one that waits (no ``-b``) holds back the rest of its command list, and a script's wait on
the server, until its prompt is over.

:data:`HANDLERS` is built here, next to the handlers: ``@handles(id)`` registers each one.
Invariant: its keys are exactly the registry's ``client`` ids (tests/ui/test_client_actions.py).
The prompt bar's messages and the lists (choose-tree, choose-buffer, command output) are
handled here too: they are what these actions open.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import TYPE_CHECKING, Any, ClassVar

from aisession_tui.cli.client import ClientError
from aisession_tui.client.choosers import Chooser, chooser_closed, open_chooser
from aisession_tui.client.command_flags import command_flags
from aisession_tui.client.mouse_commands import copy_mode as copy_mode_here
from aisession_tui.client.mouse_commands import run_mouse_command
from aisession_tui.client.panel_fit import HIDDEN_NOTICE, current_window, panel_fits
from aisession_tui.client.prompt_request import PromptRequest, confirm_request, parse_request
from aisession_tui.keymaps import Command, parse_command_line
from aisession_tui.keymaps.actions import COPY_MODE, action_target, copy_mode_command
from aisession_tui.keymaps.mouse_keys import CURRENT_MOUSE, MouseKey, menu_mouse, with_mouse
from aisession_tui.protocol import messages
from aisession_tui.server.cmdlang import template_replace
from aisession_tui.server.commands.spec import UsageError
from aisession_tui.terminal.keys import tmux_key_bytes
from aisession_tui.widgets.menu_box import MenuBox, menu_lines, menu_place
from aisession_tui.widgets.overlays import (
    KeysView,
    Overlay,
)
from aisession_tui.widgets.pane_numbers import index_for_key
from aisession_tui.widgets.prompt import PromptBar

if TYPE_CHECKING:
    from aisession_tui.client.app import MultiplexerApp

Handler = Callable[["ClientActions", list[str]], Awaitable[None]]
"""A client action's handler: the actions object and the binding's arguments."""

HANDLERS: dict[str, Handler] = {}
"""Client action id -> its handler, filled by :func:`handles` below."""


def handles(action_id: str) -> Callable[[Handler], Handler]:
    """Register the decorated method as the handler of ``action_id``."""

    def register(handler: Handler) -> Handler:
        if action_id in HANDLERS:
            raise ValueError(f"two handlers for {action_id!r}")
        HANDLERS[action_id] = handler
        return handler

    return register


class ClientActions:
    """Runs actions for one app; its handlers act on the app's widgets and connection.

    ``handlers`` is the table :meth:`run_command` dispatches client ids with: here
    :data:`HANDLERS`; a client that owns more of an action (the thin client's renderer
    suspends through its attaching process) subclasses this with its own table built from
    :data:`HANDLERS` next to its handlers, and its app names the subclass
    (``MultiplexerApp.actions_class``).
    """

    handlers: ClassVar[dict[str, Handler]] = HANDLERS

    def __init__(self, app: MultiplexerApp) -> None:
        self.app = app
        self.panes_timer: Any = None
        """display-panes' timer (its numbers go away when it fires)."""
        self.copy_count: int | None = None
        """A repeat count for the next copy-mode command (``send-keys -N n``)."""
        self.opened_request: PromptRequest | None = None
        """The waiting prompt the command just run opened (see :meth:`run_commands`)."""
        self.menu: MenuBox | None = None
        """display-menu's menu while it is shown."""
        self.pending_wait: int | None = None
        """The server's wait for the command it asked this client to run (its prompt)."""

    async def run_commands(self, commands: list[Command]) -> None:
        """Run commands one after the other. A prompt that waits (command-prompt or
        confirm-before without ``-b``, as tmux's ``CMD_RETURN_WAIT``) takes the commands
        after it: they run once it is over, after its own commands."""
        for index, command in enumerate(commands):
            self.opened_request = None
            await self.run_command(command)
            request, self.opened_request = self.opened_request, None
            if request is not None and index + 1 < len(commands):
                request.after = list(commands[index + 1:])
                return

    async def run_client_command(self, argv: list[str], wait: Any = None) -> None:
        """A command the server asked this client to run (a script's command-prompt or
        confirm-before); ``wait``: the server command waits for its prompt to end."""
        self.pending_wait = wait if isinstance(wait, int) else None
        try:
            await self.run_command(Command.from_words(argv))
        finally:
            if self.pending_wait is not None:  # no prompt took it (one was open, an error)
                await self.finish_wait(self.pending_wait, 0)
                self.pending_wait = None

    def take_wait(self) -> int | None:
        """The wait of the command being run for the server, for the prompt it opens."""
        wait, self.pending_wait = self.pending_wait, None
        return wait

    async def finish_wait(self, wait: int | None, code: int) -> None:
        """Tell the server the prompt it waits for is over."""
        if wait is None or self.app.client is None:
            return
        try:
            await self.app.client.request(messages.PROMPT_DONE, {"wait": wait, "code": code})
        except ClientError:
            pass  # the server gave up waiting (the command's client went away)

    async def run_line(self, line: str) -> None:
        """Run a tmux command line (``cmd1 ; cmd2``) typed at the prompt."""
        try:
            commands = parse_command_line(line)
        except ValueError as exc:
            self.app.show_message(str(exc), error=True)
            return
        await self.run_commands([Command.from_words(["send-keys", *words[1:]]
                                                    if words[0] == "send" else words)
                                 for words in commands])

    async def run_command(self, command: Command) -> None:
        """One action, where the registry says it runs (:func:`action_target`): the
        active pane's copy mode, a handler of ``handlers`` (the registry's ``client`` ids,
        and any a subclass takes over), else a server command."""
        action, args = command.action, command.args
        if self.take_copy_count(command):
            return
        if await run_mouse_command(self, command):  # a mouse key's client commands
            return
        if action_target(action) == COPY_MODE:
            prefix_count, self.copy_count = self.copy_count, None
            repeat, rest = await self.app.copy.arguments(command)
            count = repeat if repeat is not None else prefix_count or 1
            for _ in range(count):
                await self.app.copy.run(copy_mode_command(action), rest)
            await self.app.mouse.exit_at_bottom(self.app.active_view(), copy_mode_command(action))
            return
        handler = self.handlers.get(action)
        if handler is not None:
            await handler(self, list(args))
            return
        result = await self.run_printing(command.words())
        stdout = str(result.get("stdout", ""))
        if stdout.strip():
            self.show_output(stdout.splitlines())

    async def run_printing(self, argv: list[str]) -> dict[str, Any]:
        """A server command run from a binding or the prompt: what it prints goes to the
        active pane's view mode on the server, as tmux's ``cmdq_print`` for an attached
        client (``:list-keys``, ``display -p``); its error to the status line."""
        if self.app.client is None:
            return await self.app.server_command(argv)
        try:
            result: dict[str, Any] = await self.app.client.request("command", with_mouse({
                "argv": argv, "cwd": self.app.options.cwd, "env": self.app.options.env,
                "view": True}))
        except ClientError as exc:
            result = {"stdout": "", "stderr": str(exc), "exit_code": 1}
        stderr = str(result.get("stderr", "")).strip()
        if stderr:
            self.app.show_message(stderr.splitlines()[0], error=True)
        return result

    def take_copy_count(self, command: Command) -> bool:
        """``send-keys -N n`` with no key while the active pane is in copy mode (the
        numeric ``(repeat)`` prompt's template): the next copy-mode command repeats ``n``
        times, as tmux's mode prefix. True when ``command`` was that."""
        view = self.app.active_view()
        if (command.action != "send-keys" or len(command.args) != 2
                or command.args[0] != "-N" or view is None or view.copy_mode is None):
            return False
        try:
            self.copy_count = max(1, int(command.args[1]))
        except ValueError:
            self.app.show_message("repeat count invalid", error=True)
        return True

    @handles("send-prefix")
    async def send_prefix(self, args: list[str]) -> None:
        if "-t" in args:
            await self.app.server_command(["send-prefix", *args])
            return
        key = self.app.prefix2 if "-2" in args else self.app.keymap.prefix if self.app.prefix_key else None
        view = self.app.active_view()
        data = tmux_key_bytes(key) if key else b""
        if view is not None and data:
            self.app.send_bytes(view.pane_id, data)

    @handles("detach-client")
    async def detach_client(self, args: list[str]) -> None:
        if any(flag in args for flag in ("-a", "-s", "-t")):
            await self.app.server_command(["detach-client", *args])  # other clients
            return
        if self.app.client is not None:
            try:
                await self.app.client.request(messages.DETACH, {})
            except ClientError:
                pass
        self.app.exit(message=f"[detached (from session {self.app.session.get('name', '')})]")

    @handles("display-panes")
    async def display_panes(self, args: list[str]) -> None:
        """tmux 3.3a's display-panes: the panes' marks (:mod:`aisession_tui.widgets.pane_numbers`)
        for ``-d`` ms, else ``display-panes-time`` (0: until a key). A pane's index key
        (``0``-``9``, ``a``-``z`` for 10-35) runs the template (``select-pane -t "%%%"``)
        with the pane's id; any other key clears the marks and goes on as usual (not
        with ``-N``: then every key does). Nothing when the marks are already shown."""
        if self.app.window_view.numbers_shown:
            return
        try:
            flags, positional = command_flags("display-panes", args)
        except UsageError as exc:
            self.app.show_message(str(exc), error=True)
            return
        result = await self.app.server_command(
            ["display-message", "-p", "--", DISPLAY_PANES_OPTIONS], quiet=True)
        time, colour, active_colour = (str(result.get("stdout", "")).strip().split("|")
                                       + ["", "", ""])[:3]
        delay = flags.get("d") or time or "1000"
        self.app.window_view.show_numbers(colour or "blue", active_colour or "red")
        template = positional[0] if positional else 'select-pane -t "%%%"'
        choose_keys = not flags.get("N")

        def choose(key: str) -> bool:
            self.app.window_view.hide_numbers()
            index = index_for_key(key) if choose_keys else None
            if index is None:
                return False  # the key goes on
            for pane in self.app.window_view.window.get("panes", []):
                if int(pane["index"]) == index:
                    self.app.call_later(self.run_line,
                                        template_replace(template, f"%{pane['id']}", 1))
            return True

        self.app.keys.pending_key = choose
        if self.panes_timer is not None:
            self.panes_timer.stop()
            self.panes_timer = None
        if delay.isdigit() and int(delay) > 0:
            self.panes_timer = self.app.set_timer(int(delay) / 1000,
                                                  self.app.keys.dismiss_pending)

    def menu_shown(self) -> bool:
        """Whether a menu is on screen (it then takes keys and the mouse at once)."""
        return self.menu is not None and self.menu.is_mounted

    async def show_menu_holding(self, menu: messages.MenuMessage) -> None:
        """:meth:`show_menu`, then the keys and mouse reports held since the menu came are
        taken (by it): a release right after the press that opened it reaches the menu,
        as in tmux."""
        try:
            await self.show_menu(menu)
        finally:
            await self.app.keys.release_keys()

    async def show_menu(self, menu: messages.MenuMessage) -> None:
        """display-menu's menu (:mod:`aisession_tui.widgets.menu_box`), driven by keys as
        tmux 3.3a's: an item's key chooses it; Up/Down (``k``/``j``) move past separators
        and disabled items, ``g``/PageUp and ``G``/PageDown by five; Enter runs the chosen
        item's command; Escape, ``q``, ``C-c`` or ``C-g`` close it; other keys do nothing.
        A menu too big for the terminal is not shown, nor one while another is open. A
        command that waits for the menu (``wait``) is told when it closes, or at once when
        it is not shown."""
        wait = menu.get("wait")
        if not await self.open_menu(menu, wait if isinstance(wait, int) else None):
            await self.finish_wait(wait if isinstance(wait, int) else None, 0)

    async def open_menu(self, menu: messages.MenuMessage, wait: int | None) -> bool:
        """Show the menu (:meth:`show_menu`); False when it is not shown."""
        app = self.app
        if self.menu is not None:
            return False
        items = [dict(item) if item is not None else None for item in menu["items"]]
        layout = menu_lines(menu["title"], items, app.size.width)
        status = app.status.status or {}
        status_top = status.get("position") == "top"
        status_lines = app.status.lines_taken()
        window_x = next((start for start, _end, index in app.status.tab_spans
                         if index == menu["window"]), None)
        pane = list(menu["pane"])
        region = app.window_view.region
        mouse = menu_mouse(menu.get("mouse"), region.x, region.y)
        place = menu_place(menu["x"], menu["y"], layout.size, (app.size.width, app.size.height),
                           status_top=status_top, status_lines=status_lines,
                           window_x=window_x, pane=pane,
                           mouse=(mouse.x, mouse.y) if mouse is not None else None)
        if place is None:
            return False
        box = MenuBox(layout, str(status.get("mode_style") or "bg=yellow,fg=black"),
                      place=place, mouse=mouse is not None, stay_open=menu["stay_open"])
        box.styles.offset = place
        self.menu = box
        await app.screen.mount(box)
        commands = [None if item is None else str(item["command"]) for item in menu["items"]]
        keys = [None if item is None or str(item["name"]).startswith("-") else item["key"]
                for item in menu["items"]]

        def close(report: bool = True) -> None:
            self.menu = None
            box.remove()
            if wait is not None and report:  # the command that showed it returns now
                app.run_worker(self.finish_wait(wait, 0), group="menu-wait")

        def choose() -> bool:
            choice = box.choice
            item = layout.items[choice] if choice >= 0 else None
            if choice >= 0 and (item is None or item[1]) and menu["stay_open"]:
                return True
            command = commands[choice] if choice >= 0 and item is not None else None
            chosen = bool(command) and not item[1]  # type: ignore[index]
            close(report=not chosen)
            app.keys.pending_key = None
            if chosen:  # its command runs, then a waiting command returns
                app.keys.run_holding_keys(self.run_menu_command(str(command), mouse, wait))
            return True

        def close_by_mouse() -> None:
            close()
            app.keys.pending_key = None

        box.on_choose = choose
        box.on_close = close_by_mouse

        def key(name: str) -> bool:
            if name in keys:
                box.choice = keys.index(name)
                return choose()
            if name in ("Up", "k"):
                box.move(-1)
            elif name in ("Down", "j"):
                box.move(1)
            elif name in ("g", "PPage", "C-b"):
                box.choice = max(0, box.choice - 5)
                box.refresh()
            elif name in ("G", "NPage"):
                box.choice = min(len(layout.items) - 1, box.choice + 5)
                box.refresh()
            elif name == "Enter":
                return choose()
            elif name in ("Escape", "q", "C-c", "C-g"):
                close()
                return True
            app.keys.pending_key = key  # the menu keeps the keyboard
            return True

        app.keys.pending_key = key
        return True

    async def run_menu_command(self, line: str, mouse: MouseKey | None,
                               wait: int | None = None) -> None:
        """A chosen menu item's command, with the mouse event of the key that opened the
        menu (tmux runs it with the display-menu command's state); then the command that
        waits for the menu (``wait``) returns."""
        if mouse is not None:
            CURRENT_MOUSE.set(mouse)
        try:
            await self.run_line(line)
        finally:
            await self.finish_wait(wait, 0)

    @handles("command-prompt")
    async def command_prompt(self, args: list[str]) -> None:
        """tmux 3.3a's command-prompt (:mod:`aisession_tui.client.prompt_request`): its
        prompts one after the other, then the template with their answers; nothing when
        a prompt is already open (as tmux)."""
        if self.app.prompt.is_open:
            return
        try:
            flags, positional = command_flags("command-prompt", args)
            request = parse_request(flags, positional)
        except (UsageError, ValueError) as exc:
            self.app.show_message(str(exc), error=True)
            return
        if flags.get("F") and "#" in request.template:  # a format, without strftime's %
            request.template = await self.app.expand(request.template.replace("%", "%%"))
        request.wait = self.take_wait()
        await self.ask(request)
        if not flags.get("b") and request.mode != "incremental":
            self.opened_request = request

    async def ask(self, request: PromptRequest) -> None:
        """Open the request's current prompt, its label and initial text expanded."""
        label, initial = request.current
        label = await self.expand_time(label)
        initial = await self.expand_time(initial)
        if request.mode in ("text", "incremental"):
            await self.load_prompt_history(request.prompt_type)
        if request.prompt_type in ("target", "window-target") or request.mode == "text":
            self.app.prompt.targets = await self.target_names()  # Tab completes targets
        vi = False
        if request.mode not in ("key", "numeric"):  # status-keys: the prompt's own keys
            keys = await self.app.server_command(["show-options", "-Aqv", "status-keys"],
                                                 quiet=True)
            vi = str(keys.get("stdout", "")).strip() == "vi"
        self.open_prompt(label, initial, purpose=request.prompt_type, data=request,
                         mode=request.mode, vi=vi)

    async def target_names(self) -> tuple[list[str], list[str]]:
        """The session names, and the current session's window indexes (a target
        prompt's completion)."""
        sessions = await self.app.server_command(["list-sessions", "-F", "#{session_name}"],
                                                 quiet=True)
        windows = [str(window.get("index", "")) for window in self.app.session.get("windows", [])]
        return str(sessions.get("stdout", "")).splitlines(), windows

    async def expand_time(self, text: str) -> str:
        """``text`` as tmux's ``format_expand_time``: formats and strftime's ``%``."""
        if "%" not in text:
            return await self.app.expand(text)
        result = await self.app.server_command(["display-message", "-p", "--", text],
                                               quiet=True)
        return str(result.get("stdout", "")).rstrip("\n")

    async def top_buffer(self) -> str:
        """The newest paste buffer's text ("" when there is none), for the prompt's C-y."""
        result = await self.app.server_command(["show-buffer"], quiet=True)
        return str(result.get("stdout", "")) if result.get("exit_code", 1) == 0 else ""

    async def load_prompt_history(self, kind: str) -> None:
        """The server's history of ``kind`` prompts (shared by every client, as tmux's)."""
        result = await self.app.server_command(["show-prompt-history", "-T", kind], quiet=True)
        if result.get("exit_code", 1) == 0:
            entries = [line.partition(": ")[2] for line in
                       str(result.get("stdout", "")).splitlines()[1:] if ": " in line]
            self.app.prompt.history[kind] = entries

    def open_prompt(self, label: str, initial: str, *, purpose: str, data: Any,
                    mode: str = "text", vi: bool = False) -> None:
        """Open the prompt bar in place of the status line."""
        self.app.keys.in_prefix = False
        self.place_prompt()
        self.app.prompt.paste_source = self.top_buffer
        self.app.prompt.open(label, initial, purpose=purpose, data=data, mode=mode, vi=vi)
        self.app.sync_terminal_cursor()

    @handles("confirm-before")
    async def confirm_before(self, args: list[str]) -> None:
        """tmux 3.3a's confirm-before: a one-key prompt (``-p``'s text, else
        ``Confirm 'cmd'? (y/n)``); ``y`` or ``Y`` runs the command. An open prompt is
        replaced, as tmux's status_prompt_set does (a script waiting for it is let go)."""
        try:
            flags, positional = command_flags("confirm-before", args)
        except UsageError as exc:
            self.app.show_message(str(exc), error=True)
            return
        if positional:
            if self.app.prompt.is_open:
                replaced = self.app.prompt.data
                self.app.prompt.close()
                if isinstance(replaced, PromptRequest):
                    if replaced.mode == "incremental":
                        self.app.copy.end_incremental_search(restore=False)
                    await self.finish_wait(replaced.wait, 0)
            request = confirm_request(flags, positional[0])
            request.wait = self.take_wait()
            await self.ask(request)
            if not flags.get("b"):
                self.opened_request = request

    @handles("switch-client")
    async def switch_client(self, args: list[str]) -> None:
        """``-T table`` chooses the next key's table here (the keys are routed here);
        the rest is the server's."""
        if "-T" in args[:-1]:
            table = args[args.index("-T") + 1]
            if table not in self.app.keymap.tables and table not in ("root", "prefix"):
                self.app.show_message(f"table {table} doesn't exist", error=True)
                return
            self.app.keys.set_key_table(table)
            return
        await self.app.server_command(["switch-client", *args])

    def show_output(self, lines: list[str]) -> None:
        """Command output (``:list-windows``) in a view like tmux's view mode."""
        self.show_overlay(KeysView(lines))

    @handles("show-messages")
    async def show_messages(self, args: list[str]) -> None:
        """The server's show-messages (config errors, its message log), then this
        client's own messages (notices at start, command errors)."""
        result = await self.app.server_command(["show-messages", *args], quiet=True)
        lines = str(result.get("stdout", "")).splitlines()
        self.show_overlay(KeysView([*lines, *self.app.message_log]))

    @handles("find-window")
    async def find_window(self, args: list[str]) -> None:
        """find-window from this client (``prefix f``): the window tree of ``prefix w``
        holding only the windows that match, with tmux 3.3a's filter (``-C`` content,
        ``-N`` name, ``-T`` title, all three without them; ``-i``, ``-r``)."""
        flags = "".join(arg[1:] for arg in args if arg.startswith("-") and arg != "--")
        words = [arg for arg in args if not arg.startswith("-")]
        if not words:
            self.app.show_message("find-window: too few arguments (need at least 1)", error=True)
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
        await self.choose_tree(["-Zw", "-f", condition])

    @handles("choose-tree")
    async def choose_tree(self, args: list[str]) -> None:
        """tmux's tree (``-s`` sessions collapsed, ``-w`` windows shown), with a preview
        from ``capture-pane`` (:mod:`aisession_tui.client.choosers`)."""
        await open_chooser(self, "choose-tree", args)

    @handles("choose-buffer")
    async def choose_buffer(self, args: list[str]) -> None:
        await open_chooser(self, "choose-buffer", args)

    @handles("choose-client")
    async def choose_client(self, args: list[str]) -> None:
        await open_chooser(self, "choose-client", args)

    @handles("customize-mode")
    async def customize_mode(self, args: list[str]) -> None:
        await open_chooser(self, "customize-mode", args)

    def show_overlay(self, overlay: Overlay) -> None:
        """Replace the window with a full-window list until it is closed."""
        self.close_overlay()
        self.app.overlay = overlay
        self.app.window_view.display = False
        self.app.query_one("#main").mount(overlay)
        overlay.focus()
        self.app.sync_terminal_cursor()

    def close_overlay(self) -> None:
        """Back to the window."""
        if self.app.overlay is not None:
            self.app.overlay.remove()
            self.app.overlay = None
            self.app.window_view.display = True
            self.app.set_focus(None)
            self.app.sync_terminal_cursor()

    def dismiss_overlay(self, closed: Overlay.Closed) -> None:
        """Close the list; its choice runs before any key read after it."""
        self.close_overlay()
        if isinstance(closed.overlay, Chooser):
            self.app.keys.run_holding_keys(chooser_closed(self, closed.overlay, closed.choice))
        elif closed.choice:
            self.app.keys.run_holding_keys(self.take_choice(closed.choice))

    async def take_choice(self, choice: str) -> None:
        """Paste the chosen buffer, or switch to the chosen session / window."""
        if choice.startswith("buffer:"):
            await self.app.server_command(["paste-buffer", "-p", "-b", choice[7:]])
            return
        session_name, _, index = choice.partition(":")
        if session_name != self.app.session.get("name") and self.app.client is not None:
            columns, lines = self.app.window_area()
            try:
                await self.app.client.request(messages.ATTACH, {
                    "target": session_name, "columns": columns, "lines": lines})
            except ClientError as exc:
                self.app.show_message(str(exc), error=True)
                return
        window, _, pane = index.partition(".")
        if window:
            await self.app.server_command(["select-window", "-t", f"{session_name}:{window}"])
        if pane:
            await self.app.server_command(["select-pane", "-t", choice])

    @handles("toggle-panel")
    async def toggle_panel(self, args: list[str]) -> None:
        section = args[0] if args else ""
        panel = self.app.side_panel
        if panel.display and (not section or section == panel.section):
            panel.display = False
            if self.app.panel_has_focus():
                self.app.set_focus(None)
        else:
            if not panel_fits(self.app.size.width, self.app.panel_width(),
                              current_window(self.app.session)):
                self.app.show_message(HIDDEN_NOTICE)
                return
            panel.show_section(section)
            panel.styles.width = self.app.panel_width()
            panel.display = True
            await self.app.refresh_panel()
        self.app.send_size()

    @handles("refresh-client")
    async def refresh_client(self, args: list[str]) -> None:
        for view in self.app.window_view.panes.values():
            view.repaint()

    @handles("kill-server")
    async def kill_server(self, args: list[str]) -> None:
        await self.app.server_command(["kill-server"])

    @handles("copy-mode")
    async def copy_mode(self, args: list[str]) -> None:
        """copy-mode on this client's pane (``-e -H -u -q``, :func:`~aisession_tui.client.
        mouse_commands.copy_mode`); another pane's (``-t``, ``-s``) is the server's."""
        if "-s" in args or not await copy_mode_here(self.app, None, args):
            await self.app.server_command(["copy-mode", *args])

    async def prompt_submitted(self, event: PromptBar.Submitted) -> None:
        """An answer: the next prompt of the request opens, or its command line runs;
        keys after the closing key wait until then."""
        try:
            request = event.data
            if not isinstance(request, PromptRequest):
                return
            if request.mode == "incremental":
                self.close_prompt()
                self.app.copy.end_incremental_search(restore=False)  # the commands ran as it was typed
                return
            if event.remember and event.value and self.app.client is not None:
                try:
                    await self.app.client.request(messages.PROMPT_HISTORY,
                                                  {"type": request.prompt_type,
                                                   "entry": event.value})
                except ClientError:
                    pass  # the history is a convenience: the command still runs
            if request.answer(event.value):
                await self.ask(request)  # the next prompt, in place of this one
                return
            self.close_prompt()
            self.app.keys.run_holding_keys(self.run_answer(request))
        finally:
            await self.app.keys.release_prompt_keys()

    async def run_filled(self, request: PromptRequest, value: str | None = None) -> None:
        """The request's template with its answers (and ``value``, an incremental
        prompt's text): filled word by word when its tokens are quoted, else as text."""
        words = request.command_words(value)
        if words is not None:
            await self.run_commands([Command.from_words(["send-keys", *command[1:]]
                                                        if command[0] == "send" else command)
                                     for command in words if command])
            return
        line = request.command_line(value)
        if line.strip():
            await self.run_line(line)

    async def run_answer(self, request: PromptRequest) -> None:
        """Run the answered request's command line, then end the server's wait."""
        try:
            await self.run_filled(request)
            await self.run_commands(request.after)
        finally:
            await self.finish_wait(request.wait, request.exit_code())

    def place_prompt(self) -> None:
        """Put the prompt over the last status line, as tmux draws it (the lines above it
        stay and the panes do not move); with the status line off, over the last line of
        the panes (tmux's last terminal line)."""
        status, prompt = self.app.status, self.app.prompt
        top = status.display and status.styles.dock == "top"
        prompt.styles.dock = "top" if top else "bottom"
        prompt.styles.offset = (0, max(0, status.lines_taken() - 1) if top else 0)

    def close_prompt(self) -> None:
        """Focus and the terminal cursor back from the closed prompt."""
        self.app.set_focus(None)
        self.app.sync_terminal_cursor()

    async def prompt_changed(self, event: PromptBar.Changed) -> None:
        """``command-prompt -i``: run the template on every change of the text."""
        request = event.data
        if isinstance(request, PromptRequest):
            await self.run_filled(request, event.value)

    async def prompt_cancelled(self, event: PromptBar.Cancelled) -> None:
        try:
            self.close_prompt()
            request = event.data
            if isinstance(request, PromptRequest) and request.mode == "incremental":
                # tmux 3.3a leaves the cursor on the match
                self.app.copy.end_incremental_search(restore=False)
            if isinstance(request, PromptRequest):
                if request.after:  # the binding's commands after the prompt still run
                    self.app.keys.run_holding_keys(self.run_commands(request.after))
                await self.finish_wait(request.wait, 1 if request.confirm else 0)
        finally:
            await self.app.keys.release_prompt_keys()


DISPLAY_PANES_OPTIONS = "#{display-panes-time}|#{display-panes-colour}|#{display-panes-active-colour}"
"""What display-panes reads from the session's options."""
