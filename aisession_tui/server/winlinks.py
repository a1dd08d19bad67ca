"""Windows linked into several sessions (tmux's winlinks): ``link-window``, ``unlink-window``.

A window linked into another session (or twice into one) is the same window: its panes,
layout, name and options are shared. Each place it has is a *winlink*: a session, an
index in that session and the window. The registry keeps ``Session.windows`` mapping an
index to a :class:`Window`; the first place a window has holds the window object itself
and every further place holds a :class:`LinkedWindow`, a view of that same window with its
own ``index`` and ``session`` and every other attribute read from and written to the
shared window.

Invariants:
* two places of one window always have the same ``id`` (compare windows by id, not by
  identity, when links matter);
* a window lives while at least one session links it: unlinking its last place kills its
  panes (as tmux destroys a window whose last reference goes), and killing a window or
  closing its last pane removes every place it has;
* a session whose last window is unlinked goes away, as in tmux.
"""

from __future__ import annotations

import itertools
from dataclasses import fields
from typing import TYPE_CHECKING, Any

from .commands.spec import CommandError
from .registry import Registry, Session, Window

if TYPE_CHECKING:
    from .engine import Engine

_PER_LINK = frozenset({"index", "session", "link_order"})
_LINK_COUNTER = itertools.count(1)
_SHARED = frozenset(field.name for field in fields(Window)) - _PER_LINK


class LinkedWindow(Window):
    """A further place of a window: own ``index`` and ``session``, all else shared."""

    def __init__(self, shared: Window, session: Session, index: int) -> None:  # noqa: D107
        object.__setattr__(self, "shared", shared_window(shared))
        object.__setattr__(self, "session", session)
        object.__setattr__(self, "index", index)
        object.__setattr__(self, "link_order", next(_LINK_COUNTER))

    def __getattribute__(self, name: str) -> Any:
        if name in _SHARED:
            return getattr(object.__getattribute__(self, "shared"), name)
        return object.__getattribute__(self, name)

    def __setattr__(self, name: str, value: Any) -> None:
        if name in _SHARED:
            setattr(object.__getattribute__(self, "shared"), name, value)
        else:
            object.__setattr__(self, name, value)

    def __repr__(self) -> str:
        return f"LinkedWindow(@{self.id}, ${self.session.id}:{self.index})"


def shared_window(window: Window) -> Window:
    """The window object a place (link) shows."""
    return window.shared if isinstance(window, LinkedWindow) else window


def places(registry: Registry, window_id: int) -> list[tuple[Session, Window]]:
    """Every (session, place) of window ``@window_id``, in the order they were linked
    (the window's first place first), as tmux lists them."""
    found = [(session, place) for session in registry.sessions.values()
             for place in session.windows.values() if place.id == window_id]
    return sorted(found, key=lambda pair: getattr(pair[1], "link_order", 0))


def linked_sessions(registry: Registry, window_id: int) -> list[Session]:
    """The sessions that link the window, once each (``#{window_linked_sessions_list}``)."""
    seen: list[Session] = []
    for session, _ in places(registry, window_id):
        if session not in seen:
            seen.append(session)
    return seen


def is_linked(registry: Registry, window_id: int) -> bool:
    """True when the window has more than one place (``#{window_linked}``)."""
    return len(places(registry, window_id)) > 1


def best_place(registry: Registry, window_id: int) -> tuple[Session, Window] | None:
    """Where target ``@N`` (or a pane of it) points, as tmux picks it: the most recently
    used session that links the window, at its current window if that is this one, else
    at the window's first index there."""
    found = places(registry, window_id)
    if not found:
        return None
    best = max(linked_sessions(registry, window_id),
               key=lambda session: (session.last_used, session.id))
    mine = [place for session, place in found if session is best]
    current = [place for place in mine if place.index == best.current_index]
    return best, (current or mine)[0]


def shuffle_up(session: Session, anchor: int, *, before: bool) -> int:
    """Free the index just after (``before``: at) ``anchor`` by moving the windows from
    there up to the next gap one index up, as tmux's ``-a`` / ``-b``; that index."""
    index = anchor if before else anchor + 1
    gap = index
    while gap in session.windows:
        gap += 1
    current = session.current_index
    for old in range(gap - 1, index - 1, -1):
        moving = session.windows.pop(old)
        moving.index = old + 1
        session.windows[old + 1] = moving
    if index <= current < gap:
        session.current_index = current + 1
    return index


def link_window(engine: Engine, window: Window, target_session: Session, index: int | None,
                *, kill: bool, select: bool) -> Window:
    """Give ``window`` a further place in ``target_session`` at ``index`` (the first free
    one from ``base-index`` when None), as tmux's ``link-window`` does. ``kill`` first
    unlinks a different window already at that index (destroyed if that was its last
    place; a current window replaced this way makes the new place current); ``select``
    makes the new place current."""
    occupant = None
    if index is None:
        index = target_session.next_free_index(engine.base_index(target_session))
    else:
        occupant = target_session.windows.get(index)
    if occupant is not None:
        if occupant.id == window.id:
            raise CommandError(f"same index: {index}")
        if not kill:
            raise CommandError(f"index in use: {index}")
        if occupant.index == target_session.current_index:
            select = True
        target_session.forget_last(occupant)
    place = LinkedWindow(window, target_session, index)
    target_session.windows[index] = place
    if occupant is not None:
        if not places(engine.registry, occupant.id):
            engine.destroy_panes(occupant)
        engine.registry.notify("window-close", occupant)
    if select:
        target_session.select_window(place)
    engine.registry.notify("window-add", place)
    return place


def unlink_window(engine: Engine, session: Session, place: Window, *, kill: bool) -> None:
    """Remove one place of a window (``unlink-window``). Without ``kill`` the window must
    be linked elsewhere too; with it, a window left with no place is destroyed, and a
    session left with no window goes away."""
    if len(places(engine.registry, place.id)) < 2:
        if not kill:
            raise CommandError("window only linked to one session")
        engine.kill_window(session, place, renumber=False)  # tmux does not renumber here
        return
    engine.unlink_place(session, place, renumber=False)
