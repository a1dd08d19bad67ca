"""has-session (has): exit 0 when the target session exists, else 1 with tmux's error.

The dispatcher resolves ``-t`` (``target=SESSION``) before ``run``: reaching it means the
session exists."""

from __future__ import annotations

from typing import TYPE_CHECKING

from .spec import SESSION, Args, CommandResult, CommandSpec

if TYPE_CHECKING:
    from ..context import CommandContext


async def run(ctx: CommandContext, args: Args) -> CommandResult:
    return CommandResult()


SPEC = CommandSpec(name="has-session", alias=("has",), flags="t:",
                   usage="[-t target-session]", run=run, target=SESSION,
                   summary="Check whether a session exists")
