"""clock-mode: put a pane in clock mode (:mod:`aisession_tui.server.pane_modes`): the mode
stack, ``#{pane_mode}`` ``clock-mode``, the hook and ``%pane-mode-changed``; any key a
client types into the pane leaves it."""

from __future__ import annotations

from typing import TYPE_CHECKING

from .spec import PANE, Args, CommandResult, CommandSpec

if TYPE_CHECKING:
    from ..context import CommandContext


async def run(ctx: CommandContext, args: Args) -> CommandResult:
    from .. import pane_modes

    pane = ctx.target.pane
    pane_modes.enter(ctx.engine, pane, pane_modes.CLOCK_MODE)
    return CommandResult()


SPEC = CommandSpec(name="clock-mode", flags="t:", usage="[-t target-pane]", run=run, target=PANE,
                   summary="Enter clock mode")
