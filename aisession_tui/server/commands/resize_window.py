"""resize-window (resizew): set a window's size (``-x``/``-y``) or adjust it
(``-L/-R/-U/-D N``); ``-a`` / ``-A`` size it to the smallest / largest client showing its
session, or to the session's ``default-size`` when none does (tmux 3.3a); every pane's
PTY follows and its child gets SIGWINCH."""

from __future__ import annotations

from typing import TYPE_CHECKING

from .spec import WINDOW, Args, CommandError, CommandResult, CommandSpec, parse_int

if TYPE_CHECKING:
    from ..context import CommandContext
    from ..registry import Session


async def run(ctx: CommandContext, args: Args) -> CommandResult:
    session, window = ctx.target.session, ctx.target.window
    columns, rows = window.layout.width, window.layout.height
    if args.has("a") or args.has("A"):
        columns, rows = _client_size(ctx, session, largest=args.has("A"),
                                     fallback=(columns, rows))
    amount = parse_int(args.positional[0], "adjustment") if args.positional else 1
    if args.has("x"):
        columns = parse_int(args.get("x"), "width")
    if args.has("y"):
        rows = parse_int(args.get("y"), "height")
    columns += amount * (args.has("R") - args.has("L"))
    rows += amount * (args.has("D") - args.has("U"))
    if columns < 1 or rows < 1:
        raise CommandError("size too small")
    # As tmux 3.3a: the window keeps this size whatever its clients do (window-size manual).
    ctx.engine.options.set("window-size", "manual", f"@{window.id}")
    ctx.services.clients.sizes.set_manual(window, (columns, rows))
    ctx.engine.resize_window(window, columns, rows)
    return CommandResult()


def _client_size(ctx: CommandContext, session: Session, *, largest: bool, fallback: tuple[int, int]
                 ) -> tuple[int, int]:
    from ..client_formats import all_clients

    sizes = [(client.columns, client.lines) for client in all_clients(ctx.services)
             if client.session is session]
    if sizes:
        pick = max if largest else min
        return pick(size[0] for size in sizes), pick(size[1] for size in sizes)
    width, _, height = ctx.engine.options.get("default-size", f"${session.id}").partition("x")
    if width.isdigit() and height.isdigit():
        return int(width), int(height)
    return fallback


SPEC = CommandSpec(name="resize-window", alias=("resizew",), flags="aADLRUt:x:y:",
                   usage="[-aADLRU] [-x width] [-y height] [-t target-window] [adjustment]",
                   max_args=1, run=run, target=WINDOW, summary="Resize a window")
