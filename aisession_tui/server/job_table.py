"""The server's running shell jobs, as tmux 3.3a's ``all_jobs`` list, for
``show-messages -J``.

A job is a ``/bin/sh -c`` command the server started and reads: ``run-shell`` and
``if-shell`` (:mod:`.shell_jobs`) and the ``#()`` format jobs (:mod:`.format_jobs`). Each
is listed from the moment its process exists until it has ended, newest first (tmux
inserts at the head), and printed as tmux's ``job_print_summary`` prints it:
``Job N: COMMAND [fd=FD, pid=PID, status=STATUS]`` where FD is the descriptor the server
reads the job's output from and STATUS is 0 while it runs (tmux's wait status).

One :class:`JobTable` per server, owned by its ``Services`` root (``services.job_table``)
and given to what starts jobs, so a server lists its own jobs only.
"""

from __future__ import annotations

import asyncio
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass


@dataclass(eq=False)
class RunningJob:
    """One listed job."""

    command: str
    pid: int
    fd: int


def _output_fd(process: asyncio.subprocess.Process) -> int:
    """The descriptor the server reads ``process``'s stdout from (-1 if unknown)."""
    transport = getattr(process, "_transport", None)
    pipe = transport.get_pipe_transport(1) if transport is not None else None
    handle = pipe.get_extra_info("pipe") if pipe is not None else None
    try:
        return int(handle.fileno()) if handle is not None else -1
    except (OSError, ValueError):
        return -1


class JobTable:
    """One server's running jobs."""

    def __init__(self) -> None:
        self.running: list[RunningJob] = []
        """The jobs running now, newest first."""

    @contextmanager
    def listed(self, command: str, process: asyncio.subprocess.Process) -> Iterator[None]:
        """List ``process`` (running ``command``) while the block runs."""
        job = RunningJob(command, process.pid, _output_fd(process))
        self.running.insert(0, job)
        try:
            yield
        finally:
            if job in self.running:
                self.running.remove(job)

    def summary(self) -> list[str]:
        """``show-messages -J``'s lines."""
        return [f"Job {number}: {job.command} [fd={job.fd}, pid={job.pid}, status=0]"
                for number, job in enumerate(self.running)]
