"""The renderer zygote as the server sees it: started on first use, ended with the server.

A thin client (:mod:`aisession_tui.cli.thin_attach`) asks for it with the ``renderer``
request and gets the path of the zygote's socket back at once. On the first request the
server binds that socket itself (``.NAME.renderer`` beside its own socket, mode 0600) and
starts ``python -E -P -m aisession_tui.client.zygote`` with the listening descriptor (and
the server's own socket, which its spare renderers connect to before a client comes), so a
client that connects while the zygote is still importing Textual simply waits in the
listen backlog. The zygote also gets the read end of a pipe whose write end only this
process holds: when the server exits, even by SIGKILL, the zygote sees end-of-file and goes.

Invariants: the server never imports Textual or Rich (the zygote is another program); a
dead zygote is replaced on the next request (new socket, new process); nothing here blocks
the loop for longer than a fork and exec; :meth:`RendererHost.close` ends the zygote, and
the renderers it forked end with their own server connections.
"""

from __future__ import annotations

import logging
import os
import socket
import subprocess
import sys
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
        self._bound: int | None = None
        """The inode of the socket this host bound at :attr:`path` (None: none yet)."""

    def handle(self, connection: Peer, params: dict[str, Any]) -> dict[str, Any]:
        """The ``renderer`` request: the zygote's socket (starting it when needed)."""
        self.ensure()
        return {"path": str(self.path)}

    def ensure(self) -> None:
        """Start the zygote unless one is running."""
        if self.process is not None and self.process.poll() is None:
            return
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
            self._bound = os.stat(self.path).st_ino
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

    def _forget(self) -> None:
        if self._parent_end is not None:
            os.close(self._parent_end)
            self._parent_end = None
        self.process = None

    def close(self) -> None:
        """End the zygote and remove its socket (the server is stopping)."""
        process = self.process
        self._forget()
        if process is not None and process.poll() is None:
            process.terminate()
            try:
                process.wait(2.0)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()
        # the socket, and the last client's size its spares kept (client/spare.py), unless
        # the socket is no longer this host's: a next server on the same name, started
        # once this one stopped listening, bound its own zygote's socket there
        try:
            if os.stat(self.path).st_ino != self._bound:
                return
        except FileNotFoundError:
            pass
        for path in (self.path, self.path.with_name(f"{self.path.name}-size")):
            try:
                path.unlink()
            except FileNotFoundError:
                pass
