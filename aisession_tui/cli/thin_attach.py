"""The thin attach client: hands the user's terminal to a renderer, imports no UI.

``ai-session attach`` and ``ai-session new-session`` (without ``-d``) run here unless
``AI_SESSION_THIN=0`` is set (then the Textual app runs in this process, as before). Like
tmux's client, this process draws nothing:

1. one request to the server (``renderer``) names the renderer zygote's socket (the
   server starts the zygote on first use); ``has-session`` (and ``detach-client -s`` for
   ``-d``) checks the target on the same connection;
2. it connects to the zygote and sends one JSON line - socket, target, environment
   (``TERM``, ``DISPLAY``, ``WAYLAND_DISPLAY``...), cwd - with its stdin, stdout and
   stderr attached (``SCM_RIGHTS``); a renderer forked with Textual warm draws on them;
3. it relays its signals as lines - SIGWINCH ``winch``, SIGTSTP ``tstp``, SIGCONT
   ``cont`` - and stops itself when the renderer says ``suspend`` (``C-b C-z``);
4. the renderer's last line, ``exit``, carries the code and the text to print
   (``[detached (from session s)]``).

If the renderer dies without its ``exit`` line (the zygote then sends one saying how it
died, or the connection just closes), this process restores the terminal modes it saved
before handing the terminal over and says what happened; the session is untouched.

:func:`attach` returns None when the server has no renderer (an older server): the caller
runs the in-process client instead. Imports: the standard library and the CLI's socket
client only; a test checks that neither Textual nor Rich is loaded.
"""

from __future__ import annotations

import json
import os
import signal
import socket
import sys
import termios
from pathlib import Path
from typing import Any

from .client import Client, ClientError, connect, request_cwd

THIN_VARIABLE = "AI_SESSION_THIN"
"""``AI_SESSION_THIN=0``: run the Textual client in this process instead (the old path)."""
TERMINAL_RESET = ("\x1b[<u\x1b[?1049l\x1b[?25h\x1b[?1000l\x1b[?1002l\x1b[?1003l"
                  "\x1b[?1006l\x1b[?1015l\x1b[?2004l\x1b[?1004l\x1b[?7h")
"""What a renderer that died may have left on: keyboard protocol, alternate screen,
hidden cursor, mouse and paste modes, focus events; line wrap back on."""


def thin_enabled() -> bool:
    """Whether attach goes through a renderer (the default) or runs in this process."""
    return os.environ.get(THIN_VARIABLE, "1").strip() not in ("0", "no", "off", "false")


def _renderer_path(client: Client) -> str | None:
    try:
        result = client.request("renderer", {})
    except ClientError as exc:
        if "unknown method" in str(exc):
            return None  # an older server: attach in this process
        raise
    return str(result.get("path", "")) or None


def _connect_renderer(client: Client, path: str) -> socket.socket | None:
    """The zygote's connection; a zygote that died meanwhile is restarted once."""
    for attempt in range(2):
        sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        try:
            sock.connect(path)
            return sock
        except OSError:
            sock.close()
        if attempt == 0:
            path = _renderer_path(client) or path
    return None


def attach(socket_path: Path, target: str | None, *, detach_others: bool = False
           ) -> int | None:
    """Attach this terminal to ``target`` through a renderer; the exit code, or None when
    the server offers no renderer (run the in-process client)."""
    try:
        client = connect(socket_path, start=False)
    except ClientError:
        sys.stderr.write("no sessions\n")
        return 1
    try:
        renderer = _renderer_path(client)
        if renderer is None:
            return None
        found = client.request("command", {"argv": ["has-session",
                                                    *(["-t", target] if target else [])]})
        if found.get("exit_code"):
            sys.stderr.write(found.get("stderr") or "no sessions\n")
            return 1
        if detach_others:
            client.request("command", {"argv": ["detach-client", "-s", target or ""]})
        sock = _connect_renderer(client, renderer)
    except ClientError as exc:
        sys.stderr.write(f"{exc}\n")
        return 1
    finally:
        client.close()
    if sock is None:
        return None
    return ThinClient(sock).run({"socket": str(socket_path), "target": target,
                                 "env": dict(os.environ), "cwd": request_cwd()})


class ThinClient:
    """One attach through a renderer: send the terminal, relay signals, wait for exit."""

    def __init__(self, sock: socket.socket) -> None:
        self.sock = sock
        self.saved: list[Any] | None = None
        self.buffer = b""

    def send(self, message: dict[str, Any]) -> None:
        try:
            self.sock.sendall((json.dumps(message) + "\n").encode())
        except OSError:
            pass

    def run(self, request: dict[str, Any]) -> int:
        try:
            self.saved = termios.tcgetattr(0)
        except termios.error:
            self.saved = None
        data = (json.dumps(request) + "\n").encode("utf-8", "surrogateescape")
        try:
            socket.send_fds(self.sock, [data], [0, 1, 2])
        except OSError as exc:
            sys.stderr.write(f"ai-session: could not hand the terminal over: {exc}\n")
            return 1
        previous = {number: signal.signal(number, handler) for number, handler in (
            (signal.SIGWINCH, lambda *_: self.send({"event": "winch"})),
            (signal.SIGTSTP, lambda *_: self.send({"event": "tstp"})),
            (signal.SIGCONT, self._continued))}
        try:
            result = self._wait_for_exit()
        finally:
            for number, handler in previous.items():
                signal.signal(number, handler)
            self.sock.close()
        if result is None or result.get("renderer_died"):
            self.restore_terminal()
        if result is None:
            sys.stderr.write("ai-session: the client's renderer went away; "
                             "the session is still running: attach again\n")
            return 1
        sys.stdout.write(str(result.get("stdout", "")))
        sys.stderr.write(str(result.get("stderr", "")))
        sys.stdout.flush()
        try:
            return int(result.get("exit", 1))
        except (TypeError, ValueError):
            return 1

    def _continued(self, *_: Any) -> None:
        signal.signal(signal.SIGTSTP, lambda *_: self.send({"event": "tstp"}))
        self.send({"event": "cont"})

    def _wait_for_exit(self) -> dict[str, Any] | None:
        while True:
            while b"\n" in self.buffer:
                line, self.buffer = self.buffer.split(b"\n", 1)
                try:
                    message = json.loads(line)
                except ValueError:
                    continue
                if not isinstance(message, dict):
                    continue
                if "exit" in message:
                    return message
                if message.get("suspend"):
                    self.suspend()
            try:
                data = self.sock.recv(65536)
            except OSError:
                return None
            if not data:
                return None
            self.buffer += data

    def suspend(self) -> None:
        """The renderer gave the terminal back: stop here until ``fg`` (SIGCONT)."""
        signal.signal(signal.SIGTSTP, signal.SIG_DFL)
        os.kill(os.getpid(), signal.SIGTSTP)

    def restore_terminal(self) -> None:
        """Undo what a renderer that died left on the terminal."""
        if self.saved is not None:
            try:
                termios.tcsetattr(0, termios.TCSANOW, self.saved)
            except termios.error:
                pass
        try:
            os.write(1, TERMINAL_RESET.encode())
        except OSError:
            pass
