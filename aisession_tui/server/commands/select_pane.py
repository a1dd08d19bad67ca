"""select-pane (selectp): make a pane active; ``-L/-R/-U/-D`` move to a neighbour,
``-l`` the last pane, ``-T`` sets the title; ``-d`` / ``-e`` turn the pane's input off /
on (keys and ``send-keys`` are dropped while off, ``#{pane_input_off}``); ``-m`` marks the
pane (again: unmarks it), ``-M`` clears the mark (``#{pane_marked}``), as in tmux."""

from __future__ import annotations

from typing import TYPE_CHECKING

from .spec import PANE, Args, CommandError, CommandResult, CommandSpec

if TYPE_CHECKING:
    from ..context import CommandContext


async def run(ctx: CommandContext, args: Args) -> CommandResult:
    window, pane = ctx.target.window, ctx.target.pane
    if args.has("m") or args.has("M"):
        engine = ctx.engine
        previous = engine.marked_pane
        engine.marked_pane = None if args.has("M") or previous == pane.id else pane.id
        ctx.engine.registry.notify("layout", window)
        return CommandResult()
    if args.has("d") or args.has("e"):
        pane.input_off = args.has("d")
        return CommandResult()
    if args.has("T"):
        pane.title = args.get("T")
        ctx.engine.registry.notify("layout", window)
        return CommandResult()
    if args.has("l"):
        if window.last_pane is None or window.last_pane not in window.panes:
            raise CommandError("no last pane")
        target = window.panes[window.last_pane]
    else:
        target = pane
        for direction in "LRUD":
            if args.has(direction):
                if window.layout.zoomed is not None and not args.has("Z"):
                    window.layout.toggle_zoom(window.layout.zoomed)
                    ctx.engine.apply_layout(window)
                found = window.layout.neighbour(pane.id, direction)
                if found is None:
                    return CommandResult()
                target = window.panes[found]
    window.select_pane(target)
    ctx.engine.registry.notify("layout", window)
    return CommandResult()


SPEC = CommandSpec(name="select-pane", alias=("selectp",), flags="DdegLlMmRUZT:t:",
                   usage="[-DdeLlMmRUZ] [-T title] [-t target-pane]", run=run, target=PANE,
                   summary="Make a pane the active one")
