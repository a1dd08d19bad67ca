"""next-layout (nextl): cycle the window through the five preset layouts."""

from __future__ import annotations

from .spec import Args, CommandResult, CommandSpec


async def run(ctx, args: Args) -> CommandResult:
    _, window = ctx.find_window(args.get("t"))
    if window.layout.zoomed is not None:
        window.layout.toggle_zoom(window.layout.zoomed)
    window.layout.next_preset()
    ctx.engine.apply_layout(window)
    return CommandResult()


SPEC = CommandSpec(name="next-layout", alias=("nextl",), flags="t:", usage="[-t target-window]",
                   run=run, summary="Apply the next preset layout")
