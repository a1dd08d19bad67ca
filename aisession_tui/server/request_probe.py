"""Whether a client's request waits: what makes a flooding pane give the event loop back.

A pane's reader (:meth:`aisession_tui.server.pane.Pane._on_readable`) feeds its output for
up to ``WAKE_BUDGET`` per wake-up. A request that arrived meanwhile used to wait for the
rest of that budget, and for another one when the loop ran the pane's reader before the
connection's in the next iteration: ~2 ms a request at p50 under a flood, 3x tmux's
(issue 17). Between two feeds the reader now asks :meth:`RequestProbe.waiting`, and stops
when:

* a client socket, or the listening socket, has something to read (an ``epoll`` set of
  them, polled with no timeout: one system call, a few microseconds); or
* a request was read and its task created but not yet started
  (:meth:`~RequestProbe.scheduled`, and :meth:`~RequestProbe.started` when it begins or
  ends, from :class:`aisession_tui.server.daemon.Connection`).

Requests that are running (a ``wait-for``, a ``run-shell``) do not count: they may last
long and the panes must keep flowing meanwhile. The reader always feeds at least once every
other wake-up (see pane.py), so a socket nobody reads (a paused transport) cannot starve
a pane.

One probe per server, owned by its :class:`~aisession_tui.server.services.Services` and
handed to whoever uses it: the engine, which gives it to every pane it starts, a popup's
pane (``display-popup``), and the daemon's connections and listening sockets, which
register their descriptors and forget them when they close. A pane made without one
never gives way.
"""

from __future__ import annotations

import select


class RequestProbe:
    """The server's client sockets and request tasks, and whether any of them waits."""

    __slots__ = ("_epoll", "_watched", "_unstarted")

    def __init__(self) -> None:
        self._epoll: select.epoll | None = None
        self._watched: set[int] = set()
        self._unstarted: set[object] = set()

    def watch(self, fd: int) -> None:
        """Count ``fd`` readable as a request waiting (a client or the listening socket)."""
        if fd < 0 or fd in self._watched:
            return
        if self._epoll is None:
            self._epoll = select.epoll()
        try:
            self._epoll.register(fd, select.EPOLLIN)
        except OSError:
            return
        self._watched.add(fd)

    def forget(self, fd: int) -> None:
        """Stop watching ``fd`` (call before it is closed: its number may be reused)."""
        if fd not in self._watched:
            return
        self._watched.discard(fd)
        if self._epoll is not None:
            try:
                self._epoll.unregister(fd)
            except (OSError, ValueError):
                pass

    def scheduled(self, task: object) -> None:
        """A request's task was created (it runs in the loop's next iteration)."""
        self._unstarted.add(task)

    def started(self, task: object) -> None:
        """``task`` began, or ended without beginning (cancelled): no longer waiting."""
        self._unstarted.discard(task)

    def waiting(self) -> bool:
        """Whether a request or a connection waits for the loop (the pane's hot path)."""
        if self._unstarted:
            return True
        epoll = self._epoll
        if epoll is None or not self._watched:
            return False
        try:
            return bool(epoll.poll(0))
        except OSError:
            return False


def no_request_waits() -> bool:
    """The probe of a pane made without one (a test's): nothing ever waits."""
    return False
