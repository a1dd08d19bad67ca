"""run-shell (run): run a shell command (its text a format, expanded for the target) or,
with -C, tmux commands; -d waits DELAY seconds first, -b returns at once, -c sets the
directory, -t names the target pane.

The command runs without blocking the server (server/shell_jobs.py), its output bounded.
Where the output goes (its lines, then a failure worded as tmux words it: ``'cmd'
returned 1``, ``'cmd' terminated by signal 9``), as tmux's ``cmd_run_shell_print``:

* into a pane's view mode (:mod:`aisession_tui.server.view_mode`) - the ``-t`` pane; else,
  run from a full-screen client (a key binding, the ``:`` prompt), the client's current
  pane; else, with ``-b`` or from a hook, the current pane of the best session;
* to the caller's stdout when a command-line (or control-mode) client runs it without
  ``-t`` and ``-b``, as tmux 3.4 and later do (tmux 3.3a puts that output in a view
  mode too, where a script cannot read it).

A command-line client gets the job's exit status (128 + signal) as its own.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from .spec import Args, CommandError, CommandResult, CommandSpec

if TYPE_CHECKING:
    from ..context import CommandContext
    from ..pane import Pane
    from ..registry import Session


def _target(ctx: CommandContext, args: Args) -> tuple[Session | None, Pane | None, str]:
    """The target's session and pane (None when there is none) and the expansion of the
    command."""
    try:
        session, window, pane = ctx.find_pane(args.get("t"))
    except CommandError:
        if args.has("t"):
            raise
        return None, None, ctx.expand(args.positional[0]) if args.positional else ""
    text = ctx.expand(args.positional[0], session, window, pane) if args.positional else ""
    return session, pane, text


def _to_view(ctx: CommandContext, args: Args) -> bool:
    """Whether the output goes to a view mode rather than the caller's stdout."""
    from ..client_formats import client_of, is_control

    if args.has("t") or args.has("b") or ctx.client is None:
        return True
    client = client_of(ctx.client)
    return client is not None and not is_control(client)  # an attached client's view


async def _run(ctx: CommandContext, args: Args, session: Session | None,
               command: str, delay: float, started: Any = None) -> CommandResult:
    import asyncio

    from ..shell_jobs import collect_job, job_environment, run_job

    if delay > 0:
        await asyncio.sleep(delay)
    if args.has("C"):
        from ..command_lists import parse_list, run_commands
        from ..dispatch import run_argv

        parsed, _located = parse_list(ctx, args.positional[0])
        if parsed.error is not None:  # tmux parses -C's text with no file: no file:line
            return CommandResult(stderr=f"{parsed.error.message}\n", exit_code=1)
        return await run_commands(run_argv, ctx, parsed.commands)
    if started is not None:
        job = await collect_job(command, started, ctx.services.job_table)
    else:
        job = await run_job(command, cwd=_cwd(ctx, args, session),
                            env=job_environment(ctx, session),
                            job_table=ctx.services.job_table)
    output = job.output
    if output and not output.endswith("\n"):
        output += "\n"
    if job.truncated:
        output += "(output truncated)\n"
    message = job.status_message(command)
    if message:
        output += message + "\n"
    return CommandResult(stdout=output, exit_code=job.exit_code)


def _cwd(ctx: CommandContext, args: Args, session: Session | None) -> str:
    return str(args.get("c") or ctx.cwd or (session.cwd if session else "/"))


def _show(ctx: CommandContext, pane: Pane | None, result: CommandResult) -> CommandResult:
    """Put the output in ``pane``'s view mode (dropped when there is no pane, as tmux)."""
    from ..view_mode import add_lines

    lines = (result.stdout + result.stderr).splitlines()
    if pane is not None and not pane.killed:
        add_lines(ctx.engine, pane, lines)
    return CommandResult(exit_code=result.exit_code)


async def run(ctx: CommandContext, args: Args) -> CommandResult:
    delay = 0.0
    if args.has("d"):
        try:
            delay = float(args.get("d"))
        except ValueError:
            raise CommandError(f"invalid delay time: {args.get('d')}") from None
    elif not args.positional:
        return CommandResult()
    if not args.positional:
        if not args.has("b"):
            import asyncio

            await asyncio.sleep(max(0.0, delay))
        return CommandResult()
    session, pane, command = _target(ctx, args)
    to_view = _to_view(ctx, args) and not args.has("C")
    if not args.has("b"):
        result = await _run(ctx, args, session, command, delay)
        return _show(ctx, pane, result) if to_view else result
    from ..shell_jobs import in_background, job_environment, start_job

    started = None
    if delay <= 0 and not args.has("C"):  # started now, as tmux forks it before returning
        started = await start_job(command, cwd=_cwd(ctx, args, session),
                                  env=job_environment(ctx, session))

    async def background() -> None:
        _show(ctx, pane, await _run(ctx, args, session, command, delay, started))

    in_background(background())
    return CommandResult()


SPEC = CommandSpec(name="run-shell", alias=("run",), flags="bCc:d:t:",
                   usage="[-bC] [-c start-directory] [-d delay] [-t target-pane] "
                         "[shell-command]",
                   max_args=1, run=run, summary="Run a shell command (or -C tmux commands)")
