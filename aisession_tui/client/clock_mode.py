"""Clock mode in the client: while the server has a pane in ``clock-mode`` (``C-b t``,
``clock-mode -t``), the pane shows a :class:`~aisession_tui.widgets.clock_face.ClockFace`
in the window's ``clock-mode-colour`` and ``clock-mode-style``, redrawn when the minute
changes. Keys still go to the server, where any key leaves the mode; the face goes when the
mode does (:meth:`MultiplexerApp.follow_pane_modes`)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from aisession_tui.widgets.clock_face import ClockFace

if TYPE_CHECKING:
    from aisession_tui.client.app import MultiplexerApp
    from aisession_tui.widgets.pane_view import PaneView

CLOCK_MODE = "clock-mode"
OPTIONS_FORMAT = "#{clock-mode-colour}|#{clock-mode-style}"


async def show_clock(app: MultiplexerApp, view: PaneView) -> None:
    """Read the pane's clock options, then draw the face (unless the mode ended meanwhile)."""
    result = await app.server_command(
        ["display-message", "-p", "-t", f"%{view.pane_id}", "--", OPTIONS_FORMAT], quiet=True)
    colour, _, style = str(result.get("stdout", "")).strip().partition("|")
    if app.server_modes.get(view.pane_id) != CLOCK_MODE:
        return
    view.face = ClockFace(colour or "blue", style or "24")
    view.repaint()
    if app.clock_timer is None:
        app.clock_timer = app.set_interval(1.0, lambda: tick_clocks(app))


def hide_clock(view: PaneView) -> None:
    """The mode ended: the pane shows its screen again."""
    if view.face is not None:
        view.face = None
        view.repaint()


def tick_clocks(app: MultiplexerApp) -> None:
    """Once a second: redraw the faces whose minute changed; stop when none is left."""
    faces = [view for view in app.window_view.panes.values() if view.face is not None]
    if not faces and app.clock_timer is not None:
        app.clock_timer.stop()
        app.clock_timer = None
    for view in faces:
        if view.face is not None and view.face.shows() != view.face_shown:
            view.repaint()
