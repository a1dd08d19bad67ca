"""break-pane (breakp): move a pane into a new window, of its session or of another one
(prefix ``!``).

The pane keeps its PTY, its child and its screen; only its size follows the new window.
``-s`` the pane (the current one by default), ``-t`` the new window's place (``:5``,
``S:5``, or ``S:`` for the first free index from ``base-index`` in session S), ``-n`` its
name, ``-d`` leaves the current window as it is, ``-P`` prints the new pane's place
(``-F`` format). The window's only pane moves the window itself, as tmux does (to another
session too; a session left without windows goes away).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from ._common import destination
from .spec import PANE, Args, CommandResult, CommandSpec

if TYPE_CHECKING:
    from ..context import CommandContext

DEFAULT_FORMAT = "#{session_name}:#{window_index}.#{pane_index}"


async def run(ctx: CommandContext, args: Args) -> CommandResult:
    session, window, pane = ctx.source.session, ctx.source.window, ctx.source.pane
    if args.has("t"):
        target_session, index = destination(ctx, args.get("t"))
    else:
        target_session, index = session, None
    new_window = ctx.engine.break_pane(session, window, pane, target_session=target_session,
                                       index=index, name=args.get("n"),
                                       select=not args.has("d"))
    if args.has("P"):
        template = args.get("F") or DEFAULT_FORMAT
        return CommandResult(stdout=ctx.expand(template, target_session, new_window, pane)
                             + "\n")
    return CommandResult()


SPEC = CommandSpec(name="break-pane", alias=("breakp",), flags="dPF:n:s:t:",
                   usage="[-dP] [-F format] [-n window-name] [-s src-pane] [-t dst-window]",
                   run=run, source=PANE, summary="Break a pane out into a new window")
