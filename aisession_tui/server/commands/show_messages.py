"""show-messages (showmsgs): the configuration errors the server met at start (file:line:
message), then the message log, each line ``TIME: message`` as tmux 3.3a's template
``#{t/p:message_time}: #{message_text}`` prints it. ``-J`` and ``-T`` (job and terminal
summaries) are not supported; ``-t`` is accepted and names no client in particular."""

from __future__ import annotations

from typing import TYPE_CHECKING

from .spec import Args, CommandResult, CommandSpec

if TYPE_CHECKING:
    from ..context import CommandContext


async def run(ctx: CommandContext, args: Args) -> CommandResult:
    from ..command_lists import CONFIG_CAUSES
    from ..formats import format_pretty_time
    from ..message_log import LOG

    lines = list(CONFIG_CAUSES)
    lines.extend(f"{format_pretty_time(int(message.at))}: {message.text}"
                 for message in LOG.messages)
    return CommandResult(stdout="".join(line + "\n" for line in lines))


SPEC = CommandSpec(name="show-messages", alias=("showmsgs",), flags="t:",
                   usage="[-t target-client]", run=run,
                   summary="Show the configuration errors and the message log")
