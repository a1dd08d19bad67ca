"""wait-for (wait): block until a channel is signalled (``-S`` wakes every waiter; a
signal with nobody waiting is remembered for the next waiter, as tmux does); ``-L`` and
``-U`` lock and unlock a channel (see :mod:`aisession_tui.server.wait_channels`)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from .spec import Args, CommandResult, CommandSpec

if TYPE_CHECKING:
    from ..context import CommandContext


async def run(ctx: CommandContext, args: Args) -> CommandResult:
    channels = ctx.services.waits
    name = args.positional[0]
    if args.has("S"):
        channels.signal(name)
    elif args.has("L"):
        await channels.lock(name)
    elif args.has("U"):
        channels.unlock(name)
    else:
        await channels.wait(name)
    return CommandResult()


SPEC = CommandSpec(name="wait-for", alias=("wait",), flags="LSU", usage="[-L|-S|-U] channel",
                   min_args=1, max_args=1, run=run, summary="Wait for, signal, or lock a channel")
