"""Shell commands run for ``run-shell`` and ``if-shell`` (tmux's ``job_run``).

A command runs as ``/bin/sh -c COMMAND`` in its own process group, with the global and
the session environment (:mod:`.environment`), stdin and stderr on /dev/null and stdout
collected up to :data:`OUTPUT_LIMIT` bytes (the rest is read and dropped, so a command
that prints without end neither fills memory nor blocks). Everything is asynchronous:
the server keeps serving while a job runs. A job is told the server it runs under as
tmux tells it (``TMUX``, :func:`.tmux_env.job_identity`), so ``tmux`` in a plugin script
reaches this server. Background jobs (``-b``) are kept in
:data:`BACKGROUND` until they end, so they are not collected mid-run. A running job is
listed in the server's :class:`~.job_table.JobTable` (``show-messages -J``), which its
callers pass in.
"""

from __future__ import annotations

import asyncio
import os
import signal
from collections.abc import Coroutine
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from .context import CommandContext
    from .job_table import JobTable
    from .registry import Session

OUTPUT_LIMIT = 1 << 20
"""Bytes of a job's output kept (tmux keeps all; a bound keeps the server's memory safe)."""
BACKGROUND: set[asyncio.Task[Any]] = set()


@dataclass
class JobResult:
    """What a finished job printed and how it ended."""

    output: str
    returncode: int
    """The exit status, or -N when killed by signal N."""
    truncated: bool = False

    def status_message(self, command: str) -> str | None:
        """tmux's words for a failure: ``'cmd' returned N`` / ``terminated by signal N``."""
        if self.returncode > 0:
            return f"'{command}' returned {self.returncode}"
        if self.returncode < 0:
            return f"'{command}' terminated by signal {-self.returncode}"
        return None

    @property
    def exit_code(self) -> int:
        """The code a CLI client exits with (128 + signal when killed)."""
        return 128 - self.returncode if self.returncode < 0 else self.returncode


def job_environment(context: CommandContext, session: Session | None) -> dict[str, str]:
    """The environment of a job: global, then the session's (removed ones taken out)."""
    environments = context.engine.environments
    env = {k: v for k, v in environments.global_values.items()
           if k not in ("TMUX", "TMUX_PANE", "AI_SESSION", "AI_SESSION_PANE")}
    for name, value in environments.global_environment().values.items():
        if value is None:
            env.pop(name, None)
    if session is not None:
        for name, value in environments.session(context.engine.options, session).values.items():
            if value is None:
                env.pop(name, None)
            else:
                env[name] = value
    from .tmux_env import SHIM_OPTION, job_identity, shim_enabled

    engine = context.engine
    session_scope = f"${session.id}" if session is not None else None
    job_identity(env, socket_path=engine.socket_path,
                 session_id=session.id if session is not None else None,
                 shim=shim_enabled(engine.options.get(SHIM_OPTION, session_scope) or "on"))
    return env


async def run_job(command: str, *, cwd: str, env: dict[str, str],
                  job_table: JobTable) -> JobResult:
    """Run ``command`` with ``/bin/sh -c`` and wait for it (see the module docstring),
    listed in ``job_table`` meanwhile."""
    return await collect_job(command, await start_job(command, cwd=cwd, env=env), job_table)


async def start_job(command: str, *, cwd: str, env: dict[str, str]
                    ) -> asyncio.subprocess.Process:
    """Start ``command`` (``run-shell -b`` starts it before it returns, as tmux forks)."""
    if not os.path.isdir(cwd):
        cwd = env.get("HOME") or "/"
    return await asyncio.create_subprocess_exec(
        "/bin/sh", "-c", command, cwd=cwd, env=env, stdin=asyncio.subprocess.DEVNULL,
        stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.DEVNULL,
        start_new_session=True)


async def collect_job(command: str, process: asyncio.subprocess.Process,
                      job_table: JobTable) -> JobResult:
    """Wait for a started job, listed in ``job_table`` meanwhile (``show-messages -J``)."""
    with job_table.listed(command, process):
        return await _collect(process)


async def _collect(process: asyncio.subprocess.Process) -> JobResult:
    """Read the job's output (bounded) until it ends."""
    assert process.stdout is not None
    kept = bytearray()
    truncated = False
    try:
        while True:
            chunk = await process.stdout.read(65536)
            if not chunk:
                break
            room = OUTPUT_LIMIT - len(kept)
            if room > 0:
                kept.extend(chunk[:room])
            if len(chunk) > max(room, 0):
                truncated = True
        returncode = await process.wait()
    except asyncio.CancelledError:
        _kill_group(process.pid)
        raise
    return JobResult(kept.decode("utf-8", "replace"), returncode, truncated)


def _kill_group(pid: int) -> None:
    try:
        os.killpg(pid, signal.SIGTERM)
    except (ProcessLookupError, PermissionError):
        pass


def in_background(work: Coroutine[Any, Any, Any]) -> None:
    """Run ``work`` without waiting for it; its failures are logged, never raised."""
    task = asyncio.get_running_loop().create_task(work)
    BACKGROUND.add(task)
    task.add_done_callback(_finished)


def _finished(task: asyncio.Task[Any]) -> None:
    BACKGROUND.discard(task)
    if not task.cancelled() and task.exception() is not None:
        import logging

        logging.getLogger(__name__).error("background job failed: %s", task.exception())
