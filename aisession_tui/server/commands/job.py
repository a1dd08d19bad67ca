"""job list|wait|output|answer|cancel: the commands exec started, reachable by id.

* ``job list [--state S] [--json]``: every job with its state (running, waiting, finished,
  failed, killed).
* ``job wait ID [--timeout S] [--wait-to-end] [--json]``: until the job ends or waits for
  input (``--wait-to-end``: its end only); exit 124 after the timeout, the job untouched.
* ``job output ID [--offset N] [--limit N] [--json] [--raw]``: lines of its output (so far).
  ``--offset 0`` (the default) means from where this job was last read; a negative offset
  counts from the end (a tail); ``--limit`` at most that many lines (default 200).
* ``job answer ID TEXT [--no-enter]``: type TEXT and Enter for a job that waits for input.
* ``job cancel ID [--grace S]``: C-c, then C-\\, then SIGKILL, ``S`` seconds apart (2).

Errors are clear and change nothing: an unknown id, an answer to a job that is not waiting
or has ended, an answer over 4096 characters, cancelling an ended job.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from ._common import json_result
from .exec import parse_timeout
from .spec import Args, CommandError, CommandResult, CommandSpec, parse_int

if TYPE_CHECKING:
    from ..context import CommandContext

USAGE = ("list [--state S] [--json] | wait ID [--timeout S] [--wait-to-end] [--json] | "
         "output ID [--offset N] [--limit N] [--json] [--raw] | answer ID TEXT [--no-enter] | "
         "cancel ID [--grace S]")
STATES = ("running", "waiting", "finished", "failed", "killed")


def _id(args: Args) -> str:
    if len(args.positional) < 2:
        raise CommandError(f"job {args.positional[0]} needs a job ID")
    return args.positional[1]


async def run(ctx: CommandContext, args: Args) -> CommandResult:
    jobs = ctx.services.jobs
    verb = args.positional[0]
    raw = args.has("raw")
    if verb == "list":
        state = args.get("state")
        if state is not None and state not in STATES:
            raise CommandError(f"state must be one of {', '.join(STATES)}: {state}")
        rows = [jobs.describe(job, raw=raw) for job in jobs.all()]
        rows = [row for row in rows if state is None or row["state"] == state]
        if args.has("json"):
            return json_result(rows)
        return CommandResult(stdout="".join(
            f"{row['job']}\t{row['state']}\t{row['session']}\t{row['command']}\n"
            for row in rows))
    job = jobs.get(_id(args))
    if verb == "wait":
        try:
            await jobs.wait(job, parse_timeout(args.get("timeout")),
                            until_end=args.has("wait-to-end"))
        except TimeoutError:
            facts = jobs.describe(job, raw=raw)
            if args.has("json"):
                return json_result({**facts, "timed_out": True}, exit_code=124)
            return CommandResult(stderr=f"ai-session: job {job.id} still {facts['state']}\n",
                                 exit_code=124)
        facts = jobs.describe(job, raw=raw)
        if facts["state"] == "waiting":
            from ..jobs import prompt_lines

            prompt = prompt_lines(job.pane)
            if not raw:
                from ...ai.redact import redact

                prompt = redact(prompt)
            facts["prompt"] = prompt
        if args.has("json"):
            return json_result(facts, exit_code=facts.get("exit_code") or 0)
        return CommandResult(stdout=f"job {job.id} {facts['state']}"
                             + (f" (exit {facts['exit_code']})" if "exit_code" in facts else "")
                             + "\n" + (facts.get("prompt", "") + "\n" if "prompt" in facts
                                       else ""))
    if verb == "output":
        offset = parse_int(args.get("offset"), "offset") if args.has("offset") else 0
        limit = parse_int(args.get("limit"), "limit") if args.has("limit") else 200
        if limit < 1:
            raise CommandError("limit must be at least 1")
        lines = jobs.output(job, raw=raw).splitlines()
        if offset < 0:
            start = max(0, len(lines) + offset)
        elif offset == 0:
            start = min(job.read_cursor, len(lines))
        else:
            start = min(offset, len(lines))
        chunk = lines[start:start + limit]
        job.read_cursor = start + len(chunk)
        facts = {"job": job.id, "state": jobs.state(job), "offset": start,
                 "total_lines": len(lines), "text": "\n".join(chunk)}
        if job.read_cursor < len(lines):
            facts["next_offset"] = job.read_cursor
        if args.has("json"):
            return json_result(facts)
        return CommandResult(stdout="".join(line + "\n" for line in chunk))
    if verb == "answer":
        if len(args.positional) != 3:
            raise CommandError("job answer ID TEXT")
        jobs.answer(job, args.positional[2], enter=not args.has("no-enter"))
        return CommandResult()
    if verb == "cancel":
        grace = parse_timeout(args.get("grace")) if args.has("grace") else 2.0
        how = await jobs.cancel(job, grace or 2.0)
        facts = {**jobs.describe(job, raw=raw), "stopped_by": how}
        if args.has("json"):
            return json_result(facts)
        return CommandResult(stdout=f"job {job.id} {facts['state']} (stopped by {how})\n")
    raise CommandError(f"unknown job verb: {verb} (list, wait, output, answer, cancel)")


SPEC = CommandSpec(name="job", usage=USAGE,
                   long_options={"state": True, "json": False, "timeout": True,
                                 "wait-to-end": False, "offset": True, "limit": True,
                                 "raw": False, "no-enter": False, "grace": True},
                   min_args=1, max_args=3, intermixed=True, run=run,
                   summary="List, wait for, read, answer and cancel the commands exec started")
