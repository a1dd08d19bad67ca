"""kill-window (killw): kill a window (``-a``: every other window of its session)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from .spec import WINDOW, Args, CommandResult, CommandSpec

if TYPE_CHECKING:
    from ..context import CommandContext


async def run(ctx: CommandContext, args: Args) -> CommandResult:
    session, window = ctx.target.session, ctx.target.window
    if args.has("a"):
        for other in list(session.windows.values()):
            if other is not window:
                ctx.engine.kill_window(session, other)
    else:
        ctx.engine.kill_window(session, window)
    return CommandResult()


SPEC = CommandSpec(name="kill-window", alias=("killw",), flags="at:",
                   usage="[-a] [-t target-window]", run=run, target=WINDOW, summary="Kill a window")
