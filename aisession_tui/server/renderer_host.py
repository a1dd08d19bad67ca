"""The renderer zygote as the server sees it: started on first use, ended with the server.

A thin client (:mod:`aisession_tui.cli.thin_attach`) asks for it with the ``renderer``
request and gets the path of the zygote's socket back at once. On the first request the
server binds that socket itself (``.NAME.renderer`` beside its own socket, mode 0600) and
starts ``python -E -P -m aisession_tui.client.zygote`` with the listening descriptor (and
the server's own socket, which its spare renderers connect to before a client comes), so a
client that connects while the zygote is still importing Textual simply waits in the
listen backlog. The zygote also gets the read end of a pipe whose write end only this
process holds: when the server exits, even by SIGKILL, the zygote sees end-of-file and goes.

The socket file is this host's while it carries the stamp the host gave it when it bound
it: its inode number and a random modification time (:meth:`RendererHost._stamp`). The
inode number alone does not say it: a next server on the same name (started once this one
stopped listening, or a second server racing this one's start) unlinks the path and binds
its own there, and the file system hands the freed inode number straight out again (ext4
does; a stopping server then removed the next server's socket, whose thin clients found no
zygote and ran the in-process client: the cold start's blank and ``[]`` frames).

Invariants: the server never imports Textual or Rich (the zygote is another program); a
dead zygote, or one whose socket is no longer this host's (another server took the path),
is replaced on the next request (new socket, new process); nothing here blocks the loop
for longer than a fork and exec; :meth:`RendererHost.close` removes the socket first (only
while it is this host's), then ends the zygote; the renderers it forked end with their own
server connections.
"""

from __future__ import annotations

import logging
import os
import socket
import subprocess
import sys
import time
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from .peer import Peer

log = logging.getLogger("aisession_tui.server")

ZYGOTE_MODULE = "aisession_tui.client.zygote"


def zygote_socket_path(server_socket: Path) -> Path:
    """Where the zygote of the server on ``server_socket`` listens."""
    return server_socket.parent / f".{server_socket.name}.renderer"


class RendererHost:
    """Starts and ends the renderer zygote of one server."""

    def __init__(self, server_socket: Path) -> None:
        self.server_socket = server_socket
        self.path = zygote_socket_path(server_socket)
        self.process: subprocess.Popen[bytes] | None = None
        self._parent_end: int | None = None
        """The pipe's write end: the zygote reads end-of-file when this process is gone."""
        self._bound: tuple[int, int] | None = None
        """The stamp of the socket this host bound at :attr:`path`: its inode number and
        modification time (None: none yet, or it was removed)."""
        self._retired: list[subprocess.Popen[bytes]] = []
        """Zygotes replaced while running (their socket taken): reaped once they end."""

    def handle(self, connection: Peer, params: dict[str, Any]) -> dict[str, Any]:
        """The ``renderer`` request: the zygote's socket (starting it when needed)."""
        self.ensure()
        return {"path": str(self.path)}

    def ensure(self) -> None:
        """Start the zygote unless one is running on a socket that is still this host's."""
        self._retired = [process for process in self._retired if process.poll() is None]
        if self.process is not None and self.process.poll() is None:
            if self._owns_path():
                return
            # another server took the path: this zygote is out of reach; it ends when its
            # pipe closes (_forget), and the next one listens on a fresh socket
            log.warning("the renderer zygote's socket %s was replaced; starting another",
                        self.path)
            self._retired.append(self.process)
        self._forget()
        listener = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        read_end, write_end = os.pipe()
        try:
            try:
                self.path.unlink()
            except FileNotFoundError:
                pass
            old_umask = os.umask(0o177)
            try:
                listener.bind(str(self.path))
            finally:
                os.umask(old_umask)
            self._bound = self._stamp()
            listener.listen(64)
            self.process = subprocess.Popen(
                [sys.executable, "-E", "-P", "-m", ZYGOTE_MODULE,
                 "--listen-fd", str(listener.fileno()), "--parent-fd", str(read_end),
                 "--server-socket", str(self.server_socket)],
                pass_fds=(listener.fileno(), read_end), stdin=subprocess.DEVNULL,
                stdout=subprocess.DEVNULL, start_new_session=True, close_fds=True)
        except OSError:
            os.close(write_end)
            raise
        finally:
            listener.close()
            os.close(read_end)
        self._parent_end = write_end
        log.info("renderer zygote started (pid %d) on %s", self.process.pid, self.path)

    def _stamp(self) -> tuple[int, int]:
        """Give the socket just bound at :attr:`path` a modification time no other bind
        shares (a random nanosecond in the current second) and return its stamp."""
        now = time.time_ns()
        os.utime(self.path, ns=(now, now - now % 1_000_000_000
                                + int.from_bytes(os.urandom(4), "big") % 1_000_000_000))
        status = os.stat(self.path)
        return status.st_ino, status.st_mtime_ns

    def _owns_path(self) -> bool:
        """Whether the file at :attr:`path` is still the socket this host bound."""
        try:
            status = os.stat(self.path)
        except OSError:
            return False
        return (status.st_ino, status.st_mtime_ns) == self._bound

    def _forget(self) -> None:
        if self._parent_end is not None:
            os.close(self._parent_end)
            self._parent_end = None
        self.process = None

    def close(self) -> None:
        """Remove the socket (while it is this host's), then end the zygote (the server is
        stopping). The socket goes first: ending the zygote takes a while, and a next
        server may bind its own socket at the path meanwhile."""
        # the socket, unless it is no longer this host's: a next server on the same name,
        # started once this one stopped listening, bound its own zygote's socket there
        if self._bound is not None and (self._owns_path() or not self.path.exists()):
            try:
                self.path.unlink()
            except FileNotFoundError:
                pass
        self._bound = None
        process = self.process
        self._forget()
        for each in (*self._retired, *([process] if process is not None else [])):
            if each.poll() is None:
                each.terminate()
                try:
                    each.wait(2.0)
                except subprocess.TimeoutExpired:
                    each.kill()
                    each.wait()
        self._retired = []
