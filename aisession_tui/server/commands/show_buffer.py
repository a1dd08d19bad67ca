"""show-buffer (showb): print a paste buffer (the newest without ``-b``)."""

from __future__ import annotations

from .spec import Args, CommandResult, CommandSpec


async def run(ctx, args: Args) -> CommandResult:
    return CommandResult(stdout=ctx.engine.get_buffer(args.get("b")))


SPEC = CommandSpec(name="show-buffer", alias=("showb",), flags="b:",
                   usage="[-b buffer-name]", run=run, summary="Print a paste buffer")
