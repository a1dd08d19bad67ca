"""delete-buffer (deleteb): remove a paste buffer (the newest without ``-b``)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from .spec import Args, CommandError, CommandResult, CommandSpec

if TYPE_CHECKING:
    from ..context import CommandContext


async def run(ctx: CommandContext, args: Args) -> CommandResult:
    buffers = ctx.services.buffers
    name = args.get("b")
    if name is None:
        name = buffers.newest_name()
        if name is None:
            raise CommandError("no buffer")
    if not buffers.exists(name):
        raise CommandError(f"unknown buffer: {name}")
    buffers.delete(name)
    return CommandResult()


SPEC = CommandSpec(name="delete-buffer", alias=("deleteb",), flags="b:",
                   usage="[-b buffer-name]", run=run, summary="Delete a paste buffer")
