"""resize-window (resizew): set a window's size (``-x``/``-y``) or adjust it
(``-L/-R/-U/-D N``); every pane's PTY follows and its child gets SIGWINCH."""

from __future__ import annotations

from .spec import Args, CommandError, CommandResult, CommandSpec, parse_int


async def run(ctx, args: Args) -> CommandResult:
    _, window = ctx.find_window(args.get("t"))
    columns, rows = window.layout.width, window.layout.height
    amount = parse_int(args.positional[0], "adjustment") if args.positional else 1
    if args.has("x"):
        columns = parse_int(args.get("x"), "width")
    if args.has("y"):
        rows = parse_int(args.get("y"), "height")
    columns += amount * (args.has("R") - args.has("L"))
    rows += amount * (args.has("D") - args.has("U"))
    if columns < 1 or rows < 1:
        raise CommandError("size too small")
    ctx.engine.resize_window(window, columns, rows)
    return CommandResult()


SPEC = CommandSpec(name="resize-window", alias=("resizew",), flags="aADLRUt:x:y:",
                   usage="[-aADLRU] [-x width] [-y height] [-t target-window] [adjustment]",
                   max_args=1, run=run, summary="Resize a window")
