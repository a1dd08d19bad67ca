"""suspend-client (suspendc): stop a full-screen client as ``C-z`` would (it sends SIGTSTP
to itself and resumes drawing when continued, :mod:`aisession_tui.server.client_lock`);
control clients are left alone, as in tmux. ``-t`` as for ``lock-client``."""

from __future__ import annotations

from typing import TYPE_CHECKING

from .spec import Args, CommandResult, CommandSpec

if TYPE_CHECKING:
    from ..context import CommandContext


async def run(ctx: CommandContext, args: Args) -> CommandResult:
    from ..client_lock import suspend, target_client

    suspend(target_client(ctx, args.get("t")))
    return CommandResult()


SPEC = CommandSpec(name="suspend-client", alias=("suspendc",), flags="t:",
                   usage="[-t target-client]", run=run, summary="Suspend a client")
