"""link-window (linkw): give a window a further place in a session (winlinks.py).

``-s`` the window (the current one by default), ``-t`` the place (``S:3``, ``:3``, ``3``,
or ``S:`` / ``S`` for the first free index from ``base-index``). The window is the same in
every place: panes, layout and name are shared. ``-k`` first unlinks a different window
at that index (destroying it if that was its last place); ``-a`` / ``-b`` put the place
just after / before ``-t``'s window, shifting later windows up by one; ``-d`` leaves the
session's current window as it is. Errors as tmux's: ``same index: N`` when the window is
already there, ``index in use: N`` without ``-k``.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from ._common import destination
from .spec import Args, CommandResult, CommandSpec

if TYPE_CHECKING:
    from ..context import CommandContext


async def run(ctx: CommandContext, args: Args) -> CommandResult:
    from ..winlinks import link_window, shuffle_up  # the registry: not on the CLI's path

    _, window = ctx.find_window(args.get("s"))
    target_session, index = destination(ctx, args.get("t"))
    if args.has("a") or args.has("b"):
        anchor = target_session.windows.get(index) if index is not None else None
        if anchor is None:
            anchor = target_session.current
        index = shuffle_up(target_session, anchor.index, before=args.has("b"))
    link_window(ctx.engine, window, target_session, index, kill=args.has("k"),
                select=not args.has("d"))
    return CommandResult()


SPEC = CommandSpec(name="link-window", alias=("linkw",), flags="abdks:t:",
                   usage="[-abdk] [-s src-window] [-t dst-window]", run=run,
                   summary="Link a window into a session")
