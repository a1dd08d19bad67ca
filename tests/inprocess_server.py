"""An ai-session server running inside the test process, its panes on fake PTYs.

:class:`InProcessServer` has the interface of conftest's ``IsolatedServer`` (``run``,
``ok``, ``cli``...), and the real CLI and socket are used as they are; only two things
differ: the CLI's ``start_server`` starts the daemon's :class:`Server` on a thread of this
process instead of a detached process, and that server's panes are
:class:`~aisession_tui.server.fake_pty.FakePty` children (no shell is spawned). A test
whose point is layout, targets or the model, not what a real child does, runs in a few
milliseconds per command this way.

Invariants: the test's environment (``HOME``, ``AI_SESSION_HOME``) is the process's for the
whole test, so the server thread never sees the developer's; every server thread is stopped
and joined at teardown. A server keeps its model's state in its own ``Services`` (its
environments, config errors, pipes... are no module globals), so servers of successive
tests, or two at once (:meth:`InProcessServer.neighbour`), are apart with nothing cleared
between them.
"""

from __future__ import annotations

import asyncio
import contextlib
import copy
import io
import os
import select
import threading
from pathlib import Path
from typing import Any

import pytest
from conftest import IsolatedServer, Result

from aisession_tui.server.fake_pty import FakePty, fake_pane_factory

START_TIMEOUT = 30.0


class _ThreadLoop(asyncio.SelectorEventLoop):
    """An event loop off the main thread: signal handlers cannot be installed there, and a
    fake child needs none (its exit is an end of file on its pipe, not a SIGCHLD)."""

    def add_signal_handler(self, sig: int, callback: Any, *args: Any) -> None:
        return None


class _RunningServer:
    """One daemon :class:`Server` on its own thread and loop."""

    def __init__(self, path: Path, config_files: list[str] | None,
                 backends: list[FakePty]) -> None:
        from aisession_tui.server.daemon import Server
        from aisession_tui.server.services import build_services

        self.path = path
        services = build_services(path, pane_factory=fake_pane_factory(made=backends))
        services.config_files = config_files
        self.server = Server(path, services)
        self.loop = _ThreadLoop()
        self.failure: BaseException | None = None
        read_end, write_end = os.pipe()
        self.thread = threading.Thread(target=self._serve, args=(write_end,),
                                       name=f"ai-session {path.name}", daemon=True)
        self.thread.start()
        try:
            ready, _, _ = select.select([read_end], [], [], START_TIMEOUT)
            answer = os.read(read_end, 64) if ready else b""
        finally:
            os.close(read_end)
        if not answer.startswith(b"ready"):
            self.thread.join(5)
            raise RuntimeError(f"in-process server failed to start: {self.failure!r}")

    def _serve(self, ready_fd: int) -> None:
        asyncio.set_event_loop(self.loop)
        try:
            self.loop.run_until_complete(self.server.run(ready_fd))
        except BaseException as exc:  # reported by the test's teardown
            self.failure = exc
            with contextlib.suppress(OSError):
                os.close(ready_fd)
        finally:
            pending = asyncio.all_tasks(self.loop)
            for task in pending:
                task.cancel()
            if pending:
                self.loop.run_until_complete(asyncio.gather(*pending, return_exceptions=True))
            self.loop.close()

    def stop(self, timeout: float = 15.0) -> None:
        """Ask the server to stop (as SIGTERM does) and wait for its thread."""
        if self.thread.is_alive() and not self.loop.is_closed():
            with contextlib.suppress(RuntimeError):
                self.loop.call_soon_threadsafe(self.server.stopping.set)
        self.thread.join(timeout)


class InProcessServer(IsolatedServer):
    """:class:`IsolatedServer` over in-process servers whose panes are fake."""

    def __init__(self, tmp: Path, monkeypatch: pytest.MonkeyPatch) -> None:
        super().__init__(tmp)
        self.servers: list[_RunningServer] = []
        """Every server started in this test, the neighbours' too (:meth:`neighbour`)."""
        self.backends: list[FakePty] = []
        """Every fake PTY made, in creation order (``backends[i]`` is the i-th pane made)."""
        self.neighbours: list[InProcessServer] = []
        for key in list(os.environ):
            if key not in self.env:
                monkeypatch.delenv(key)
        for key, value in self.env.items():
            monkeypatch.setenv(key, value)
        from aisession_tui.cli import client

        monkeypatch.setattr(client, "start_server", self._start)

    def _start(self, path: Path, config_files: list[str] | None = None, *,
               renderer: bool = False) -> None:
        # renderer: the real server would start its renderer zygote at once; the
        # in-process one starts it on the first 'renderer' request, as it always may.
        self.servers.append(_RunningServer(path, config_files, self.backends))

    def neighbour(self) -> InProcessServer:
        """A handle on another server in this process: its own ``-L`` name, this test's
        environment; started on its first command, like this one, and stopped with it."""
        other = copy.copy(self)  # the started servers and fake PTYs are listed in one place
        other.name = f"{self.name}n{len(self.neighbours)}"
        other.neighbours = []
        self.neighbours.append(other)
        return other

    @property
    def services(self) -> Any:
        """The running server's services (to look at the model directly)."""
        running = [item for item in self.servers
                   if item.thread.is_alive() and item.path == self.socket]
        assert running, "no in-process server is running"
        return running[-1].server.services

    def run(self, *args: str) -> Result:
        """Run the CLI in-process (the environment is the test's already)."""
        from aisession_tui.cli.main import run

        out, err = io.StringIO(), io.StringIO()
        cwd = os.getcwd()
        os.chdir(self.home)
        try:
            with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
                code = run(["-L", self.name, *args])
        finally:
            os.chdir(cwd)
        return Result(code, out.getvalue(), err.getvalue())

    def server_pid(self) -> int | None:
        """None: the server is this process, which must never be signalled."""
        return None

    def stop(self) -> None:
        """Stop every server this test started and join its thread."""
        try:
            for handle in (self, *self.neighbours):
                if handle.socket.exists() and any(item.thread.is_alive()
                                                  and item.path == handle.socket
                                                  for item in self.servers):
                    handle.run("kill-server")
        finally:
            for item in self.servers:
                item.stop()
            for pid in self.leftover_servers():  # a real daemon a test started some other way
                with contextlib.suppress(ProcessLookupError):
                    os.kill(pid, 9)
        stuck = [item for item in self.servers if item.thread.is_alive()]
        failed = [item.failure for item in self.servers
                  if item.failure is not None and not isinstance(item.failure, SystemExit)]
        assert not stuck, "an in-process server did not stop"
        assert not failed, f"an in-process server failed: {failed}"
