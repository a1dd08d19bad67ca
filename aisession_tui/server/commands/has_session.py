"""has-session (has): exit 0 when the target session exists, else 1 with tmux's error."""

from __future__ import annotations

from typing import TYPE_CHECKING

from .spec import Args, CommandResult, CommandSpec

if TYPE_CHECKING:
    from ..context import CommandContext


async def run(ctx: CommandContext, args: Args) -> CommandResult:
    ctx.find_session(args.get("t"))
    return CommandResult()


SPEC = CommandSpec(name="has-session", alias=("has",), flags="t:",
                   usage="[-t target-session]", run=run,
                   summary="Check whether a session exists")
