"""Window sizes from the attached clients: tmux 3.3a's ``window-size`` and
``aggressive-resize`` (its resize.c).

A window's size follows the clients whose session holds it:

* ``largest`` / ``smallest``: the largest / smallest width and height among them;
* ``latest``: the one client that was active last in the window (attached to it, resized,
  typed, selected it) when several hold it; the only one when there is one;
* ``manual``: the size ``resize-window`` gave it (or its size when the policy first saw it);
* ``aggressive-resize``: only the clients showing the window as their current one count.

Invariants:
* a client counts when it shows a session: an attached client with its pane area
  (``columns`` x ``lines``, the status line already left out), a control client once
  ``refresh-client -C`` gave it a size (it has no status line); a client flagged
  ``ignore-size`` (``attach -r``) counts only while every client showing a session is;
* a window no client counts for keeps its size (a session grows back at once when the
  client that shrank it leaves, since the size is recomputed from the clients left);
* as in tmux, a window that is not the current window of an attached session keeps its
  size until it becomes current (a pending size), unless the resize is immediate
  (``refresh-client -C``, ``resize-window``);
* when the client that was latest in a window leaves, the most recent other client
  showing the window becomes latest (server_client_attached_lost).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import TYPE_CHECKING

from .client_flags import Client, is_control

if TYPE_CHECKING:
    from .engine import Engine
    from .registry import Window

Size = tuple[int, int]


def _sized(client: Client) -> bool:
    """A client that shows a session and is not leaving or suspended (tmux's
    ``CLIENT_NOSIZEFLAGS`` unset)."""
    if is_control(client):
        return client.session is not None and not client.exiting
    return not client.suspended


def counts(client: Client, clients: Iterable[Client] = ()) -> bool:
    """Whether ``client``'s size counts (tmux's ignore_client_size, negated): an
    ``ignore-size`` client does not while any client of ``clients`` without it shows a
    session."""
    if is_control(client) and (client.session is None or client.exiting):
        return False
    if "ignore-size" in client.flags and any(
            _sized(other) and "ignore-size" not in other.flags for other in clients):
        return False
    if is_control(client):  # only once it has a size
        return client.size_set
    return True


def client_size(client: Client) -> Size:
    """The window area ``client`` offers."""
    return max(1, int(client.columns)), max(1, int(client.lines))


class WindowSizes:
    """Computes and applies every window's size from the clients ``clients()`` lists
    (oldest first); remembers each window's latest client, manual and pending size."""

    def __init__(self, engine: Engine, clients: Callable[[], Iterable[Client]]) -> None:
        self.engine = engine
        self.clients = clients
        self.latest: dict[int, Client] = {}
        """Window id -> the client that was active last in it."""
        self.manual: dict[int, Size] = {}
        """Window id -> its ``window-size manual`` size."""
        self.pending: dict[int, Size] = {}
        """Window id -> a size it takes when it becomes current in an attached session."""
        self.busy = False

    # ------------------------------------------------------------ what happened
    def make_latest(self, client: Client) -> None:
        """``client`` was active (attached, resized, typed, selected a window): it becomes
        the latest client of its session's current window (server_client_update_latest)."""
        session = client.session
        if session is None or session.id not in self.engine.registry.sessions:
            return
        window = session.current
        if self.latest.get(window.id) is client:
            return
        self.latest[window.id] = client
        if self._option(window, "window-size") == "latest":
            self.recalculate_window(window, now=False)

    def client_lost(self, client: Client) -> None:
        """``client`` left: each window it was latest in passes to the most recent other
        client showing it as its current window."""
        for window_id, latest in list(self.latest.items()):
            if latest is not client:
                continue
            del self.latest[window_id]
            found = None
            for other in self.clients():
                session = other.session
                if other is client or session is None or \
                        session.id not in self.engine.registry.sessions:
                    continue
                if session.current.id == window_id:
                    found = other  # oldest first: the last one is the most recent
            if found is not None:
                self.make_latest(found)

    def set_manual(self, window: Window, size: Size) -> None:
        """``resize-window`` gave ``window`` this size: it stays there (window-size
        manual, set by the caller)."""
        self.manual[window.id] = size
        self.pending.pop(window.id, None)

    # --------------------------------------------------------------- computing
    def _option(self, window: Window, name: str) -> str:
        return self.engine.options.get(name, f"@{window.id}", f"${window.session.id}")

    def wanted(self, window: Window) -> Size | None:
        """The size the clients give ``window`` (clients_calculate_size); None: keep it."""
        kind = self._option(window, "window-size")
        own = (window.layout.width, window.layout.height)
        manual = self.manual.setdefault(window.id, own)
        if kind == "manual":
            return manual
        aggressive = self.engine.options.flag("aggressive-resize", f"@{window.id}",
                                              f"${window.session.id}")
        clients = list(self.clients())
        holders = [client for client in clients
                   if counts(client, clients) and client.session is window.session]
        if kind == "latest" and len(holders) > 1:
            holders = [client for client in holders if client is self.latest.get(window.id)]
        if aggressive and window.session.current is not window:
            holders = []  # the holders show window.session: none shows this window
        sizes = [client_size(client) for client in holders]
        if not sizes:
            return None
        pick = max if kind == "largest" else min
        return pick(size[0] for size in sizes), pick(size[1] for size in sizes)

    def _is_current(self, window: Window) -> bool:
        session = window.session
        return session.attached > 0 and session.current is window

    def recalculate_window(self, window: Window, now: bool) -> None:
        """Give ``window`` its wanted size: now when asked or when it is current in an
        attached session, else when it becomes current (recalculate_size)."""
        if not window.panes:
            return
        size = self.wanted(window)
        own = (window.layout.width, window.layout.height)
        if size is not None:
            if now or self._option(window, "window-size") == "manual":
                self.pending.pop(window.id, None)
                if size != own:
                    self.engine.resize_window(window, *size)
                return
            if size != own:
                self.pending[window.id] = size
            else:
                self.pending.pop(window.id, None)
        pending = self.pending.get(window.id)
        if pending is not None and self._is_current(window):  # check_window_resize
            del self.pending[window.id]
            if pending != own:
                self.engine.resize_window(window, *pending)

    def recalculate(self, now: bool = False) -> None:
        """Recompute every window (recalculate_sizes); pending sizes of windows that
        became current are applied."""
        if self.busy:
            return
        self.busy = True
        try:
            registry = self.engine.registry
            live = set()
            for session in list(registry.sessions.values()):
                for window in session.ordered_windows():
                    live.add(window.id)
                    self.recalculate_window(window, now)
            for table in (self.latest, self.manual, self.pending):
                for window_id in [key for key in table if key not in live]:
                    del table[window_id]
        finally:
            self.busy = False
