"""move-window (movew): give a window another index, in its session or in another one
(prefix ``.``).

``-s`` the window (the current one by default), ``-t`` the place (``:3``, ``3``, ``S:3``,
or ``S:`` for the first free index from ``base-index`` in session S), ``-k`` kills a
window already at that index, ``-d`` keeps the current window as it is (moving selects
the moved window otherwise, as tmux does). A window moved to another session keeps its
id, panes and children; the session it left picks another current window, and goes away
when that was its last one. Its panes' children keep the ``AI_SESSION`` environment of
the session they started in, as tmux keeps ``TMUX``. ``-r`` renumbers the session's
windows from ``base-index`` instead (also done after every close when the session option
``renumber-windows`` is on). ``-a`` / ``-b`` put the window just after / before ``-t``'s
window, shifting the windows from that index up by one, as tmux does.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from ._common import destination
from .spec import Args, CommandError, CommandResult, CommandSpec

if TYPE_CHECKING:
    from ..context import CommandContext


async def run(ctx: CommandContext, args: Args) -> CommandResult:
    engine = ctx.engine
    if args.has("r"):
        engine.renumber_windows(ctx.find_session(args.get("t")))
        return CommandResult()
    session, window = ctx.find_window(args.get("s"))
    index: int | None
    if args.has("a") or args.has("b"):
        from .new_window import _shift_from

        target_session, target = ctx.find_window(args.get("t"))
        index = target.index + (0 if args.has("b") else 1)
        if target_session.windows.get(index) not in (None, window):
            _shift_from(target_session, index)
    else:
        target_session, index = destination(ctx, args.get("t"))
    if index is None:
        index = target_session.next_free_index(engine.base_index(target_session))
    occupant = target_session.windows.get(index)
    if occupant is window:
        occupant = None
    if occupant is not None and not args.has("k"):
        raise CommandError(f"index in use: {index}")
    if target_session is not session:
        # In first, then the occupant goes: a session whose only window is replaced
        # lives on, as in tmux.
        landing = index if occupant is None else target_session.next_free_index(index)
        engine.move_window_to_session(session, window, target_session, landing,
                                      select=not args.has("d"))
        if occupant is not None:
            engine.kill_window(target_session, occupant)
            engine.move_window(target_session, window, index)
        return CommandResult()
    if occupant is not None:
        engine.kill_window(target_session, occupant)
    engine.move_window(session, window, index)
    if not args.has("d"):
        session.select_window(window)
        engine.registry.notify("session-window-changed", session)
    return CommandResult()


SPEC = CommandSpec(name="move-window", alias=("movew",), flags="abdkrs:t:",
                   usage="[-abdkr] [-s src-window] [-t dst-window]", run=run,
                   summary="Move a window to another index or session")
