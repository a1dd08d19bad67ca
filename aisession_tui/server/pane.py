"""A pane: one child process on a real PTY, its emulator and its shell-integration tracker.

Output path (the hot path): the event loop calls :meth:`Pane._on_readable` when the master
fd is readable; it feeds for at most ``WAKE_BUDGET`` seconds per wake-up (so a flooding
child cannot starve other panes or the server's replies), and stops sooner, between two
reads, when a client's request waits (the server's :class:`~.request_probe.RequestProbe`,
given by the engine); it hands them to the command tracker
(OSC 133/7, before the emulator) and to the emulator, then tells its listeners which rows
changed. The child blocks when the kernel's PTY buffer fills: that is the backpressure.

Input path: :meth:`write` appends to a queue flushed with non-blocking writes, resumed by
the loop when the PTY can take more, so a 1 MB paste never blocks the loop.

Exit: when the child is reaped (SIGCHLD, see the daemon) the remaining output is drained,
the exit status is recorded and the ``on_exit`` listeners run; the window decides whether
the pane stays visible (``remain-on-exit``) or closes.

OS effects go through a :class:`PaneBackend` (:class:`PtyBackend`) so tests can substitute
a fake (:mod:`aisession_tui.server.fake_pty`).
"""

from __future__ import annotations

import asyncio
import errno
import fcntl
import logging
import os
import signal
import struct
import termios
import time
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any, NoReturn, Protocol

from ..terminal.emulator import Emulator
from .request_probe import RequestProbe, no_request_waits
from .shell_integration import CommandFinished, CommandRecord, CommandTracker

log = logging.getLogger(__name__)

READ_CHUNK = 65536
FEED_CHUNK = 16384
"""Bytes gathered from the PTY before one emulator feed, at least (see FEED_TIME)."""
FEED_CHUNK_MAX = 65536
FEED_TIME = 0.001
"""CPU seconds one feed aims at: a flooding pane gathers as many bytes as its emulator
went through in that time on its last full feed (between FEED_CHUNK and FEED_CHUNK_MAX).
The emulator's cost is per feed as much as per byte (a block of lines builds only the rows
left visible at its end: a 64 KB feed of coloured log lines costs 0.6x as much a byte as
a 16 KB one), while a request arriving during a feed waits for its end: so a feed takes
about as long as a 16 KB one of the slowest common stream (full-screen redraws), and
falls back to FEED_CHUNK whenever a request was seen waiting, for FEED_QUIET seconds (a
client issuing requests one after another waits for small feeds)."""
FEED_QUIET = 0.1
WAKE_BUDGET = 0.003
"""Seconds of feeding one wake-up may use before yielding to the rest of the loop."""
WRITE_CHUNK = 65536
RECENT_COMMANDS = 200
_NOT_ZOOMED: frozenset[str] = frozenset()
"""The empty ``mode_zoomed`` all panes share (``frozenset()`` makes a new one each time
since Python 3.10: 216 bytes a pane)."""


def _default_signals() -> list[int]:
    """Every signal a child gets at its default action (all but SIGKILL and SIGSTOP,
    which cannot be changed)."""
    return [number for number in signal.valid_signals()
            if number not in (signal.SIGKILL, signal.SIGSTOP)]


def find_program(name: str, search: str | None) -> str | None:
    """The file ``execvp`` would run for ``name`` along ``search`` (a PATH; the default
    path when None): ``name`` itself when it has a slash; None when nothing executable
    is found (shutil's ``which`` without its ~5 ms of imports)."""
    if "/" in name:
        return name if _runnable(name) else None
    for directory in (search if search is not None else os.defpath).split(os.pathsep):
        candidate = os.path.join(directory or ".", name)
        if _runnable(candidate):
            return candidate
    return None


def _runnable(path: str) -> bool:
    return os.access(path, os.X_OK) and not os.path.isdir(path)


def spawn_on_pty(argv: list[str], cwd: str, env: dict[str, str], columns: int,
                 lines: int) -> tuple[int, int, int, str]:
    """Start ``argv`` in ``cwd`` with ``env`` on a new PTY of ``columns`` x ``lines``:
    (child pid, master fd, exec pipe, the PTY's name). The master is non-blocking and not
    inherited; the exec pipe (non-blocking) reads end of file once the child has exec'd
    (or a byte when it could not) - until then the child is a copy of the server.

    The child is a session leader whose controlling terminal is the PTY, with no other
    descriptor of the server, every signal at its default action and none blocked (Python
    ignores SIGPIPE and SIGXFSZ, and the server may have inherited ignored ones: without
    this ``yes | head -1`` would print "Broken pipe" instead of dying quietly of SIGPIPE
    as under tmux). The program is looked up along the server's PATH first (one that is
    not there raises ``FileNotFoundError`` here, as ptyprocess did); the server does not
    wait for the child's exec (~1.5 ms of a forked Python's work): a child that cannot
    exec says why on its terminal and exits 127, as a shell does (the exec pipe tells
    when it is done: :meth:`PtyBackend.execing`). A file the kernel will not run
    (``ENOEXEC``: an executable text without ``#!``) runs under ``/bin/sh``, as tmux's
    ``execvp`` runs it.

    ``os.posix_spawn`` would be faster still, but glibc's leaves its two internal signals
    (32 and 33) ignored in the child, and ignored signals survive exec (tmux's children
    have none ignored; ``tests/server/test_pane_signals.py``).
    """
    program = find_program(argv[0], os.environ.get("PATH"))
    if program is None:
        raise FileNotFoundError(
            f"The command was not found or was not executable: {argv[0]}.")
    defaults = _default_signals()
    master, slave = os.openpty()  # both close on exec
    done_read, done_write = os.pipe()  # the same
    try:
        set_window_size(slave, columns, lines)
        name = os.ttyname(slave)
        pid = os.fork()
        if pid == 0:  # the child: nothing here may return into the server's code
            _exec_child(program, argv, cwd, env, slave, done_write, defaults)
    except BaseException:
        os.close(master)
        os.close(done_read)
        raise
    finally:
        os.close(slave)
        os.close(done_write)
    os.set_blocking(master, False)
    os.set_blocking(done_read, False)
    return pid, master, done_read, name


def _exec_child(program: str, argv: list[str], cwd: str, env: dict[str, str], slave: int,
                done: int, defaults: list[int]) -> NoReturn:
    """In the forked child: the PTY as controlling terminal and standard descriptors,
    nothing else open (``done`` closes on exec), the directory, default signals, then the
    program."""
    try:
        signal.set_wakeup_fd(-1)  # a signal now must not wake the server's loop
        os.login_tty(slave)  # setsid, TIOCSCTTY, 0-2, slave closed
        os.closerange(3, done)
        os.closerange(done + 1, MAX_FD)
        os.chdir(cwd)
        for number in defaults:
            try:
                signal.signal(number, signal.SIG_DFL)
            except (OSError, ValueError):
                pass  # real-time signals reserved by the C library
        signal.pthread_sigmask(signal.SIG_SETMASK, ())
        try:
            os.execve(program, argv, env)
        except OSError as exc:
            if exc.errno != errno.ENOEXEC:
                raise
            # as tmux's execvp: a file the kernel cannot run is a script for /bin/sh
            os.execve("/bin/sh", ["/bin/sh", program, *argv[1:]], env)
    except BaseException as exc:  # noqa: BLE001 - said on the pane, the child ends
        try:
            os.write(2, f"ai-session: {argv[0]}: {exc}\r\n".encode(errors="replace"))
            os.write(done, b"!")
        except BaseException:  # noqa: BLE001, S110
            pass
    finally:
        os._exit(127)


MAX_FD = 1 << 20
"""Above any descriptor a server has (``closerange`` is one ``close_range`` call)."""


def set_window_size(fd: int, columns: int, lines: int) -> None:
    """The PTY's window size (on the master, the kernel sends SIGWINCH to its foreground
    group)."""
    fcntl.ioctl(fd, termios.TIOCSWINSZ, struct.pack("HHHH", lines, columns, 0, 0))


class PaneBackend(Protocol):
    """What a pane needs of its OS side: :class:`PtyBackend`, or a test's
    :class:`~aisession_tui.server.fake_pty.FakePty`. ``fd`` is watched by the event loop
    (readable: output waits; end of file: the child is gone)."""

    fd: int
    pid: int

    def read(self, size: int) -> bytes: ...
    def write(self, data: bytes | memoryview) -> int: ...
    def resize(self, columns: int, lines: int) -> None: ...
    def poll(self) -> tuple[bool, int | None, int | None]: ...
    def hangup(self) -> None: ...
    def force_kill(self) -> None: ...
    def close(self) -> None: ...
    def foreground_command(self) -> str | None: ...
    def foreground_cwd(self) -> str | None: ...
    def tty_name(self) -> str: ...
    def _foreground_pid(self) -> int | None: ...


class PtyBackend:
    """The OS side of a pane: spawn a child on a PTY, read, write, resize, signal, reap."""

    def __init__(self, argv: list[str], cwd: str, env: dict[str, str], columns: int,
                 lines: int) -> None:
        self.pid, self.fd, self._exec_pipe, self._tty = spawn_on_pty(argv, cwd, env,
                                                                      columns, lines)
        self._cwd = cwd

    def execing(self) -> bool:
        """Whether the child is still on its way to its program (a copy of the server,
        not yet on its terminal or in its directory: what it runs is ``argv[0]``)."""
        pipe = self._exec_pipe
        if pipe < 0:
            return False
        try:
            os.read(pipe, 1)  # end of file: exec'd; a byte: could not (it exits)
        except BlockingIOError:
            return True
        except OSError:
            pass
        os.close(pipe)
        self._exec_pipe = -1
        return False

    def read(self, size: int) -> bytes:
        """Up to ``size`` bytes; ``b""`` at EOF; raises BlockingIOError when empty."""
        try:
            return os.read(self.fd, size)
        except OSError as exc:
            if isinstance(exc, BlockingIOError):
                raise
            return b""  # EIO: the slave side is closed

    def write(self, data: bytes | memoryview) -> int:
        """Bytes accepted; raises BlockingIOError when the PTY is full."""
        return os.write(self.fd, data)

    def resize(self, columns: int, lines: int) -> None:
        """Set the window size (the kernel sends SIGWINCH to the foreground group)."""
        set_window_size(self.fd, columns, lines)

    def poll(self) -> tuple[bool, int | None, int | None]:
        """(exited, exit code, killing signal) without blocking."""
        try:
            pid, status = os.waitpid(self.pid, os.WNOHANG)
        except ChildProcessError:
            return True, None, None
        if pid == 0:
            return False, None, None
        if os.WIFEXITED(status):
            return True, os.WEXITSTATUS(status), None
        if os.WIFSIGNALED(status):
            return True, None, os.WTERMSIG(status)
        return False, None, None

    def hangup(self) -> None:
        """Signal the child's process group as a terminal hang-up does."""
        for send in (os.killpg, os.kill):  # the group, else the child alone
            try:
                send(self.pid, signal.SIGHUP)
            except OSError:
                pass

    def force_kill(self) -> None:
        """SIGKILL the child's process group (used when a hang-up was ignored)."""
        for send in (os.killpg, os.kill):  # the group, else the child alone
            try:
                send(self.pid, signal.SIGKILL)
            except OSError:
                pass

    def close(self) -> None:
        """Close the master fd exactly once (idempotent)."""
        if self._exec_pipe >= 0:
            os.close(self._exec_pipe)
            self._exec_pipe = -1
        if self.fd >= 0:
            try:
                os.close(self.fd)
            except OSError:
                pass
            self.fd = -1

    def foreground_command(self) -> str | None:
        """The name of the PTY's foreground process (``pane_current_command``)."""
        if self.execing():
            return None  # the pane says argv[0]
        try:
            group = os.tcgetpgrp(self.fd)
            return Path(f"/proc/{group}/comm").read_text().strip()
        except OSError:
            return None

    def foreground_cwd(self) -> str | None:
        """The working directory of the foreground process, or of the child."""
        if self.execing():
            return self._cwd
        for pid in (self._foreground_pid(), self.pid):
            if pid is None:
                continue
            try:
                return os.readlink(f"/proc/{pid}/cwd")
            except OSError:
                continue
        return None

    def tty_name(self) -> str:
        """The slave device, e.g. ``/dev/pts/3``: the PTY the child was started on (as
        tmux's ``pane_tty``, also once the child is gone)."""
        return self._tty

    def _foreground_pid(self) -> int | None:
        if self.execing():
            return None
        try:
            return os.tcgetpgrp(self.fd)
        except OSError:
            return None


@dataclass
class PaneExit:
    """How a pane's child ended."""

    code: int | None
    signal: int | None
    at: float

    @property
    def status(self) -> int:
        """A shell-style status: the exit code, or 128 + signal."""
        if self.code is not None:
            return self.code
        return 128 + (self.signal or 0)


@dataclass(slots=True)
class PaneListeners:
    """Callbacks the server registers on a pane (slots: no instance dict a pane)."""

    on_output: list[Callable[[Pane], None]] = field(default_factory=list)
    on_data: list[Callable[[Pane, bytes], None]] = field(default_factory=list)
    """The raw bytes the child wrote (control mode's %output, pipe-pane)."""
    on_exit: list[Callable[[Pane], None]] = field(default_factory=list)
    on_command: list[Callable[[Pane, CommandRecord], None]] = field(default_factory=list)
    on_kill: list[Callable[[Pane], None]] = field(default_factory=list)


class Pane:
    """A child process on a PTY with its screen; ``id`` is the N of ``%N``."""

    def __init__(self, pane_id: int, *, argv: list[str], cwd: str, env: dict[str, str],
                 columns: int, lines: int, history_limit: int, integrated: bool,
                 start_command: str, backend_factory: Callable[..., PaneBackend] = PtyBackend,
                 requests: RequestProbe | None = None) -> None:
        self.id = pane_id
        self.title = ""
        self.created = time.time()
        self.start_command = start_command
        self.start_cwd = cwd
        self.argv = argv
        self.integrated = integrated
        self.listeners = PaneListeners()
        self.input_off = False
        """``select-pane -d``: input is dropped until ``select-pane -e``."""
        self.modes: list[str] = []
        """The pane's mode stack, top first (``pane_modes``)."""
        self.copy_state: dict[str, Any] | None = None
        """The attached client's copy-mode cursor and selection (``copy-state``), for the
        copy-mode formats while the pane is in copy mode."""
        self.mode_zoomed: frozenset[str] = _NOT_ZOOMED
        """Modes entered with ``-Z`` that zoomed the window (unzoomed when they end); a
        frozenset replaced on change, so an idle pane shares the empty one (a set each was
        ~216 bytes a pane)."""
        self.commands: list[CommandRecord] = []
        """The pane's last commands without their output (the records keep that): 200
        outputs of up to 8 MiB each stayed in memory for ``len`` and the last exit code."""
        self.exit: PaneExit | None = None
        self.killed = False
        self.last_output = self.created
        self.attention = ""
        """The attention state the attention watch last saw (``server/attention_watch.py``)."""
        self._backend_factory = backend_factory
        self._write_queue: deque[memoryview] | None = None
        """Bytes waiting for the child; None while nothing waits (an empty deque is ~760
        bytes a pane)."""
        self._writer_armed = False
        self._gave_way = False
        """The last output wake-up yielded to a request before feeding anything."""
        self._requests = requests
        """The server's request probe (None: this pane never gives way)."""
        self._feed_chunk = FEED_CHUNK
        """Bytes to gather before a feed (see FEED_TIME)."""
        self._request_seen = 0.0
        """When a wake-up last saw a request waiting (monotonic)."""
        self._loop = asyncio.get_running_loop()
        self.emulator = Emulator(columns, lines, history_limit=history_limit,
                                 on_reply=self.write)
        self.tracker = CommandTracker()
        self.backend: PaneBackend = backend_factory(argv, cwd, env, columns, lines)
        self._loop.add_reader(self.backend.fd, self._on_readable)

    # ----------------------------------------------------------------- state
    @property
    def dead(self) -> bool:
        """True once the child has exited."""
        return self.exit is not None

    @property
    def pid(self) -> int:
        """The child's pid."""
        return self.backend.pid

    @property
    def columns(self) -> int:
        """Width in cells."""
        return self.emulator.columns

    @property
    def lines(self) -> int:
        """Height in cells."""
        return self.emulator.lines

    def current_command(self) -> str:
        """The foreground process name (tmux's ``pane_current_command``)."""
        if self.dead:
            return Path(self.argv[0]).name if self.argv else ""
        return self.backend.foreground_command() or (Path(self.argv[0]).name
                                                     if self.argv else "")

    def current_path(self) -> str:
        """OSC 7's cwd when the shell reports it, else the process's cwd."""
        if self.tracker.cwd:
            return self.tracker.cwd
        if not self.dead:
            found = self.backend.foreground_cwd()
            if found:
                return found
        return self.start_cwd

    # ------------------------------------------------------------ output path
    def _on_readable(self) -> None:
        # Gather what the PTY holds (Linux hands it out a few KB per read) into pieces of
        # up to ``_feed_chunk`` bytes (see FEED_TIME) and feed each in one go, until the PTY
        # is empty or this wake-up has used its time budget:
        # whatever is left stays in the kernel's buffer (the child blocks: backpressure)
        # and the loop serves every other pane and client before coming back.
        # A client's request waiting (the request probe) ends the wake-up before the next
        # feed, so it waits for one feed, not a whole budget; a wake-up after one that
        # fed nothing feeds once regardless, so the pane always moves.
        deadline = time.monotonic() + WAKE_BUDGET
        eof = False
        must_feed = self._gave_way
        self._gave_way = fed = False
        requests = self._requests
        waiting = requests.waiting if requests is not None else no_request_waits
        feed_chunk = self._feed_chunk
        while not eof:
            if not must_feed and waiting():
                self._gave_way = not fed
                self._feed_chunk = FEED_CHUNK
                self._request_seen = time.monotonic()
                return
            must_feed = False
            chunks: list[bytes] = []
            total = 0
            while total < feed_chunk:
                if chunks and waiting():
                    feed_chunk = self._feed_chunk = FEED_CHUNK
                    self._request_seen = time.monotonic()
                    break  # feed what was read, then give way
                try:
                    data = self.backend.read(READ_CHUNK)
                except BlockingIOError:
                    break
                if not data:
                    eof = True
                    break
                chunks.append(data)
                total += len(data)
            if not chunks:
                break
            started = time.thread_time()
            self._consume(chunks[0] if len(chunks) == 1 else b"".join(chunks))
            fed = True
            if total < feed_chunk:
                break  # the PTY is empty or a request waits
            # a full feed: its rate sets the next size (halfway, to damp the noise)
            spent = max(time.thread_time() - started, 1e-6)
            now = time.monotonic()
            if now - self._request_seen > FEED_QUIET:
                wanted = min(FEED_CHUNK_MAX, max(FEED_CHUNK, int(total / spent * FEED_TIME)))
                feed_chunk = self._feed_chunk = (feed_chunk + wanted) // 2
            if now >= deadline:
                break  # the budget is spent
        if eof:
            self._stop_reading()
            self.check_exit()

    def _consume(self, data: bytes) -> None:
        now = time.time()
        self.last_output = now
        events = self.tracker.feed(data, now) if self.integrated else ()
        self.emulator.feed(data)
        for callback in self.listeners.on_output:
            callback(self)
        for data_callback in self.listeners.on_data:
            data_callback(self, data)
        for event in events:
            if isinstance(event, CommandFinished):
                self.commands.append(replace(event.record, output=b""))
                if len(self.commands) > RECENT_COMMANDS:
                    del self.commands[0]
                for command_callback in self.listeners.on_command:
                    command_callback(self, event.record)

    def _drain(self) -> None:
        """Read whatever the child left in the PTY before it exited."""
        for _ in range(256):
            try:
                data = self.backend.read(READ_CHUNK)
            except BlockingIOError:
                return
            if not data:
                return
            self._consume(data)

    def _stop_reading(self) -> None:
        if self.backend.fd >= 0:
            self._loop.remove_reader(self.backend.fd)

    # ------------------------------------------------------------- input path
    def write(self, data: bytes) -> None:
        """Queue bytes for the child; never blocks."""
        if self.dead or not data or self.backend.fd < 0 or self.input_off:
            return
        if self._write_queue is None:
            self._write_queue = deque()
        self._write_queue.append(memoryview(data))
        self._flush()

    def _flush(self) -> None:
        queue = self._write_queue
        while queue:
            chunk = queue[0]
            try:
                written = self.backend.write(chunk[:WRITE_CHUNK])
            except BlockingIOError:
                break
            except OSError:
                queue.clear()
                break
            if written >= len(chunk):
                queue.popleft()
            else:
                queue[0] = chunk[written:]
        if queue and not self._writer_armed and self.backend.fd >= 0:
            self._loop.add_writer(self.backend.fd, self._flush)
            self._writer_armed = True
        elif not queue:
            self._write_queue = None
            if self._writer_armed:
                if self.backend.fd >= 0:
                    self._loop.remove_writer(self.backend.fd)
                self._writer_armed = False

    @property
    def pending_input(self) -> int:
        """Bytes queued for the child and not yet written."""
        return sum(len(chunk) for chunk in self._write_queue or ())

    # --------------------------------------------------------------- control
    def resize(self, columns: int, lines: int) -> None:
        """Resize the screen and the PTY (the child gets SIGWINCH)."""
        columns, lines = max(1, columns), max(1, lines)
        if (columns, lines) == (self.emulator.columns, self.emulator.lines):
            return
        self.emulator.resize(columns, lines)
        if not self.dead:
            try:
                self.backend.resize(columns, lines)
            except OSError:
                pass
        for callback in self.listeners.on_output:
            callback(self)

    def check_exit(self) -> bool:
        """Reap the child if it has exited; run the exit listeners once."""
        if self.dead:
            return True
        exited, code, sig = self.backend.poll()
        if not exited:
            return False
        self._drain()
        self._stop_reading()
        if self._writer_armed and self.backend.fd >= 0:
            self._loop.remove_writer(self.backend.fd)
            self._writer_armed = False
        self._write_queue = None
        self.backend.close()
        self.exit = PaneExit(code, sig, time.time())
        for callback in list(self.listeners.on_exit):
            callback(self)
        return True

    def kill(self) -> None:
        """Hang up the child and close the PTY; a stubborn child is SIGKILLed later."""
        if self.dead or self.killed:
            return
        self.killed = True
        self._stop_reading()
        if self._writer_armed and self.backend.fd >= 0:
            self._loop.remove_writer(self.backend.fd)
            self._writer_armed = False
        self.backend.hangup()
        self.backend.close()
        backend = self.backend
        self._loop.call_later(2.0, _reap_or_kill, backend)
        for callback in list(self.listeners.on_kill):
            callback(self)


def _reap_or_kill(backend: PaneBackend) -> None:
    exited, _, _ = backend.poll()
    if not exited:
        backend.force_kill()
        asyncio.get_running_loop().call_later(0.5, backend.poll)
