"""swap-pane (swapp): exchange two panes, in one window or across windows and sessions.

``-t`` the target pane (the current one by default); ``-U`` / ``-D`` swap it with the
previous / next pane of its window (prefix ``{`` / ``}``), else ``-s`` names the source
(the current pane by default). Panes keep their PTYs, children and screens; only sizes
follow the cells. Without ``-d`` the target pane becomes active where the source was
(and the source where the target was); with ``-d`` a window keeps its active pane unless
that pane left it, as in tmux 3.3a.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from .spec import PANE, Args, CommandResult, CommandSpec

if TYPE_CHECKING:
    from ..context import CommandContext


async def run(ctx: CommandContext, args: Args) -> CommandResult:
    target_window, target = ctx.target.window, ctx.target.pane
    if args.has("U") or args.has("D"):
        ordered = target_window.ordered_panes()
        step = -1 if args.has("U") else 1
        source_window = target_window
        source = ordered[(ordered.index(target) + step) % len(ordered)]
    else:
        _, source_window, source = ctx.find_pane(args.get("s"))
    ctx.engine.swap_panes(source_window, source, target_window, target,
                          keep_active=args.has("d"))
    return CommandResult()


SPEC = CommandSpec(name="swap-pane", alias=("swapp",), flags="dDUZs:t:",
                   usage="[-dDUZ] [-s src-pane] [-t dst-pane]", run=run, target=PANE,
                   summary="Swap two panes")
