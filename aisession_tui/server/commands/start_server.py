"""start-server (start): start the server if none runs; nothing else. As in tmux, a
server with no session exits again unless ``exit-empty`` is off."""

from __future__ import annotations

from typing import TYPE_CHECKING

from .spec import Args, CommandResult, CommandSpec

if TYPE_CHECKING:
    from ..context import CommandContext


async def run(ctx: CommandContext, args: Args) -> CommandResult:
    return CommandResult()


SPEC = CommandSpec(name="start-server", alias=("start",), usage="", run=run,
                   starts_server=True, summary="Start the server")
