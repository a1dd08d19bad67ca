"""View mode in the client: the pane shows the lines of its server-side view mode
(``run-shell``'s output, :mod:`aisession_tui.server.view_mode`) as tmux draws
``window_view_mode`` - a copy mode over them, opened at their first line with the
``[N/N]`` position at the top right.

The view is a :class:`~aisession_tui.widgets.copy_mode.CopyMode` over the lines (the ones a
pane-high screen does not hold are its history, as in tmux's backing screen), so the
copy-mode key table moves, searches and copies in it; leaving it (``q``, Escape,
``cancel``) takes the pane out of view mode on the server
(:meth:`~aisession_tui.client.copy_mode.CopyModeCommands.leave`). New lines arriving
while it is open (a second ``run-shell``) are fetched again, keeping the position.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from aisession_tui.cli.client import ClientError
from aisession_tui.protocol import messages
from aisession_tui.widgets.copy_mode import CopyMode

if TYPE_CHECKING:
    from aisession_tui.client.app import MultiplexerApp
    from aisession_tui.widgets.pane_view import PaneView

VIEW_MODE = "view-mode"


def view_copy_mode(lines: list[Any], width: int, height: int) -> CopyMode:
    """A copy mode over ``lines`` as tmux's view shows them: the last ``height`` lines are
    the screen (padded with blank rows), the rest history, and the view scrolled to the
    top with the cursor on the first line."""
    height = max(1, height)
    split = max(0, len(lines) - height)
    screen = [*lines[split:], *([[]] * (height - len(lines[split:])))]
    copy = CopyMode(lines[:split], screen, width, height, (0, 0))
    copy.top = 0
    copy.line = 0
    copy.column = 0
    return copy


async def show_view(app: MultiplexerApp, view: PaneView, version: int) -> None:
    """Fetch the pane's view lines and show them (again, when new ones came)."""
    if app.client is None:
        return
    try:
        result = await app.client.request(messages.HISTORY,
                                          {"pane": view.pane_id, "view": True})
    except ClientError as exc:
        app.show_message(str(exc), error=True)
        return
    if app.server_modes.get(view.pane_id) != VIEW_MODE:
        return  # left while the lines were on their way
    old = view.copy_mode
    copy = view_copy_mode(list(result.get("lines", [])), view.columns, view.lines)
    copy.view_version = version  # type: ignore[attr-defined]
    if old is not None and getattr(old, "view_version", None) is not None:
        copy.take_position(old)
    view.copy_mode = copy
    mode_keys = await app.copy.pane_mode_keys(view.pane_id)
    copy.exclusive_end = mode_keys == "emacs"
    app.copy.copy_tables[view.pane_id] = "copy-mode-vi" if mode_keys == "vi" else "copy-mode"
    view.repaint()


def view_version(view: PaneView) -> int | None:
    """The version of the view the pane shows (None: it shows no view)."""
    copy = view.copy_mode
    return getattr(copy, "view_version", None) if copy is not None else None
