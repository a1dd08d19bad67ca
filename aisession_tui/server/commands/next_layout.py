"""next-layout (nextl): cycle the window through the five preset layouts."""

from __future__ import annotations

from typing import TYPE_CHECKING

from .spec import WINDOW, Args, CommandResult, CommandSpec

if TYPE_CHECKING:
    from ..context import CommandContext


async def run(ctx: CommandContext, args: Args) -> CommandResult:
    window = ctx.target.window
    if window.layout.zoomed is not None:
        window.layout.toggle_zoom(window.layout.zoomed)
    window.layout.next_preset()
    ctx.engine.apply_layout(window)
    return CommandResult()


SPEC = CommandSpec(name="next-layout", alias=("nextl",), flags="t:", usage="[-t target-window]",
                   run=run, target=WINDOW, summary="Apply the next preset layout")
