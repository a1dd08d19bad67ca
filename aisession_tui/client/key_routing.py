"""Key routing: every key the terminal sends, in the order it was read.

Keys follow tmux's model. The prefix (the configured key) arms the ``prefix`` table for
one key; a ``repeat`` binding keeps it armed for ``repeat-time``; a pane in copy mode uses
``copy-mode`` or ``copy-mode-vi`` (its window's ``mode-keys`` option when it entered copy
mode, as the server holds it); the ``root`` table comes next; anything else is encoded for
the child as xterm would (``textual_key_bytes`` honouring DECCKM and the keypad mode), so
ctrl+q, ctrl+c, ctrl+p, tab, shift+tab and escape reach the program in the pane.

A binding runs in a task (it may wait for the server); until that task is done, later keys
(and mouse reports, :mod:`aisession_tui.client.mouse`) are held in order and then replayed to whatever it opened (prompt, confirm, list, copy
mode) or through the tables - also when it failed - as tmux queues keys behind a running
command. With no binding pending a key costs one check more than its routing. A key for an
open prompt or list is handled at once, not through Textual's message queues
(``key_to_prompt``, ``key_to_overlay``), so the key that closes it is the last one it gets:
the keys after it wait until the prompt's command or the list's choice has run, then go
through the tables to the pane, as in tmux.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Coroutine
from typing import TYPE_CHECKING, Any

from textual import events

from aisession_tui.keymaps import Binding as KeyBinding
from aisession_tui.keymaps.mouse_keys import MouseKey
from aisession_tui.terminal.keys import bracketed_paste, textual_key_bytes, textual_to_tmux_key
from aisession_tui.terminal.mouse_reports import RawMouse
from aisession_tui.widgets.overlays import Overlay

if TYPE_CHECKING:
    from aisession_tui.client.app import MultiplexerApp

READ_ONLY_MESSAGE = "Client is read-only"
"""tmux's ``client is read-only``, capitalized as its status line shows errors."""


def read_only_command(action: str) -> bool:
    """Whether ``action`` is a command tmux lets a read-only client run."""
    from aisession_tui.server.access import READ_ONLY_COMMANDS
    from aisession_tui.server.commands import UnknownCommand, find

    try:
        return find(action).name in READ_ONLY_COMMANDS
    except UnknownCommand:
        return False


class KeyRouter:
    """The key state of one app: the armed table, the held keys, a one-key handler."""

    def __init__(self, app: MultiplexerApp) -> None:
        self.app = app
        self.key_table: str | None = None
        """The table ``switch-client -T`` chose for the next key."""
        self.repeat_table = "prefix"
        """The table a ``-r`` binding keeps armed for ``repeat-time``."""
        self.in_prefix = False
        self.repeat_until = 0.0
        self.pending_key: Callable[[str], bool] | None = None
        """A one-key handler (display-panes) that sees the next key: True when it took the
        key, False when the key goes on through the tables."""
        self.held_keys: list[events.Key | RawMouse | MouseKey] | None = None
        """Keys (and mouse reports) read while a binding is pending, in order; None when
        none is."""
        self.bindings_pending = 0
        """Holds on the keys: running bindings, and a closed prompt whose message is due."""
        self.prompt_holds_keys = False
        """A key closed the prompt: keys wait until its Submitted / Cancelled is handled."""
        self.replaying_keys = False
        self.read_only = False
        """The client only reads (``attach -r``, the server's ``client-flags``): keys run
        read-only bindings only (tmux's ``CMD_READONLY``), nothing reaches a pane."""

    async def read(self, event: events.Key) -> None:
        """A key from the terminal: held while a binding is pending, else taken at once
        (so ``ls`` Enter C-b % in one read keeps its order). An open menu takes keys at
        once, also while a binding is pending (tmux gives an overlay its keys before any
        queue: a binding's ``run-shell`` may wait for the menu a script showed)."""
        if self.held_keys is not None and not self.app.actions.menu_shown():
            self.held_keys.append(event)
        else:
            await self.take_key(event)

    async def take_key(self, event: events.Key | RawMouse | MouseKey) -> None:
        """One key: to the open prompt or list, else the prefix, a focused side panel, or
        the tables and the active pane. While a ``display-message -N`` message is up the
        key is dropped, as tmux's ``message_ignore_keys``."""
        if isinstance(event, (RawMouse, MouseKey)):  # mouse events held with the keys
            self.app.mouse.take(event)
            return
        if self.app.status.swallows_keys:
            return
        from aisession_tui.client.popup import key_to_popup, open_popup

        if self.app.prompt.is_open:
            await self.key_to_prompt(event)
        elif open_popup(self.app) is not None:
            key_to_popup(self.app, event)
        elif self.app.overlay is not None:
            await self.key_to_overlay(self.app.overlay, event)
        elif event.key is not None and event.key in (self.app.prefix_key, self.app.prefix2_key):
            self.press_prefix(event.key)
        elif self.app.panel_has_focus():
            await self.app.textual_event(event)
        else:
            self.route_key(event)

    async def key_to_prompt(self, event: events.Key) -> None:
        """A key for the open prompt, handled now (Textual would queue it for the input and
        close the prompt messages later). The key that closes it holds the keys after it
        until the app has handled its ``Submitted`` / ``Cancelled``."""
        entry = self.app.prompt.input
        if self.app.screen.focused is not entry:  # open() asked Textual to focus it later
            self.app.screen.set_focus(entry)
        if not await entry.take_key(event):
            await self.app._check_bindings(event.key)  # the input's moves and deletions
        if not self.app.prompt.is_open:
            self.prompt_holds_keys = True
            self.hold_keys()
            passthrough, self.app.prompt.passthrough_key = self.app.prompt.passthrough_key, None
            if passthrough is not None and self.held_keys is not None:
                self.held_keys.insert(0, passthrough)  # a numeric prompt's closing key

    async def release_prompt_keys(self) -> None:
        """The prompt's Submitted / Cancelled was handled: end the hold its key made."""
        if self.prompt_holds_keys:
            self.prompt_holds_keys = False
            await self.release_keys()

    async def key_to_overlay(self, overlay: Overlay, event: events.Key) -> None:
        """A key for the open list, handled now: it closes the list (its choice then runs
        before the next key) or moves in it."""
        if self.app.screen.focused is not overlay:  # show_overlay asked Textual to focus it later
            self.app.screen.set_focus(overlay)
        closed = overlay.dismissal(event.key)
        if closed is not None:
            self.app.actions.dismiss_overlay(closed)
        else:
            await self.app._check_bindings(event.key)  # the list's moves

    def press_prefix(self, key: str) -> None:
        """A prefix key (``prefix`` or ``prefix2``): arm the prefix table (or, when armed,
        look itself up there), as tmux does from any other table."""
        if self.app.panel_has_focus():
            self.app.set_focus(None)  # the keyboard goes back to the panes
        self.app.status.clear_message()
        self.dismiss_pending()
        self.key_table = None
        self.repeat_until = 0.0
        if self.in_prefix:
            self.in_prefix = False
            try:
                binding = self.app.keymap.lookup("prefix", textual_to_tmux_key(key))
            except ValueError:
                binding = None
            if binding is not None:
                self.run_binding(binding)
            return
        self.in_prefix = True

    def set_key_table(self, table: str) -> None:
        """``switch-client -T``: the next key is looked up in ``table`` (root: no table)."""
        self.in_prefix = table == "prefix"
        self.key_table = None if table in ("root", "prefix") else table

    def dismiss_pending(self) -> None:
        """Drop a one-key handler (display-panes) and its overlay."""
        if self.pending_key is not None:
            self.pending_key = None
            self.app.window_view.hide_numbers()

    def route_key(self, event: events.Key) -> None:
        """Send one key through the tables, else to the active pane's child."""
        if self.app.prompt.is_open or self.app.overlay is not None:
            return
        try:
            name = textual_to_tmux_key(event.key)
        except ValueError:
            return
        if not self.read_only:  # tmux leaves a read-only client's message up
            self.app.status.clear_message()
        # (tmux gives a read-only client's keys to no overlay: menu, display-panes)
        if self.pending_key is not None and not self.read_only:
            handler, self.pending_key = self.pending_key, None
            if handler(name):
                return
        if self.in_prefix or self.key_table is not None:
            # tmux: the chosen table, else the root table; never the pane.
            table = "prefix" if self.in_prefix else str(self.key_table)
            self.in_prefix = False
            self.key_table = None
            binding = self.app.keymap.lookup(table, name)
            if binding is not None:
                self.run_binding(binding)
                if binding.repeat and self.app.config.repeat_time > 0:
                    self.repeat_table = table
                    self.repeat_until = time.monotonic() + self.app.config.repeat_time / 1000
                return
            binding = self.app.keymap.lookup("root", name)
            if binding is not None:
                self.run_binding(binding)
            return
        if time.monotonic() < self.repeat_until:
            binding = self.app.keymap.lookup(self.repeat_table, name)
            if binding is not None and binding.repeat:
                self.repeat_until = time.monotonic() + self.app.config.repeat_time / 1000
                self.run_binding(binding)
                return
        self.repeat_until = 0.0
        view = self.app.active_view()
        if view is not None and view.copy_mode is not None:
            binding = self.app.keymap.lookup(self.app.copy.copy_tables.get(view.pane_id, "copy-mode"), name)
            if binding is not None:
                self.run_binding(binding)
            return
        binding = self.app.keymap.lookup("root", name)
        if binding is not None:
            self.run_binding(binding)
            return
        if view is None or self.read_only:
            return
        data = textual_key_bytes(event.key, event.character,
                                 app_cursor=bool(view.modes.get("app_cursor")),
                                 app_keypad=bool(view.modes.get("app_keypad")))
        if data:
            self.app.send_bytes(view.pane_id, data)

    def paste(self, text: str) -> None:
        """Bracketed paste when the child enabled it, else the text with CRs."""
        if self.app.prompt.is_open:
            self.app.prompt.input.insert_text_at_cursor(text)
            return
        view = self.app.active_view()
        if view is not None and view.copy_mode is None:
            self.app.send_bytes(view.pane_id,
                            bracketed_paste(text, bool(view.modes.get("bracketed_paste"))))

    def run_binding(self, binding: KeyBinding) -> None:
        """Run a binding's commands in order (in a task: some wait for the server); a
        read-only client runs only bindings whose commands are all read-only, else it
        shows tmux's error."""
        if self.read_only and not all(read_only_command(command.action)
                                      for command in binding.commands):
            self.app.show_message(READ_ONLY_MESSAGE, error=True)
            return
        self.run_holding_keys(self.app.actions.run_commands(list(binding.commands)))

    def run_holding_keys(self, work: Coroutine[Any, Any, None]) -> None:
        """Run ``work`` in a task; keys read until it is done are held, in order, and
        replayed then - also when it failed."""
        self.hold_keys()
        self.app.run_worker(self._release_keys_after(work), group="commands")

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
