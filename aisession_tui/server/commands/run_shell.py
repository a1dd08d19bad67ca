"""run-shell (run): run a shell command (its text a format, expanded for the target) or,
with -C, tmux commands; -d waits DELAY seconds first, -b returns at once, -c sets the
directory, -t names the target pane.

The command runs without blocking the server (server/shell_jobs.py), its output bounded.
tmux 3.3a shows the output in the target pane's view mode; ai-session has no view mode, so
the output (and a failure worded as tmux words it: ``'cmd' returned 1``) is this
command's output, which the CLI prints; the exit code is the command's status, as tmux
gives a command-line client. A background job's last line goes to the status line of
the clients attached to the target's session.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from .spec import Args, CommandError, CommandResult, CommandSpec

if TYPE_CHECKING:
    from ..context import CommandContext
    from ..registry import Session


def _target(ctx: CommandContext, args: Args) -> tuple[Session | None, str]:
    """The target's session (None when there is none) and the expansion of the command."""
    try:
        session, window, pane = ctx.find_pane(args.get("t"))
    except CommandError:
        if args.has("t"):
            raise
        return None, ctx.expand(args.positional[0]) if args.positional else ""
    text = ctx.expand(args.positional[0], session, window, pane) if args.positional else ""
    return session, text


async def _run(ctx: CommandContext, args: Args, session: Session | None,
               command: str, delay: float) -> CommandResult:
    import asyncio

    from ..shell_jobs import job_environment, run_job

    if delay > 0:
        await asyncio.sleep(delay)
    if args.has("C"):
        from ..command_lists import parse_text, run_commands
        from ..dispatch import run_argv

        parsed = parse_text(ctx, args.positional[0])
        if parsed.error is not None:
            return CommandResult(stderr=f"{parsed.error.message}\n", exit_code=1)
        return await run_commands(run_argv, ctx, parsed.commands)
    cwd = args.get("c") or ctx.cwd or (session.cwd if session else "/")
    job = await run_job(command, cwd=cwd, env=job_environment(ctx, session))
    output = job.output
    if output and not output.endswith("\n"):
        output += "\n"
    if job.truncated:
        output += "(output truncated)\n"
    message = job.status_message(command)
    if message:
        output += message + "\n"
    return CommandResult(stdout=output, exit_code=job.exit_code)


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
    session, command = _target(ctx, args)
    if not args.has("b"):
        return await _run(ctx, args, session, command, delay)
    from ..shell_jobs import in_background

    async def background() -> None:
        result = await _run(ctx, args, session, command, delay)
        lines = [line for line in (result.stdout + result.stderr).splitlines() if line]
        if lines and session is not None:
            ctx.services.clients.post_message(session, lines[-1])

    in_background(background())
    return CommandResult()


SPEC = CommandSpec(name="run-shell", alias=("run",), flags="bCc:d:t:",
                   usage="[-bC] [-c start-directory] [-d delay] [-t target-pane] "
                         "[shell-command]",
                   max_args=1, run=run, summary="Run a shell command (or -C tmux commands)")
