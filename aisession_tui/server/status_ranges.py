"""Where each window's entry sits on an attached client's status line.

The full-screen client draws the status line, so only it knows the cells each window's
entry took (the left part's length, ``status-justify``, the separators); it reports them
(``status-ranges``) whenever they change, and the server keeps the last report on the
client, as tmux keeps a client's status ranges. ``display-popup -x W`` / ``-y W`` read
them. A client that never reported (control clients, ``status off``) has none.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from ..protocol import messages
from .clients import AttachedClient

if TYPE_CHECKING:
    from .control import ControlClient
    from .peer import Peer


def handle_drawn(connection: Peer, params: dict[str, Any]) -> messages.Empty:
    """``status-ranges`` from a full-screen client: keep its window entries' cells
    (:attr:`AttachedClient.status_window_ranges`)."""
    client = connection.attached
    if client is None:
        return {}
    ranges: list[tuple[int, int, int]] = []
    for entry in params.get("windows") or []:
        try:
            start, end, index = (int(value) for value in entry)
        except (TypeError, ValueError):
            continue
        ranges.append((start, end, index))
    client.status_window_ranges = ranges
    return {}


def window_start(client: AttachedClient | ControlClient, index: int) -> int | None:
    """The first cell of window ``index``'s entry on ``client``'s status line, if drawn
    (a control client draws none)."""
    if not isinstance(client, AttachedClient):
        return None
    for start, _end, drawn in client.status_window_ranges:
        if drawn == index:
            return int(start)
    return None
