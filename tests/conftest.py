"""Shared test fixtures: an isolated ai-session server per test, condition waits, and
the deterministic profile for property tests (hypothesis).

Every test that needs a server gets its own socket name (``-L``), its own
``AI_SESSION_HOME`` and its own ``HOME`` (with a ``.bashrc`` that sets a fixed ``$ ``
prompt), so tests never see each other or the developer's setup. Teardown kills the
server and checks that no child it started is left behind.
"""

from __future__ import annotations

import contextlib
import io
import os
import signal
import subprocess
import sys
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pytest
from hypothesis import settings

DEADLINE = 30.0

# Property tests draw the same examples on every run (seeded from each test's name), so CI
# is deterministic; a new example set is a deliberate change, not the luck of one run.
settings.register_profile("deterministic", derandomize=True, database=None)
settings.load_profile("deterministic")


def wait_until(predicate: Callable[[], object], timeout: float = DEADLINE,
               interval: float = 0.02, message: str = "condition") -> object:
    """Poll ``predicate`` until it returns something truthy; fail after ``timeout``."""
    end = time.monotonic() + timeout
    while True:
        value = predicate()
        if value:
            return value
        if time.monotonic() > end:
            raise AssertionError(f"timed out after {timeout}s waiting for {message}")
        time.sleep(interval)


async def async_wait_until(predicate: Callable[[], object], timeout: float = DEADLINE,
                           message: str = "condition") -> object:
    """:func:`wait_until` for coroutines: polls without blocking the running loop."""
    import asyncio

    end = time.monotonic() + timeout
    while True:
        value = predicate()
        if value:
            return value
        if time.monotonic() > end:
            raise AssertionError(f"timed out after {timeout}s waiting for {message}")
        await asyncio.sleep(0.02)


@dataclass
class Result:
    """A CLI run: exit code and captured output."""

    code: int
    out: str
    err: str


class IsolatedServer:
    """An ai-session server of its own, driven through the real CLI."""

    def __init__(self, tmp: Path) -> None:
        self.name = f"t{uuid.uuid4().hex[:10]}"
        self.home = tmp / "home"
        self.home.mkdir()
        (self.home / ".bashrc").write_text("PS1='$ '\nunset PROMPT_COMMAND\n")
        self.data = tmp / "ais-home"
        self.env = {
            **{k: v for k, v in os.environ.items()
               if not k.startswith(("AI_SESSION", "TMUX"))},
            "HOME": str(self.home), "AI_SESSION_HOME": str(self.data),
            "SHELL": "/bin/bash", "LANG": "C.UTF-8", "PYTHONUNBUFFERED": "1",
        }
        self.env.pop("PROMPT_COMMAND", None)

    @property
    def socket(self) -> Path:
        """The server's socket path."""
        from aisession_tui.protocol.paths import socket_path

        return socket_path(self.name)

    def cli(self, *args: str, timeout: float = 60, input: str | None = None,
            cwd: str | None = None, env: dict[str, str] | None = None) -> Result:
        """Run the real ``ai-session`` executable in a subprocess."""
        proc = subprocess.run(
            [sys.executable, "-m", "aisession_tui.cli", "-L", self.name, *args],
            env={**self.env, **(env or {})}, capture_output=True, text=True,
            timeout=timeout, input=input, cwd=cwd or str(self.home))
        return Result(proc.returncode, proc.stdout, proc.stderr)

    def run(self, *args: str) -> Result:
        """Run the CLI in-process (faster); same parsing and request path."""
        from aisession_tui.cli.main import run

        out, err = io.StringIO(), io.StringIO()
        saved = dict(os.environ)
        os.environ.clear()
        os.environ.update(self.env)
        cwd = os.getcwd()
        os.chdir(self.home)
        try:
            with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
                code = run(["-L", self.name, *args])
        finally:
            os.chdir(cwd)
            os.environ.clear()
            os.environ.update(saved)
        return Result(code, out.getvalue(), err.getvalue())

    def ok(self, *args: str) -> str:
        """Run and assert success; return stdout."""
        result = self.run(*args)
        assert result.code == 0, f"{args} failed ({result.code}): {result.err}"
        return result.out

    def capture(self, target: str) -> str:
        """``capture-pane -p -t target``."""
        return self.ok("capture-pane", "-p", "-t", target)

    def wait_for_text(self, target: str, text: str, timeout: float = DEADLINE) -> str:
        """Wait until ``text`` is on the target pane's screen."""
        return wait_until(lambda: (lambda s: s if text in s else "")(self.capture(target)),
                          timeout, message=f"{text!r} in {target}")

    def server_pid(self) -> int | None:
        """The running server's pid, or None."""
        result = self.run("display-message", "-p", "#{pid}")
        return int(result.out) if result.code == 0 and result.out.strip() else None

    def leftover_servers(self) -> list[int]:
        """Pids of server processes still running on this test's socket."""
        found = []
        for entry in Path("/proc").iterdir():
            if not entry.name.isdigit():
                continue
            try:
                cmdline = (entry / "cmdline").read_bytes().split(b"\0")
            except OSError:
                continue
            if b"aisession_tui.server.daemon" in cmdline and \
                    str(self.socket).encode() in cmdline:
                found.append(int(entry.name))
        return found

    def stop(self) -> None:
        """Kill the server and wait for its socket to go (SIGKILL any straggler); the
        sockets a server killed by the test left (its own, its renderer zygote's) go too."""
        try:
            self._stop()
        finally:
            for pid in self.leftover_servers():
                try:
                    os.kill(pid, 9)
                except ProcessLookupError:
                    pass
            if _remove_dead_socket(self.socket):  # killed: its zygote ends once loaded
                zygote = self.socket.with_name(f".{self.socket.name}.renderer")
                try:
                    wait_until(lambda: _remove_dead_socket(zygote) or not zygote.exists(),
                               15, interval=0.1, message="the zygote of a killed server")
                except AssertionError:
                    pass

    def _stop(self) -> None:
        pid = None
        if self.socket.exists():
            pid = self.server_pid()
            self.run("kill-server")
        if pid:
            def gone() -> bool:
                try:
                    stat = Path(f"/proc/{pid}/stat").read_text()
                except OSError:
                    return True
                return stat.rsplit(")", 1)[1].split()[0] == "Z"  # exited, not yet reaped
            try:
                wait_until(gone, 15, message="server exit")
            except AssertionError:
                os.kill(pid, 9)


def _remove_dead_socket(path: Path) -> bool:
    """Remove the socket file at ``path`` when nothing listens on it any more; whether
    it was removed."""
    import stat

    from aisession_tui.cli.commands.cleanup import stale_socket

    try:
        if not stat.S_ISSOCK(path.lstat().st_mode) or not stale_socket(path):
            return False
        path.unlink()
    except OSError:
        return False
    return True


@pytest.fixture
def server(tmp_path: Path, request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch):
    """An isolated server (started on demand by the first command), killed afterwards.

    A test marked ``@pytest.mark.fake_pty`` gets the same interface over an in-process
    server whose panes are fake PTYs (no shell; ``tests/inprocess_server.py``): for tests
    of layout, targets and the model, not of what a real child does."""
    if request.node.get_closest_marker("fake_pty") is not None:
        from inprocess_server import InProcessServer

        instance: IsolatedServer = InProcessServer(tmp_path, monkeypatch)
    else:
        instance = IsolatedServer(tmp_path)
    try:
        yield instance
    finally:
        instance.stop()


class LiveTmux:
    """tmux 3.3a on a socket of its own, with no config (``-f /dev/null``): the oracle the
    tests run the same commands in. ``run`` gives (exit code, stdout, stderr)."""

    def __init__(self, env: dict[str, str], name: str | None = None) -> None:
        self.env = env
        self.name = name or f"oracle{uuid.uuid4().hex[:10]}"
        self.base = ["tmux", "-L", self.name, "-f", "/dev/null"]

    def run(self, *args: str) -> tuple[int, str, str]:
        proc = subprocess.run([*self.base, *args], env=self.env, capture_output=True,
                              text=True, timeout=30, check=False)
        return proc.returncode, proc.stdout, proc.stderr

    def kill(self) -> None:
        self.run("kill-server")


@pytest.fixture
def live_tmux(server):  # type: ignore[no-untyped-def]
    """A :class:`LiveTmux` with the isolated server's environment, killed afterwards."""
    import shutil

    if shutil.which("tmux") is None:
        pytest.skip("tmux is not installed")
    instance = LiveTmux(dict(server.env))
    try:
        yield instance
    finally:
        instance.kill()


def children_of(pid: int) -> list[int]:
    """Direct children of ``pid`` (the panes' shells of a server)."""
    found = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
        except OSError:
            continue
        if int(stat.rsplit(")", 1)[1].split()[1]) == pid:
            found.append(int(entry.name))
    return found


def kill_hard(pid: int) -> None:
    """SIGKILL the server, then its orphaned pane children (a test leaves nothing behind)."""
    children = children_of(pid)
    os.kill(pid, signal.SIGKILL)
    for child in children:
        try:
            os.kill(child, signal.SIGKILL)
        except ProcessLookupError:
            pass
