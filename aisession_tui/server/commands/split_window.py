"""split-window (splitw): split a pane; ``-h`` side by side, ``-v`` (default) stacked;
``-Z`` zooms the new pane."""

from __future__ import annotations

from typing import TYPE_CHECKING

from ._common import env_flags, size_flag, start_command
from .spec import PANE, Args, CommandResult, CommandSpec, parse_int

if TYPE_CHECKING:
    from ..context import CommandContext


async def run(ctx: CommandContext, args: Args) -> CommandResult:
    session, window, pane = ctx.target.session, ctx.target.window, ctx.target.pane
    horizontal = args.has("h")
    total = pane.columns if horizontal else pane.lines
    size, percent = size_flag(args.get("l"), total)
    if args.has("p"):
        percent = parse_int(args.get("p"), "percentage")
    new = ctx.engine.split_window(
        session, window, pane, horizontal=horizontal, size=size, percent=percent,
        before=args.has("b"), full=args.has("f"), cwd=args.get("c") or None,
        env=env_flags(args), command=start_command(args), select=not args.has("d"))
    if args.has("Z"):  # tmux 3.3a: the new pane is zoomed, whatever the window was
        layout = window.layout
        if layout.zoomed is not None:
            layout.toggle_zoom(layout.zoomed)
        layout.toggle_zoom(new.id)
        ctx.engine.apply_layout(window)
        ctx.engine.registry.notify("layout", window)
    if args.has("P"):
        template = args.get("F") or "#{session_name}:#{window_index}.#{pane_index}"
        return CommandResult(stdout=ctx.expand(template, session, window, new) + "\n")
    return CommandResult()


SPEC = CommandSpec(
    name="split-window", alias=("splitw",), flags="bdfhIvPZc:e:F:l:p:t:", repeatable="e",
    usage="[-bdefhIPvZ] [-c start-directory] [-e environment] [-F format] [-l size] "
          "[-t target-pane][shell-command]",  # (sic: tmux 3.3a's usage has no space)
    max_args=None, run=run, target=PANE, summary="Split a pane")
