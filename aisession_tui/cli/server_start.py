"""Starting a detached server, and starting it before the full CLI's imports.

:func:`spawn` starts ``python -E -P -m aisession_tui.server.daemon --socket PATH
--ready-fd N --daemonize ...`` (:func:`server_argv`) as
``subprocess.Popen(start_new_session=True, close_fds=True, pass_fds=(N,))`` did, without
importing subprocess: forked and exec'd in a session of its own, stdin and stdout on
``/dev/null``, stderr appended to the server's log under ``AI_SESSION_HOME`` (private; a
log that cannot be opened is said and ``/dev/null`` used), no other descriptor than the
ready pipe's write end, SIGPIPE and SIGXFSZ back to their defaults, the CLI's environment
and cwd. The home's securing notices (``secure_home``) are printed first, as before.
:meth:`Starting.wait` reaps the first process (the daemon forks once more, so the server
is nobody's child) and waits for the ready byte (no polling).

The early start (issue 17): a cold ``ai-session new -s s`` used to import the full CLI
(~20-30 ms) before it started the server (whose own start is ~130 ms). When the fast path
falls through to the full CLI for a command that starts a server (``new-session`` /
``new``, no command at all, ``start-server`` / ``start``), :func:`start_early` spawns the
server first, so its imports run beside the CLI's on a second core; the full CLI's
:func:`aisession_tui.cli.client.start_server` then takes that start (:func:`take`) instead
of spawning one. Nothing changes that a user sees:

* it starts only what the full CLI would start, with the same flags (``-f``'s config,
  ``--renderer`` for an attaching ``new-session`` when the thin client is on), on the same
  socket, and only when no server answers there;
* not for a command the full CLI refuses before starting a server: the flags are read as
  the registry's spec reads them (a test checks the letters), a long option, ``;`` lists,
  ``-c``/``-T``/``-C``/``-V``/``-h`` and odd socket paths are left to the full CLI, and
  an attaching ``new-session`` needs a terminal and must not be nested in its own server;
* a started server the full CLI did not take (it refused anyway, or failed) is stopped
  once it is ready (:meth:`Starting.discard`), unless a session was made on it meanwhile
  (a second client racing this one): as with tmux, a refused command leaves no server;
* the home's notices are printed at the same point of the output as before (before the
  server starts; a command refused before that prints none, and those are not started
  early).

Imports: the standard library's core (``posix``, ``select``) and
:mod:`aisession_tui.protocol.paths` (pathlib: the full CLI imports it anyway).
"""

import posix
import select
import sys

from ..protocol.paths import log_path, private_file, secure_home

TYPE_CHECKING = False
if TYPE_CHECKING:
    from pathlib import Path

START_TIMEOUT = 30.0
"""Seconds to wait for a starting server's ready byte."""
STARTS_SERVER = ("new-session", "new", "start-server", "start")
"""The verbs started early (each a ``starts_server`` command of the registry, a test
checks); the others that start one (``create``, ``task``, ``agent``) just start it later."""
NEW_SESSION_FLAGS = "AdDEPX"
"""new-session's flags without a value (its registry spec's, a test checks)."""


def server_argv(*args: str) -> list[str]:
    """The command that runs the server: ``-E`` (no ``PYTHON*`` variables) and ``-P`` (no
    cwd on ``sys.path``), so only the installed package and the standard library load."""
    return [sys.executable, "-E", "-P", "-m", "aisession_tui.server.daemon", *args]


class Starting:
    """A server being started on :attr:`path` (its first process's pid, the pipe's read
    end it says ``ready`` on)."""

    def __init__(self, path: "Path", config_files: list[str] | None, renderer: bool,
                 pid: int, ready_read: int, logfile: "Path") -> None:
        self.path = path
        self.config_files = config_files
        self.renderer = renderer
        self.pid = pid
        self.ready_read = ready_read
        self.logfile = logfile
        self.answer: bytes | None = None
        self.taken = False

    def wait(self) -> bytes:
        """The server's answer on the ready pipe (``ready`` once it listens; empty when it
        exited without, e.g. because another server already listens there)."""
        if self.answer is not None:
            return self.answer
        try:
            while True:
                try:
                    posix.waitpid(self.pid, 0)
                    break
                except ChildProcessError:
                    break
                except InterruptedError:
                    continue
            ready, _, _ = select.select([self.ready_read], [], [], START_TIMEOUT)
            self.answer = posix.read(self.ready_read, 64) if ready else b""
        finally:
            posix.close(self.ready_read)
        return self.answer

    def discard(self) -> None:
        """Stop the server started early that the full CLI did not take (once it is
        ready), unless a session was made on it meanwhile."""
        if self.taken:
            return
        self.taken = True
        if not self.wait().startswith(b"ready"):
            return  # it did not start (another server listens there): nothing to stop
        from .fast import PROTOCOL_VERSION, _connect, _frame, _Reader

        sock = _connect(str(self.path))
        if sock is None:
            return
        try:
            sock.sendall(_frame({"jsonrpc": "2.0", "id": 1, "method": "hello",
                                 "params": {"version": PROTOCOL_VERSION}})
                         + _frame({"jsonrpc": "2.0", "id": 2, "method": "command",
                                   "params": {"argv": ["has-session"]}}))
            reader = _Reader(sock)
            reader.result(1)
            found = reader.result(2)
            if isinstance(found, dict) and found.get("exit_code"):  # no session: ours alone
                sock.sendall(_frame({"jsonrpc": "2.0", "id": 3, "method": "command",
                                     "params": {"argv": ["kill-server"]}}))
                reader.result(3)
        except Exception:  # noqa: BLE001, S110 - it went away by itself: what was wanted
            pass
        finally:
            sock.close()


def spawn(path: "Path", config_files: list[str] | None = None, *,
          renderer: bool = False) -> Starting:
    """Start a detached server on ``path`` (see the module docstring): the home's notices
    printed, the log opened, the server forked and exec'd."""
    for notice in secure_home():
        sys.stderr.write(f"ai-session: {notice}\n")
    sys.stderr.flush()
    logfile = log_path(path)
    try:
        log = posix.open(str(private_file(logfile)),
                         posix.O_WRONLY | posix.O_APPEND | posix.O_CLOEXEC)
    except OSError as exc:  # a read-only or full home: the server runs, unlogged
        sys.stderr.write(f"ai-session: cannot write the log {logfile}: "
                         f"{exc.strerror or exc}\n")
        sys.stderr.flush()
        log = posix.open("/dev/null", posix.O_WRONLY | posix.O_CLOEXEC)
    argv = server_argv("--socket", str(path), "--ready-fd", "3", "--daemonize",
                       *(f"--config={name}" for name in config_files or ()),
                       *(["--explicit-config"] if config_files is not None else []),
                       *(["--renderer"] if renderer else []))
    try:
        null = posix.open("/dev/null", posix.O_RDWR | posix.O_CLOEXEC)
        try:
            read_end, write_end = posix.pipe()
            try:
                pid = posix.fork()
                if pid == 0:  # pragma: no cover - the child, until exec
                    _exec_server(argv, null, log, write_end)
            finally:
                posix.close(write_end)
        finally:
            posix.close(null)
    finally:
        posix.close(log)
    return Starting(path, config_files, renderer, pid, read_end, logfile)


def _exec_server(argv: list[str], null: int, log: int, ready_write: int) -> None:
    """In the forked child: a new session, the descriptors, default signals, exec."""
    try:
        import _signal

        posix.setsid()
        for number in ("SIGPIPE", "SIGXFZ", "SIGXFSZ"):
            if hasattr(_signal, number):
                _signal.signal(getattr(_signal, number), _signal.SIG_DFL)
        posix.dup2(null, 0)
        posix.dup2(null, 1)
        posix.dup2(log, 2)
        if ready_write != 3:  # the ready pipe's end as descriptor 3 (argv says so)
            posix.dup2(ready_write, 3)
        posix.set_inheritable(3, True)
        posix.closerange(4, posix.sysconf("SC_OPEN_MAX"))
        posix.execv(argv[0], argv)
    except BaseException:  # noqa: BLE001 - nothing may run on in a forked CLI
        pass
    posix._exit(127)


# ------------------------------------------------------------------ the early start
_early: Starting | None = None
"""The server :func:`start_early` started, until the full CLI takes it or discards it."""


def take(path: "Path", config_files: list[str] | None, renderer: bool) -> Starting | None:
    """The early start of a server on ``path`` with these arguments, now the caller's
    (None when there is none; one started with other arguments is discarded)."""
    global _early
    early, _early = _early, None
    if early is None:
        return None
    if (str(early.path), early.config_files, early.renderer) != \
            (str(path), config_files, renderer):
        early.discard()
        return None
    early.taken = True
    return early


def pending(path: "Path") -> bool:
    """Whether a server on ``path`` was started early and not taken yet."""
    return _early is not None and str(_early.path) == str(path)


def discard_early() -> None:
    """Stop the early start nobody took (see :meth:`Starting.discard`)."""
    global _early
    early, _early = _early, None
    if early is not None:
        early.discard()


def start_early(argv: list[str], *, as_tmux: bool) -> bool:
    """Start the server ``argv`` will start, before the full CLI is imported (see the
    module docstring); whether one was started."""
    global _early
    from . import fast

    parsed = fast._split_globals(argv)
    if parsed is None:
        return False
    options, words = parsed
    words = words or ["new-session"]
    if words[0] not in STARTS_SERVER or any(word.endswith(";") for word in words):
        return False
    if words[0] in ("start-server", "start"):
        if len(words) > 1:
            return False
        attaching = False
    else:
        detached = _new_session_detached(words[1:])
        if detached is None:
            return False
        attaching = not detached
    socket = fast._socket_path(options, as_tmux)
    if socket is None:
        return False
    renderer = False
    if attaching:
        if not (posix.isatty(0) and posix.isatty(1)):
            return False  # the full CLI refuses: no terminal
        environ = fast._environ()
        for variable in ("TMUX", "AI_SESSION"):
            if environ.get(variable, "").split(",", 1)[0] == socket:
                return False  # the full CLI refuses: nested
        from .thin_attach import thin_enabled

        renderer = thin_enabled()
    answering = fast._connect(socket)
    if answering is not None:
        answering.close()
        return False
    from pathlib import Path

    config = options.get("f")
    _early = spawn(Path(socket), [config] if config else None, renderer=renderer)
    return True


def _new_session_detached(flags: list[str]) -> bool | None:
    """Whether new-session's words (after its name) hold ``-d``, read as the registry's
    parser reads them; None for anything it might refuse or this reading might not match
    (an unknown flag, a value flag without its value, a long option)."""
    from .fast import NEW_SESSION_VALUE_FLAGS

    detached = False
    index = 0
    while index < len(flags):
        word = flags[index]
        index += 1
        if word == "--":
            break
        if word == "-" or not word.startswith("-"):
            break  # the command: the rest are its words
        if word.startswith("--"):
            return None
        position = 1
        while position < len(word):
            letter = word[position]
            position += 1
            if letter in NEW_SESSION_FLAGS:
                detached = detached or letter == "d"
            elif letter in NEW_SESSION_VALUE_FLAGS:
                if position == len(word):
                    if index >= len(flags):
                        return None
                    index += 1
                break
            else:
                return None
    return detached
