"""show-prompt-history (showphist): print the server's prompt history
(:mod:`aisession_tui.server.prompt_history`), every type or ``-T``'s, as tmux 3.3a."""

from __future__ import annotations

from typing import TYPE_CHECKING

from .spec import Args, CommandError, CommandResult, CommandSpec

if TYPE_CHECKING:
    from ..context import CommandContext


async def run(ctx: CommandContext, args: Args) -> CommandResult:
    name = args.get("T") if args.has("T") else None
    try:
        return CommandResult(stdout=ctx.services.prompt_history.show(name))
    except ValueError as exc:
        raise CommandError(str(exc)) from None


SPEC = CommandSpec(name="show-prompt-history", alias=("showphist",), flags="T:",
                   usage="[-T type]", run=run, summary="Show the prompt history")
