"""The thin attach client: hands the user's terminal to a renderer, imports no UI.

``ai-session attach`` and ``ai-session new-session`` (without ``-d``) run here unless
``AI_SESSION_THIN=0`` is set (then the Textual app runs in this process, as before). Like
tmux's client, this process draws nothing:

1. it connects straight to the renderer zygote's socket (``.NAME.renderer`` beside the
   server's, :func:`zygote_path`) when one listens there: no request to the server at
   all, the renderer attaches and says what went wrong (``can't find session: x``) as
   the server words it. Otherwise (no zygote yet, or ``-d``) one request to the server
   (``renderer``) names the zygote's socket (the server starts the zygote on first use);
   ``has-session`` (and ``detach-client -s`` for ``-d``) checks the target on the same
   connection;
2. it sends the zygote one JSON line - socket, target, environment
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
runs the in-process client instead. Imports: the standard library's C modules only (its
few requests are framed here, with the fast path's JSON helpers); a test checks that neither Textual nor Rich is loaded, and the CLI's
fast path (:mod:`aisession_tui.cli.fast`) hands ``attach`` here before the command
registry is imported (:func:`attach_from_argv`).
"""

import _signal
import _socket
import os
import sys
import termios

from .fast import PROTOCOL_VERSION, _dumps, _scan

# As in the fast path (cli/fast.py): the C halves of socket, signal and json only - json,
# socket and signal pull in re, enum and typing (~20 ms of a ~40 ms attach process) - no
# typing and no "from __future__ import annotations" (annotations use builtins).

THIN_VARIABLE = "AI_SESSION_THIN"
"""``AI_SESSION_THIN=0``: run the Textual client in this process instead (the old path)."""
TERMINAL_RESET = ("\x1b[<u\x1b[?1049l\x1b[?25h\x1b[?1000l\x1b[?1002l\x1b[?1003l"
                  "\x1b[?1006l\x1b[?1015l\x1b[?2004l\x1b[?1004l\x1b[?7h")
"""What a renderer that died may have left on: keyboard protocol, alternate screen,
hidden cursor, mouse and paste modes, focus events; line wrap back on."""
ATTACH_VERBS = ("attach-session", "attach", "a")
ATTACH_FLAGS = "dErx"
ATTACH_VALUE_FLAGS = "cft"


def thin_enabled() -> bool:
    """Whether attach goes through a renderer (the default) or runs in this process."""
    return os.environ.get(THIN_VARIABLE, "1").strip() not in ("0", "no", "off", "false")


class ServerError(Exception):
    """The server answered a request with an error (its text)."""


class ServerLink:
    """The few requests attach makes, on one connection, framed as the protocol frames
    them (4-byte big-endian length, then JSON); the replies are matched by id."""

    def __init__(self, sock: _socket.socket) -> None:
        self.sock = sock
        self.buffer = b""
        self.next_id = 1

    def send(self, method: str, params: dict[str, object]) -> int:
        msg_id = self.next_id
        self.next_id += 1
        body = _dumps({"jsonrpc": "2.0", "id": msg_id, "method": method,
                       "params": params}).encode("ascii")
        self.sock.sendall(len(body).to_bytes(4, "big") + body)
        return msg_id

    def result(self, msg_id: int) -> object:
        while True:
            while len(self.buffer) >= 4 and \
                    len(self.buffer) >= 4 + int.from_bytes(self.buffer[:4], "big"):
                length = int.from_bytes(self.buffer[:4], "big")
                message = _json_value(self.buffer[4:4 + length])
                self.buffer = self.buffer[4 + length:]
                if not isinstance(message, dict) or message.get("id") not in (msg_id, None):
                    continue
                if "error" in message:
                    error = message["error"]
                    raise ServerError(str(error.get("message") if isinstance(error, dict)
                                          else error))
                if message.get("id") == msg_id:
                    return message.get("result")
            data = self.sock.recv(65536)
            if not data:
                raise ServerError("server exited unexpectedly")
            self.buffer += data

    def request(self, method: str, params: dict[str, object]) -> object:
        return self.result(self.send(method, params))


def _json_value(data: bytes) -> object:
    """The JSON value in ``data`` (ValueError when it is not JSON)."""
    try:
        text = data.decode("utf-8")
        value, end = _scan(text, 0)
    except (UnicodeDecodeError, StopIteration, RecursionError) as exc:
        raise ValueError(f"malformed JSON: {exc}") from None
    if text[end:].strip():
        raise ValueError("malformed JSON: trailing data")
    return value


def _unix_connect(path: str) -> _socket.socket | None:
    sock = _socket.socket(_socket.AF_UNIX, _socket.SOCK_STREAM)
    try:
        sock.connect(path)
    except OSError:
        sock.close()
        return None
    return sock


def _renderer_path(link: ServerLink) -> str | None:
    try:
        result = link.request("renderer", {})
    except ServerError as exc:
        if "unknown method" in str(exc):
            return None  # an older server: attach in this process
        raise
    return str(result.get("path", "")) if isinstance(result, dict) else None


def zygote_path(socket_path: str) -> str:
    """Where the zygote of the server on ``socket_path`` listens (as
    :func:`aisession_tui.server.renderer_host.zygote_socket_path` says)."""
    directory, name = os.path.split(socket_path)
    return os.path.join(directory, f".{name}.renderer")


def _cwd() -> str:
    try:
        return os.getcwd()
    except OSError:
        return os.environ.get("PWD") or "/"


def client_flags(flags: str | None, read_only: bool) -> str:
    """The client flags an attach asks for: ``-f``'s list, then ``-r``'s
    ``read-only,ignore-size`` (tmux applies them in that order)."""
    words = [flags] if flags else []
    if read_only:
        words.append("read-only,ignore-size")
    return ",".join(words)


def attach(socket_path: object, target: str | None, *, detach_others: bool = False,
           quiet_refusal: bool = False, flags: str = "", directory: str = "") -> int | None:
    """Attach this terminal to ``target`` through a renderer; the exit code, or None when
    it cannot (no server answers with ``quiet_refusal``, or the server offers no renderer:
    the caller runs the in-process client, or the full CLI that says why)."""
    path = str(socket_path)
    request: dict[str, object] = {"socket": path, "target": target, "flags": flags,
                                  "directory": directory, "pid": os.getpid(), "env": dict(os.environ),
                                  "cwd": _cwd()}
    if not detach_others:
        sock = _unix_connect(zygote_path(path))
        if sock is not None:  # the renderer checks the target as it attaches
            return ThinClient(sock).run(request)
    server = _unix_connect(path)
    if server is None:
        if quiet_refusal:
            return None
        sys.stderr.write("no sessions\n")
        return 1
    link = ServerLink(server)
    sock = None
    try:
        hello = link.send("hello", {"version": PROTOCOL_VERSION})
        renderer = link.send("renderer", {})
        found = link.send("command", {"argv": ["has-session",
                                               *(["-t", target] if target else [])]})
        link.result(hello)
        try:
            answer = link.result(renderer)
        except ServerError as exc:
            if "unknown method" not in str(exc):
                raise
            return None  # an older server: attach in this process
        zygote = str(answer.get("path", "")) if isinstance(answer, dict) else ""
        result = link.result(found)
        if not isinstance(result, dict):
            raise ValueError("malformed has-session reply")
        if result.get("exit_code"):
            sys.stderr.write(str(result.get("stderr") or "no sessions\n"))
            return 1
        if detach_others:
            link.request("command", {"argv": ["detach-client", "-s", target or ""]})
        sock = _unix_connect(zygote) if zygote else None
        if sock is None:  # the zygote died meanwhile: the server starts another
            zygote = _renderer_path(link) or ""
            sock = _unix_connect(zygote) if zygote else None
    except (ServerError, OSError, ValueError) as exc:
        sys.stderr.write(f"{exc}\n")
        return 1
    finally:
        server.close()
    if sock is None:
        return None
    return ThinClient(sock).run(request)


def attach_from_argv(socket_path: str, words: list[str]) -> int | None:
    """``attach-session`` straight from argv (the CLI's fast path, before the command
    registry is imported): the exit code, or None for anything the full CLI should say
    or do (a flag it must check, no terminal, a nested attach, no server, no renderer)."""
    if not thin_enabled() or not (os.isatty(0) and os.isatty(1)):
        return None
    for variable in ("TMUX", "AI_SESSION"):
        if os.environ.get(variable, "").split(",", 1)[0] == socket_path:
            return None  # the full CLI refuses, in tmux's words
    parsed = parse_attach_args(words)
    if parsed is None:
        return None
    target, detach_others, flags, directory = parsed
    return attach(socket_path, target, detach_others=detach_others, quiet_refusal=True,
                  flags=flags, directory=directory)


def parse_attach_args(words: list[str]) -> tuple[str | None, bool, str, str] | None:
    """``attach-session``'s flags (``-dErx``, ``-c``/``-f``/``-t`` with a value, one
    positional target) from ``words`` (the verb first): (target, ``-d``, the client
    flags of ``-f`` and ``-r``, ``-c``'s start directory), or None for anything else (the
    full CLI prints the usage)."""
    flags: dict[str, str] = {}
    positional: list[str] = []
    index = 1
    while index < len(words):
        word = words[index]
        index += 1
        if positional or not word.startswith("-") or word == "-":
            positional.append(word)
            continue
        if word == "--":
            positional.extend(words[index:])
            break
        position = 1
        while position < len(word):
            letter = word[position]
            position += 1
            if letter in ATTACH_FLAGS:
                flags[letter] = ""
            elif letter in ATTACH_VALUE_FLAGS:
                if position < len(word):
                    flags[letter] = word[position:]
                elif index < len(words):
                    flags[letter] = words[index]
                    index += 1
                else:
                    return None
                break
            else:
                return None
    if len(positional) > 1:
        return None
    return (flags.get("t") or (positional[0] if positional else None), "d" in flags,
            client_flags(flags.get("f"), "r" in flags), flags.get("c", ""))


class ThinClient:
    """One attach through a renderer: send the terminal, relay signals, wait for exit."""

    def __init__(self, sock: _socket.socket) -> None:
        self.sock = sock
        self.saved: list[int | list[bytes | int]] | None = None
        self.buffer = b""

    def send(self, message: dict[str, object]) -> None:
        try:
            self.sock.sendall((_dumps(message) + "\n").encode("ascii"))
        except OSError:
            pass

    def run(self, request: dict[str, object]) -> int:
        try:
            self.saved = termios.tcgetattr(0)
        except termios.error:
            self.saved = None
        data = (_dumps(request) + "\n").encode("ascii")
        descriptors = b"".join(fd.to_bytes(4, sys.byteorder, signed=True) for fd in (0, 1, 2))
        try:  # socket.send_fds, without the socket module
            self.sock.sendmsg([data], [(_socket.SOL_SOCKET, _socket.SCM_RIGHTS, descriptors)])
        except OSError as exc:
            sys.stderr.write(f"ai-session: could not hand the terminal over: {exc}\n")
            return 1
        previous = {number: _signal.signal(number, handler) for number, handler in (
            (_signal.SIGWINCH, lambda *_: self.send({"event": "winch"})),
            (_signal.SIGTSTP, lambda *_: self.send({"event": "tstp"})),
            (_signal.SIGCONT, self._continued))}
        try:
            result = self._wait_for_exit()
        finally:
            for number, handler in previous.items():
                _signal.signal(number, handler)
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
        code = result.get("exit", 1)
        return code if isinstance(code, int) else 1

    def _continued(self, *_: object) -> None:
        _signal.signal(_signal.SIGTSTP, lambda *_: self.send({"event": "tstp"}))
        self.send({"event": "cont"})

    def _wait_for_exit(self) -> dict[str, object] | None:
        while True:
            while b"\n" in self.buffer:
                line, self.buffer = self.buffer.split(b"\n", 1)
                try:
                    message = _json_value(line)
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
        _signal.signal(_signal.SIGTSTP, _signal.SIG_DFL)
        os.kill(os.getpid(), _signal.SIGTSTP)

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
