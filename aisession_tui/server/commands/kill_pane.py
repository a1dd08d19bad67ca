"""kill-pane (killp): kill a pane (``-a``: every other pane of its window)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from .spec import PANE, Args, CommandResult, CommandSpec

if TYPE_CHECKING:
    from ..context import CommandContext


async def run(ctx: CommandContext, args: Args) -> CommandResult:
    session, window, pane = ctx.target.session, ctx.target.window, ctx.target.pane
    if args.has("a"):
        for other in list(window.panes.values()):
            if other is not pane:
                ctx.engine.kill_pane(session, window, other)
    else:
        ctx.engine.kill_pane(session, window, pane)
    return CommandResult()


SPEC = CommandSpec(name="kill-pane", alias=("killp",), flags="at:", usage="[-a] [-t target-pane]",
                   run=run, target=PANE, summary="Kill a pane")
