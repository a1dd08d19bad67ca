"""The CLI's first stop: a plain request verb runs here on the interpreter's core modules.

Scripts, status lines, libtmux and agent orchestrators call ``has-session``,
``send-keys``, ``capture-pane``, ``display-message`` and ``list-*`` in loops, so a CLI
process must cost little more than Python's own start. This module is what the
``ai-session`` script and ``python -m aisession_tui.cli`` run first. For a verb in
:data:`REQUEST_VERBS`, and for ``new-session -d`` when a server answers
(:data:`SESSION_VERBS`: its request carries the whole environment, as the full CLI's does
for a command that makes a session), it resolves the socket, sends ``hello`` and the
``command`` request in one write, prints the reply and exits; ``-V`` prints the version.
For anything else (no command, ``-C``, ``;`` lists, a verb the CLI runs itself or that
starts a server, a prefix, an odd socket path) :func:`main` falls through to the full CLI
(:mod:`aisession_tui.cli.main`).
``attach`` goes to the thin client (:func:`aisession_tui.cli.thin_attach.attach_from_argv`),
which falls through the same way for anything but a plain attach through a renderer.

What it sends and prints is what :func:`aisession_tui.cli.main.run` does for the same
argv, except that the flags are not parsed here first: the server parses the same argv
with the same spec and answers a bad flag with the same text and exit code. When no server
answers a request verb, this path says ``no server running on PATH`` (exit 1) whatever
the flags: tmux's client, too, reports a missing server before a bad flag. (tmux leaves
its socket behind when it exits, so after a ``kill-server`` it says these words too; for
a socket that never existed it says ``error connecting to PATH (No such file or
directory)``.) ``new-session -d`` goes to the full CLI, which starts the server.

Invariants (tests/unit/test_cli_fast_path.py, tests/unit/test_headless_imports.py):
* imports only ``posix``, ``sys``, ``_socket`` and ``_json`` (the C halves of ``os``,
  ``socket`` and ``json``; plain ``json`` where ``_json`` is missing) and ``aisession_tui``
  itself: under ``python -S`` (the launcher, :mod:`.launcher`) not even ``os`` is loaded;
* a request it served ends the process with ``posix._exit`` once stdout and stderr are
  flushed: the interpreter's finalization (a GC pass, tearing down every module) was ~1.4
  ms of CPU a call, and nothing of the request path needs it (no atexit hook, no thread);
* every verb of :data:`REQUEST_VERBS` is a registry name or alias of a command that needs
  a running server and never starts one, and each listed command brings all its aliases;
* the frames are :mod:`aisession_tui.protocol`'s (4-byte big-endian length + JSON; the
  same :data:`PROTOCOL_VERSION` and :data:`MAX_FRAME`; a long ``stdout`` arrives in
  ``reply.part`` pieces and is joined as :class:`aisession_tui.protocol.ReplyParts` does).
"""

import _socket
import posix
import sys

from .update_environment import update_environment

TYPE_CHECKING = False  # not typing's: one module less to import
if TYPE_CHECKING:
    from collections.abc import Mapping

# No "from __future__ import annotations" and not typing's TYPE_CHECKING: each is one more
# module to import in every CLI call (annotations here evaluate without them).

PROTOCOL_VERSION = 1
"""Must equal :data:`aisession_tui.protocol.PROTOCOL_VERSION` (a test checks)."""
MAX_FRAME = 16 * 1024 * 1024
"""Must equal :data:`aisession_tui.protocol.MAX_FRAME` (a test checks)."""
REPLY_PART = "reply.part"
"""Must equal :data:`aisession_tui.protocol.REPLY_PART` (a test checks)."""

_REQUEST_COMMANDS: dict[str, tuple[str, ...]] = {
    "bind-key": ("bind",), "break-pane": ("breakp",), "capture-pane": ("capturep",),
    "clear-history": ("clearhist",), "delete-buffer": ("deleteb",),
    "detach-client": ("detach",), "display-message": ("display",),
    "has-session": ("has",), "kill-pane": ("killp",), "kill-server": (),
    "kill-session": (), "kill-window": ("killw",), "last-pane": ("lastp",),
    "last-window": ("last",), "list-buffers": ("lsb",), "list-clients": ("lsc",),
    "list-keys": ("lsk",), "list-panes": ("lsp",), "list-sessions": ("ls",),
    "list-windows": ("lsw",), "new-window": ("neww",), "next-window": ("next",),
    "paste-buffer": ("pasteb",), "previous-window": ("prev",),
    "rename-session": ("rename",), "rename-window": ("renamew",),
    "resize-pane": ("resizep",), "select-layout": ("selectl",),
    "select-pane": ("selectp",), "select-window": ("selectw",), "send-keys": ("send",),
    "set-buffer": ("setb",), "set-environment": ("setenv",), "set-option": ("set",),
    "set-window-option": ("setw",), "show-buffer": ("showb",),
    "show-environment": ("showenv",), "show-options": ("show",),
    "show-window-options": ("showw",), "split-window": ("splitw",),
    "wait-for": ("wait",),
    # the rest of tmux's commands that need a server, start none and read no stdin
    "choose-buffer": (), "choose-client": (), "choose-tree": (),
    "clear-prompt-history": ("clearphist",), "clock-mode": (), "command-prompt": (),
    "confirm-before": ("confirm",), "copy-mode": (), "customize-mode": (),
    "display-menu": ("menu",), "display-panes": ("displayp",),
    "display-popup": ("popup",), "find-window": ("findw",), "if-shell": ("if",),
    "join-pane": ("joinp",), "link-window": ("linkw",), "lock-client": ("lockc",),
    "lock-server": ("lock",), "lock-session": ("locks",), "move-pane": ("movep",),
    "move-window": ("movew",), "next-layout": ("nextl",), "pipe-pane": ("pipep",),
    "previous-layout": ("prevl",), "refresh-client": ("refresh",),
    "resize-window": ("resizew",), "respawn-pane": ("respawnp",),
    "respawn-window": ("respawnw",), "rotate-window": ("rotatew",),
    "run-shell": ("run",), "save-buffer": ("saveb",), "send-prefix": (),
    "server-access": (), "set-hook": (), "show-hooks": (), "show-messages": ("showmsgs",),
    "show-prompt-history": ("showphist",), "suspend-client": ("suspendc",),
    "swap-pane": ("swapp",), "swap-window": ("swapw",), "switch-client": ("switchc",),
    "unbind-key": ("unbind",), "unlink-window": ("unlinkw",),
}
"""Commands that only send one request (name -> tmux aliases): every tmux command that
needs a server, starts none and never reads the client's stdin (``load-buffer`` and
``source-file`` do, with ``-``: the full CLI sends it)."""

REQUEST_VERBS: dict[str, str] = {
    word: name for name, aliases in _REQUEST_COMMANDS.items() for word in (name, *aliases)}
"""What a user may type -> the command name sent, for the verbs this path serves."""

SESSION_VERBS: dict[str, str] = {"new-session": "new-session", "new": "new-session"}
"""``new-session -d`` runs here too when a server answers (scripts make sessions in loops);
without ``-d`` it attaches and without a server it starts one: the full CLI does both."""
NEW_SESSION_FLAGS = "AdDEPX"
"""new-session's flags without a value (its registry spec's, a test checks)."""
NEW_SESSION_VALUE_FLAGS = "cefnstxyF"
"""new-session's flags that take a value (its registry spec's, a test checks)."""

_NO_OP_FLAGS = "u2vDNlUq"
"""Global flags tmux accepts that change nothing here (as in :mod:`.main`)."""


def main(launcher_paths: list[str] | None = None, *, as_tmux: bool | None = None) -> None:
    """The console script's entry: the fast path, else the full CLI.

    ``launcher_paths``: the launcher ran under ``python -S`` and put these entries on
    ``sys.path`` itself (:mod:`aisession_tui.protocol.launcher`); before the full CLI runs
    they are taken off again and ``site`` runs as in a normal start. ``as_tmux``: tmux's
    identity (the shim), else the program's name decides (a link named ``tmux``)."""
    global _served
    _served = False
    if as_tmux is None:
        as_tmux = sys.argv[0].rstrip("/").rsplit("/", 1)[-1] == "tmux"
    code = run(sys.argv[1:], as_tmux=as_tmux)
    if code is None:
        # a command that starts a server starts it now, so the server's imports run
        # beside the full CLI's (cli/server_start.py: the full CLI takes it, or stops it)
        from .server_start import discard_early, start_early, take_cold

        if start_early(sys.argv[1:], as_tmux=as_tmux):
            cold = take_cold()
            if cold is not None:  # an attaching new-session: no full CLI at all
                from .cold_session import run as cold_session

                sys.exit(cold_session(*cold, before_full_cli=lambda: (
                    start_site(launcher_paths) if launcher_paths is not None else None)))
        if launcher_paths is not None:
            start_site(launcher_paths)
        try:
            from .main import run as full_cli

            code = full_cli(sys.argv[1:], as_tmux=as_tmux)
        finally:
            discard_early()
        sys.exit(code)
    if _served:
        sys.stdout.flush()
        sys.stderr.flush()
        posix._exit(code & 0xFF)
    sys.exit(code)


def start_site(launcher_paths: list[str]) -> None:
    """What ``python`` without ``-S`` does at start, done late: ``launcher_paths`` (what a
    launcher added to ``sys.path`` by hand) are taken off, then ``site`` adds
    site-packages and reads the ``.pth`` files."""
    for entry in launcher_paths:
        if entry in sys.path:
            sys.path.remove(entry)
    import site

    site.main()


_served = False
"""Set when :func:`run` answered a request itself (not attach, not the full CLI)."""


def run(argv: list[str], *, as_tmux: bool = False) -> int | None:
    """Serve ``argv`` if it is a plain request (its exit code), else None (untouched
    streams, nothing sent: the caller runs the full CLI)."""
    global _served
    parsed = _split_globals(argv)
    if parsed is None:
        return None
    options, words = parsed
    if "V" in options:  # -V answers before anything else, as in tmux
        from aisession_tui import TMUX_VERSION_STRING, __version__

        sys.stdout.write(f"tmux {TMUX_VERSION_STRING}\n" if as_tmux
                         else f"ai-session {__version__}\n")
        _served = True
        return 0
    if words and words[0] in ("attach-session", "attach", "a") and \
            not any(w.endswith(";") for w in words):
        path = _socket_path(options, as_tmux)
        if path is None:
            return None
        from .thin_attach import attach_from_argv  # the thin client: stdlib only

        return attach_from_argv(path, words)
    makes_session = bool(words) and words[0] in SESSION_VERBS and _detached(words[1:])
    if not words or (words[0] not in REQUEST_VERBS and not makes_session) or \
            any(w.endswith(";") for w in words):
        return None
    path = _socket_path(options, as_tmux)
    if path is None:
        return None
    sock = _connect(path)
    if sock is None:
        if makes_session:
            return None  # the full CLI starts the server
        sys.stderr.write(f"no server running on {path}\n")  # the full CLI's words
        _served = True
        return 1
    argv_sent = [SESSION_VERBS[words[0]] if makes_session else REQUEST_VERBS[words[0]],
                 *words[1:]]
    # a new session's panes get the client's whole environment (cli/client.py's
    # request_environment), any other request only the update-environment variables
    env = dict(_environ()) if makes_session else update_environment(_environ())
    params: dict[str, object] = {"argv": argv_sent, "cwd": _cwd(), "env": env,
                                 "client_pane": _client_pane(path)}
    try:
        try:
            sock.sendall(_hello() + _request(2, "command", params))
        except OSError:
            pass  # the server closed: the reader gives its reason (refused) or EOF's
        reader = _Reader(sock)
        reader.result(1)
        try:
            result = reader.result(2)
        except KeyboardInterrupt:
            return 130
    except _Failure as failure:
        sys.stderr.write(f"{failure}\n")
        _served = True
        return 1
    finally:
        sock.close()
    if not isinstance(result, dict):
        result = {}
    _write_text(sys.stdout, result.get("stdout", ""))
    _write_text(sys.stderr, result.get("stderr", ""))
    _served = True
    return int(result.get("exit_code", 0))


# ------------------------------------------------------------------ argv and socket
def read_flags(words: list[str], index: int, plain: str, valued: str
               ) -> tuple[dict[str, str], int] | None:
    """tmux's getopt over ``words[index:]``, as the registry's parser reads flags: the
    letters of ``plain`` (no value, given as ``""``) and of ``valued`` (a value: the rest
    of the word, else the next word) up to the first word that is not a flag (``--`` is
    taken, ``-`` is not); a flag given twice keeps its last value. (flags, the index of
    the first word after them), or None for an unknown letter, a long option or a
    value flag without its value."""
    flags: dict[str, str] = {}
    while index < len(words):
        word = words[index]
        if word == "--":
            return flags, index + 1
        if word == "-" or not word.startswith("-"):
            break
        index += 1
        position = 1
        while position < len(word):
            letter = word[position]
            position += 1
            if letter in plain:
                flags[letter] = ""
            elif letter in valued:
                if position < len(word):
                    flags[letter] = word[position:]
                elif index < len(words):
                    flags[letter] = words[index]
                    index += 1
                else:
                    return None
                break
            else:
                return None  # an unknown letter, or a long option's second dash
    return flags, index


def _detached(flags: list[str]) -> bool:
    """Whether new-session's words (after its name) hold ``-d`` among the flags before
    the first argument, read as the registry's parser reads them (getopt: a value flag
    takes the rest of its word or the next word). A long option or a flag it does not
    know: False (the full CLI, which prints the usage)."""
    read = read_flags(flags, 0, NEW_SESSION_FLAGS, NEW_SESSION_VALUE_FLAGS)
    return read is not None and "d" in read[0]


def _split_globals(argv: list[str]) -> tuple[dict[str, str], list[str]] | None:
    """tmux's global flags (``-L``, ``-S``, ``-f`` and the no-ops), or None for anything
    the full CLI should handle (``-C``, ``-h``, a missing value, an unknown flag); ``V``
    is in the flags when ``-V`` was given."""
    read = read_flags(argv, 0, _NO_OP_FLAGS + "V", "LSf")
    if read is None:
        return None
    flags, index = read
    return {letter: value for letter, value in flags.items() if letter in "LSfV"}, argv[index:]


def _pure(path: str) -> str:
    """``str(pathlib.PurePosixPath(path))``: empty and ``.`` parts dropped, a root of
    exactly two slashes kept, no trailing slash."""
    root = ""
    if path.startswith("/"):
        root = "//" if path.startswith("//") and not path.startswith("///") else "/"
    return (root + "/".join(part for part in path.split("/") if part and part != ".")) or "."


def _socket_path(options: dict[str, str], as_tmux: bool) -> str | None:
    """:func:`aisession_tui.cli.main.resolve_socket` without pathlib (None: let the full CLI
    resolve it, e.g. a ``~`` path or a ``-L`` name with a slash, which it refuses)."""
    if options.get("S"):
        given = options["S"]
        if given.startswith("~"):
            return None
        if given.startswith("/"):
            return _pure(given)
        try:
            return _pure(f"{posix.getcwd()}/{given}")
        except OSError:
            return None  # the cwd is gone: the full CLI reports it as it always did
    name = options.get("L")
    if not name:
        inside = _environ().get("AI_SESSION", "")
        if inside:
            return _pure(inside.split(",", 1)[0])
        name = "default"
    if "/" in name:
        return None
    if as_tmux:
        base, directory = _environ().get("TMUX_TMPDIR") or "/tmp", f"tmux-{posix.getuid()}"
    else:
        base, directory = _environ().get("AI_SESSION_TMPDIR") or "/tmp", \
            f"ai-session-{posix.getuid()}"
    return _pure(f"{base}/{directory}/{name}")


_environ_snapshot: dict[str, str] | None = None


def _environ() -> "Mapping[str, str]":
    """``os.environ`` when ``os`` is loaded (``site`` loads it), else the same mapping made
    from ``posix.environ`` (bytes, decoded as ``os`` decodes them) without importing ``os``
    (~1.6 ms under ``python -S``)."""
    loaded = sys.modules.get("os")
    if loaded is not None:
        environ: Mapping[str, str] = loaded.environ
        return environ
    global _environ_snapshot
    if _environ_snapshot is None:
        encoding = sys.getfilesystemencoding()
        _environ_snapshot = {
            key.decode(encoding, "surrogateescape"): value.decode(encoding, "surrogateescape")
            for key, value in posix.environ.items()}
    return _environ_snapshot


def _client_pane(path: str) -> str | None:
    """The pane we run in when it belongs to the server at ``path``."""
    for server_var, pane_var in (("AI_SESSION", "AI_SESSION_PANE"), ("TMUX", "TMUX_PANE")):
        inside = _environ().get(server_var, "").split(",", 1)[0]
        if inside and inside == path and _environ().get(pane_var):
            return _environ()[pane_var]
    return None


def _cwd() -> str:
    try:
        return posix.getcwd()
    except OSError:
        return _environ().get("PWD") or "/"


# ------------------------------------------------------------------ the wire
class _Failure(Exception):
    """What the full CLI reports as a :class:`~aisession_tui.cli.client.ClientError`."""


def _connect(path: str) -> _socket.socket | None:
    sock = _socket.socket(_socket.AF_UNIX, _socket.SOCK_STREAM)
    try:
        sock.connect(path)
    except OSError:
        sock.close()
        return None
    return sock


class _Context:
    """What ``_json.make_scanner`` reads from a ``json.JSONDecoder``."""

    strict = True
    object_hook = None
    object_pairs_hook = None
    parse_float = float
    parse_int = int

    @staticmethod
    def parse_constant(name: str) -> object:
        raise ValueError(f"{name} is not a number JSON allows")


try:
    from _json import encode_basestring_ascii as _quote
    from _json import make_scanner
except ImportError:  # an interpreter without the C accelerator: the pure-Python json
    from json import JSONDecoder
    from json.encoder import encode_basestring_ascii as _quote
    from json.scanner import make_scanner as _python_scanner

    _scan = _python_scanner(JSONDecoder(  # type: ignore[arg-type]
        parse_constant=_Context.parse_constant))
else:
    _scan = make_scanner(_Context())  # type: ignore[arg-type]


def _dumps(value: object) -> str:
    """JSON for the request's shapes (dict, list, str, int, bool, None), ASCII only: text
    that is not UTF-8 (``surrogateescape``) travels as ``\\udcXX`` escapes."""
    if isinstance(value, str):
        return _quote(value)
    if value is None:
        return "null"
    if value is True:
        return "true"
    if value is False:
        return "false"
    if isinstance(value, int):
        return str(int(value))
    if isinstance(value, dict):
        return "{" + ",".join(f"{_quote(str(key))}:{_dumps(item)}"
                              for key, item in value.items()) + "}"
    if isinstance(value, (list, tuple)):
        return "[" + ",".join(_dumps(item) for item in value) + "]"
    raise TypeError(f"cannot send a {type(value).__name__}")


def _frame(message: dict[str, object]) -> bytes:
    body = _dumps(message).encode("ascii")
    return len(body).to_bytes(4, "big") + body


def _request(msg_id: int, method: str, params: dict[str, object]) -> bytes:
    """One request's frame: the protocol's JSON-RPC envelope around ``params``."""
    return _frame({"jsonrpc": "2.0", "id": msg_id, "method": method, "params": params})


def _hello() -> bytes:
    """The ``hello`` request every connection starts with (id 1)."""
    return _request(1, "hello", {"version": PROTOCOL_VERSION})


class _Reader:
    """Whole messages from the socket; replies looked up by id."""

    def __init__(self, sock: _socket.socket) -> None:
        self.sock = sock
        self.buffer = bytearray()

    def message(self) -> dict[str, object]:
        while True:
            if len(self.buffer) >= 4:
                length = int.from_bytes(self.buffer[:4], "big")
                if length > MAX_FRAME:
                    raise _Failure(f"frame of {length} bytes exceeds the limit of {MAX_FRAME}")
                if len(self.buffer) >= 4 + length:
                    body = bytes(self.buffer[4:4 + length])
                    del self.buffer[:4 + length]
                    return _loads(body)
            try:
                data = self.sock.recv(65536)
            except OSError:
                data = b""
            if not data:
                raise _Failure("server exited unexpectedly")
            self.buffer += data

    def result(self, msg_id: int) -> object:
        """The result of request ``msg_id``, its ``stdout`` joined from the ``reply.part``
        pieces streamed before it (:func:`aisession_tui.protocol.reply_frames`); its error
        (or one for no request) raises."""
        pieces: list[str] = []
        while True:
            message = self.message()
            params = message.get("params")
            if message.get("method") == REPLY_PART and "id" not in message:
                if isinstance(params, dict) and params.get("id") == msg_id \
                        and isinstance(params.get("stdout"), str):
                    pieces.append(params["stdout"])
                continue
            error = message.get("error")
            if message.get("id") == msg_id or (error is not None and message.get("id") is None):
                if error is not None:
                    text = error.get("message") if isinstance(error, dict) else None
                    raise _Failure(str(text or "server error"))
                result = message.get("result")
                if pieces and isinstance(result, dict):
                    result = dict(result, stdout="".join(pieces) + (result.get("stdout") or ""))
                return result


def _loads(body: bytes) -> dict[str, object]:
    try:
        text = body.decode("utf-8")
        message, end = _scan(text, 0)
    except (UnicodeDecodeError, ValueError, StopIteration, RecursionError) as exc:
        raise _Failure(f"malformed JSON: {exc}") from None
    if not isinstance(message, dict) or text[end:].strip():
        raise _Failure("malformed JSON from the server")
    return message


def _write_text(stream: object, text: object) -> None:
    """Server text to stdout/stderr; bytes that were not UTF-8 go out as they were."""
    text = str(text)
    buffer = getattr(stream, "buffer", None)
    if buffer is None:
        stream.write(text)  # type: ignore[attr-defined]
        return
    stream.flush()  # type: ignore[attr-defined]
    buffer.write(text.encode("utf-8", "surrogateescape"))
    buffer.flush()
