"""The renderer zygote: one warm process per server that forks a renderer per client.

Started by the server (:mod:`aisession_tui.server.renderer_host`) with a listening socket
and a pipe that reads end-of-file when the server is gone. It imports Textual and the
client's classes once (:func:`load`), then loops: each connection is accepted and at once
forked into a renderer (:func:`aisession_tui.client.renderer.serve`), which reads the thin
client's request and terminal itself, so a client that never sends anything ties up only
its own renderer. The zygote keeps each renderer's connection: when a renderer dies by a
signal or a failure exit, the zygote tells that client how it ended (one ``exit`` line,
the client restores its terminal) - no other client and not the server is touched.

Invariants: the zygote is single-threaded when it forks (its one headless warm-up run
has ended and left no thread);
it never reads a client's data; children are reaped on SIGCHLD (a self-pipe wakes the
loop); it exits when the server does, leaving its renderers to end with their own server
connections. After :data:`WARM_AFTER_IDLE` without a new client it runs the app once
headless (:func:`warm`), so later renderers skip what Textual does on an app's first run;
the first client, the one that made the server start its zygote, never waits for that.
"""

from __future__ import annotations

import argparse
import gc
import json
import os
import select
import signal
import socket
import sys
import time

WARM_AFTER_IDLE = 1.0
"""Seconds without a new client before the warm-up runs: the client that made the server
start its zygote (``new-session``) is served first, and its renderer starts without the
warm-up competing for the CPU."""


def load() -> None:
    """Import what a renderer needs, with the client's redraw cap, before any fork."""
    from aisession_tui.client.frame_rate import raise_frame_rate

    raise_frame_rate()
    from aisession_tui.client import renderer  # noqa: F401


def warm() -> None:
    """Run the app once headless (:func:`aisession_tui.client.renderer.warm`), then freeze:
    what is here now is shared by every renderer, no collection of theirs scans it, and
    it stays shared (copy-on-write) instead of being touched by their collections."""
    from aisession_tui.client import renderer

    renderer.warm()
    gc.collect()
    gc.freeze()


def describe_status(status: int) -> str:
    """How a renderer ended, in words."""
    if os.WIFSIGNALED(status):
        number = os.WTERMSIG(status)
        try:
            name = signal.Signals(number).name
        except ValueError:
            name = f"signal {number}"
        return f"killed by {name}"
    return f"exit status {os.WEXITSTATUS(status)}"


def death_notice(status: int) -> bytes:
    """The ``exit`` line a client gets when its renderer died without sending its own."""
    text = (f"ai-session: the client's renderer died ({describe_status(status)}); "
            "the session is still running: attach again\n")
    return (json.dumps({"exit": 1, "stderr": text, "renderer_died": True}) + "\n").encode()


class Zygote:
    """The accept-and-fork loop."""

    def __init__(self, listener: socket.socket, parent_fd: int) -> None:
        self.listener = listener
        self.parent_fd = parent_fd
        self.children: dict[int, socket.socket] = {}
        self.wake_read, self.wake_write = os.pipe()
        os.set_blocking(self.wake_write, False)
        os.set_blocking(self.wake_read, False)

    def signals(self) -> None:
        """SIGCHLD wakes the loop; SIGTERM ends the zygote; SIGINT/SIGHUP do nothing."""
        signal.set_wakeup_fd(self.wake_write)
        signal.signal(signal.SIGCHLD, lambda *_: None)
        signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))
        signal.signal(signal.SIGINT, signal.SIG_IGN)
        signal.signal(signal.SIGHUP, signal.SIG_IGN)

    def run(self) -> None:
        self.signals()
        watched: list[socket.socket | int] = [self.listener, self.parent_fd, self.wake_read]
        warmed = False
        idle_since = time.monotonic()
        while True:
            try:
                ready, _, _ = select.select(watched, [], [], 5.0 if warmed else 0.1)
            except InterruptedError:
                ready = []
            if self.parent_fd in ready:
                return  # the server is gone
            if self.wake_read in ready:
                try:
                    os.read(self.wake_read, 4096)
                except BlockingIOError:
                    pass
            self.reap()
            if self.listener in ready:
                self.accept()
                idle_since = time.monotonic()
            elif not ready and not warmed and time.monotonic() - idle_since >= WARM_AFTER_IDLE:
                warm()  # idle: no client waits for it, no renderer starts beside it
                warmed = True
                self.signals()  # the warm-up's event loop may have replaced them

    def accept(self) -> None:
        try:
            connection, _ = self.listener.accept()
        except (BlockingIOError, InterruptedError, ConnectionAbortedError):
            return
        pid = os.fork()
        if pid == 0:
            self._become_renderer(connection)
        self.children[pid] = connection

    def _become_renderer(self, connection: socket.socket) -> None:
        """In the forked child: drop the zygote's state and serve one client."""
        try:
            signal.set_wakeup_fd(-1)
            for number in (signal.SIGCHLD, signal.SIGTERM, signal.SIGINT, signal.SIGHUP):
                signal.signal(number, signal.SIG_DFL)
            for other in self.children.values():
                other.close()
            self.listener.close()
            for fd in (self.parent_fd, self.wake_read, self.wake_write):
                os.close(fd)
            from aisession_tui.client.renderer import serve

            serve(connection)
        finally:
            os._exit(1)

    def reap(self) -> None:
        """Collect exited renderers; tell the client of one that died."""
        while self.children:
            try:
                pid, status = os.waitpid(-1, os.WNOHANG)
            except ChildProcessError:
                return
            if pid == 0:
                return
            connection = self.children.pop(pid, None)
            if connection is None:
                continue
            if not (os.WIFEXITED(status) and os.WEXITSTATUS(status) == 0):
                try:
                    connection.setblocking(False)
                    connection.send(death_notice(status))
                except OSError:
                    pass
            connection.close()


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="ai-session-renderer-zygote")
    parser.add_argument("--listen-fd", type=int, required=True)
    parser.add_argument("--parent-fd", type=int, required=True)
    options = parser.parse_args(argv)
    listener = socket.socket(fileno=options.listen_fd)
    listener.setblocking(False)
    load()
    Zygote(listener, options.parent_fd).run()


if __name__ == "__main__":
    main()
