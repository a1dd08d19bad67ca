"""Where each window's entry sits on an attached client's status line.

The full-screen client draws the status line, so only it knows the cells each window's
entry took (the left part's length, ``status-justify``, the separators); it reports them
(``status-ranges``) whenever they change, and the server keeps the last report on the
client, as tmux keeps a client's status ranges. ``display-popup -x W`` / ``-y W`` read
them. A client that never reported (control clients, ``status off``) has none.
"""

from __future__ import annotations

from typing import Any

from ..protocol import messages

ATTRIBUTE = "status_window_ranges"
"""The attribute of the attached client that holds its last report."""


def handle_drawn(connection: Any, params: dict[str, Any]) -> messages.Empty:
    """``status-ranges`` from a full-screen client: keep its window entries' cells."""
    client = getattr(connection, "attached", None)
    if client is None:
        return {}
    ranges: list[tuple[int, int, int]] = []
    for entry in params.get("windows") or []:
        try:
            start, end, index = (int(value) for value in entry)
        except (TypeError, ValueError):
            continue
        ranges.append((start, end, index))
    setattr(client, ATTRIBUTE, ranges)
    return {}


def window_start(client: Any, index: int) -> int | None:
    """The first cell of window ``index``'s entry on ``client``'s status line, if drawn."""
    for start, _end, drawn in getattr(client, ATTRIBUTE, None) or []:
        if drawn == index:
            return int(start)
    return None
