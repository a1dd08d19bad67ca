"""list-panes (lsp): panes of a window (``-s``: of a session, ``-a``: all)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from ._common import lines, truthy
from .spec import Args, CommandResult, CommandSpec

if TYPE_CHECKING:
    from ..context import CommandContext

_TAIL = ("[#{pane_width}x#{pane_height}] [history #{history_size}/#{history_limit}, "
         "#{history_bytes} bytes] #{pane_id}#{?pane_active, (active),}#{?pane_dead, (dead),}")
DEFAULT_FORMAT = "#{pane_index}: " + _TAIL
SESSION_FORMAT = "#{window_index}.#{pane_index}: " + _TAIL
ALL_FORMAT = "#{session_name}:#{window_index}.#{pane_index}: " + _TAIL


async def run(ctx: CommandContext, args: Args) -> CommandResult:
    if args.has("a"):
        triples = ctx.engine.registry.all_panes()
        template = args.get("F") or ALL_FORMAT
    elif args.has("s"):
        session = ctx.find_session(args.get("t"))
        triples = [(session, w, p) for w in session.ordered_windows() for p in w.ordered_panes()]
        template = args.get("F") or SESSION_FORMAT
    else:
        session, window = ctx.find_window(args.get("t"))
        triples = [(session, window, p) for p in window.ordered_panes()]
        template = args.get("F") or DEFAULT_FORMAT
    out = []
    for session, window, pane in triples:
        if args.has("f") and not truthy(ctx.expand(args.get("f"), session, window, pane)):
            continue
        out.append(ctx.expand(template, session, window, pane))
    return CommandResult(stdout=lines(out))


SPEC = CommandSpec(name="list-panes", alias=("lsp",), flags="asF:f:t:",
                   usage="[-as] [-F format] [-f filter] [-t target-window]", run=run,
                   summary="List panes")
