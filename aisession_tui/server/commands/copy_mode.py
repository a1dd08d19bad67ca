"""copy-mode: put a pane in copy mode (:mod:`aisession_tui.server.pane_modes`).

The pane's mode stack gets ``copy-mode`` on top (``#{pane_in_mode}``, ``#{pane_mode}``,
the ``pane-mode-changed`` hook, ``%pane-mode-changed``); a full-screen client showing the
pane opens its copy-mode view on it. ``-q`` leaves every mode instead. ``-u`` (a page up),
``-e`` (leave at the bottom), ``-M`` (mouse drag), ``-H`` (hide the position) and ``-s``
(another pane's history; it must exist) are for that view: the server keeps no cursor.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from .spec import PANE, Args, CommandResult, CommandSpec

if TYPE_CHECKING:
    from ..context import CommandContext


async def run(ctx: CommandContext, args: Args) -> CommandResult:
    from .. import pane_modes

    pane = ctx.target.pane
    if args.has("s"):
        ctx.find_pane(args.get("s"))
    if args.has("q"):
        pane_modes.leave_all(ctx.engine, pane)
        return CommandResult()
    pane_modes.enter(ctx.engine, pane, pane_modes.COPY_MODE)
    return CommandResult()


SPEC = CommandSpec(name="copy-mode", flags="eHMuqs:t:",
                   usage="[-eHMuq] [-s src-pane] [-t target-pane]", run=run, target=PANE,
                   summary="Enter copy mode")
