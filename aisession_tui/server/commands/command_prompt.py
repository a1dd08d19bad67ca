"""command-prompt: open the command prompt in a client (the asking one, ``-t``'s, else the
most recently active), as a key binding would; the answer runs there
(:mod:`aisession_tui.server.client_actions`, and the client's
:mod:`aisession_tui.client.prompt_request` for the prompts and the template).

A bad ``-T`` is this command's error (``unknown type: X``), as in tmux, once the target
client is found and before it is asked. Without ``-b`` or ``-i`` it returns once the prompt
is over and its commands ran, as tmux's."""

from __future__ import annotations

from typing import TYPE_CHECKING

from .spec import Args, CommandError, CommandResult, CommandSpec

if TYPE_CHECKING:
    from ..context import CommandContext


async def run(ctx: CommandContext, args: Args) -> CommandResult:
    from ..client_actions import forward
    from ..client_lock import target_client
    from ..prompt_history import TYPES

    target_client(ctx, args.get("t"))  # "no current client" comes first, as in tmux
    prompt_type = args.get("T")
    if prompt_type is not None and prompt_type not in TYPES:
        raise CommandError(f"unknown type: {prompt_type}")
    return CommandResult(exit_code=await forward(ctx, "command-prompt", args))


SPEC = CommandSpec(
    name="command-prompt", flags="1bFkiNI:p:t:T:", max_args=1,
    usage="[-1bFkiN] [-I inputs] [-p prompts] [-t target-client] [-T type] [template]",
    run=run, summary="Open the command prompt in a client")
