"""command-prompt: open the command prompt in a client (the asking one, ``-t``'s, else the
most recently active), as a key binding would; the answer runs there
(:mod:`aisession_tui.server.client_actions`)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from .spec import Args, CommandResult, CommandSpec

if TYPE_CHECKING:
    from ..context import CommandContext


async def run(ctx: CommandContext, args: Args) -> CommandResult:
    from ..client_actions import forward

    forward(ctx, "command-prompt", args)
    return CommandResult()


SPEC = CommandSpec(
    name="command-prompt", flags="1bFkiNI:p:t:T:", max_args=1,
    usage="[-1bFkiN] [-I inputs] [-p prompts] [-t target-client] [-T type] [template]",
    run=run, summary="Open the command prompt in a client")
