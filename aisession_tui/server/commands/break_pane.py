"""break-pane (breakp): move a pane into a new window, of its session or of another one
(prefix ``!``).

The pane keeps its PTY, its child and its screen; only its size follows the new window.
``-s`` the pane (the current one by default), ``-t`` the new window's place (``:5``,
``S:5``, or ``S:`` for the first free index from ``base-index`` in session S), ``-n`` its
name, ``-d`` leaves the current window as it is, ``-P`` prints the new pane's place
(``-F`` format), ``-a`` / ``-b`` put the window just after / at the target window, moving
the windows there up. The window's only pane moves the window itself, as tmux does: to
the first free index when no ``-t`` names one (``same index`` for its own), to another
session too (a session left without windows goes away), and ``-P`` then prints nothing.
An index taken by another window is tmux's ``index in use: N``.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from ._common import destination
from .spec import PANE, Args, CommandError, CommandResult, CommandSpec

if TYPE_CHECKING:
    from ..context import CommandContext

DEFAULT_FORMAT = "#{session_name}:#{window_index}.#{pane_index}"


async def run(ctx: CommandContext, args: Args) -> CommandResult:
    session, window, pane = ctx.source.session, ctx.source.window, ctx.source.pane
    if args.has("t"):
        target_session, index = destination(ctx, args.get("t"))
    else:
        target_session, index = session, None
    if args.has("a") or args.has("b"):  # the place after (-b: at) the target window
        anchor = target_session.windows.get(index) if index is not None else None
        if anchor is None and args.has("t") and index is None:
            anchor = ctx.find_window(args.get("t"))[1]
        anchor = anchor if anchor is not None else target_session.current
        from ..winlinks import shuffle_up  # the registry: not on the CLI's path

        index = shuffle_up(target_session, anchor.index, before=args.has("b"))
    alone = len(window.panes) == 1
    occupant = target_session.windows.get(index) if index is not None else None
    if occupant is not None:
        if alone and occupant is window:
            raise CommandError(f"same index: {index}")
        raise CommandError(f"index in use: {index}")
    if alone and index is None and target_session is session:
        # tmux links the window at the first free index (its own still taken), then
        # unlinks the old place: the window always moves
        index = session.next_free_index(ctx.engine.base_index(session))
    new_window = ctx.engine.break_pane(session, window, pane, target_session=target_session,
                                       index=index, name=args.get("n"),
                                       select=not args.has("d"))
    if args.has("P") and not alone:  # tmux prints nothing when the window itself moved
        template = args.get("F") or DEFAULT_FORMAT
        return CommandResult(stdout=ctx.expand(template, target_session, new_window, pane)
                             + "\n")
    return CommandResult()


SPEC = CommandSpec(name="break-pane", alias=("breakp",), flags="abdPF:n:s:t:",
                   usage="[-abdP] [-F format] [-n window-name] [-s src-pane] [-t dst-window]",
                   run=run, source=PANE, summary="Break a pane out into a new window")
