"""Whether a client's request waits: what makes a flooding pane give the event loop back.

A pane's reader (:meth:`aisession_tui.server.pane.Pane._on_readable`) feeds its output for
up to ``WAKE_BUDGET`` per wake-up. A request that arrived meanwhile used to wait for the
rest of that budget, and for another one when the loop ran the pane's reader before the
connection's in the next iteration: ~2 ms a request at p50 under a flood, 3x tmux's
(issue 17). Between two feeds the reader now asks :func:`waiting`, and stops when:

* a client socket, or the listening socket, has something to read (an ``epoll`` set of
  them, polled with no timeout: one system call, a few microseconds); or
* a request was read and its task created but not yet started (:func:`scheduled`, and
  :func:`started` when it begins or ends, from
  :class:`aisession_tui.server.daemon.Connection`).

Requests that are running (a ``wait-for``, a ``run-shell``) do not count: they may last
long and the panes must keep flowing meanwhile. The reader always feeds at least once every
other wake-up (see pane.py), so a socket nobody reads (a paused transport) cannot starve
a pane.

One probe per process (the server runs one loop); the descriptors are registered by the
connections themselves and forgotten when they close.
"""

from __future__ import annotations

import select

_epoll: select.epoll | None = None
_watched: set[int] = set()
_unstarted: set[object] = set()


def watch(fd: int) -> None:
    """Count ``fd`` readable as a request waiting (a client or the listening socket)."""
    global _epoll
    if fd < 0 or fd in _watched:
        return
    if _epoll is None:
        _epoll = select.epoll()
    try:
        _epoll.register(fd, select.EPOLLIN)
    except OSError:
        return
    _watched.add(fd)


def forget(fd: int) -> None:
    """Stop watching ``fd`` (call before it is closed: its number may be reused)."""
    if fd not in _watched:
        return
    _watched.discard(fd)
    if _epoll is not None:
        try:
            _epoll.unregister(fd)
        except (OSError, ValueError):
            pass


def scheduled(task: object) -> None:
    """A request's task was created (it runs in the loop's next iteration)."""
    _unstarted.add(task)


def started(task: object) -> None:
    """``task`` began, or ended without beginning (cancelled): no longer waiting."""
    _unstarted.discard(task)


def waiting() -> bool:
    """Whether a request or a connection waits for the loop."""
    if _unstarted:
        return True
    if not _watched or _epoll is None:
        return False
    try:
        return bool(_epoll.poll(0))
    except OSError:
        return False
