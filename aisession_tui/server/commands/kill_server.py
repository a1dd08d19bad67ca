"""kill-server: kill every session and stop the server."""

from __future__ import annotations

from .spec import Args, CommandResult, CommandSpec


async def run(ctx, args: Args) -> CommandResult:
    ctx.engine.kill_all()
    ctx.server.stopping.set()
    return CommandResult()


SPEC = CommandSpec(name="kill-server", usage="", run=run,
                   summary="Kill every session and the server")
