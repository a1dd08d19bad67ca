"""swap-window (swapw): exchange the places of two windows, of one session or of two.

``-s`` the source window (the current one by default), ``-t`` the target. Windows keep
their ids, panes and children; across sessions each takes the other's index and session.
With ``-d`` the source window, now at the target's index, becomes current (and across
sessions the target window in the source's session); without it the current index stays
current. That is tmux 3.3a's behaviour, checked live, although its manual describes ``-d``
the other way round.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from .spec import WINDOW, Args, CommandResult, CommandSpec

if TYPE_CHECKING:
    from ..context import CommandContext


async def run(ctx: CommandContext, args: Args) -> CommandResult:
    source_session, source = ctx.source.session, ctx.source.window
    target_session, target = ctx.target.session, ctx.target.window
    ctx.engine.swap_windows(source_session, source, target_session, target,
                            select=args.has("d"))
    return CommandResult()


SPEC = CommandSpec(name="swap-window", alias=("swapw",), flags="ds:t:",
                   usage="[-d] [-s src-window] [-t dst-window]", run=run,
                   source=WINDOW, target=WINDOW,
                   summary="Swap two windows")
