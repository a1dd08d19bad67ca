"""swap-pane (swapp): exchange two panes of a window; ``-U`` / ``-D`` swap the target with
the previous / next pane (prefix ``{`` / ``}``), ``-s`` names the source, ``-d`` keeps the
active pane where it was."""

from __future__ import annotations

from .spec import Args, CommandError, CommandResult, CommandSpec


async def run(ctx, args: Args) -> CommandResult:
    _, window, target = ctx.find_pane(args.get("t"))
    ordered = [pane.id for pane in window.ordered_panes()]
    if args.has("s"):
        _, source_window, source = ctx.find_pane(args.get("s"))
        if source_window is not window:
            raise CommandError("swapping panes between windows is not supported")
        other = source.id
    else:
        position = ordered.index(target.id)
        step = -1 if args.has("U") else 1
        other = ordered[(position + step) % len(ordered)]
    if other == target.id:
        return CommandResult()
    window.layout.swap(target.id, other)
    if not args.has("d"):
        window.select_pane(window.panes[other if args.has("s") else target.id])
    ctx.engine.apply_layout(window)
    return CommandResult()


SPEC = CommandSpec(name="swap-pane", alias=("swapp",), flags="dDUZs:t:",
                   usage="[-dDUZ] [-s src-pane] [-t dst-pane]", run=run,
                   summary="Swap two panes")
