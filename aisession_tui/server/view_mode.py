"""tmux's view mode (``window_view_mode``): a read-only copy-mode view of text a command
wrote for a pane - ``run-shell``'s output and its ``'cmd' returned N`` line.

:func:`add_lines` puts the pane in ``view-mode`` (``#{pane_mode}``; the mode is pushed, or
brought back to the top of the pane's mode stack, as ``window_pane_set_mode`` does) and
appends lines to the view. As tmux's ``window_copy_add``, each line's escape sequences
are interpreted (colours stay) and a line is cut at the pane's width; the view keeps its
first screen in sight while lines are added. A full-screen client draws the view as its
copy mode over these lines (it fetches them with the ``history`` request's ``view`` flag);
``q``, Escape and ``send-keys -X cancel`` leave it, and leaving drops the lines.

Invariant: a view holds at most :data:`VIEW_LINE_LIMIT` lines, the newest (tmux keeps
all; the bound keeps the server's memory safe). ``version`` grows with every change, so a
client sees that new lines arrived while the mode stayed the same.
"""

from __future__ import annotations

import weakref
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, ClassVar

from .events import ModelChanged
from .pane import Pane
from .pane_modes import VIEW_MODE

if TYPE_CHECKING:
    from ..terminal.style import Run
    from .clients import AttachedClient
    from .engine import Engine

VIEW_LINE_LIMIT = 10000
"""Lines a view keeps (the oldest are dropped first)."""


@dataclass
class ViewContent:
    """The lines of one pane's view, styled, and their width."""

    width: int
    lines: list[list[Run]] = field(default_factory=list)
    version: int = 0


@dataclass(frozen=True, eq=False)
class ViewChanged(ModelChanged):
    """Lines were added to a pane's view: its clients redraw it (no hook, as in tmux)."""

    what: ClassVar[str] = "view-changed"
    pane: Pane

    @property
    def subject(self) -> object:
        return self.pane


_VIEWS: weakref.WeakKeyDictionary[Pane, ViewContent] = weakref.WeakKeyDictionary()
"""Each pane's view content, while the pane is in view mode (gone with the pane)."""


def content(pane: Pane) -> ViewContent | None:
    """The pane's view, when it is in view mode (anywhere on its mode stack)."""
    view = _VIEWS.get(pane)
    if view is not None and VIEW_MODE not in pane.modes:
        del _VIEWS[pane]  # the mode was left: its lines go with it
        return None
    return view


def version(pane: Pane) -> int:
    """The view's version (0 without a view), sent to clients with the pane."""
    view = content(pane)
    return view.version if view is not None else 0


class LineWriter:
    """Writes lines as tmux's view does (``window_copy_vadd``): each on a fresh screen of the
    pane's size, its first row kept - escape sequences interpreted (``parse``; else any
    control character is dropped and the text taken as it is), cut at the width."""

    def __init__(self, width: int, height: int) -> None:
        from ..terminal.emulator import Emulator

        self.screen = Emulator(max(1, width), max(2, height), history_limit=0)

    def styled(self, text: str, *, parse: bool = True) -> list[Run]:
        """One line's cells as runs."""
        text = text.replace("\r", "").replace("\n", " ")
        if not parse:
            text = "".join(char for char in text if char >= " " and char != "\x7f")
        self.screen.feed(b"\x1bc" + text.encode())  # RIS: a blank screen, default style
        return [tuple(run) for run in self.screen.line_runs(0)]  # type: ignore[misc]


def add_lines(engine: Engine, pane: Pane, lines: list[str], *, parse: bool = True) -> None:
    """Show ``lines`` in the pane's view mode, entering it (or bringing it to the top);
    ``parse``: interpret their escape sequences (run-shell's output; a command's printed
    output is taken as it is, as tmux's ``cmdq_print``)."""
    from . import pane_modes

    if not lines:
        return
    view = content(pane)
    if view is None:
        view = _VIEWS[pane] = ViewContent(pane.emulator.columns)
    if pane_modes.top(pane) != VIEW_MODE:
        pane_modes.enter(engine, pane, VIEW_MODE)
    writer = LineWriter(view.width, pane.emulator.lines)
    view.lines.extend(writer.styled(line, parse=parse) for line in lines[-VIEW_LINE_LIMIT:])
    del view.lines[:-VIEW_LINE_LIMIT]
    view.version += 1
    engine.registry.events.publish(ViewChanged(pane))


def print_to_view(engine: Engine, client: AttachedClient | None, text: str) -> bool:
    """What a command run by a full-screen client printed, in the view mode of the
    client's current pane (tmux's ``cmdq_print`` for an attached client); False when
    there is no such client or its session is gone."""
    if client is None:
        return False
    session = client.session
    if session.id not in engine.registry.sessions:
        return False
    pane = session.current.active
    if pane is None:
        return False
    add_lines(engine, pane, text.splitlines(), parse=False)
    return True


def view_lines(pane: Pane) -> dict[str, Any]:  # a HistoryResult and its version
    """The view's lines for a client (the ``history`` request with ``view``)."""
    view = content(pane)
    if view is None:
        return {"history_size": 0, "lines": [], "version": 0}
    return {"history_size": len(view.lines), "lines": [list(map(list, line)) for line in view.lines],
            "version": view.version}
