"""select-layout (selectl): apply a preset (even-horizontal, even-vertical,
main-horizontal, main-vertical, tiled); ``-n``/``-p`` cycle like next-layout; with no
name the window's last preset is applied again (nothing happens before the first one),
as in tmux."""

from __future__ import annotations

from typing import TYPE_CHECKING

from .spec import WINDOW, Args, CommandError, CommandResult, CommandSpec

if TYPE_CHECKING:
    from ..context import CommandContext


async def run(ctx: CommandContext, args: Args) -> CommandResult:
    window = ctx.target.window
    layout = window.layout
    if layout.zoomed is not None:
        layout.toggle_zoom(layout.zoomed)
    try:
        if args.has("n"):
            layout.next_preset()
        elif args.has("p"):
            layout.previous_preset()
        elif args.positional:
            layout.select_preset(args.positional[0])
        elif not layout.reapply_preset():
            return CommandResult()  # no layout applied yet: tmux leaves the window as it is
    except Exception as exc:  # LayoutError: unknown name, too small
        raise CommandError(str(exc)) from None
    ctx.engine.apply_layout(window)
    return CommandResult()


SPEC = CommandSpec(name="select-layout", alias=("selectl",), flags="Enopt:",
                   usage="[-Enop] [-t target-pane] [layout-name]", max_args=1, run=run,
                   target=WINDOW,
                   summary="Apply a layout to a window")
