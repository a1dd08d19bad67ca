"""show-messages (showmsgs): the configuration errors the server met at start (file:line:
message), then the message log, each line ``TIME: message`` as tmux 3.3a's template
``#{t/p:message_time}: #{message_text}`` prints it; ``-t`` is accepted and names no client
in particular.

``-J`` lists the running shell jobs instead (:mod:`..job_table`, tmux's
``job_print_summary``). ``-T`` lists the terminals tmux describes from terminfo: a client
here draws through Textual and reads no terminfo description, so, as tmux for control
clients, there is none to list. With ``-T`` or ``-J`` the message log is not shown."""

from __future__ import annotations

from typing import TYPE_CHECKING

from .spec import Args, CommandResult, CommandSpec

if TYPE_CHECKING:
    from ..context import CommandContext


async def run(ctx: CommandContext, args: Args) -> CommandResult:
    if args.has("J") or args.has("T"):
        jobs = ctx.services.job_table.summary() if args.has("J") else []
        return CommandResult(stdout="".join(line + "\n" for line in jobs))
    from ..formats import format_pretty_time

    lines = list(ctx.services.config_causes.lines)
    lines.extend(f"{format_pretty_time(int(message.at))}: {message.text}"
                 for message in ctx.services.message_log.messages)
    return CommandResult(stdout="".join(line + "\n" for line in lines))


SPEC = CommandSpec(name="show-messages", alias=("showmsgs",), flags="JTt:",
                   usage="[-JT] [-t target-client]", run=run,
                   summary="Show the configuration errors and the message log")
