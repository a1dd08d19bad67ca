"""last-pane (lastp): select the previously active pane of a window."""

from __future__ import annotations

from typing import TYPE_CHECKING

from .spec import WINDOW, Args, CommandError, CommandResult, CommandSpec

if TYPE_CHECKING:
    from ..context import CommandContext


async def run(ctx: CommandContext, args: Args) -> CommandResult:
    window = ctx.target.window
    if window.last_pane is None or window.last_pane not in window.panes:
        raise CommandError("no last pane")
    window.select_pane(window.panes[window.last_pane])
    ctx.engine.registry.notify("layout", window)
    return CommandResult()


SPEC = CommandSpec(name="last-pane", alias=("lastp",), flags="deZt:",
                   usage="[-deZ] [-t target-window]", run=run, target=WINDOW,
                   summary="Select the last active pane")
