"""lock-client (lockc): lock one client with its session's ``lock-command``
(:mod:`aisession_tui.server.client_lock`); ``-t`` names it as ``list-clients`` does, else
the asking client, else the most recently active one (``no current client`` if none)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from .spec import Args, CommandResult, CommandSpec

if TYPE_CHECKING:
    from ..context import CommandContext


async def run(ctx: CommandContext, args: Args) -> CommandResult:
    from ..client_lock import lock, target_client

    lock(ctx, target_client(ctx, args.get("t")))
    return CommandResult()


SPEC = CommandSpec(name="lock-client", alias=("lockc",), flags="t:",
                   usage="[-t target-client]", run=run, summary="Lock a client")
