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
is nobody's child) and waits for the ready byte (no polling). As tmux's client does, a start
holds ``SOCKET.lock`` (flock) until its server is ready: clients starting the same server
at the same moment wait for the first one's and connect to it, instead of each starting
one (the servers then bound the path in turn, and a session made on the first was out of
reach: 1-4 of 30 three-client races before).

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

Imports: the standard library's core (``posix``, ``select``); when the home is already
private (the usual case) nothing else before the server is started
(:func:`_private_log`), else :mod:`aisession_tui.protocol.paths`, whose ``secure_home``
tightens it and words the notices.
"""

import _signal
import posix
import select
import sys

TYPE_CHECKING = False
if TYPE_CHECKING:
    from pathlib import Path

START_TIMEOUT = 30.0
"""Seconds to wait for a starting server's ready byte."""
STARTS_SERVER = ("new-session", "new", "start-server", "start")
"""The verbs started early (each a ``starts_server`` command of the registry, a test
checks); the others that start one (``create``, ``task``, ``agent``) just start it later."""


def server_argv(*args: str) -> list[str]:
    """The command that runs the server: ``-E`` (no ``PYTHON*`` variables) and ``-P`` (no
    cwd on ``sys.path``), so only the installed package and the standard library load."""
    return [sys.executable, "-E", "-P", "-m", "aisession_tui.server.daemon", *args]


class Starting:
    """A server being started on :attr:`path` (its first process's pid, the pipe's read
    end it says ``ready`` on)."""

    def __init__(self, path: "Path | str", config_files: list[str] | None, renderer: bool,
                 pid: int, ready_read: int, logfile: str, lock: int = -1) -> None:
        self.path = path
        self.config_files = config_files
        self.renderer = renderer
        self.pid = pid
        """The first process (-1: none was started: another client's server answered)."""
        self.ready_read = ready_read
        self.logfile = logfile
        self.lock = lock
        """The start lock's descriptor (-1: none), released once the server is ready."""
        self.answer: bytes | None = None
        self.taken = False

    def wait(self) -> bytes:
        """The server's answer on the ready pipe (``ready`` once it listens; empty when it
        exited without, e.g. because another server already listens there)."""
        if self.answer is not None:
            return self.answer
        if self.pid < 0:
            self.answer = b""
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
            if self.lock >= 0:  # as tmux's server does once it started: the next may go
                _release(str(self.path), self.lock)
                self.lock = -1
        return self.answer

    def discard(self) -> None:
        """Stop the server started early that the full CLI did not take (once it is
        ready), unless a session was made on it meanwhile."""
        if self.taken:
            return
        self.taken = True
        if not self.wait().startswith(b"ready"):
            return  # it did not start (another server listens there): nothing to stop
        from .fast import _connect, _hello, _Reader, _request

        sock = _connect(str(self.path))
        if sock is None:
            return
        try:
            sock.sendall(_hello() + _request(2, "command", {"argv": ["has-session"]}))
            reader = _Reader(sock)
            reader.result(1)
            found = reader.result(2)
            if isinstance(found, dict) and found.get("exit_code"):  # no session: ours alone
                sock.sendall(_request(3, "command", {"argv": ["kill-server"]}))
                reader.result(3)
        except Exception:  # noqa: BLE001, S110 - it went away by itself: what was wanted
            pass
        finally:
            sock.close()


def _lock_path(path: str) -> str:
    return f"{path}.lock"


def _release(path: str, lock: int) -> None:
    """Let go of the start lock; its file goes while it is still held (no lock files
    left behind; a client waiting on it then finds the server answering)."""
    try:
        posix.unlink(_lock_path(path))
    except OSError:
        pass
    posix.close(lock)


def _start_lock(path: str, *, wait: bool) -> int | None:
    """tmux's start lock (``SOCKET.lock``, flock'd while a client starts the server, so
    clients starting it at the same moment do not start one each: two servers would bind
    the path in turn, and sessions made on the first would be out of reach). Its
    descriptor, held; -1 when it cannot be had (no file there: the start goes on unlocked,
    as tmux's); None when another client holds it (after waiting for it, with ``wait``)."""
    import fcntl

    try:
        lock = posix.open(_lock_path(path), posix.O_WRONLY | posix.O_CREAT | posix.O_CLOEXEC,
                          0o600)
    except OSError:
        return -1
    try:
        fcntl.flock(lock, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        if wait:
            try:
                fcntl.flock(lock, fcntl.LOCK_EX)  # until its server is ready
            except OSError:
                pass
        posix.close(lock)
        return None
    except OSError:
        posix.close(lock)
        return -1
    return lock


def spawn(path: "Path | str", config_files: list[str] | None = None, *,
          renderer: bool = False, wait: bool = True) -> Starting | None:
    """Start a detached server on ``path`` (see the module docstring): the home's notices
    printed, the log opened, the server forked and exec'd, under the start lock. When
    another client holds the lock: with ``wait``, once it is done, the lock is tried again;
    without, None. A server that answers once the lock is held is not started again: the
    start returned started nothing (:meth:`Starting.wait` answers empty, the caller
    connects)."""
    from .fast import _connect

    while True:
        lock = _start_lock(str(path), wait=wait)
        if lock is not None:
            break
        if not wait:
            return None
    if lock >= 0:
        answering = _connect(str(path))
        if answering is not None:  # started by the client that held the lock before us
            answering.close()
            _release(str(path), lock)
            return Starting(path, config_files, renderer, -1, -1, "")
    try:
        return _spawn(str(path), config_files, renderer, lock)
    except BaseException:
        if lock >= 0:
            posix.close(lock)
        raise


def _spawn(path: str, config_files: list[str] | None, renderer: bool,
           lock: int) -> Starting:
    quick = _private_log(str(path))
    if quick is not None:
        log, logfile = quick
    else:
        log, logfile = _secure_and_open_log(str(path))
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
    return Starting(path, config_files, renderer, pid, read_end, logfile, lock)


def _secure_and_open_log(path: str) -> tuple[int, str]:
    """:func:`~aisession_tui.protocol.paths.secure_home` (its notices printed) and the
    server's log opened for appending (``/dev/null`` when it cannot be, said)."""
    from pathlib import Path

    from ..protocol.paths import log_path, private_file, secure_home

    for notice in secure_home():
        sys.stderr.write(f"ai-session: {notice}\n")
    sys.stderr.flush()
    logfile = log_path(Path(path))
    try:
        log = posix.open(str(private_file(logfile)),
                         posix.O_WRONLY | posix.O_APPEND | posix.O_CLOEXEC)
    except OSError as exc:  # a read-only or full home: the server runs, unlogged
        sys.stderr.write(f"ai-session: cannot write the log {logfile}: "
                         f"{exc.strerror or exc}\n")
        sys.stderr.flush()
        log = posix.open("/dev/null", posix.O_WRONLY | posix.O_CLOEXEC)
    return log, str(logfile)


def _private_log(path: str) -> tuple[int, str] | None:
    """The server's log opened for appending, and its path, when the home is already
    private (:func:`~aisession_tui.protocol.paths.secure_home` would change nothing, so
    it would print nothing) and its ``logs`` directory is there: with ``posix`` calls
    only (``aisession_tui.protocol`` imports json, re and typing: ~10 ms before the
    server could start). None for anything else (then :func:`_secure_and_open_log`)."""
    from .fast import _environ, _pure

    environ = _environ()
    home = environ.get("AI_SESSION_HOME")
    if not home:
        base = environ.get("HOME")
        if not base:
            return None
        home = f"{base}/.ai-session"
    if home.startswith("~"):
        return None
    home = _pure(home)  # as str(Path(home)) words it
    if not _already_private(home, posix.getuid()):
        return None
    try:  # private_file makes its directory as private_dir does: 0700
        try:
            posix.mkdir(f"{home}/logs", 0o700)
        except FileExistsError:
            pass
        if posix.stat(f"{home}/logs").st_mode & 0o7777 != 0o700:
            posix.chmod(f"{home}/logs", 0o700)
    except OSError:
        return None
    logfile = f"{home}/logs/server-{path.rsplit('/', 1)[-1]}.log"
    try:
        log = posix.open(logfile, posix.O_WRONLY | posix.O_CREAT | posix.O_APPEND
                         | posix.O_CLOEXEC, 0o600)
    except OSError:
        return None
    try:
        if posix.fstat(log).st_mode & 0o7777 != 0o600:
            posix.fchmod(log, 0o600)
    except OSError:
        posix.close(log)
        return None
    return log, logfile


def _already_private(directory: str, uid: int, top: bool = True) -> bool:
    """Whether nothing under ``directory`` (itself included) is open to others among
    what secure_home tightens (not symbolic links, not others' files); False when unsure
    (the home is not a directory of ours, a directory that cannot be read)."""
    try:
        if top:
            status = posix.lstat(directory)
            if status.st_uid != uid or status.st_mode & 0o077 \
                    or status.st_mode & 0o170000 != 0o040000:
                return False
        with posix.scandir(directory) as entries:
            for entry in entries:
                status = entry.stat(follow_symlinks=False)
                kind = status.st_mode & 0o170000
                if kind == 0o120000 or status.st_uid != uid:
                    continue
                if status.st_mode & 0o077:
                    return False
                if kind == 0o040000 and not _already_private(entry.path, uid, top=False):
                    return False
    except OSError:
        return False
    return True


_DEFAULT_SIGNALS = tuple(getattr(_signal, name) for name in ("SIGPIPE", "SIGXFZ", "SIGXFSZ")
                         if hasattr(_signal, name))
"""Signals the server starts with at their defaults, as subprocess's restore_signals
(Python ignores SIGPIPE and SIGXFSZ; an ignored signal stays ignored across exec). Looked
up here: nothing is imported between fork and exec (a fork from a thread of the
in-process client must not wait for the import lock)."""


def _exec_server(argv: list[str], null: int, log: int, ready_write: int) -> None:
    """In the forked child: a new session, the descriptors, default signals, exec."""
    try:
        posix.setsid()
        for number in _DEFAULT_SIGNALS:
            _signal.signal(number, _signal.SIG_DFL)
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
        read = read_new_session(words[1:])
        if read is None:
            return False
        attaching = "d" not in read
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
    config = options.get("f")
    _early = spawn(socket, [config] if config else None, renderer=renderer, wait=False)
    if _early is None or _early.pid < 0:  # another client is starting it: the full CLI
        _early = None                     # waits for that and connects
        return False
    if attaching and renderer:
        global _cold
        _cold = (words, read.get("f", ""), read.get("s"))
    return True


_cold: tuple[list[str], str, str | None] | None = None
"""The early start is for an attaching new-session through the thin client: its words,
``-f``'s client flags and ``-s``'s name (:mod:`.cold_session` serves it)."""


def take_cold() -> tuple[Starting, list[str], str, str | None] | None:
    """The early start of an attaching new-session (:data:`_cold`), now the caller's: the
    start, the command's words, its client flags and session name; None for any other."""
    global _early, _cold
    early, cold = _early, _cold
    if early is None or cold is None:
        return None
    _early = _cold = None
    early.taken = True
    return (early, *cold)


def read_new_session(flags: list[str]) -> dict[str, str] | None:
    """new-session's flags in its words (after its name), read as the registry's parser
    reads them (a value flag given twice: the last value); None for anything it might
    refuse or this reading might not match (an unknown flag, a value flag without its
    value, a long option)."""
    from .fast import NEW_SESSION_FLAGS, NEW_SESSION_VALUE_FLAGS, read_flags

    read = read_flags(flags, 0, NEW_SESSION_FLAGS, NEW_SESSION_VALUE_FLAGS)
    return None if read is None else read[0]
