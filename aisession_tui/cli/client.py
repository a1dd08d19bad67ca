"""A blocking socket client for one-shot CLI requests, and server auto-start.

:func:`connect` returns a greeted :class:`Client`; with ``start=True`` it starts a detached
server first when none answers (or takes the one the fast path started early). The server
is started as ``python -E -P -m aisession_tui.server.daemon --daemonize`` in a new session
with no terminal (it forks once more, so it is nobody's child and never a zombie), its
stderr appended to the log under ``AI_SESSION_HOME``, and the client waits for its ready
byte on a pipe (no polling): :mod:`aisession_tui.cli.server_start`.

The server runs isolated from the directory the user typed ``ai-session`` in and from
their ``PYTHON*`` variables (:func:`.server_start.server_argv`): a ``secrets.py`` or
``types.py`` in a repository must never be imported into the server.
"""

from __future__ import annotations

import os
import socket
from pathlib import Path
from typing import Any

from .. import protocol
from .server_start import pending, spawn, take
from .update_environment import update_environment


class ClientError(Exception):
    """A failure the CLI reports on stderr with exit code 1."""


class Client:
    """One greeted connection to a server."""

    def __init__(self, sock: socket.socket) -> None:
        self.sock = sock
        self.decoder = protocol.FrameDecoder()
        self.pending: list[dict[str, Any]] = []
        self.parts = protocol.ReplyParts()
        self.next_id = 1
        self.started_server = False
        """Whether :func:`connect` started the server this connection is to."""

    def request(self, method: str, params: dict[str, Any] | None = None) -> Any:
        """Send a request and wait for its reply; errors raise :class:`ClientError`."""
        msg_id = self.next_id
        self.next_id += 1
        try:
            self.sock.sendall(protocol.encode(protocol.request(msg_id, method, params)))
        except OSError:
            raise ClientError(self._refusal() or "server exited unexpectedly") from None
        while True:
            message = self.read_message()
            if self.parts.absorb(message):
                continue
            if message.get("id") != msg_id:
                if message.get("id") is None and "error" in message:
                    # about the connection itself (refused, no hello in time): give up
                    raise ClientError(message["error"].get("message", "server error"))
                continue  # a notification this one-shot client has no use for
            if "error" in message:
                self.parts.complete(msg_id, None)
                raise ClientError(message["error"].get("message", "server error"))
            return self.parts.complete(msg_id, message.get("result"))

    def _refusal(self) -> str | None:
        """Why the server closed the connection, if it said so before closing (a refused
        connection: ``access not allowed``, too many connections)."""
        try:
            while True:
                message = self.read_message()
                if message.get("id") is None and "error" in message:
                    return str(message["error"].get("message", "server error"))
        except ClientError:
            return None

    def read_message(self) -> dict[str, Any]:
        """The next whole message from the server."""
        while not self.pending:
            try:
                data = self.sock.recv(65536)
            except OSError:
                data = b""
            if not data:
                raise ClientError("server exited unexpectedly")
            for item in self.decoder.feed(data):
                if isinstance(item, protocol.ProtocolError):
                    raise ClientError(item.message)
                self.pending.append(item)
        return self.pending.pop(0)

    def close(self) -> None:
        """Close the connection."""
        try:
            self.sock.close()
        except OSError:
            pass


def _open(path: Path) -> socket.socket | None:
    sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    try:
        sock.connect(str(path))
    except OSError:
        sock.close()
        return None
    return sock


SESSION_MAKERS = ("new-session", "create")
"""Commands whose new session takes the client's environment (its panes' environment)."""


def request_environment(commands: str | list[str],
                        environ: dict[str, str] | None = None) -> dict[str, str]:
    """The environment a request carries: all of it for a command that makes a session
    (it becomes the panes' environment), else only the ``update-environment`` variables
    and ai-session's own (``AI_SESSION*``, ``TMUX``, ``TMUX_PANE``). Bytes that are not
    UTF-8 travel as they are (``surrogateescape``, see :func:`protocol.encode`)."""
    environ = dict(os.environ if environ is None else environ)
    names = [commands] if isinstance(commands, str) else commands
    if any(name in SESSION_MAKERS for name in names):
        return environ
    return update_environment(environ)


def request_cwd() -> str:
    """The current directory (``$PWD`` or ``/`` when it was deleted under us)."""
    try:
        return os.getcwd()
    except OSError:
        return os.environ.get("PWD") or "/"


def write_text(stream: Any, text: str) -> None:
    """Write server text to stdout/stderr, bytes that were not UTF-8 as the raw bytes."""
    buffer = getattr(stream, "buffer", None)
    if buffer is None:
        stream.write(text)
        return
    stream.flush()
    buffer.write(text.encode("utf-8", "surrogateescape"))
    buffer.flush()


def start_server(path: Path, config_files: list[str] | None = None, *,
                 renderer: bool = False) -> None:
    """Start a detached server on ``path`` and wait until it listens (reading
    ``config_files`` instead of tmux's default files when given: ``-f``; ``renderer``:
    a client will attach, so the server starts its renderer zygote first thing). A server
    the fast path started early with these arguments (cli/server_start.py) is taken
    instead of starting another."""
    starting = take(path, config_files, renderer) or spawn(path, config_files,
                                                            renderer=renderer)
    assert starting is not None  # (spawn waits for another client's start)
    if not starting.wait().startswith(b"ready"):
        # Another client may have started it at the same moment: that is fine.
        sock = _open(path)
        if sock is None:
            from ..protocol.paths import log_path

            raise ClientError(f"server failed to start on {path} "
                              f"(see {starting.logfile or log_path(path)})")
        sock.close()


def connect(path: Path, *, start: bool, config_files: list[str] | None = None,
            renderer: bool = False) -> Client:
    """A greeted client; starts the server when ``start`` and none answers (see
    :func:`start_server` for ``renderer``)."""
    # a server started early is connected to once it says it is ready, as any we start
    sock = None if start and pending(path) else _open(path)
    if sock is None:
        if not start:
            raise ClientError(f"no server running on {path}")
        start_server(path, config_files, renderer=renderer)
        sock = _open(path)
        if sock is None:
            raise ClientError(f"no server running on {path}")
        client = Client(sock)
        client.started_server = True
    else:
        client = Client(sock)
    client.request("hello", {"version": protocol.PROTOCOL_VERSION})
    return client
