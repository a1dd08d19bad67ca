"""swap-window (swapw): exchange the indexes of two windows of a session.

``-s`` the source window (the current one by default), ``-t`` the target; without ``-d``
the source window, now at the target's index, becomes current, as in tmux. Windows of
different sessions are not swapped (ai-session does not link windows into two sessions).
"""

from __future__ import annotations

from .spec import Args, CommandError, CommandResult, CommandSpec


async def run(ctx, args: Args) -> CommandResult:
    source_session, source = ctx.find_window(args.get("s"))
    target_session, target = ctx.find_window(args.get("t"))
    if source_session is not target_session:
        raise CommandError("swapping windows between sessions is not supported")
    ctx.engine.swap_windows(source_session, source, target, select=not args.has("d"))
    return CommandResult()


SPEC = CommandSpec(name="swap-window", alias=("swapw",), flags="ds:t:",
                   usage="[-d] [-s src-window] [-t dst-window]", run=run,
                   summary="Swap two windows")
