"""kill-server: kill every session and stop the server.

The sessions are kept for resurrection (the next server brings them back, see
:mod:`aisession_tui.server.persist`); ``-C`` clears what was kept instead."""

from __future__ import annotations

from .spec import Args, CommandResult, CommandSpec


async def run(ctx, args: Args) -> CommandResult:
    persist = getattr(ctx.server, "persist", None)
    if persist is not None:
        persist.final(clear=args.has("C"))
    ctx.engine.kill_all()
    ctx.server.stopping.set()
    return CommandResult()


SPEC = CommandSpec(name="kill-server", flags="C", usage="[-C]", run=run,
                   summary="Kill every session and the server")
