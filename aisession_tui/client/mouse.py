"""The mouse in the client, as tmux 3.3a handles it with ``mouse on``: every event becomes a
mouse key (:mod:`aisession_tui.keymaps.mouse_keys`: ``MouseDown1Pane``, ``WheelUpStatus``,
``M-MouseDown3Pane``...) looked up in the key tables, and the bound commands run with the
event (:mod:`aisession_tui.client.mouse_commands`).

The order is tmux's (``server_client_handle_key``, ``server_client_key_callback``):

* an open menu takes every event first (:meth:`MenuBox.mouse`: hover, click, release);
* the table is the one ``switch-client -T`` or the prefix armed, else the copy-mode table
  of a pane in copy mode under the mouse, else ``root``; a key missing from a table other
  than ``root`` is looked up in ``root`` and never reaches the pane;
* a key bound nowhere goes to the pane under the mouse when its program asked for the
  mouse and the pane is in no mode (``input_key_mouse``);
* a drag that a command follows (``copy-mode -M``, ``resize-pane -M``) sends its motions to
  that command, not through the tables, until the button is released.

So tmux's default bindings (``defaults.conf``) make what the mouse does: a press selects a
pane, a drag on a border resizes, a drag in a pane selects in copy mode and copies on
release, a double or triple click copies a word or a line, the wheel enters copy mode and
scrolls, a press on a window's status entry selects it, the right button opens tmux's
menus; ``bind``/``unbind`` of those keys change it. Events are kept in order with the keys:
while a binding runs, later events wait with the keys (:mod:`aisession_tui.client.
key_routing`). With ``mouse off`` no table is looked at: the events go to a pane whose
program asked for the mouse (tmux's ``forward_key``), and nothing else happens.
"""

from __future__ import annotations

import weakref
from collections.abc import Callable
from dataclasses import replace
from typing import TYPE_CHECKING

from textual import events

from aisession_tui.client.clock_mode import CLOCK_MODE
from aisession_tui.keymaps import canonical_key
from aisession_tui.keymaps.mouse_keys import (
    CLICK_TIMEOUT,
    CURRENT_MOUSE,
    MouseKey,
    MouseKeys,
    PaneBox,
    RawMouse,
    Screen,
    encode_for_pane,
    is_drag,
    is_release,
    is_wheel,
    raw_mouse,
)
from aisession_tui.widgets.status_bar import StatusBar

if TYPE_CHECKING:
    from textual.timer import Timer

    from aisession_tui.client.app import MultiplexerApp
    from aisession_tui.keymaps import Binding
    from aisession_tui.widgets.copy_mode import CopyMode
    from aisession_tui.widgets.pane_view import PaneView

DragCallback = Callable[[MouseKey], None]


class MouseRouter:
    """The mouse state of one app: tmux's per-client mouse state and the drag's command."""

    def __init__(self, app: MultiplexerApp) -> None:
        self.app = app
        self.keys = MouseKeys()
        self.drag_update: DragCallback | None = None
        """What follows the drag in progress (tmux's ``mouse_drag_update``)."""
        self.drag_release: DragCallback | None = None
        self.click_timer: Timer | None = None
        self.held_button = 0
        """The button pressed and not yet released: a motion is a drag with it (a
        terminal reports the held button with a motion; this does not depend on it)."""
        self.scroll_exit: weakref.WeakSet[CopyMode] = weakref.WeakSet()
        """The copy modes that end when scrolled to the bottom (``copy-mode -e``)."""

    def enabled(self) -> bool:
        """The session's ``mouse`` option (on by default in ai-session), else the client
        config's ``mouse``: with it off, the mouse does nothing here, as in tmux."""
        status = self.app.status.status or {}
        return bool(status.get("mouse", self.app.config.mouse))

    # ------------------------------------------------------------- Textual events
    def status_window_clicked(self, event: StatusBar.WindowClicked) -> None:
        """The status line's own click message: the press already went through the
        tables (``MouseDown1Status``)."""

    def down(self, event: events.MouseDown) -> None:
        self.held_button = event.button
        self.read(event, "down", event.button)

    def move(self, event: events.MouseMove) -> None:
        self.read(event, "move", self.held_button)

    def up(self, event: events.MouseUp) -> None:
        self.held_button = 0
        self.read(event, "up", event.button)

    async def wheel(self, event: events.MouseEvent, *, up: bool) -> None:
        self.read(event, "wheel-up" if up else "wheel-down", 0)

    def click(self, event: events.Click) -> None:
        """Textual's clicks: tmux counts clicks from the presses (:class:`MouseKeys`)."""

    def read(self, event: events.MouseEvent, kind: str, button: int) -> None:
        """One event from the terminal: held while a binding runs, else taken now. None
        while a list, a popup or the prompt is open (they take the mouse, or not at all),
        and for a read-only client (tmux drops its mouse)."""
        if self.app.keys.read_only:
            return
        if _popup_open(self.app) and self.app.overlay is None and not self.app.prompt.is_open:
            if self.enabled():
                from aisession_tui.client.popup import mouse_to_popup

                mouse_to_popup(self.app, kind, button, event)
            return
        if self.app.overlay is not None or _popup_open(self.app) or self.app.prompt.is_open:
            return
        if (kind == "down" and self.enabled() and self.app.panel_has_focus()
                and self.in_window(event)):
            self.app.set_focus(None)
        raw = raw_mouse(kind, button, event.screen_x, event.screen_y, shift=event.shift,
                        meta=event.meta, ctrl=event.ctrl)
        held = self.app.keys.held_keys
        if held is not None and not self.app.actions.menu_shown():  # a menu takes it now
            held.append(raw)
        else:
            self.take(raw)

    def in_window(self, event: events.MouseEvent) -> bool:
        return self.app.window_view.display and self.app.window_view.region.contains(
            event.screen_x, event.screen_y)

    # ------------------------------------------------------------------- routing
    def take(self, raw: RawMouse | MouseKey) -> None:
        """One report, in order with the keys (see the module docstring); or a double
        click whose timeout passed while a binding ran."""
        if isinstance(raw, MouseKey):
            self.dispatch(raw)
            return
        menu = self.app.actions.menu
        if menu is not None:
            self.keys.last = raw
            menu.mouse_event(raw)
            return
        if is_drag(raw.sgr_b) and is_release(raw.sgr_b) and not self._motion_wanted():
            return  # tmux asks the terminal for motion only when a pane wants it all
        screen = self.screen()
        event = self.keys.report(raw, screen)
        if not (is_drag(raw.b) or is_release(raw.b) or is_wheel(raw.b)):
            self._arm_click_timer()  # (a press starts the timeout again, as tmux's)
        if event is None:
            return
        if event.drag_ended:
            release, self.drag_update, self.drag_release = self.drag_release, None, None
            if release is not None:
                release(event)
        if event.dragging:
            if self.drag_update is not None:
                self.drag_update(event)
            return
        self.dispatch(event)

    def _motion_wanted(self) -> bool:
        return any(view.modes.get("mouse") == 1003 and view.copy_mode is None
                   for view in self.app.window_view.panes.values())

    def _arm_click_timer(self) -> None:
        if self.click_timer is not None:
            self.click_timer.stop()
            self.click_timer = None
        if self.keys.click == "triple":
            self.click_timer = self.app.set_timer(CLICK_TIMEOUT, self._click_timeout)

    def _click_timeout(self) -> None:
        """The click timeout passed (the click state ends now, as tmux's timer): a double
        click is dispatched after whatever waits with the keys."""
        self.click_timer = None
        event = self.keys.click_timeout(self.screen())
        if event is None:
            return
        held = self.app.keys.held_keys
        if held is not None:
            held.append(event)
        else:
            self.dispatch(event)

    def dispatch(self, event: MouseKey) -> None:
        """Look the event's key up as tmux does and run its binding, else give it to the
        pane under the mouse."""
        if event.key is None:
            return
        if not self.enabled():  # mouse off: the keys go to the pane, bound or not
            self.forward(event)
            return
        try:
            key = canonical_key(event.key)
        except ValueError:
            return
        keys = self.app.keys
        view = self.app.window_view.panes.get(event.pane) if event.pane is not None else None
        if keys.in_prefix:
            table = "prefix"
        elif keys.key_table is not None:
            table = keys.key_table
        elif view is not None and view.copy_mode is not None:
            table = self.app.copy.copy_tables.get(view.pane_id, "copy-mode")
        else:
            table = "root"
        keymap = self.app.keymap
        binding = keymap.lookup(table, key)
        if table != "root":
            if binding is None and key.endswith("MouseMove" + event.where):
                self.forward(event)  # (tmux's terminal sends no motion to look up)
                return
            keys.in_prefix = False
            keys.key_table = None
            if binding is None:
                binding = keymap.lookup("root", key)
                if binding is None:
                    return
        if binding is not None:
            if view is not None and view.copy_mode is not None:
                event = replace(event, copy_line=self.copy_line(event))
            self.run_binding(binding, event)
        else:
            self.forward(event)

    def copy_line(self, event: MouseKey) -> str | None:
        """The line under the mouse as the copy mode of its pane shows it (the position
        indicator on the top row), as tmux's ``window_copy_get_line``."""
        view = self.app.window_view.panes.get(event.pane) if event.pane is not None else None
        pane = self.app.window_view.pane_info(event.pane) if event.pane is not None else None
        copy = view.copy_mode if view is not None else None
        if copy is None or pane is None:
            return None
        row = event.window_cell()[1] - pane["y"]
        if not 0 <= row < pane["height"]:
            return None
        text = copy.text(copy.top + row) if copy.top + row < len(copy.lines) else ""
        label = copy.position_label()
        if row == 0 and label:
            text = text[:copy.width - len(label)].ljust(copy.width - len(label)) + label
        return text

    def run_binding(self, binding: Binding, event: MouseKey) -> None:
        """Run the binding's commands with the event (``-t =``, ``send-keys -M``)."""

        async def work() -> None:
            CURRENT_MOUSE.set(event)
            await self.app.actions.run_commands(list(binding.commands))

        self.app.keys.run_holding_keys(work())

    def forward(self, event: MouseKey) -> None:
        """tmux's ``window_pane_key``: the event to the pane under it, encoded as its
        program asked, when it asked and the pane is in no mode (a double click never);
        a pane in clock mode leaves it."""
        if event.ignore or event.pane is None:
            return
        view = self.app.window_view.panes.get(event.pane)
        pane = self.app.window_view.pane_info(event.pane)
        if view is None or pane is None or view.copy_mode is not None:
            return
        mode = self.app.server_modes.get(event.pane)
        if mode == CLOCK_MODE:  # tmux's clock mode leaves on any key, the mouse's too
            self.app.run_worker(self.app.server_command(
                ["copy-mode", "-q", "-t", f"%{event.pane}"], quiet=True))
        if mode:
            return
        x, y = event.window_cell()
        if not (pane["x"] <= x < pane["x"] + pane["width"]
                and pane["y"] <= y < pane["y"] + pane["height"]):
            return
        data = encode_for_pane(event, int(view.modes.get("mouse") or 0),
                               bool(view.modes.get("mouse_sgr")), x - pane["x"], y - pane["y"])
        if data:
            self.app.send_bytes(view.pane_id, data)

    async def exit_at_bottom(self, view: PaneView | None, command: str) -> None:
        """``copy-mode -e``: a scroll down that reaches the bottom leaves copy mode
        (tmux's ``scroll_exit`` for scroll-down, page-down and halfpage-down)."""
        copy = view.copy_mode if view is not None else None
        if (view is None or copy is None or copy not in self.scroll_exit
                or command not in ("scroll-down", "page-down", "halfpage-down")):
            return
        if copy.top >= copy.max_top:
            self.scroll_exit.discard(copy)
            await self.app.copy.leave(view)
            view.repaint()

    def follow_drag(self, update: DragCallback, release: DragCallback | None = None) -> None:
        """A command follows the drag in progress (``copy-mode -M``, ``resize-pane -M``)."""
        self.drag_update = update
        self.drag_release = release
        self.keys.follow_drag()

    # -------------------------------------------------------------------- screen
    def screen(self) -> Screen:
        """Where the status line, the window and its panes are now."""
        app = self.app
        region = app.window_view.region
        window = app.window_view.window
        status = app.status
        lines = status.lines_taken() if status.display else 0
        top = dict(status.status or {}).get("position") == "top"
        status_at = -1 if not lines else (0 if top else app.size.height - lines)
        ids = {int(entry["index"]): int(entry["id"])
               for entry in app.session.get("windows", []) if "id" in entry}

        def status_range(x: int, line: int) -> tuple[str, int | None] | None:
            if line != 0:
                return None
            for start, end, index in status.tab_spans:
                if start <= x < end:
                    return ("window", ids.get(index)) if index in ids else None
            left, right = status.left_end, status.right_start
            if x < left:
                return ("left", None)
            if right is not None and x >= right:
                return ("right", None)
            return None

        panes = [PaneBox(int(pane["id"]), pane["x"], pane["y"], pane["width"], pane["height"])
                 for pane in window.get("panes", []) if pane.get("visible", True)]
        return Screen(session=int(app.session.get("id", 0)), window=int(window.get("id", 0)),
                      panes=panes, window_x=region.x, window_y=region.y,
                      window_size=(int(window.get("width", region.width)),
                                   int(window.get("height", region.height))),
                      zoomed=bool(window.get("zoomed")), status_at=status_at,
                      status_lines=lines, status_range=status_range)


def _popup_open(app: MultiplexerApp) -> bool:
    from aisession_tui.client.popup import open_popup

    return open_popup(app) is not None
