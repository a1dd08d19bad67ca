"""kill-server: kill every session and stop the server.

The sessions are kept for resurrection (the next server brings them back, see
:mod:`aisession_tui.server.persist`); ``-C`` clears what was kept instead."""

from __future__ import annotations

from typing import TYPE_CHECKING

from .spec import Args, CommandResult, CommandSpec

if TYPE_CHECKING:
    from ..context import CommandContext


async def run(ctx: CommandContext, args: Args) -> CommandResult:
    persist = ctx.services.persist
    if persist.installed:
        persist.final(clear=args.has("C"))
    ctx.engine.kill_all()
    ctx.services.lifetime.stop()
    return CommandResult()


SPEC = CommandSpec(name="kill-server", flags="C", usage="[-C]", run=run,
                   summary="Kill every session and the server")
