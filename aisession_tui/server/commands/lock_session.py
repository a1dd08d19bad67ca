"""lock-session (locks): lock the full-screen clients of one session with its
``lock-command`` (:mod:`aisession_tui.server.client_lock`); a session nobody shows is
fine (nothing to lock)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from .spec import SESSION, Args, CommandResult, CommandSpec

if TYPE_CHECKING:
    from ..context import CommandContext


async def run(ctx: CommandContext, args: Args) -> CommandResult:
    from ..client_formats import all_clients
    from ..client_lock import lock

    session = ctx.target.session
    for client in all_clients(ctx.services):
        if client.session is session:
            lock(ctx, client)
    return CommandResult()


SPEC = CommandSpec(name="lock-session", alias=("locks",), flags="t:",
                   usage="[-t target-session]", run=run, target=SESSION, summary="Lock a session's clients")
