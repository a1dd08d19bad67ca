"""lock-server (lock): lock every full-screen client with its session's ``lock-command``
(:mod:`aisession_tui.server.client_lock`; control clients are left alone, as in tmux)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from .spec import Args, CommandResult, CommandSpec

if TYPE_CHECKING:
    from ..context import CommandContext


async def run(ctx: CommandContext, args: Args) -> CommandResult:
    from ..client_formats import all_clients
    from ..client_lock import lock

    for client in all_clients(ctx.services):
        lock(ctx, client)
    return CommandResult()


SPEC = CommandSpec(name="lock-server", alias=("lock",), flags="", usage="", run=run,
                   summary="Lock every client")
