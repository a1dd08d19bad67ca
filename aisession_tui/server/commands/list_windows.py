"""list-windows (lsw): windows of a session (``-a``: of every session)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from ._common import lines, truthy
from .spec import Args, CommandResult, CommandSpec

if TYPE_CHECKING:
    from ..context import CommandContext

DEFAULT_FORMAT = ("#{window_index}: #{window_name}#{window_raw_flags} (#{window_panes} panes) "
                  "[#{window_width}x#{window_height}] [layout #{window_layout}] #{window_id}"
                  "#{?window_active, (active),}")
ALL_FORMAT = ("#{session_name}:#{window_index}: #{window_name}#{window_raw_flags} "
              "(#{window_panes} panes) [#{window_width}x#{window_height}] ")


async def run(ctx: CommandContext, args: Args) -> CommandResult:
    if args.has("a"):
        windows = ctx.engine.registry.all_windows()
        template = args.get("F") or ALL_FORMAT
    else:
        windows = ctx.find_session(args.get("t")).ordered_windows()
        template = args.get("F") or DEFAULT_FORMAT
    out = []
    for window in windows:
        if args.has("f") and not truthy(ctx.expand(args.get("f"), window.session, window)):
            continue
        out.append(ctx.expand(template, window.session, window))
    return CommandResult(stdout=lines(out))


SPEC = CommandSpec(name="list-windows", alias=("lsw",), flags="aF:f:t:",
                   usage="[-a] [-F format] [-f filter] [-t target-session]", run=run,
                   summary="List windows")
