"""Session groups (``new-session -t``), as tmux 3.3a's ``session.c`` keeps them: sessions
that share one set of windows.

Every member links the same windows at the same indexes (through the window links of
:mod:`.winlinks`); each keeps its own current window, last-window stack and clients. A
change one member makes to its windows (a window created, killed, moved, swapped, linked
or unlinked) is carried to the others after the command that made it
(:func:`synchronize`), as tmux's commands call ``session_group_synchronize_from``. A group
is named after the session it was made with (or the ``-t`` name when that is no session),
its members are listed in joining order, and it lasts while a member does, even one.

Invariants: after :func:`synchronize`, the members of a group have the same (index,
window id) pairs; a member's current window is one of its windows; a window that leaves
every member is destroyed.
"""

from __future__ import annotations

import itertools
from typing import TYPE_CHECKING

from .winlinks import LinkedWindow, places, shared_window

if TYPE_CHECKING:
    from .engine import Engine
    from .registry import Registry, Session

_JOINED = itertools.count(1)


def members(registry: Registry, group: str) -> list[Session]:
    """The sessions of ``group``, in the order they joined it."""
    return sorted((session for session in registry.sessions.values() if session.group == group),
                  key=lambda session: session.group_order)


def group_of(registry: Registry, session: Session) -> list[Session]:
    """``session``'s group's members (empty when it is in none)."""
    return members(registry, session.group) if session.group is not None else []


def join(session: Session, group: str) -> None:
    """Put ``session`` in ``group``."""
    session.group = group
    session.group_order = next(_JOINED)
    session.group_view = _view(session)


def is_linked(registry: Registry, session: Session, window_id: int) -> bool:
    """``#{window_linked}``: the window has more places than ``session``'s group has
    members (one for a session in no group), as tmux's ``session_is_linked``."""
    expected = max(1, len(group_of(registry, session)))
    return len(places(registry, window_id)) != expected


def _view(session: Session) -> tuple[tuple[int, int], ...]:
    return tuple(sorted((index, window.id) for index, window in session.windows.items()))


def synchronize(engine: Engine) -> None:
    """Make every group's members the same again after a command: the member whose windows
    changed since the last time is copied to the others."""
    registry = engine.registry
    names = {session.group for session in registry.sessions.values()
             if session.group is not None}
    for name in sorted(names):
        group = members(registry, name)
        views = {session.id: _view(session) for session in group}
        if len(group) > 1 and len(set(views.values())) > 1:
            changed = [session for session in group if views[session.id] != session.group_view]
            source = (changed or group)[0]
            for session in group:
                if views[session.id] != views[source.id]:
                    copy_windows(engine, source, session)
        for session in group:
            session.group_view = _view(session)


def copy_windows(engine: Engine, source: Session, target: Session) -> None:
    """Give ``target`` the windows of ``source`` at the same indexes, as tmux's
    ``session_group_synchronize1``: all of its places are made anew."""
    old = dict(target.windows)
    if target.current_index not in source.windows:
        later = sorted(index for index in source.windows if index > target.current_index)
        target.current_index = (later or sorted(source.windows))[0]
    target.windows.clear()
    added = []
    for index, window in sorted(source.windows.items()):  # every place anew, as tmux does
        place = LinkedWindow(shared_window(window), target, index)  # (links' order follows)
        target.windows[index] = place
        added.append(place)
    ids = {window.id for window in target.windows.values()}
    old_ids = {window.id for window in old.values()}
    target.last_windows = [window_id for window_id in target.last_windows if window_id in ids]
    for window in old.values():
        if window.id in ids:
            continue
        engine.registry.notify("window-close", window)
        if not places(engine.registry, window.id):
            engine.destroy_panes(window)
    for place in added:
        if place.id not in old_ids:
            engine.registry.notify("window-add", place)
