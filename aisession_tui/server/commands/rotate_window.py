"""rotate-window (rotatew): move every pane of a window one place (``-U`` up, the
default, or ``-D`` down). As in tmux 3.3a the active place stays where it was: the pane
rotated into it becomes the active pane, and the one that left it the last pane."""

from __future__ import annotations

from typing import TYPE_CHECKING

from .spec import WINDOW, Args, CommandResult, CommandSpec

if TYPE_CHECKING:
    from ..context import CommandContext


async def run(ctx: CommandContext, args: Args) -> CommandResult:
    window = ctx.target.window
    before = [pane.id for pane in window.ordered_panes()]
    place = before.index(window.active_pane) if window.active_pane in before else 0
    window.layout.rotate(reverse=args.has("D"))
    ctx.engine.apply_layout(window)
    after = window.ordered_panes()
    if after and after[place].id != window.active_pane:
        window.select_pane(after[place])
        ctx.engine.registry.notify("select", ctx.target.session)
    return CommandResult()


SPEC = CommandSpec(name="rotate-window", alias=("rotatew",), flags="DUZt:",
                   usage="[-DUZ] [-t target-window]", run=run, target=WINDOW,
                   summary="Rotate the panes of a window")
