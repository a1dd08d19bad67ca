"""``#(command)`` in formats: shell commands run in the background, their output cached.

As tmux's ``format_job_get``: asking for a command's output never waits. The first ask
starts the command (``/bin/sh -c``) and returns "" ; later asks return the last line it
printed so far (or all it printed, if it ends without a newline), and start it again
once it has finished and :attr:`JobRunner.interval` seconds have passed since it started
(the status line sets it from ``status-interval``: tmux re-runs a job when the status line
is redrawn, every ``status-interval`` seconds). A command that hangs is left to finish (no second
copy is started meanwhile) and is killed when the runner closes. Output is bounded
(:data:`OUTPUT_LIMIT` bytes a run); ``on_update`` is called when an output changes, so
the status line can be redrawn. Entries unused for an hour are dropped. A running command
is listed in the server's :class:`~.job_table.JobTable` (``show-messages -J``).
"""

from __future__ import annotations

import asyncio
import contextlib
import os
import signal
import time
from collections.abc import Callable
from dataclasses import dataclass, field

from .job_table import JobTable

OUTPUT_LIMIT = 64 * 1024
FORGET_AFTER = 3600.0


@dataclass
class _Job:
    output: str = ""
    started: float = 0.0
    used: float = field(default_factory=time.monotonic)
    process: asyncio.subprocess.Process | None = None
    task: asyncio.Task[None] | None = None


def _kill(process: asyncio.subprocess.Process) -> None:
    """Kill the command and everything it started (its own process group)."""
    with contextlib.suppress(ProcessLookupError, PermissionError):
        os.killpg(process.pid, signal.SIGKILL)


class JobRunner:
    """The ``#()`` jobs of one server."""

    def __init__(self, on_update: Callable[[], None] | None = None, *,
                 job_table: JobTable | None = None) -> None:
        self.on_update = on_update
        self.job_table = job_table if job_table is not None else JobTable()
        """Where the running jobs are listed (``show-messages -J``): the server's."""
        self.jobs: dict[tuple[str, str], _Job] = {}
        self.interval = 1.0
        """Seconds between two starts of the same command (at least one)."""

    def output(self, command: str, cwd: str = "/") -> str:
        """The command's latest output ("" until it printed something); starts a run if
        none is going and the last one started in another second."""
        now = time.monotonic()
        self._forget_unused(now)
        job = self.jobs.setdefault((command, cwd), _Job())
        job.used = now
        due = job.started == 0.0 or now - job.started >= max(1.0, self.interval)
        if job.task is None and due:
            try:
                loop = asyncio.get_running_loop()
            except RuntimeError:
                return job.output
            job.started = now
            job.task = loop.create_task(self._run(command, cwd, job))
        return job.output

    async def _run(self, command: str, cwd: str, job: _Job) -> None:
        try:
            process = await asyncio.create_subprocess_exec(
                "/bin/sh", "-c", command, cwd=cwd if os.path.isdir(cwd) else "/",
                stdin=asyncio.subprocess.DEVNULL, stdout=asyncio.subprocess.PIPE,
                stderr=asyncio.subprocess.DEVNULL, start_new_session=True)
        except OSError:
            job.task = None
            return
        job.process = process
        with self.job_table.listed(command, process):  # show-messages -J
            await self._read(process, job)

    async def _read(self, process: asyncio.subprocess.Process, job: _Job) -> None:
        received = b""
        assert process.stdout is not None
        try:
            while len(received) < OUTPUT_LIMIT:
                chunk = await process.stdout.read(4096)
                if not chunk:
                    break
                received += chunk
                lines = received.split(b"\n")
                if len(lines) > 1:
                    self._set(job, lines[-2])
            if len(received) >= OUTPUT_LIMIT:
                _kill(process)  # it printed more than a status line can use
            elif received and not received.endswith(b"\n"):
                self._set(job, received.rsplit(b"\n", 1)[-1])
            await process.wait()
        finally:
            if process.returncode is None:
                _kill(process)
                await process.wait()
            job.process = None
            job.task = None

    def _set(self, job: _Job, raw: bytes) -> None:
        text = raw.decode("utf-8", "replace")
        if text != job.output:
            job.output = text
            if self.on_update is not None:
                self.on_update()

    def _forget_unused(self, now: float) -> None:
        for key, job in list(self.jobs.items()):
            if now - job.used > FORGET_AFTER and job.task is None:
                del self.jobs[key]

    def close(self) -> None:
        """Kill every command still running (the server is stopping)."""
        for job in self.jobs.values():
            if job.process is not None and job.process.returncode is None:
                _kill(job.process)
            if job.task is not None:
                job.task.cancel()
