"""resize-pane (resizep): grow or shrink a pane (``-L/-R/-U/-D N``), set its size
(``-x``/``-y``, cells or %), or toggle zoom (``-Z``).

``-y`` is the pane's own height: for a pane on the edge where ``pane-border-status`` takes a
row, its layout cell gets one more row, as tmux 3.3a does (so a border drag in the client,
which asks for the rows the pane should show, lands where the mouse is).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from .spec import PANE, Args, CommandError, CommandResult, CommandSpec, parse_int

if TYPE_CHECKING:
    from ..context import CommandContext
    from ..engine import Engine
    from ..pane import Pane
    from ..registry import Window


def _absolute(text: str, total: int) -> int:
    if text.endswith("%"):
        return max(1, total * parse_int(text[:-1], "size") // 100)
    return parse_int(text, "size")


def _gave_a_row_to_border_status(engine: Engine, window: Window, pane: Pane) -> bool:
    """Whether ``pane`` is on the window edge where ``pane-border-status`` took a row from
    its cell (tmux adds that row back to ``-y``)."""
    status = engine.border_status(window)
    cell = window.layout.geometry().get(pane.id)
    if cell is None or status == "off":
        return False
    if status == "top":
        return cell.y == 0
    return status == "bottom" and cell.y + cell.height >= window.layout.height


async def run(ctx: CommandContext, args: Args) -> CommandResult:
    window, pane = ctx.target.window, ctx.target.pane
    layout = window.layout
    if args.has("Z"):
        layout.toggle_zoom(pane.id)
        window.select_pane(pane)
        ctx.engine.apply_layout(window)
        return CommandResult()
    amount = parse_int(args.positional[0], "adjustment") if args.positional else 1
    height = _absolute(args.get("y"), layout.height) if args.has("y") else None
    if height is not None and _gave_a_row_to_border_status(ctx.engine, window, pane):
        height += 1  # -y is the pane's height; its layout cell also holds the status line
    try:
        if args.has("x") or args.has("y"):
            layout.resize_pane_to(
                pane.id,
                width=_absolute(args.get("x"), layout.width) if args.has("x") else None,
                height=height)
        for direction in "LRUD":
            if args.has(direction):
                layout.resize_pane(pane.id, direction, amount)
    except Exception as exc:  # LayoutError: say why, keep the layout as it was
        raise CommandError(str(exc)) from None
    ctx.engine.apply_layout(window)
    return CommandResult()


SPEC = CommandSpec(name="resize-pane", alias=("resizep",), flags="DLMRTUZt:x:y:",
                   usage="[-DLMRTUZ] [-x width] [-y height] [-t target-pane] [adjustment]",
                   max_args=1, run=run, target=PANE, summary="Resize or zoom a pane")
