"""rotate-window (rotatew): move every pane of a window one place (``-U`` up, the
default, or ``-D`` down); the active pane follows its content, as in tmux."""

from __future__ import annotations

from typing import TYPE_CHECKING

from .spec import WINDOW, Args, CommandResult, CommandSpec

if TYPE_CHECKING:
    from ..context import CommandContext


async def run(ctx: CommandContext, args: Args) -> CommandResult:
    window = ctx.target.window
    window.layout.rotate(reverse=args.has("D"))
    ctx.engine.apply_layout(window)
    return CommandResult()


SPEC = CommandSpec(name="rotate-window", alias=("rotatew",), flags="DUZt:",
                   usage="[-DUZ] [-t target-window]", run=run, target=WINDOW,
                   summary="Rotate the panes of a window")
