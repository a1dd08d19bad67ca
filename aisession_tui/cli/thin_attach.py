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

While the renderer starts (a cold start: the zygote still imports Textual and keeps the
connection in its listen backlog), the server paints: when the renderer has not said
``accepted`` within :data:`PAINT_AFTER` (at once when the caller knows the zygote was just
started), the terminal goes raw without echo, a second connection asks the server to
``paint`` the session at the terminal's size (:mod:`aisession_tui.server.paint`) and each
frame is written whole. The renderer says ``takeover`` before its first write; no frame
is written after it, the paint connection is closed, ``released`` goes back, and only
then does the renderer draw (one writer at a time, never a frame cut in two). Keys typed
meanwhile stay in the terminal's input queue for the renderer. A resize repaints at the
new size. If the renderer ends without drawing, or the server goes away, the painted
frame is undone with the modes (and the error said). The attach is named by a random
``ticket`` (in the renderer's request and each ``paint``): when the session's clients are
detached meanwhile (``attach -d`` elsewhere) the paint ends ``detached``, this process
undoes the frame and exits printing ``[detached (from session s)]`` as tmux's client does,
and the server refuses the renderer's attach (:mod:`aisession_tui.server.pending_attach`).

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
import binascii
import os
import select
import sys
import termios
import time

from .fast import PROTOCOL_VERSION, _dumps, _scan, read_flags

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
           quiet_refusal: bool = False, flags: str = "", directory: str = "",
           paint_at_once: bool = False) -> int | None:
    """Attach this terminal to ``target`` through a renderer; the exit code, or None when
    it cannot (no server answers with ``quiet_refusal``, or the server offers no renderer:
    the caller runs the in-process client, or the full CLI that says why).
    ``paint_at_once``: the renderer's zygote was just started (a cold start), so the
    server paints at once instead of after :data:`PAINT_AFTER` (as it does when this
    attach finds no zygote)."""
    path = str(socket_path)
    ticket = new_ticket()
    request: dict[str, object] = {"socket": path, "target": target, "flags": flags,
                                  "directory": directory, "pid": os.getpid(), "env": dict(os.environ),
                                  "cwd": _cwd(), "ticket": ticket}
    if not detach_others:
        sock = _unix_connect(zygote_path(path))
        if sock is not None:  # the renderer checks the target as it attaches
            return ThinClient(sock, path, target, paint_at_once, ticket).run(request)
    paint_at_once = paint_at_once or not os.path.exists(zygote_path(path))
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
    return ThinClient(sock, path, target, paint_at_once, ticket).run(request)


def new_ticket() -> str:
    """A name for one attach, unguessable and unique: its ``paint`` requests and its
    renderer's ``attach`` carry it, so the server can detach it on its way
    (:mod:`aisession_tui.server.pending_attach`)."""
    return os.urandom(16).hex()


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
    read = read_flags(words, 1, ATTACH_FLAGS, ATTACH_VALUE_FLAGS)
    if read is None:
        return None
    flags, index = read
    positional = words[index:]
    if len(positional) > 1:
        return None
    return (flags.get("t") or (positional[0] if positional else None), "d" in flags,
            client_flags(flags.get("f"), "r" in flags), flags.get("c", ""))


PAINT_AFTER = 0.02
"""Seconds the thin client waits for its renderer to say it has the terminal
(``accepted``) before it has the server paint meanwhile (a zygote still starting keeps
the connection in its listen backlog: it says nothing)."""


COLOUR_VARIABLES = ("TERM", "COLORTERM", "NO_COLOR", "TEXTUAL_COLOR_SYSTEM", "TEXTUAL_FILTERS")
"""What the renderer's colours depend on: sent with ``paint`` (the server paints only in
a colour system it can match)."""


def raw_modes(modes: list[int | list[bytes | int]]) -> list[int | list[bytes | int]]:
    """``modes`` (``tcgetattr``'s list) as the renderer's driver sets them: no echo, no
    line editing, no signals from keys, no flow control or CR/NL translation of input
    (output is processed as before), one byte at a time."""
    iflag, oflag, cflag, lflag, ispeed, ospeed, cc = modes
    assert isinstance(iflag, int) and isinstance(lflag, int) and isinstance(cc, list)
    iflag &= ~(termios.IXON | termios.IXOFF | termios.ICRNL | termios.INLCR | termios.IGNCR)
    lflag &= ~(termios.ECHO | termios.ICANON | termios.IEXTEN | termios.ISIG)
    cc = list(cc)
    cc[termios.VMIN] = 1
    cc[termios.VTIME] = 0
    return [iflag, oflag, cflag, lflag, ispeed, ospeed, cc]


def _modes_json(modes: list[int | list[bytes | int]]) -> list[object]:
    """``tcgetattr``'s list with each control character as a number (``tcsetattr``
    takes either)."""
    cc = modes[6]
    assert isinstance(cc, list)
    return [*modes[:6], [value[0] if isinstance(value, bytes) else value for value in cc]]


class ThinClient:
    """One attach through a renderer: send the terminal, relay signals, wait for exit;
    while the renderer starts, write the frames the server paints.

    The terminal's line to the renderer (JSON lines): the renderer says ``accepted`` once
    it has the terminal; this side answers ``painting`` (true or false, once). Painting
    starts when ``accepted`` has not come within :data:`PAINT_AFTER` (at once for a cold
    start, ``paint_at_once``): the terminal goes raw without echo (keys stay queued for the
    renderer), a second connection to the server asks it to ``paint`` and each frame it
    sends is written whole. Before its first write the renderer says ``takeover``: no more
    frame is written, the paint connection is closed, and ``released`` (with ``painted``:
    whether a frame was written) goes back; only then does the renderer draw."""

    def __init__(self, sock: _socket.socket, server_path: str = "", target: str | None = None,
                 paint_at_once: bool = False, ticket: str = "") -> None:
        self.sock = sock
        self.ticket = ticket
        """This attach's name, sent with each ``paint`` ("": none)."""
        self.detached_from: str | None = None
        """The session this attach was detached from while painted (``attach -d``,
        ``detach-client -s`` elsewhere): it ends at once as a detached client."""
        self.saved: list[int | list[bytes | int]] | None = None
        self.buffer = b""
        self.server_path = server_path
        self.target = target
        self.paint_deadline = 0.0 if paint_at_once else PAINT_AFTER
        self.painting: bool | None = None
        """None until told the renderer (``painting``), then whether this side paints."""
        self.paint: _socket.socket | None = None
        """The connection to the server the frames come on (while painting)."""
        self.paint_buffer = b""
        self.paint_id = 0
        self.painted = False
        """Whether a frame was written to the terminal."""
        self.raw = False
        """Whether this side put the terminal in raw mode (restored at the end)."""
        self.released = False
        """Whether the renderer took the terminal over."""
        self.server_lost = False
        """The server went away while painting."""
        self.resized = False
        self.wake_read = -1

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
        can_paint = bool(self.server_path) and self.saved is not None
        if can_paint:
            assert self.saved is not None
            request = {**request, "paint": True, "modes": _modes_json(self.saved)}
        data = (_dumps(request) + "\n").encode("ascii")
        descriptors = b"".join(fd.to_bytes(4, sys.byteorder, signed=True) for fd in (0, 1, 2))
        try:  # socket.send_fds, without the socket module
            self.sock.sendmsg([data], [(_socket.SOL_SOCKET, _socket.SCM_RIGHTS, descriptors)])
        except OSError as exc:
            sys.stderr.write(f"ai-session: could not hand the terminal over: {exc}\n")
            return 1
        if not can_paint:
            self.painting = False
        previous = {number: _signal.signal(number, handler) for number, handler in (
            (_signal.SIGWINCH, self._winch),
            (_signal.SIGTSTP, lambda *_: self.send({"event": "tstp"})),
            (_signal.SIGCONT, self._continued))}
        self.wake_read, wake_write = os.pipe()
        os.set_blocking(wake_write, False)
        os.set_blocking(self.wake_read, False)
        previous_wakeup = _signal.set_wakeup_fd(wake_write)
        try:
            result = self._wait_for_exit(time.monotonic() + self.paint_deadline)
        finally:
            _signal.set_wakeup_fd(previous_wakeup)
            for number, handler in previous.items():
                _signal.signal(number, handler)
            self.stop_painting()
            self.sock.close()
            os.close(self.wake_read)
            os.close(wake_write)
        if result is None or result.get("renderer_died") or (self.painted and not self.released):
            self.restore_terminal()  # (a renderer that never drew left the painted frame)
        elif self.raw:
            self.restore_modes()
        if result is None:
            if self.server_lost:
                sys.stderr.write("ai-session: the server exited while the client was "
                                 "starting\n")
            else:
                sys.stderr.write("ai-session: the client's renderer went away; "
                                 "the session is still running: attach again\n")
            return 1
        sys.stdout.write(str(result.get("stdout", "")))
        sys.stderr.write(str(result.get("stderr", "")))
        sys.stdout.flush()
        code = result.get("exit", 1)
        return code if isinstance(code, int) else 1

    def _winch(self, *_: object) -> None:
        self.send({"event": "winch"})
        self.resized = True

    def _continued(self, *_: object) -> None:
        _signal.signal(_signal.SIGTSTP, lambda *_: self.send({"event": "tstp"}))
        self.send({"event": "cont"})

    def _wait_for_exit(self, paint_at: float) -> dict[str, object] | None:
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
                elif message.get("accepted") and self.painting is None:
                    self.painting = False
                    self.send({"painting": False})
                elif message.get("takeover"):
                    self.stop_painting()
                    self.released = True
                    self.send({"released": True, "painted": self.painted})
            if self.resized and self.paint is not None:
                self.resized = False
                self.stop_painting()
                self.start_painting()  # at the new size
            watched = [self.sock.fileno(), self.wake_read]
            if self.paint is not None:
                watched.append(self.paint.fileno())
            timeout = None
            if self.painting is None:
                timeout = max(0.0, paint_at - time.monotonic())
            ready, _, _ = select.select(watched, [], [], timeout)
            if self.wake_read in ready:
                try:
                    os.read(self.wake_read, 512)
                except OSError:
                    pass
            if not ready and self.painting is None:
                self.painting = self.start_painting()
                self.send({"painting": self.painting})
            if self.paint is not None and self.paint.fileno() in ready:
                self.read_frames()
                if self.detached_from is not None:  # (its renderer is refused as it attaches)
                    return {"exit": 0,
                            "stdout": f"[detached (from session {self.detached_from})]\n"}
            if self.sock.fileno() in ready:
                try:
                    data = self.sock.recv(65536)
                except OSError:
                    return None
                if not data:
                    return None
                self.buffer += data

    # ---------------------------------------------------------------- painting
    def start_painting(self) -> bool:
        """Have the server paint the session at the terminal's size (the terminal goes
        raw, without echo); False when it cannot."""
        try:
            columns, lines = os.get_terminal_size(1)
        except OSError:
            return False
        sock = _unix_connect(self.server_path)
        if sock is None:
            return False
        if not self.raw and self.saved is not None:
            try:
                termios.tcsetattr(0, termios.TCSANOW, raw_modes(self.saved))
            except termios.error:
                sock.close()
                return False
            self.raw = True
        link = ServerLink(sock)
        try:
            link.send("hello", {"version": PROTOCOL_VERSION})
            self.paint_id = link.send("paint", {
                "target": self.target, "columns": columns, "lines": lines,
                "alternate": not self.painted, "ticket": self.ticket,
                "env": {name: os.environ[name] for name in COLOUR_VARIABLES
                        if name in os.environ}})
        except OSError:
            sock.close()
            return False
        self.paint, self.paint_buffer = sock, b""
        return True

    def stop_painting(self) -> None:
        """No frame is written from now on (the request ends with the connection)."""
        if self.paint is not None:
            self.paint.close()
            self.paint = None

    def read_frames(self) -> None:
        """Write each whole frame that has come; stop at the end of the painting."""
        assert self.paint is not None
        try:
            data = self.paint.recv(1 << 18)
        except OSError:
            data = b""
        if not data:
            self.server_lost = True
            self.stop_painting()
            return
        self.paint_buffer += data
        while len(self.paint_buffer) >= 4:
            length = int.from_bytes(self.paint_buffer[:4], "big")
            if len(self.paint_buffer) < 4 + length:
                return
            body, self.paint_buffer = (self.paint_buffer[4:4 + length],
                                       self.paint_buffer[4 + length:])
            try:
                message = _json_value(body)
            except ValueError:
                continue
            if not isinstance(message, dict):
                continue
            if message.get("id") == self.paint_id or (
                    "error" in message and message.get("id") in (None, self.paint_id)):
                self.stop_painting()  # ended (the session is gone, it cannot be painted)
                result = message.get("result")
                if isinstance(result, dict) and result.get("ended") == "detached":
                    self.detached_from = str(result.get("session", ""))
                return
            params = message.get("params")
            if message.get("method") != "paint.frame" or not isinstance(params, dict):
                continue
            frame = params.get("frame")
            if not isinstance(frame, str):
                self.stop_painting()  # not exactly: the renderer draws it
                return
            self.write_frame(binascii.a2b_base64(frame))

    def write_frame(self, data: bytes) -> None:
        """Write one frame whole (the terminal may take it in pieces)."""
        view = memoryview(data)
        while view:
            try:
                written = os.write(1, view)
            except InterruptedError:
                continue
            except OSError:
                return
            view = view[written:]
        self.painted = True

    def suspend(self) -> None:
        """The renderer gave the terminal back: stop here until ``fg`` (SIGCONT)."""
        _signal.signal(_signal.SIGTSTP, _signal.SIG_DFL)
        os.kill(os.getpid(), _signal.SIGTSTP)

    def restore_modes(self) -> None:
        """The terminal modes as they were before the attach."""
        if self.saved is not None:
            try:
                termios.tcsetattr(0, termios.TCSANOW, self.saved)
            except termios.error:
                pass

    def restore_terminal(self) -> None:
        """Undo what a renderer that died, or the painting, left on the terminal."""
        self.restore_modes()
        try:
            os.write(1, TERMINAL_RESET.encode())
        except OSError:
            pass
