"""exec NAME "cmd" (seed verb): run a command in a session's shell and wait for it.

The command is typed into the session's active pane; shell integration (OSC 133) tells
when it ends and with which exit code. The output is printed as a person saw it (escapes
stripped, ``\\r`` overwrites applied) and ``exec`` exits with the command's exit code.
``--timeout S`` bounds the whole call (the wait for the shell's prompt included): after S
seconds ``exec`` exits 124 and leaves the command running. A pane already running a
command is an immediate error, unless ``--queue`` asks to wait for it (within the
timeout). Every command becomes a job (``server/jobs.py``; ``job`` verbs wait, read, answer,
cancel); ``--background`` returns its id at once. ``--json`` prints the record as data; ``--capture`` adds a summary on stderr.
A command that stops to wait for input (a ``[y/N]`` question, a password prompt, a tty
read) makes ``exec`` return at once with exit 125, the prompt's lines and the job id, the command left
waiting (``job answer ID TEXT`` answers it); ``--wait-to-end`` waits for its end instead.
``--notify-job TOKEN`` sends the requesting connection a ``job.started`` notification
``{token, job}`` as soon as the command is typed (the MCP bridge uses it to interrupt the
command when its client cancels the call). Output and the command line are masked (API keys, tokens, passwords: the store's redactor)
unless ``--raw`` asks for them as they were.
``--detail summary|parsed|full``, ``--max-tokens N``, ``--head N``, ``--tail N`` shape the
result for a model (``ai.shaping``): the parsed facts, a bounded head and tail of the output
and counts of what was left out; the whole output stays readable with
``context NAME --raw ID`` (``id`` in the JSON). ``--json`` alone gives the full output as
compact JSON (no nulls, counts once).

Invariants: the reply is sent only after the command's record is committed to the store
(an acknowledged record survives ``kill -9``); a record the store refused (full disk)
makes ``exec`` exit 1 with the store's error on stderr; a killed pane ends the wait at
once with ``killed``.
"""

from __future__ import annotations

import math
from typing import TYPE_CHECKING, Any

from ._common import json_result
from .spec import Args, CommandError, CommandResult, CommandSpec, parse_int

if TYPE_CHECKING:
    from ..context import CommandContext
    from ..pane import Pane

PROMPT_WAIT = 30.0
JOB_STARTED = "job.started"
"""Notification sent on ``--notify-job TOKEN``: ``{token, job}``, as soon as the command is
typed (before the reply), so a long-lived client (the MCP bridge) can cancel it if its
own caller gives up."""


def parse_timeout(text: str | None) -> float | None:
    """``--timeout`` in seconds (a positive number), or None."""
    if text is None:
        return None
    try:
        value = float(text)
    except ValueError:
        raise CommandError(f"timeout invalid: {text}") from None
    if not math.isfinite(value) or value <= 0:
        raise CommandError(f"timeout invalid: {text}")
    return value


async def run(ctx: CommandContext, args: Args) -> CommandResult:
    import asyncio

    from ...ai.redact import redact

    session = ctx.find_session(args.positional[0])
    command = args.positional[1]
    timeout = parse_timeout(args.get("timeout"))
    pane = session.current.active
    if pane.dead or pane.killed:
        raise CommandError(f"pane %{pane.id} of {session.name} is "
                           f"{'killed' if pane.killed else 'dead'}")
    if not pane.integrated:
        raise CommandError(f"exec needs a shell with ai-session's integration; pane "
                           f"%{pane.id} of {session.name} runs '{pane.current_command()}'")
    if "\n" in command or "\r" in command:
        raise CommandError("exec takes one command line (join commands with ; or &&)")
    running = pane.tracker.running
    if running is not None and not args.has("queue"):
        raise CommandError(f"pane %{pane.id} of {session.name} is busy running "
                           f"'{redact(running.text)}' (--queue waits for it to finish)")
    loop = asyncio.get_running_loop()
    deadline = None if timeout is None else loop.time() + timeout
    prompt_wait = PROMPT_WAIT if running is None else math.inf
    if timeout is not None:
        prompt_wait = min(prompt_wait, timeout)
    if not await ctx.engine.wait_for_prompt(
            pane, None if math.isinf(prompt_wait) else prompt_wait):
        if pane.killed or pane.dead:
            raise CommandError(f"pane %{pane.id} of {session.name} is "
                               f"{'killed' if pane.killed else 'dead'}")
        if timeout is not None and prompt_wait >= timeout:
            return CommandResult(
                stderr=f"ai-session: pane %{pane.id} of {session.name} still busy after "
                       f"{timeout:g}s; '{redact(command)}' was not started\n",
                exit_code=124)
        raise CommandError(f"pane %{pane.id} of {session.name} is busy "
                           f"(no prompt within {PROMPT_WAIT:.0f}s)")
    jobs = ctx.services.jobs
    job = jobs.start(session, pane, command)
    token = args.get("notify-job")
    if token is not None and ctx.client is not None:
        from ... import protocol

        ctx.client.send(protocol.notification(JOB_STARTED, {"token": token, "job": job.id}))
    if args.has("background"):
        if args.has("json"):
            return json_result(jobs.describe(job, raw=args.has("raw")))
        return CommandResult(stdout=f"job {job.id}\n")
    left = None if deadline is None else max(0.0, deadline - loop.time())
    try:
        state = await jobs.wait(job, left, until_end=args.has("wait-to-end"))
    except TimeoutError:
        return CommandResult(
            stderr=f"ai-session: '{redact(command)}' still running in {session.name} after "
                   f"{timeout:g}s; it was left running as job {job.id} (ai-session job "
                   f"wait {job.id}, job output {job.id}, job cancel {job.id})\n",
            exit_code=124)
    if state == "waiting":
        return _waiting_result(ctx, session.name, pane, command, args.has("json"),
                               args.has("raw"), job.id)
    if state == "killed":
        raise CommandError(job.error or f"pane %{pane.id} killed")
    record, stored = job.record, job.stored
    from ...terminal.plaintext import render_plain

    shown_command = record.text or command
    if not args.has("raw"):
        shown_command = redact(shown_command)
    if not args.has("raw") and stored is not None and stored.processing_error is None:
        output = stored.plain  # rendered and redacted once, off the loop, by the records
    else:
        output = render_plain(record.output)
        output = output if args.has("raw") else redact(output)
    exit_code = record.exit_code if record.exit_code is not None else 0
    if stored is not None and stored.store_error:
        return CommandResult(stdout=output if output.endswith("\n") or not output
                             else output + "\n",
                             stderr=f"ai-session: the command ran (exit {exit_code}) but its "
                                    f"record was not stored: {stored.store_error}\n",
                             exit_code=1)
    shaping = _shaping_options(args)
    if args.has("json"):
        import asyncio as _asyncio

        from ...ai.shaping import compact, shape_output

        parsed = stored.parsed if stored is not None else None
        detail, max_tokens, head, tail = shaping or ("full", None, 20, 40)
        shaped = await _asyncio.to_thread(shape_output, output, parsed, detail=detail,
                                          max_tokens=max_tokens, head=head, tail=tail)
        facts: dict[str, Any] = {
            "id": stored.row_id if stored is not None else None, "job": job.id,
            "session": session.name, "pane": f"%{pane.id}", "command": shown_command,
            "state": "finished" if exit_code == 0 else "failed",
            "exit_code": record.exit_code, "cwd": record.cwd,
            "duration_ms": round((record.finished_at - record.started_at) * 1000, 1),
            "truncated": record.truncated or None}
        if detail == "full":
            facts.update(started_at=record.started_at, finished_at=record.finished_at)
        return json_result(compact({**facts, **shaped}), exit_code=exit_code)
    if shaping is not None:
        from ...ai.shaping import shape_output

        detail, max_tokens, head, tail = shaping
        shaped = shape_output(output, None, detail=detail, max_tokens=max_tokens,
                              head=head, tail=tail)
        if "output" not in shaped:
            raw_id = stored.row_id if stored is not None else None
            parts = [shaped.get("head", "")] if shaped.get("head") else []
            parts.append(f"[… {shaped['omitted_lines']} lines, {shaped['omitted_bytes']} "
                         f"bytes left out"
                         + (f"; all of it: ai-session context {session.name} --raw {raw_id}"
                            if raw_id is not None else "") + " …]")
            if shaped.get("tail"):
                parts.append(shaped["tail"])
            output = "\n".join(parts)
    if output and not output.endswith("\n"):
        output += "\n"
    stderr = ""
    if args.has("capture"):
        ai = ctx.services.ai
        before = ai.context_tokens(pane.id)
        await ai.settled()
        after = ai.context_tokens(pane.id)
        mark = "✅" if exit_code == 0 else "❌"
        stderr = (f"{mark} Command finished with exit code {exit_code} in "
                  f"{record.finished_at - record.started_at:.2f}s\n"
                  f"   Output captured for AI context ({len(output.splitlines())} lines)\n"
                  f"   Tokens used: {after - before:+,} ({after:,} total)\n")
    return CommandResult(stdout=output, stderr=stderr, exit_code=exit_code)


def _shaping_options(args: Args) -> tuple[str, int | None, int, int] | None:
    """(detail, max_tokens, head, tail) when any shaping option was given, else None."""
    from ...ai.shaping import DEFAULT_HEAD, DEFAULT_TAIL, DETAILS

    if not any(args.has(name) for name in ("detail", "max-tokens", "head", "tail")):
        return None
    detail = args.get("detail") or "parsed"
    if detail not in DETAILS:
        raise CommandError(f"detail must be one of {', '.join(DETAILS)}: {detail}")
    max_tokens = parse_int(args.get("max-tokens"), "max tokens") if args.has("max-tokens") \
        else None
    head = parse_int(args.get("head"), "head") if args.has("head") else DEFAULT_HEAD
    tail = parse_int(args.get("tail"), "tail") if args.has("tail") else DEFAULT_TAIL
    if (max_tokens is not None and max_tokens < 50) or head < 0 or tail < 0:
        raise CommandError("max tokens must be at least 50; head and tail at least 0")
    return detail, max_tokens, head, tail


WAITING_EXIT = 125
"""exec's exit code when the command stopped to wait for input (the prompt is printed)."""
def _waiting_result(ctx: CommandContext, session_name: str, pane: Pane, command: str, as_json: bool,
                    raw: bool, job_id: int) -> CommandResult:
    """The answer for a command that waits for input: its prompt and how to go on."""
    from ...ai.redact import redact
    from ..jobs import prompt_lines

    prompt = prompt_lines(pane)
    if not raw:
        prompt, command = redact(prompt), redact(command)
    hint = (f"answer with: ai-session job answer {job_id} 'ANSWER' (then job wait "
            f"{job_id}); or job cancel {job_id}")
    if as_json:
        return json_result({"session": session_name, "pane": f"%{pane.id}",
                            "command": command, "state": "waiting", "job": job_id,
                            "prompt": prompt,
                            "hint": hint}, exit_code=WAITING_EXIT)
    return CommandResult(stdout=prompt + "\n",
                         stderr=f"ai-session: '{command}' is waiting for input in "
                                f"{session_name}; {hint}\n", exit_code=WAITING_EXIT)


SPEC = CommandSpec(name="exec",
                   usage='NAME "command" [--capture] [--timeout S] [--json] [--queue] [--raw] '
                         '[--wait-to-end] [--background] [--detail summary|parsed|full] [--max-tokens N] '
                         '[--head N] [--tail N] [--notify-job TOKEN]',
                   long_options={"capture": False, "timeout": True, "json": False,
                                 "queue": False, "raw": False, "wait-to-end": False, "background": False,
                                 "detail": True, "max-tokens": True, "head": True,
                                 "tail": True, "notify-job": True},
                   min_args=2, max_args=2, intermixed=True, run=run,
                   summary="Run a command in a session's shell and wait for it (seed verb)")
