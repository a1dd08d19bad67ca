"""The mouse in the client: reports to a child that asked for them, a click that selects
a pane or a window, a drag on a border that resizes, the wheel into copy mode, and
selection, as tmux 3.3a's default mouse bindings do with ``mouse on``.

A pane whose child enabled mouse reporting (and is not in copy mode) gets presses,
releases and motion encoded as xterm does (SGR when asked); a Shift-drag there is the
terminal's own selection, which tmux leaves alone too. Otherwise:

* a press selects the pane under it, a press on a border starts a drag that resizes the
  pane before it;
* a drag with the left button enters copy mode (``copy-mode -M``), selects from the press
  to the mouse, and copies when the button is released (``copy-pipe-and-cancel``: a paste
  buffer, and the terminal's clipboard by OSC 52 as ``set-clipboard`` says);
* a double click selects the word under the mouse (``word-separators``), a triple click
  the line, shown for 0.3 s, then copied, and copy mode ends (``copy-mode -H``);
* the middle button pastes the top buffer (``paste-buffer -p``), outside copy mode;
* the wheel scrolls: up enters copy mode and scrolls ``WHEEL_LINES`` lines a step, down
  scrolls back and leaves copy mode at the bottom.

These are tmux's default ``MouseDrag1Pane``, ``MouseDragEnd1Pane``, ``DoubleClick1Pane``,
``TripleClick1Pane``, ``MouseDown2Pane`` and wheel bindings, built in: rebinding those keys
does not change what the mouse does here.
"""

from __future__ import annotations

import asyncio
from typing import TYPE_CHECKING

from textual import events

from aisession_tui.protocol import messages
from aisession_tui.terminal.keys import mouse_report
from aisession_tui.widgets.pane_view import PaneView
from aisession_tui.widgets.status_bar import StatusBar

if TYPE_CHECKING:
    from textual.timer import Timer

    from aisession_tui.client.app import MultiplexerApp

WHEEL_LINES = 5
"""Lines one wheel step scrolls in copy mode (tmux scrolls 5)."""
TRIPLE_CLICK_WAIT = 0.3
"""Seconds a double click waits for a third click before it selects its word: a triple
click selects only the line, as tmux fires TripleClick1Pane and not DoubleClick1Pane."""
SHOW_SELECTION = 0.3
"""Seconds a double or triple click's selection shows before it is copied (tmux's
``run-shell -d 0.3`` in those bindings)."""


class MouseRouter:
    """The mouse state of one app: the border being dragged, the buttons held."""

    def __init__(self, app: MultiplexerApp) -> None:
        self.app = app
        self.drag: tuple[int, str] | None = None
        """The pane whose right (``x``) or bottom (``y``) border is being dragged."""
        self.buttons = 0
        self.press: tuple[int, int, int] | None = None
        """(pane id, x, y) of a left press in a pane that does not report the mouse: a
        drag from it selects."""
        self.selecting: int | None = None
        """The pane whose selection the mouse is dragging."""
        self.drag_end: tuple[int, int] = (0, 0)
        """Where the mouse is in that drag (window cell)."""
        self.released = False
        """The button went up before copy mode was ready: copy as soon as it is."""
        self.double: Timer | None = None
        """A double click's word selection, waiting to see if a third click comes."""

    def enabled(self) -> bool:
        """The session's ``mouse`` option (on by default in ai-session), else the client
        config's ``mouse``: with it off, the mouse does nothing here, as in tmux."""
        status = self.app.status.status or {}
        return bool(status.get("mouse", self.app.config.mouse))

    def status_window_clicked(self, event: StatusBar.WindowClicked) -> None:
        if not self.enabled():
            return
        for window in self.app.session.get("windows", []):
            if window["index"] == event.window_index and self.app.client is not None:
                self.app.client.send_nowait(messages.SELECT, {"window": window["id"]})

    def window_cell(self, event: events.MouseEvent) -> tuple[int, int]:
        region = self.app.window_view.region
        return event.screen_x - region.x, event.screen_y - region.y

    def wants_mouse(self, pane: messages.PaneInfo | None) -> PaneView | None:
        if pane is None:
            return None
        view = self.app.window_view.panes.get(pane["id"])
        if view is None or view.copy_mode is not None or not view.modes.get("mouse"):
            return None
        return view

    def report(self, view: PaneView, pane: messages.PaneInfo, button: int, x: int, y: int, *,
                press: bool, motion: bool = False) -> None:
        self.app.send_bytes(view.pane_id, mouse_report(
            button, x - pane["x"], y - pane["y"], press=press, motion=motion,
            sgr=bool(view.modes.get("mouse_sgr"))))

    def down(self, event: events.MouseDown) -> None:
        if not self.enabled():
            return
        if self.in_window(event) and self.app.panel_has_focus():
            self.app.set_focus(None)
        if not self.enabled() or self.app.overlay is not None or not self.in_window(event):
            return
        x, y = self.window_cell(event)
        pane = self.app.window_view.pane_at(x, y)
        view = self.wants_mouse(pane)
        if view is not None and pane is not None:
            self.buttons = event.button
            self.report(view, pane, max(0, event.button - 1), x, y, press=True)
            return
        if pane is not None:
            if not pane.get("active") and self.app.client is not None:
                self.app.client.send_nowait(messages.SELECT, {"pane": pane["id"]})
            pane_view = self.app.window_view.panes.get(pane["id"])
            if event.button == 1:
                self.press = (pane["id"], x, y)
            elif event.button == 2 and pane_view is not None and pane_view.copy_mode is None:
                self.app.run_worker(self.app.server_command(
                    ["paste-buffer", "-p", "-t", f"%{pane['id']}"], quiet=True))
            return
        left = self.app.window_view.pane_at(x - 1, y)
        above = self.app.window_view.pane_at(x, y - 1)
        if left is not None and left["x"] + left["width"] == x:
            self.drag = (left["id"], "x")
        elif above is not None and above["y"] + above["height"] == y:
            self.drag = (above["id"], "y")
        if self.drag is not None:
            self.app.capture_mouse(self.app.window_view)

    def move(self, event: events.MouseMove) -> None:
        if not self.enabled() and self.drag is None and self.selecting is None:
            return
        if self.drag is not None:
            x, y = self.window_cell(event)
            pane_id, axis = self.drag
            pane = self.app.window_view.pane_info(pane_id)
            if pane is None:
                return
            size = x - pane["x"] if axis == "x" else y - pane["y"]
            if size >= 1 and size != pane["width" if axis == "x" else "height"]:
                self.app.run_worker(self.app.server_command(
                    ["resize-pane", "-t", f"%{pane_id}", f"-{axis}", str(size)], quiet=True),
                    group="drag", exclusive=True)
            return
        if self.press is not None:  # (the left button is down: it was pressed in a pane)
            self.drag_select(event)
            return
        if not self.in_window(event):
            return
        x, y = self.window_cell(event)
        pane = self.app.window_view.pane_at(x, y)
        view = self.wants_mouse(pane)
        if view is None or pane is None:
            return
        mode = int(view.modes.get("mouse") or 0)
        if (mode == 1002 and event.button) or mode == 1003:
            button = max(0, event.button - 1) if event.button else 3
            self.report(view, pane, button, x, y, press=True, motion=True)

    def up(self, event: events.MouseUp) -> None:
        self.press = None
        if self.drag is not None:
            self.drag = None
            self.app.capture_mouse(None)
            return
        if self.selecting is not None:
            view = self.app.window_view.panes.get(self.selecting)
            self.app.capture_mouse(None)
            if view is not None and view.copy_mode is not None and view.copy_mode.mark:
                self.selecting = None
                self.app.run_worker(self.app.copy.run("copy-pipe-and-cancel", (), view))
            else:  # copy mode is still being entered: _begin_drag copies when it is
                self.released = True
            return
        if not self.in_window(event):
            return
        x, y = self.window_cell(event)
        pane = self.app.window_view.pane_at(x, y)
        view = self.wants_mouse(pane)
        if view is not None and pane is not None:
            self.report(view, pane, max(0, event.button - 1), x, y, press=False)

    async def wheel(self, event: events.MouseEvent, *, up: bool) -> None:
        if not self.enabled() or self.app.overlay is not None or not self.in_window(event):
            return
        x, y = self.window_cell(event)
        pane = self.app.window_view.pane_at(x, y)
        if pane is None:
            return
        view = self.wants_mouse(pane)
        if view is not None:
            self.report(view, pane, 64 if up else 65, x, y, press=True)
            return
        view = self.app.window_view.panes.get(pane["id"])
        if view is None:
            return
        if view.copy_mode is None:
            if not up:
                return
            await self.app.copy.enter(view)
        copy = view.copy_mode
        if copy is None:
            return
        for _ in range(WHEEL_LINES):
            copy.run("scroll-up" if up else "scroll-down")
        if not up and copy.top >= copy.max_top and copy.mark is None:
            await self.app.copy.leave(view)
        view.repaint()

    def drag_select(self, event: events.MouseMove) -> None:
        """A left drag from :attr:`press`: the first motion enters copy mode and begins the
        selection at the press, every motion moves its end to the mouse."""
        assert self.press is not None
        pane_id, start_x, start_y = self.press
        view = self.app.window_view.panes.get(pane_id)
        pane = self.app.window_view.pane_info(pane_id)
        if view is None or pane is None:
            return
        x, y = self.window_cell(event)
        self.drag_end = (x, y)
        if self.selecting is None:
            if (x, y) == (start_x, start_y):
                return
            self.selecting = pane_id
            self.released = False
            self.app.capture_mouse(self.app.window_view)
            self.app.run_worker(self._begin_drag(view, pane, start_x, start_y))
            return
        if view.copy_mode is not None and view.copy_mode.mark is not None:
            self._move_to(view, pane, x, y)
            self.app.copy.report(view)
            view.repaint()

    async def _begin_drag(self, view: PaneView, pane: messages.PaneInfo, start_x: int,
                          start_y: int) -> None:
        """Enter copy mode (``copy-mode -M``), begin the selection at the press, extend
        it to where the mouse is by now, and copy if the button is already up."""
        if view.copy_mode is None:
            await self.app.copy.enter(view)
        copy = view.copy_mode
        if copy is None or self.selecting != view.pane_id:
            return
        self._move_to(view, pane, start_x, start_y)
        copy.run("begin-selection")
        self._move_to(view, pane, *self.drag_end)
        view.repaint()
        if self.released:
            self.selecting = None
            self.released = False
            await self.app.copy.run("copy-pipe-and-cancel", (), view)

    def _move_to(self, view: PaneView, pane: messages.PaneInfo, x: int, y: int) -> None:
        """The copy cursor to the cell under window cell (x, y), kept inside the pane."""
        copy = view.copy_mode
        if copy is None or not copy.lines:
            return
        row = max(0, min(y - pane["y"], pane["height"] - 1))
        copy.line = max(0, min(copy.top + row, len(copy.lines) - 1))
        copy.column = max(0, min(x - pane["x"], pane["width"] - 1))

    def click(self, event: events.Click) -> None:
        """A double or triple left click in a pane that does not report the mouse."""
        chain = getattr(event, "chain", 1)
        if (chain < 2 or event.button != 1 or not self.enabled()
                or self.app.overlay is not None or not self.in_window(event)):
            return
        x, y = self.window_cell(event)
        pane = self.app.window_view.pane_at(x, y)
        if pane is None or self.wants_mouse(pane) is not None:
            return
        view = self.app.window_view.panes.get(pane["id"])
        if view is None:
            return
        if self.double is not None:
            self.double.stop()
            self.double = None
        if chain == 2:
            self.double = self.app.set_timer(TRIPLE_CLICK_WAIT, lambda: self.app.run_worker(
                self._select_and_copy(view, pane, x, y, "select-word")))
        else:
            self.app.run_worker(self._select_and_copy(view, pane, x, y, "select-line"))

    async def _select_and_copy(self, view: PaneView, pane: messages.PaneInfo, x: int, y: int,
                               command: str) -> None:
        if view.copy_mode is None:
            await self.app.copy.enter(view)
            if view.copy_mode is not None:
                view.copy_mode.show_position = False  # copy-mode -H
        copy = view.copy_mode
        if copy is None:
            return
        self._move_to(view, pane, x, y)
        copy.run(command)
        view.repaint()
        await asyncio.sleep(SHOW_SELECTION)
        if view.copy_mode is copy:
            await self.app.copy.run("copy-pipe-and-cancel", (), view)

    def in_window(self, event: events.MouseEvent) -> bool:
        return self.app.window_view.display and self.app.window_view.region.contains(
            event.screen_x, event.screen_y)
