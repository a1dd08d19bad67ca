"""The mouse in the client: reports to a child that asked for them, a click that selects
a pane or a window, a drag on a border that resizes, the wheel into copy mode.

A pane whose child enabled mouse reporting (and is not in copy mode) gets presses,
releases and motion encoded as xterm does (SGR when asked); otherwise a press selects the
pane under it, a press on a border starts a drag that resizes the pane before it, and the
wheel scrolls: up enters copy mode and scrolls ``WHEEL_LINES`` lines a step, down scrolls
back and leaves copy mode at the bottom, as tmux's default bindings do.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from textual import events

from aisession_tui.protocol import messages
from aisession_tui.terminal.keys import mouse_report
from aisession_tui.widgets.pane_view import PaneView
from aisession_tui.widgets.status_bar import StatusBar

if TYPE_CHECKING:
    from aisession_tui.client.app import MultiplexerApp

WHEEL_LINES = 5
"""Lines one wheel step scrolls in copy mode (tmux scrolls 5)."""


class MouseRouter:
    """The mouse state of one app: the border being dragged, the buttons held."""

    def __init__(self, app: MultiplexerApp) -> None:
        self.app = app
        self.drag: tuple[int, str] | None = None
        """The pane whose right (``x``) or bottom (``y``) border is being dragged."""
        self.buttons = 0

    def status_window_clicked(self, event: StatusBar.WindowClicked) -> None:
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
        if self.in_window(event) and self.app.panel_has_focus():
            self.app.set_focus(None)
        if not self.app.config.mouse or self.app.overlay is not None or not self.in_window(event):
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
        if self.drag is not None:
            self.drag = None
            self.app.capture_mouse(None)
            return
        if not self.in_window(event):
            return
        x, y = self.window_cell(event)
        pane = self.app.window_view.pane_at(x, y)
        view = self.wants_mouse(pane)
        if view is not None and pane is not None:
            self.report(view, pane, max(0, event.button - 1), x, y, press=False)

    async def wheel(self, event: events.MouseEvent, *, up: bool) -> None:
        if not self.app.config.mouse or self.app.overlay is not None or not self.in_window(event):
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

    def in_window(self, event: events.MouseEvent) -> bool:
        return self.app.window_view.display and self.app.window_view.region.contains(
            event.screen_x, event.screen_y)
