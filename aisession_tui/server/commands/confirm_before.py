"""confirm-before (confirm): ask ``y/n`` in a client (the asking one, ``-t``'s, else the
most recently active) and run the command there on ``y``
(:mod:`aisession_tui.server.client_actions`). Without ``-b`` it returns once answered,
with exit code 0 for ``y`` and 1 otherwise, as tmux gives a command-line client. The
command is parsed first: a command that does not parse is this command's error."""

from __future__ import annotations

from typing import TYPE_CHECKING

from .spec import Args, CommandError, CommandResult, CommandSpec

if TYPE_CHECKING:
    from ..context import CommandContext


async def run(ctx: CommandContext, args: Args) -> CommandResult:
    from ..client_actions import forward
    from ..client_lock import target_client
    from ..command_lists import parse_text

    target_client(ctx, args.get("t"))  # "no current client" comes first, as in tmux
    parsed = parse_text(ctx, args.positional[0])
    if parsed.error is not None:  # tmux parses the command before asking
        raise CommandError(parsed.error.message)
    return CommandResult(exit_code=await forward(ctx, "confirm-before", args))


SPEC = CommandSpec(name="confirm-before", alias=("confirm",), flags="bp:t:", min_args=1,
                   max_args=1, usage="[-b] [-p prompt] [-t target-client] command", run=run,
                   summary="Run a command after the user confirms it in a client")
