"""The two multiplexers under test, driven the same way: isolated servers, detached panes.

:class:`AiSessionSide` and :class:`TmuxSide` share one shape: ``start()`` launches a
server on a unique ``-L`` socket with one idle ``keep`` session (so the server outlives the
sessions a workload creates and destroys), ``command(*argv)`` runs a command over a
channel that costs no process start (ai-session: one persistent socket connection;
tmux: the ``tmux`` client, a C program), ``run_cli`` runs a cold CLI process,
``waiter(channel)`` waits for ``wait-for -S channel`` and ``stop()`` ends the server and
every pane process it had. tmux always gets ``-f /dev/null``.

Invariants:
* ``stop`` is registered with the run's :class:`~.common.Cleanup` before the server is
  started, and is idempotent: kill-server first, then SIGKILL of the server and of every
  pane process it listed, if they outlive a grace period;
* both sides create panes of the same size (:data:`COLUMNS` x :data:`LINES`).
"""

from __future__ import annotations

import itertools
import os
import select
import shlex
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path
from typing import Any, Protocol

from aisession_tui.cli.client import Client, connect
from aisession_tui.protocol.paths import socket_path

from .common import BenchContext

COLUMNS = 200
LINES = 50
SIZE_FLAGS = ("-x", str(COLUMNS), "-y", str(LINES))
_serial = itertools.count(1)
_FOREIGN_ENV = ("AI_SESSION", "AI_SESSION_PANE", "TMUX", "TMUX_PANE")


class Waiter(Protocol):
    def wait(self, timeout: float) -> None: ...


class Side(Protocol):
    """What workloads use from either multiplexer."""

    label: str
    cli: list[str]
    env: dict[str, str]
    pid: int

    def start(self) -> None: ...
    def stop(self) -> None: ...
    def command(self, *argv: str, check: bool = True) -> str: ...
    def run_cli(self, *argv: str, check: bool = True,
                timeout: float = 60.0) -> subprocess.CompletedProcess[str]: ...
    def waiter(self, channel: str) -> Waiter: ...
    def shell_cli(self) -> str: ...


def rss_mb(pid: int) -> float:
    """Resident set size of ``pid`` in MB (``VmRSS`` from ``/proc/<pid>/status``)."""
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    raise RuntimeError(f"no VmRSS for pid {pid}")


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except (OSError, IndexError):
        return False
    return state != "Z"


def _kill_leftovers(pids: list[int], grace: float) -> None:
    deadline = time.monotonic() + grace
    while any(_alive(pid) for pid in pids) and time.monotonic() < deadline:
        time.sleep(0.05)
    for pid in pids:
        if _alive(pid):
            try:
                os.kill(pid, signal.SIGKILL)
            except ProcessLookupError:
                pass


def _base_env() -> dict[str, str]:
    env = {key: value for key, value in os.environ.items() if key not in _FOREIGN_ENV}
    env.setdefault("LANG", "C.UTF-8")
    return env


class _ProcessWaiter:
    """``wait-for channel`` as a child process (tmux's client starts in a millisecond)."""

    def __init__(self, ctx: BenchContext, argv: list[str], env: dict[str, str]) -> None:
        self.process = subprocess.Popen(argv, env=env, stdin=subprocess.DEVNULL,
                                        stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
        self._release = ctx.cleanup.add(f"waiter {argv[-1]}", self._kill)

    def _kill(self) -> None:
        if self.process.poll() is None:
            self.process.kill()
        self.process.wait()

    def wait(self, timeout: float) -> None:
        try:
            code = self.process.wait(timeout)
        except subprocess.TimeoutExpired:
            raise TimeoutError(f"wait-for did not return within {timeout:.0f} s") from None
        finally:
            self._release()
        if code != 0:
            raise RuntimeError(f"wait-for failed ({code})")


class _ConnectionWaiter:
    """``wait-for channel`` over its own socket connection, in a thread (no process start,
    so ai-session's Python start-up is not charged to the workload)."""

    def __init__(self, ctx: BenchContext, path: Path, channel: str) -> None:
        self.client = connect(path, start=False)
        self.error: BaseException | None = None
        self._release = ctx.cleanup.add(f"waiter {channel}", self.client.close)
        self.thread = threading.Thread(target=self._run, args=(channel,), daemon=True)
        self.thread.start()

    def _run(self, channel: str) -> None:
        try:
            result = self.client.request("command", {"argv": ["wait-for", channel],
                                                      "cwd": "/", "env": {}})
            if result.get("exit_code"):
                raise RuntimeError(result.get("stderr", "wait-for failed"))
        except BaseException as exc:  # noqa: BLE001 - re-raised in wait()
            self.error = exc

    def wait(self, timeout: float) -> None:
        self.thread.join(timeout)
        alive = self.thread.is_alive()
        self._release()
        if alive:
            raise TimeoutError(f"wait-for did not return within {timeout:.0f} s")
        if self.error is not None:
            raise self.error


class _ServerSide:
    label = ""

    def __init__(self, ctx: BenchContext) -> None:
        self.ctx = ctx
        self.name = f"bench-{os.getpid()}-{next(_serial)}"
        self.env = _base_env()
        self.cli: list[str] = []
        self.pid = 0
        self._stopped = False

    def run_cli(self, *argv: str, check: bool = True,
                timeout: float = 60.0) -> subprocess.CompletedProcess[str]:
        """One cold CLI process; raises on failure when ``check``."""
        done = subprocess.run([*self.cli, *argv], env=self.env, capture_output=True,
                              text=True, timeout=timeout, stdin=subprocess.DEVNULL,
                              check=False)
        if check and done.returncode != 0:
            raise RuntimeError(f"{self.label} {' '.join(argv)}: {done.stderr.strip()}")
        return done

    def shell_cli(self) -> str:
        """The CLI as a shell word list, for pane commands (``...; CLI wait-for -S x``)."""
        return shlex.join(self.cli)

    def start(self) -> None:
        self.ctx.cleanup.add(f"{self.label} server {self.name}", self.stop)
        self.run_cli("new-session", "-d", "-s", "keep", *SIZE_FLAGS, "cat")
        self.pid = int(self.run_cli("display-message", "-p", "#{pid}").stdout.strip())
        self._connect()

    def _connect(self) -> None:
        """Open the cheap command channel (nothing to do for tmux)."""

    def _disconnect(self) -> None:
        """Close the cheap command channel."""

    def command(self, *argv: str, check: bool = True) -> str:
        return self.run_cli(*argv, check=check).stdout

    def pane_id(self, target: str) -> str:
        return self.command("display-message", "-p", "-t", target, "#{pane_id}").strip()

    def stop(self) -> None:
        if self._stopped:
            return
        self._stopped = True
        self._disconnect()
        pids = [self.pid] if self.pid else []
        try:
            listed = self.run_cli("list-panes", "-a", "-F", "#{pane_pid}", check=False,
                                  timeout=20)
            pids += [int(word) for word in listed.stdout.split() if word.isdigit()]
        except subprocess.TimeoutExpired:
            pass
        try:
            self.run_cli("kill-server", check=False, timeout=20)
        except subprocess.TimeoutExpired:
            pass
        _kill_leftovers(pids, grace=5.0)


class AiSessionSide(_ServerSide):
    """ai-session through ``python -m aisession_tui.cli -L NAME`` and its socket."""

    label = "ai-session"

    def __init__(self, ctx: BenchContext) -> None:
        super().__init__(ctx)
        home = ctx.workdir / f"home-{self.name}"
        home.mkdir(parents=True, exist_ok=True)
        self.env["AI_SESSION_HOME"] = str(home)
        # An installed package has its bytecode compiled (pip does it); a checkout run with
        # PYTHONDONTWRITEBYTECODE would compile the CLI's modules in every process. The CLI
        # processes get a bytecode cache of their own (the server runs with -E: unaffected).
        self.env.pop("PYTHONDONTWRITEBYTECODE", None)
        self.env["PYTHONPYCACHEPREFIX"] = str(ctx.workdir / "pycache")
        self.cli = [sys.executable, "-m", "aisession_tui.cli", "-L", self.name]
        self.socket = socket_path(self.name)
        self.client: Client | None = None

    def _connect(self) -> None:
        self.client = connect(self.socket, start=False)

    def _disconnect(self) -> None:
        if self.client is not None:
            self.client.close()
            self.client = None

    def command(self, *argv: str, check: bool = True) -> str:
        assert self.client is not None, "start() first"
        result: dict[str, Any] = self.client.request(
            "command", {"argv": list(argv), "cwd": os.getcwd(), "env": self.env})
        if check and result.get("exit_code"):
            raise RuntimeError(f"ai-session {' '.join(argv)}: "
                               f"{result.get('stderr', '').strip()}")
        return str(result.get("stdout", ""))

    def waiter(self, channel: str) -> Waiter:
        return _ConnectionWaiter(self.ctx, self.socket, channel)

    def stop(self) -> None:
        super().stop()
        try:
            self.socket.unlink()
        except FileNotFoundError:
            pass


class TmuxSide(_ServerSide):
    """tmux 3.3a through ``tmux -L NAME -f /dev/null``."""

    label = "tmux"

    def __init__(self, ctx: BenchContext) -> None:
        super().__init__(ctx)
        self.cli = ["tmux", "-L", self.name, "-f", "/dev/null"]

    def waiter(self, channel: str) -> Waiter:
        return _ProcessWaiter(self.ctx, [*self.cli, "wait-for", channel], self.env)


class TmuxControl:
    """A tmux control-mode client (``tmux -C attach -t SESSION``).

    Commands are written one per line; each produces one ``%begin``..``%end``/``%error``
    block whose flags field is 1 (the attach itself answers with a block flagged 0). ``%output %N data`` lines carry pane output (octal-escaped below 32 and ``\\``).
    """

    def __init__(self, side: TmuxSide, session: str) -> None:
        self.process = subprocess.Popen([*side.cli, "-C", "attach-session", "-t", session],
                                        env=side.env, stdin=subprocess.PIPE,
                                        stdout=subprocess.PIPE, stderr=subprocess.DEVNULL)
        self._release = side.ctx.cleanup.add(f"tmux -C {session}", self._kill)
        self._buffer = b""
        self._sent = 0
        self._finished = 0
        self._in_block = False
        self._block_is_ours = False
        self.command("refresh-client")

    def _kill(self) -> None:
        if self.process.poll() is None:
            assert self.process.stdin is not None
            try:
                self.process.stdin.close()
                self.process.wait(5)
            except (OSError, subprocess.TimeoutExpired):
                self.process.kill()
                self.process.wait()

    def close(self) -> None:
        self._release()

    def write(self, line: str) -> None:
        """Send one command line without waiting."""
        assert self.process.stdin is not None
        self.process.stdin.write(line.encode() + b"\n")
        self.process.stdin.flush()
        self._sent += 1

    def _next_line(self, deadline: float) -> str:
        assert self.process.stdout is not None
        fd = self.process.stdout.fileno()
        while b"\n" not in self._buffer:
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                raise TimeoutError("tmux control mode: no answer")
            ready, _, _ = select.select([fd], [], [], remaining)
            if ready:
                data = os.read(fd, 1 << 16)
                if not data:
                    raise RuntimeError("tmux control client exited")
                self._buffer += data
        line, self._buffer = self._buffer.split(b"\n", 1)
        text = line.decode("utf-8", "replace")
        if text.startswith("%begin"):
            self._in_block = True
            self._block_is_ours = text.rsplit(" ", 1)[-1] == "1"
        elif self._in_block and text.startswith(("%end", "%error")):
            self._in_block = False
            if self._block_is_ours:
                self._finished += 1
        return text

    def command(self, line: str, timeout: float = 30.0) -> None:
        """Run a command and wait for its block to end."""
        self.write(line)
        target = self._sent
        deadline = time.monotonic() + timeout
        while self._finished < target:
            self._next_line(deadline)

    def wait_output(self, pane: str, needle: str, timeout: float = 30.0) -> None:
        """Read until an ``%output`` line of ``pane`` contains ``needle``."""
        prefix = f"%output {pane} "
        deadline = time.monotonic() + timeout
        while True:
            text = self._next_line(deadline)
            if text.startswith(prefix) and needle in text[len(prefix):]:
                return


def new_side(label: str, ctx: BenchContext) -> AiSessionSide | TmuxSide:
    return AiSessionSide(ctx) if label == "ai-session" else TmuxSide(ctx)

