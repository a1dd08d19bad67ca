"""clear-prompt-history (clearphist): empty the server's prompt history
(:mod:`aisession_tui.server.prompt_history`), every type or ``-T``'s, as tmux 3.3a."""

from __future__ import annotations

from typing import TYPE_CHECKING

from .spec import Args, CommandError, CommandResult, CommandSpec

if TYPE_CHECKING:
    from ..context import CommandContext


async def run(ctx: CommandContext, args: Args) -> CommandResult:
    name = args.get("T") if args.has("T") else None
    try:
        ctx.services.prompt_history.clear(name)
    except ValueError as exc:
        raise CommandError(str(exc)) from None
    return CommandResult()


SPEC = CommandSpec(name="clear-prompt-history", alias=("clearphist",), flags="T:",
                   usage="[-T type]", run=run, summary="Clear the prompt history")
