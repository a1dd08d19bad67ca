"""show-buffer (showb): print a paste buffer (the newest without ``-b``)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from .spec import Args, CommandResult, CommandSpec

if TYPE_CHECKING:
    from ..context import CommandContext


async def run(ctx: CommandContext, args: Args) -> CommandResult:
    return CommandResult(stdout=ctx.services.buffers.get(args.get("b")))


SPEC = CommandSpec(name="show-buffer", alias=("showb",), flags="b:",
                   usage="[-b buffer-name]", run=run, summary="Print a paste buffer")
