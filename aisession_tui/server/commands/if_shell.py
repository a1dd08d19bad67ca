"""if-shell (if): run the first command list when the condition holds, else the second
(if given). The condition is a shell command (true when it exits 0) or, with -F, a format
(true when its expansion is not empty and not 0); both are expanded for -t's target. -b
runs the shell condition in the background and returns at once. The command lists are
tmux-language text (a ``{ }`` block arrives as text too), parsed when they run, their
lines counted from the if-shell's own (errors name them, as tmux's do).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from .spec import Args, CommandError, CommandResult, CommandSpec

if TYPE_CHECKING:
    from ..context import CommandContext
    from ..registry import Session


async def _run_list(ctx: CommandContext, text: str) -> CommandResult:
    from ..command_lists import parse_list, run_commands
    from ..dispatch import run_argv

    parsed, error = parse_list(ctx, text)
    if error:
        return CommandResult(stderr=error, exit_code=1)
    return await run_commands(run_argv, ctx, parsed.commands)


async def run(ctx: CommandContext, args: Args) -> CommandResult:
    condition = args.positional[0]
    session: Session | None = None
    try:
        session, window, pane = ctx.find_pane(args.get("t"))
        condition = ctx.expand(condition, session, window, pane)
    except CommandError:
        if args.has("t"):
            raise
        condition = ctx.expand(condition)
    then_list = args.positional[1]
    else_list = args.positional[2] if len(args.positional) > 2 else None
    if args.has("F"):
        chosen = then_list if condition not in ("", "0") else else_list
        return await _run_list(ctx, chosen) if chosen is not None else CommandResult()

    from ..shell_jobs import in_background, job_environment, run_job

    async def decide() -> CommandResult:
        job = await run_job(condition, cwd=ctx.cwd or (session.cwd if session else "/"),
                            env=job_environment(ctx, session),
                            job_table=ctx.services.job_table)
        chosen = then_list if job.returncode == 0 else else_list
        return await _run_list(ctx, chosen) if chosen is not None else CommandResult()

    if args.has("b"):
        in_background(decide())
        return CommandResult()
    return await decide()


SPEC = CommandSpec(name="if-shell", alias=("if",), flags="bFt:",
                   usage="[-bF] [-t target-pane] shell-command command [command]",
                   min_args=2, max_args=3, run=run,
                   summary="Run commands when a shell command succeeds or a format is true")
