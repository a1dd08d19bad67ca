"""Sessions > windows > panes, with tmux's ids, names and indexes.

Invariants:
* ids are unique for the server's life and never reused: ``$N`` sessions, ``@N`` windows,
  ``%N`` panes (counters start at 0 like tmux);
* a live session has at least one window, a window at least one pane; removing the last
  pane removes the window, removing the last window removes the session;
* a window's panes are exactly the leaves of its :class:`Layout`, and their order (the pane
  index) is the layout's order;
* ``Session.windows`` is keyed by window index, kept sorted;
* ``Window.session`` is the session whose ``windows`` holds the window: moving a window
  (or a pane's new window) to another session updates it, so formats such as
  ``#{session_name}`` follow the move.

The registry knows nothing about sockets or clients; :meth:`Registry.notify` publishes
each change as a typed event (:mod:`aisession_tui.server.events`) on the bus it was given.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, field

from .events import EventBus, model_event
from .layout import Layout
from .pane import Pane


@dataclass
class Window:
    """A window: a layout of panes, an index in its session, a name."""

    id: int
    index: int
    session: Session
    layout: Layout
    panes: dict[int, Pane] = field(default_factory=dict)
    name: str = ""
    automatic_rename: bool = True
    active_pane: int = 0
    last_pane: int | None = None
    created: float = field(default_factory=time.time)
    activity: float = field(default_factory=time.time)
    activity_flag: bool = False
    bell_flag: bool = False
    """A bell rang in the window while it was not current (tmux's ``!``)."""
    silence_flag: bool = False
    """The window fell silent (``monitor-silence``) while it was not current (``~``)."""
    pane_base_index: int = 0
    """The window's ``pane-base-index`` option (kept current by ``option_effects``)."""
    namer: Callable[[Window], str | None] | None = field(default=None, repr=False,
                                                         compare=False)
    """Computes the automatic name (``option_effects.AutomaticNamer``); None: the
    active pane's command."""

    def ordered_panes(self) -> list[Pane]:
        """Panes in index order."""
        return [self.panes[pane_id] for pane_id in self.layout.panes() if pane_id in self.panes]

    def pane_index(self, pane: Pane) -> int:
        """The pane's index: its place in the layout plus ``pane-base-index``."""
        return self.layout.panes().index(pane.id) + self.pane_base_index

    @property
    def active(self) -> Pane:
        """The active pane."""
        return self.panes[self.active_pane]

    def select_pane(self, pane: Pane) -> None:
        """Make ``pane`` active, remembering the previous one for ``last-pane``."""
        if pane.id != self.active_pane:
            self.last_pane = self.active_pane
            self.active_pane = pane.id

    def display_name(self) -> str:
        """The window's name: the user's, or its automatic name (``namer``, set from a
        non-default ``automatic-rename-format``, else the active pane's command)."""
        if self.name and not self.automatic_rename:
            return self.name
        if self.namer is not None and self.panes:
            named = self.namer(self)
            if named is not None:
                return named
        if self.panes:
            found = self.active.current_command()
            if found:
                return found
        return self.name


@dataclass
class Session:
    """A session: windows by index, a current window, the environment panes start with."""

    id: int
    name: str
    cwd: str
    env: dict[str, str]
    windows: dict[int, Window] = field(default_factory=dict)
    current_index: int = 0
    last_windows: list[int] = field(default_factory=list)
    created: float = field(default_factory=time.time)
    last_used: float = field(default_factory=time.time)
    attached: int = 0
    ai_context: bool = False
    max_tokens: int | None = None
    group: str | None = None
    """The name of the session group it is in (``new-session -t``; see session_groups.py)."""
    group_order: int = 0
    """When it joined its group (members are listed in joining order)."""
    group_view: tuple[tuple[int, int], ...] = ()
    """Its (index, window id) pairs when its group was last made the same."""

    @property
    def current(self) -> Window:
        """The current window."""
        return self.windows[self.current_index]

    def ordered_windows(self) -> list[Window]:
        """Windows by index."""
        return [self.windows[index] for index in sorted(self.windows)]

    @property
    def last_index(self) -> int | None:
        """The index of the most recently left window that still exists (``-`` flag)."""
        for window in self.windows.values():
            if self.last_windows and window.id == self.last_windows[0]:
                return window.index
        return None

    def forget_last(self, window: Window) -> None:
        """Drop ``window`` from the stack of previously current windows."""
        if window.id in self.last_windows:
            self.last_windows.remove(window.id)

    def select_window(self, window: Window) -> None:
        """Make ``window`` current, pushing the previous one on the ``last-window`` stack
        (most recent first, as tmux keeps it)."""
        if window.index != self.current_index:
            previous = self.windows.get(self.current_index)
            if previous is not None:
                self.forget_last(previous)
                self.last_windows.insert(0, previous.id)
            self.forget_last(window)
            self.current_index = window.index
        window.activity_flag = window.bell_flag = window.silence_flag = False
        self.last_used = time.time()

    def next_free_index(self, start: int = 0) -> int:
        """The lowest unused window index >= ``start`` (``base-index`` 0)."""
        index = start
        while index in self.windows:
            index += 1
        return index


class Registry:
    """All sessions of one server, plus the id counters."""

    def __init__(self, events: EventBus | None = None) -> None:
        self.events = events if events is not None else EventBus()
        self.sessions: dict[int, Session] = {}
        self._next_session = 0
        self._next_window = 0
        self._next_pane = 0

    # ---------------------------------------------------------------- ids
    def peek_session_id(self) -> int:
        """The ``$N`` the next session will get."""
        return self._next_session

    def new_session_id(self) -> int:
        """A fresh ``$N``."""
        value = self._next_session
        self._next_session += 1
        return value

    def new_window_id(self) -> int:
        """A fresh ``@N``."""
        value = self._next_window
        self._next_window += 1
        return value

    def new_pane_id(self) -> int:
        """A fresh ``%N``."""
        value = self._next_pane
        self._next_pane += 1
        return value

    # ------------------------------------------------------------- queries
    def ordered_sessions(self) -> list[Session]:
        """Sessions sorted by name, as ``list-sessions`` prints them."""
        return sorted(self.sessions.values(), key=lambda session: session.name)

    def session_by_name(self, name: str) -> Session | None:
        """Exact name match."""
        for session in self.sessions.values():
            if session.name == name:
                return session
        return None

    def all_windows(self) -> list[Window]:
        """Every window, by session name then index."""
        return [w for s in self.ordered_sessions() for w in s.ordered_windows()]

    def all_panes(self) -> list[tuple[Session, Window, Pane]]:
        """Every pane with its session and window."""
        return [(s, w, p) for s in self.ordered_sessions() for w in s.ordered_windows()
                for p in w.ordered_panes()]

    def find_pane(self, pane_id: int) -> tuple[Session, Window, Pane] | None:
        """The pane ``%pane_id`` with its session and window."""
        for session in self.sessions.values():
            for window in session.windows.values():
                pane = window.panes.get(pane_id)
                if pane is not None:
                    return session, window, pane
        return None

    def find_window(self, window_id: int) -> tuple[Session, Window] | None:
        """The window ``@window_id`` with its session."""
        for session in self.sessions.values():
            for window in session.windows.values():
                if window.id == window_id:
                    return session, window
        return None

    def most_recent_session(self) -> Session | None:
        """The most recently used session (tmux's default target)."""
        if not self.sessions:
            return None
        return max(self.sessions.values(), key=lambda session: (session.last_used,
                                                                 session.id))

    def notify(self, what: str, subject: object) -> None:
        """Publish the change (``session-closed``, ``layout``, ...) as its typed event."""
        self.events.publish(model_event(what, subject))
