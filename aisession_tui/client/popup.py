"""The client's side of ``display-popup``: show, update and remove the popup overlay as the
server's ``popup`` messages say, and send every key read while it is open to the server
(``popup-input``), which decides whether it goes to the popup's command or closes it."""

from __future__ import annotations

import base64
from typing import TYPE_CHECKING, Any

from textual import events

from aisession_tui.protocol import messages
from aisession_tui.terminal.keys import textual_key_bytes
from aisession_tui.widgets.popup_view import PopupView

if TYPE_CHECKING:
    from aisession_tui.client.app import MultiplexerApp


def open_popup(app: MultiplexerApp) -> PopupView | None:
    """The popup on screen, if one is open."""
    return next((view for view in app.screen.query(PopupView) if not view.closing), None)


def popup_cursor(app: MultiplexerApp) -> tuple[int, int] | None:
    """Where the terminal's cursor goes while a popup is open: its command's cursor, or
    (-1, -1) when that is hidden (or the command is done); None when no popup is open."""
    view = open_popup(app)
    if view is None:
        return None
    return view.terminal_cursor()


def apply_popup(app: MultiplexerApp, params: dict[str, Any]) -> None:
    """A ``popup`` message: open or update the overlay, or remove it."""
    view = open_popup(app)
    if not params.get("open"):
        if view is not None:
            view.closing = True
            view.remove()
            app.sync_terminal_cursor()
        return
    if view is None:
        view = PopupView()
        app.screen.mount(view)
    view.apply(params)
    app.sync_terminal_cursor()


def mouse_to_popup(app: MultiplexerApp, kind: str, button: int, event: events.MouseEvent
                   ) -> None:
    """A mouse event while the popup is open: the server's popup decides (a drag on its
    border moves or resizes it)."""
    if app.client is None:
        return
    app.client.send_nowait(messages.POPUP_INPUT, {"mouse": {
        "kind": kind, "button": button, "x": event.screen_x, "y": event.screen_y,
        "meta": event.meta, "shift": event.shift, "ctrl": event.ctrl}})


def key_to_popup(app: MultiplexerApp, event: events.Key) -> None:
    """A key read while the popup is open: its bytes go to the server's popup."""
    data = textual_key_bytes(event.key, event.character)
    if not data or app.client is None:
        return
    try:
        params: dict[str, Any] = {"data": data.decode("utf-8")}
    except UnicodeDecodeError:
        params = {"data_b64": base64.b64encode(data).decode("ascii")}
    app.client.send_nowait(messages.POPUP_INPUT, params)
