"""confirm-before (confirm): ask ``y/n`` in a client (the asking one, ``-t``'s, else the
most recently active) and run the command there on ``y``
(:mod:`aisession_tui.server.client_actions`). Without ``-b`` it returns once answered,
with exit code 0 for ``y`` and 1 otherwise, as tmux gives a command-line client."""

from __future__ import annotations

from typing import TYPE_CHECKING

from .spec import Args, CommandResult, CommandSpec

if TYPE_CHECKING:
    from ..context import CommandContext


async def run(ctx: CommandContext, args: Args) -> CommandResult:
    from ..client_actions import forward

    return CommandResult(exit_code=await forward(ctx, "confirm-before", args))


SPEC = CommandSpec(name="confirm-before", alias=("confirm",), flags="bp:t:", min_args=1,
                   max_args=1, usage="[-b] [-p prompt] [-t target-client] command", run=run,
                   summary="Run a command after the user confirms it in a client")
