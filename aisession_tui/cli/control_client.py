"""The control-mode client process (``ai-session -C`` / ``tmux -CC``): a thin relay.

It asks the server to make its connection a control client (the ``control`` request with
the first command, ``new-session`` when none is given), then copies each line of stdin to
the server (``control-in``) and writes what the server sends (``control-out``) to stdout
unchanged; the protocol itself lives in :mod:`aisession_tui.server.control`. With ``-CC``
the output is wrapped in the DCS ``ESC P 1000 p`` ... ``ESC \\`` that iTerm2 expects.
End of input ends the client (the server writes ``%exit``).
"""

from __future__ import annotations

import os
import select
import sys
from pathlib import Path

from .. import protocol
from ..protocol.messages import CONTROL_EXIT, CONTROL_IN, CONTROL_OUT, CONTROL_START
from .client import ClientError, connect

DCS_START = "\033P1000p"
DCS_END = "\033\\"


def run_control(path: Path, words: list[str], client_pane: str | None, *,
                echo: bool) -> int:
    """Run a control client on the server at ``path`` until it exits."""
    argv = words or ["new-session"]
    start = argv[0] in ("new-session", "new")
    out = sys.stdout.buffer
    try:
        client = connect(path, start=start)  # greeted: nothing else is in flight yet
    except ClientError as exc:
        sys.stderr.write(f"{exc}\n")
        return 1
    if not echo:
        out.write(DCS_START.encode())
        out.flush()
    try:
        client.sock.sendall(protocol.encode(protocol.request(0, CONTROL_START, {
            "argv": argv, "pid": os.getpid(), "echo": echo, "cwd": os.getcwd(),
            "env": dict(os.environ), "term": os.environ.get("TERM", ""),
            "client_pane": client_pane})))
        if _until_started(client, out):
            return 0
        return _relay(client, out)
    except ClientError as exc:
        sys.stderr.write(f"{exc}\n")
        return 1
    except KeyboardInterrupt:
        return 130
    finally:
        if not echo:
            out.write(DCS_END.encode())
            out.flush()
        client.close()


def _until_started(client, out) -> bool:
    """Deliver output until the server answered the start request (lines read before
    then would race the client's creation); True if the client is already done."""
    while True:
        message = client.read_message()
        if message.get("id") == 0 and "method" not in message:
            if "error" in message:
                raise ClientError(message["error"].get("message", "server error"))
            return False
        if _deliver(message, out):
            return True


def _relay(client, out) -> int:
    """Copy stdin lines to the server and server output to stdout until ``%exit``."""
    stdin = sys.stdin.fileno()
    sock = client.sock
    pending = b""
    stdin_open = True
    while True:
        while client.pending:
            if _deliver(client.pending.pop(0), out):
                return 0
        readable = [sock] + ([stdin] if stdin_open else [])
        ready, _, _ = select.select(readable, [], [])
        if sock in ready:
            try:
                data = sock.recv(1 << 16)
            except OSError:
                data = b""
            if not data:
                return 0
            for item in client.decoder.feed(data):
                if isinstance(item, protocol.ProtocolError):
                    raise ClientError(item.message)
                if _deliver(item, out):
                    return 0
        if stdin_open and stdin in ready:
            chunk = os.read(stdin, 1 << 16)
            if not chunk:
                stdin_open = False
                _send(client, {"eof": True})
                continue
            pending += chunk
            while b"\n" in pending:
                line, pending = pending.split(b"\n", 1)
                _send(client, {"line": line.decode("utf-8", "surrogateescape")
                               .removesuffix("\r")})


def _send(client, params: dict) -> None:
    try:
        client.sock.sendall(protocol.encode(protocol.notification(CONTROL_IN, params)))
    except OSError:
        raise ClientError("server exited unexpectedly") from None


def _deliver(message: dict, out) -> bool:
    """Write a ``control-out``; True once the server said the client is done."""
    if "error" in message:
        raise ClientError(message["error"].get("message", "server error"))
    method = message.get("method")
    if method == CONTROL_OUT:
        out.write(str(message.get("params", {}).get("data", "")).encode("utf-8",
                                                                         "surrogateescape"))
        out.flush()
        return False
    return method == CONTROL_EXIT
