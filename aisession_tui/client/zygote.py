"""The renderer zygote: one warm process per server that forks a renderer per client.

Started by the server (:mod:`aisession_tui.server.renderer_host`) with a listening socket
and a pipe that reads end-of-file when the server is gone. It imports Textual and the
client's classes once (:func:`load`), then loops: each connection is accepted and at once
forked into a renderer (:func:`aisession_tui.client.renderer.serve`), which reads the thin
client's request and terminal itself, so a client that never sends anything ties up only
its own renderer. The zygote keeps each renderer's connection: when a renderer dies by a
signal or a failure exit, the zygote tells that client how it ended (one ``exit`` line,
the client restores its terminal) - no other client and not the server is touched.

Spares: once warm, the zygote keeps one spare renderer (:mod:`aisession_tui.client.spare`)
- forked after :data:`SPARE_AFTER_IDLE` without a new client, its app built and waiting in
one system call. A client that connects is handed to the spare (its connection passed down
the spare's own socket pair) instead of to a fresh fork, and the next spare is made once
the zygote is idle again. A spare that dies unused is replaced, later each time it keeps
dying (:data:`SPARE_RETRY_LIMIT`); when there is no spare, a client gets a fresh renderer.
A spare that took a client reports its terminal's size up its pair (one line, then it
closes its end): the zygote keeps the last one (:attr:`Zygote.size_hint`) and the next
spare, forked with it, is laid out at that size - nothing is written to disk, and the
hint ends with the zygote (so with its server).

Invariants: the zygote is single-threaded when it forks (its one headless warm-up run
has ended and left no thread); spares are forked from the zygote only, so a spare holds
no other client's connection, terminal or data;
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

HANDOFF = b"c"
"""Sent with a client's connection down a spare's pair (:mod:`aisession_tui.client.spare`)."""
WARM_AFTER_IDLE = 1.0
"""Seconds without a new client before the warm-up runs: the client that made the server
start its zygote (``new-session``) is served first, and its renderer starts without the
warm-up competing for the CPU."""
SPARE_AFTER_IDLE = 0.25
"""Seconds without a new client before the next spare is forked (after the warm-up): the
renderer just handed a client draws its first frame without a spare building beside it."""
SPARES_ENABLED = os.environ.get("AI_SESSION_SPARE", "1") != "0"
"""``AI_SESSION_SPARE=0`` in the server's environment: no spares, a fresh renderer per
client (the benchmark's comparison; a fallback should spares misbehave)."""
SIZE_REPORT_LIMIT = 64
"""Longest size report a spare sends (``COLUMNS LINES``, a newline)."""
SIZE_LIMIT = 10_000
"""Largest number of columns or lines a size report may name."""
SPARE_RETRY_LIMIT = 60.0
"""Longest wait before forking a spare again after spares kept dying unused (the delay
doubles from :data:`SPARE_AFTER_IDLE` with each such death)."""


def parse_size(data: bytes) -> tuple[int, int] | None:
    """A spare's size report (``b"COLUMNS LINES\\n"``) as numbers; None for anything else."""
    try:
        columns, lines = (int(word) for word in data.split())
    except ValueError:
        return None
    if 0 < columns <= SIZE_LIMIT and 0 < lines <= SIZE_LIMIT:
        return columns, lines
    return None


def load() -> None:
    """Import what a renderer needs, with the client's redraw cap, before any fork."""
    from aisession_tui.client.frame_rate import raise_frame_rate

    raise_frame_rate()
    # popup: imported lazily by the app on a real terminal only (the headless warm-up
    # never does it), so each renderer's first frame would import it again
    from aisession_tui.client import popup, renderer, spare  # noqa: F401


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
    """The accept-and-fork loop, with one spare renderer kept ready once warm."""

    def __init__(self, listener: socket.socket, parent_fd: int, server_socket: str = "") -> None:
        self.listener = listener
        self.parent_fd = parent_fd
        self.server_socket = server_socket
        """The server's socket, for spares to connect to early ("": they connect late)."""
        self.children: dict[int, socket.socket | None] = {}
        """Renderers by pid, with their client's connection (None: a spare still waiting)."""
        self.spare: tuple[int, socket.socket] | None = None
        """The waiting spare's pid and the zygote's end of its pair."""
        self.spare_deaths = 0
        """Spares that died in a row without serving (backs off :meth:`spare_delay`)."""
        self.spares_handed = 0
        """Clients handed to a spare (instead of a freshly forked renderer)."""
        self.size_hint: tuple[int, int] | None = None
        """The terminal size the last spare that took a client reported: the next spare
        is laid out at it (None: none reported yet)."""
        self.reporting: dict[int, socket.socket] = {}
        """The zygote's ends of the pairs of spares handed a client, by descriptor, until
        each reports its terminal's size (or ends)."""
        self.warmed = False
        self.idle_since = time.monotonic()
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

    def spare_delay(self) -> float:
        return min(SPARE_RETRY_LIMIT, SPARE_AFTER_IDLE * 2.0 ** self.spare_deaths)

    def timeout(self) -> float | None:
        """How long the loop may sleep: until the warm-up or the next spare is due, else
        until something happens (a client, a child's end, the server's)."""
        if not self.warmed:
            due = self.idle_since + WARM_AFTER_IDLE
        elif self.spare is None and SPARES_ENABLED:
            due = self.idle_since + self.spare_delay()
        else:
            return None
        return max(0.0, due - time.monotonic()) + 0.005

    def run(self) -> None:
        self.signals()
        while True:
            watched: list[socket.socket | int] = [self.listener, self.parent_fd,
                                                  self.wake_read, *self.reporting]
            try:
                ready, _, _ = select.select(watched, [], [], self.timeout())
            except InterruptedError:
                ready = []
            if self.parent_fd in ready:
                return  # the server is gone
            for fd in [fd for fd in ready if fd in self.reporting]:
                self.read_report(fd)
            if self.wake_read in ready:
                try:
                    os.read(self.wake_read, 4096)
                except BlockingIOError:
                    pass
            self.reap()
            if self.listener in ready:
                self.accept()
                self.idle_since = time.monotonic()
            elif not ready:
                self.idle()

    def idle(self) -> None:
        """Nobody waits: warm up once, then keep a spare (no client, no renderer starts
        beside either)."""
        idle = time.monotonic() - self.idle_since
        if not self.warmed:
            if idle >= WARM_AFTER_IDLE:
                warm()
                self.warmed = True
                self.signals()  # the warm-up's event loop may have replaced them
                self.idle_since = time.monotonic() - SPARE_AFTER_IDLE
        elif self.spare is None and SPARES_ENABLED and idle >= self.spare_delay():
            self.fork_spare()

    def accept(self) -> None:
        try:
            connection, _ = self.listener.accept()
        except (BlockingIOError, InterruptedError, ConnectionAbortedError):
            return
        if self.hand_to_spare(connection):
            return
        pid = os.fork()
        if pid == 0:
            self._become_renderer(connection)
        self.children[pid] = connection

    def hand_to_spare(self, connection: socket.socket) -> bool:
        """Pass ``connection`` to the waiting spare; False when there is none (or it
        just died: the client then gets a fresh renderer)."""
        if self.spare is None:
            return False
        pid, end = self.spare
        self.spare = None
        try:
            socket.send_fds(end, [HANDOFF], [connection.fileno()])
        except OSError:
            end.close()
            return False
        if pid not in self.children:
            end.close()
            return False
        end.setblocking(False)
        self.reporting[end.fileno()] = end  # its terminal's size comes up this end
        self.children[pid] = connection
        self.spare_deaths = 0
        self.spares_handed += 1
        return True

    def read_report(self, fd: int) -> None:
        """A spare handed a client reported its terminal's size (or ended)."""
        end = self.reporting.pop(fd)
        try:
            data = end.recv(SIZE_REPORT_LIMIT)
        except OSError:
            data = b""
        finally:
            end.close()
        size = parse_size(data)
        if size is not None:
            self.size_hint = size

    def fork_spare(self) -> None:
        ours, theirs = socket.socketpair()
        pid = os.fork()
        if pid == 0:
            ours.close()
            self._become_spare(theirs)
        theirs.close()
        self.spare = (pid, ours)
        self.children[pid] = None

    def _drop_zygote_state(self) -> None:
        """In a forked child: the zygote's signals, sockets and other children go."""
        signal.set_wakeup_fd(-1)
        for number in (signal.SIGCHLD, signal.SIGTERM, signal.SIGINT, signal.SIGHUP):
            signal.signal(number, signal.SIG_DFL)
        for other in self.children.values():
            if other is not None:
                other.close()
        if self.spare is not None:
            self.spare[1].close()
        for end in self.reporting.values():
            end.close()
        self.reporting = {}
        self.listener.close()
        for fd in (self.parent_fd, self.wake_read, self.wake_write):
            os.close(fd)

    def _become_renderer(self, connection: socket.socket) -> None:
        """In the forked child: drop the zygote's state and serve one client."""
        try:
            self._drop_zygote_state()
            from aisession_tui.client.renderer import serve

            serve(connection)
        finally:
            os._exit(1)

    def _become_spare(self, pair: socket.socket) -> None:
        """In the forked child: drop the zygote's state, build the app, wait."""
        try:
            self._drop_zygote_state()
            from aisession_tui.client.spare import serve_spare

            serve_spare(pair, self.server_socket, self.size_hint)
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
            if self.spare is not None and self.spare[0] == pid:
                self.spare[1].close()
                self.spare = None
                self.spare_deaths += 1
                self.idle_since = time.monotonic()
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
    parser.add_argument("--server-socket", default="",
                        help="the server's socket: spares connect to it before a client comes")
    options = parser.parse_args(argv)
    listener = socket.socket(fileno=options.listen_fd)
    listener.setblocking(False)
    load()
    Zygote(listener, options.parent_fd, options.server_socket).run()


if __name__ == "__main__":
    main()
