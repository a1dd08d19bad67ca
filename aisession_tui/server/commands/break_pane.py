"""break-pane (breakp): move a pane into a new window of its session (prefix ``!``).

The pane keeps its PTY, its child and its screen; only its size follows the new window.
``-s`` the pane (the current one by default), ``-t`` the new window's index (the first
free one from ``base-index`` by default), ``-n`` its name, ``-d`` leaves the current window
as it is, ``-P`` prints the new pane's place (``-F`` format). The window's only pane
moves the window itself, as tmux does. Moving to another session is not supported.
"""

from __future__ import annotations

from ._common import destination
from .spec import Args, CommandError, CommandResult, CommandSpec

DEFAULT_FORMAT = "#{session_name}:#{window_index}.#{pane_index}"


async def run(ctx, args: Args) -> CommandResult:
    session, window, pane = ctx.find_pane(args.get("s"))
    if args.has("t"):
        target_session, index = destination(ctx, args.get("t"))
        if target_session is not session:
            raise CommandError("breaking a pane into another session is not supported")
    else:
        index = None
    new_window = ctx.engine.break_pane(session, window, pane, index=index,
                                       name=args.get("n"), select=not args.has("d"))
    if args.has("P"):
        template = args.get("F") or DEFAULT_FORMAT
        return CommandResult(stdout=ctx.expand(template, session, new_window, pane) + "\n")
    return CommandResult()


SPEC = CommandSpec(name="break-pane", alias=("breakp",), flags="dPF:n:s:t:",
                   usage="[-dP] [-F format] [-n window-name] [-s src-pane] [-t dst-window]",
                   run=run, summary="Break a pane out into a new window")
