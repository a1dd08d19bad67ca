"""clear-history (clearhist): drop a pane's scrollback (what scrolled off the screen);
the visible screen stays. ``-H`` also forgets the pane's hyperlinks (none are kept)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from .spec import PANE, Args, CommandResult, CommandSpec

if TYPE_CHECKING:
    from ..context import CommandContext


async def run(ctx: CommandContext, args: Args) -> CommandResult:
    pane = ctx.target.pane
    pane.emulator.clear_history()
    return CommandResult()


SPEC = CommandSpec(name="clear-history", alias=("clearhist",), flags="Ht:",
                   usage="[-H] [-t target-pane]", run=run, target=PANE,
                   summary="Remove a pane's history")
