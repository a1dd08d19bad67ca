"""Jobs: every command ``exec`` types into a pane, reachable by id after the call returns.

A :class:`Job` follows one command from the moment it is typed to its record: its state is
``running``, ``waiting`` (the pane waits for input, seen on two looks in a row),
``finished`` (exit 0), ``failed`` (another exit code) or ``killed`` (the pane was killed
or its shell exited first; the output so far is kept). ``Jobs`` (one per server,
``services.jobs``) lists them, waits for them, reads their output by line
cursor, answers a waiting job and cancels one (C-c, then C-\\, then SIGKILL to the
pane's foreground process group, each after a grace period).

Invariants: a job's waiter listens to its pane until the job ends, whoever is waiting
(a client that times out or disconnects leaves the job reachable); output given to a
caller is masked by the store's redactor; at most :data:`KEEP_ENDED` ended jobs are kept
(the oldest ended ones go first; a running job is never dropped).
"""

from __future__ import annotations

import asyncio
import os
import signal
import time
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from .commands.spec import CommandError

if TYPE_CHECKING:
    from .ai_layer import AiLayer
    from .engine import Engine
    from .records import RecordKeeper

KEEP_ENDED = 200
KEEP_OUTPUT_BYTES = 32 * 1024 * 1024
"""Outputs (raw and plain) of ended jobs kept in memory, newest first; an older job's output is read
back (masked) from the store, so a few huge outputs do not pin 16 MiB each."""
WATCH_INTERVAL = 0.25
WAITING_CONFIRMATIONS = 2
"""Consecutive looks that must see the pane waiting: a question printed in passing by a
program that goes on working is not taken for a prompt."""
MAX_ANSWER = 4096
ENDED = ("finished", "failed", "killed")


@dataclass
class Job:
    """One command typed into a pane by exec."""

    id: int
    session_name: str
    pane: Any
    command: str
    started_at: float
    state: str = "running"
    record: Any = None
    stored: Any = None
    error: str = ""
    read_cursor: int = 0
    ended: asyncio.Event = field(default_factory=asyncio.Event)
    task: asyncio.Task[None] | None = None
    killed_output: str = ""
    cancelled_by: str = ""
    """The step of :meth:`Jobs.cancel` that stopped it (``C-c``, ``C-\\``, ``SIGKILL``)."""
    output_released: bool = False
    """The output left memory (:data:`KEEP_OUTPUT_BYTES`); it is read from the store."""

    @property
    def done(self) -> bool:
        return self.ended.is_set()


class Jobs:
    """The server's jobs, by id."""

    def __init__(self, engine: Engine, records: RecordKeeper, ai: AiLayer) -> None:
        self.engine = engine
        self.records = records
        self.ai = ai
        self._jobs: dict[int, Job] = {}
        self._next_id = 1

    def start(self, session: Any, pane: Any, command: str) -> Job:
        """Type ``command`` into ``pane`` (at its prompt) and follow it as a new job."""
        waiter = self.engine.command_waiter(pane)
        waiter.arm()
        job = Job(self._next_id, session.name, pane, command, time.time())
        self._next_id += 1
        self._jobs[job.id] = job
        self._forget_old()
        pane.write(command.encode("utf-8", "surrogateescape") + b"\r")
        job.task = asyncio.get_running_loop().create_task(self._follow(job, waiter))
        return job

    async def _follow(self, job: Job, waiter: Any) -> None:
        try:
            record = await waiter.future
        except CommandError as exc:
            job.killed_output = self._plain(job.pane.tracker.running_output())
            job.state, job.error = "killed", str(exc)
            job.ended.set()
            return
        except asyncio.CancelledError:
            job.state, job.error = "killed", "the server stopped following it"
            job.ended.set()
            raise
        finally:
            waiter.cancel()
        job.record = record
        processing = self.records.result_for(record)
        job.stored = await processing if processing is not None else None
        job.state = "finished" if (record.exit_code or 0) == 0 else "failed"
        job.ended.set()

    def _forget_old(self) -> None:
        ended = [job for job in self._jobs.values() if job.done]
        for job in ended[:max(0, len(ended) - KEEP_ENDED)]:
            del self._jobs[job.id]
        kept = 0
        for job in reversed(ended[max(0, len(ended) - KEEP_ENDED):]):
            if job.record is None or job.output_released:
                continue
            kept += len(job.record.output) + len(getattr(job.stored, "plain", "") or "")
            if kept > KEEP_OUTPUT_BYTES and job.stored is not None \
                    and job.stored.row_id is not None:
                from dataclasses import replace

                job.record = replace(job.record, output=b"")
                job.stored = replace(job.stored, record=job.record, plain="")
                job.output_released = True

    def get(self, text: str | int) -> Job:
        """The job with id ``text`` (``7`` or ``j7``), or a clear error."""
        raw = str(text).removeprefix("j")
        if not raw.isdigit():
            raise CommandError(f"job id invalid: {text}")
        job = self._jobs.get(int(raw))
        if job is None:
            raise CommandError(f"no job {text} (ai-session job list shows the jobs)")
        return job

    def all(self) -> list[Job]:
        return list(self._jobs.values())

    def state(self, job: Job) -> str:
        """The job's state now (``waiting`` as the attention layer sees it)."""
        if job.done:
            return job.state
        return "waiting" if self.ai.attention(job.pane) == "waiting" else "running"

    @staticmethod
    def _plain(raw: bytes) -> str:
        from ..terminal.plaintext import render_plain

        return render_plain(raw)

    def output(self, job: Job, *, raw: bool = False) -> str:
        """The job's output so far (plain text, masked unless ``raw``)."""
        from ..ai.redact import redact

        if job.output_released:
            if raw:
                raise CommandError(f"the unmasked output of job {job.id} is no longer kept "
                                   "(only the newest outputs are); without --raw it is read "
                                   "from the store")
            return self._stored_output(job)
        if job.record is not None:
            text = self._plain(job.record.output)
        elif job.done:
            text = job.killed_output
        else:
            text = self._plain(job.pane.tracker.running_output())
        return text if raw else redact(text)

    def _stored_output(self, job: Job) -> str:
        """The masked output of a job whose output left memory, read from the store."""
        from ..store import context_store
        from ..store.db import connect

        store = self.records.store.db
        if store is None:
            raise CommandError(f"the output of job {job.id} is no longer in memory and the "
                               "store is not open")
        connection = connect(store.path)
        try:
            found = context_store.load_raw(connection, job.stored.row_id)
        finally:
            connection.close()
        if found is None:
            raise CommandError(f"the output of job {job.id} is no longer in the store")
        return str(found["output"])

    async def wait(self, job: Job, timeout: float | None, *, until_end: bool) -> str:
        """Wait until the job ends, or (unless ``until_end``) waits for input: the
        state then; raises TimeoutError after ``timeout`` seconds."""
        loop = asyncio.get_running_loop()
        end = None if timeout is None else loop.time() + timeout
        seen = 0
        while True:
            if job.done:
                return job.state
            remaining = None if end is None else end - loop.time()
            if remaining is not None and remaining <= 0:
                raise TimeoutError
            step = WATCH_INTERVAL if remaining is None else min(WATCH_INTERVAL, remaining)
            try:
                await asyncio.wait_for(asyncio.shield(job.ended.wait()), step)
            except TimeoutError:
                pass
            if job.done or until_end:
                continue
            seen = seen + 1 if self.ai.attention(job.pane) == "waiting" else 0
            if seen >= WAITING_CONFIRMATIONS:
                return "waiting"

    def answer(self, job: Job, text: str, *, enter: bool = True) -> None:
        """Type ``text`` (and Enter) for a job that waits for input."""
        if job.done:
            raise CommandError(f"job {job.id} already {job.state}; nothing to answer")
        if len(text) > MAX_ANSWER:
            raise CommandError(f"answer too long ({len(text)} characters, at most "
                               f"{MAX_ANSWER}); nothing was sent")
        if "\n" in text or "\r" in text:
            raise CommandError("an answer is one line (it is followed by Enter)")
        if self.state(job) != "waiting":
            raise CommandError(f"job {job.id} is running, not waiting for input; "
                               "nothing was sent")
        job.pane.write(text.encode("utf-8", "surrogateescape") + (b"\r" if enter else b""))

    async def cancel(self, job: Job, grace: float) -> str:
        """Interrupt the job as a person would: C-c, then C-\\, then SIGKILL to the
        pane's foreground group, ``grace`` seconds apart. The step that ended it."""
        if job.done:
            raise CommandError(f"job {job.id} already {job.state}; nothing to cancel")
        await self._started_within(job, grace)
        for name, key in (("C-c", b"\x03"), ("C-\\", b"\x1c")):
            job.pane.write(key)
            if await self._ended_within(job, grace):
                job.cancelled_by = name
                return name
        group = job.pane.backend._foreground_pid()
        if group is not None and group > 0 and group != job.pane.pid:
            try:
                os.killpg(group, signal.SIGKILL)
            except OSError:
                pass
            if await self._ended_within(job, grace):
                job.cancelled_by = "SIGKILL"
                return "SIGKILL"
        return "nothing (still running)"

    @staticmethod
    async def _started_within(job: Job, seconds: float) -> None:
        """Give a just-typed command time to start, so C-c reaches it and not the shell's
        line editor (which would drop the line and leave the job waiting for nothing)."""
        loop = asyncio.get_running_loop()
        end = loop.time() + seconds
        while (job.pane.tracker.running is None and not job.done
               and loop.time() < end):
            await asyncio.sleep(0.02)

    @staticmethod
    async def _ended_within(job: Job, seconds: float) -> bool:
        try:
            await asyncio.wait_for(asyncio.shield(job.ended.wait()), seconds)
        except TimeoutError:
            return False
        return True

    def describe(self, job: Job, *, raw: bool = False) -> dict[str, Any]:
        """Compact JSON facts of a job (no output)."""
        from ..ai.redact import redact

        facts: dict[str, Any] = {"job": job.id, "session": job.session_name,
                                 "pane": f"%{job.pane.id}",
                                 "command": job.command if raw else redact(job.command),
                                 "state": self.state(job)}
        if job.record is not None:
            facts["exit_code"] = job.record.exit_code
            facts["duration_ms"] = round(
                (job.record.finished_at - job.record.started_at) * 1000, 1)
        if job.stored is not None and job.stored.row_id is not None:
            facts["id"] = job.stored.row_id
        if job.error:
            facts["error"] = job.error
        if job.cancelled_by:
            facts["cancelled_by"] = job.cancelled_by
        return facts


def prompt_lines(pane: Any) -> str:
    """What a waiting command asks: the last lines of its own output when shell
    integration delimits it (not the command line or an earlier command's output), else
    the last lines of the pane's screen (a full-screen program, no integration)."""
    from ..ai.attention import TAIL_LINES, screen_tail

    emulator = pane.emulator
    if pane.tracker.running is not None and not emulator.alternate_screen:
        from ..terminal.plaintext import render_plain

        own = [line.rstrip() for line in render_plain(pane.tracker.running_output())
               .splitlines() if line.strip()]
        if own:
            return "\n".join(own[-TAIL_LINES:])
    return "\n".join(screen_tail(emulator.display(), emulator.cursor_y))
