"""kill-window (killw): kill a window (``-a``: every other window of its session)."""

from __future__ import annotations

from .spec import Args, CommandResult, CommandSpec


async def run(ctx, args: Args) -> CommandResult:
    session, window = ctx.find_window(args.get("t"))
    if args.has("a"):
        for other in list(session.windows.values()):
            if other is not window:
                ctx.engine.kill_window(session, other)
    else:
        ctx.engine.kill_window(session, window)
    return CommandResult()


SPEC = CommandSpec(name="kill-window", alias=("killw",), flags="at:",
                   usage="[-a] [-t target-window]", run=run, summary="Kill a window")
