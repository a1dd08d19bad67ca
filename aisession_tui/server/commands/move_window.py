"""move-window (movew): give a window another index in its session (prefix ``.``).

``-s`` the window (the current one by default), ``-t`` the index (``:3``, ``3``, or
``S:3``; the first free one from ``base-index`` when only a session is named), ``-k``
kills a window already at that index, ``-d`` keeps the current window as it is (moving
selects the moved window otherwise, as tmux does). ``-r`` renumbers the session's
windows from ``base-index`` instead (also done after every close when the session option
``renumber-windows`` is on). Moving to another session is not supported.
"""

from __future__ import annotations

from ._common import destination
from .spec import Args, CommandError, CommandResult, CommandSpec


async def run(ctx, args: Args) -> CommandResult:
    engine = ctx.engine
    if args.has("r"):
        engine.renumber_windows(ctx.find_session(args.get("t")))
        return CommandResult()
    session, window = ctx.find_window(args.get("s"))
    target_session, index = destination(ctx, args.get("t"))
    if target_session is not session:
        raise CommandError("moving windows between sessions is not supported")
    if index is None:
        index = session.next_free_index(engine.options.number("base-index"))
    occupant = session.windows.get(index)
    if occupant is not None and occupant is not window:
        if not args.has("k"):
            raise CommandError(f"index in use: {index}")
        engine.kill_window(session, occupant)
    engine.move_window(session, window, index)
    if not args.has("d"):
        session.select_window(window)
        engine.registry.notify("session-window-changed", session)
    return CommandResult()


SPEC = CommandSpec(name="move-window", alias=("movew",), flags="abdkrs:t:",
                   usage="[-abdkr] [-s src-window] [-t dst-window]", run=run,
                   summary="Move a window to another index")
