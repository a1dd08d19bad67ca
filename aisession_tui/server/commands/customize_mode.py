"""customize-mode: put a pane in tmux's ``options-mode`` (:mod:`aisession_tui.server.pane_modes`)
as in tmux 3.3a and have the full-screen clients showing it draw the options and key
bindings tree (:mod:`aisession_tui.server.mode_clients`, the client's
:mod:`aisession_tui.client.customize`); ``-F`` / ``-f`` format and filter its lines, ``-N``
leaves the preview out, ``-Z`` zooms the pane until the mode ends.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from .spec import PANE, Args, CommandResult, CommandSpec

if TYPE_CHECKING:
    from ..context import CommandContext


async def run(ctx: CommandContext, args: Args) -> CommandResult:
    from .. import pane_modes

    pane = ctx.target.pane
    from ..mode_clients import open_in_clients

    pane_modes.enter(ctx.engine, pane, pane_modes.OPTIONS_MODE, zoom=args.has("Z"))
    open_in_clients(ctx, pane, SPEC.name, args)
    return CommandResult()


SPEC = CommandSpec(name="customize-mode", flags="NZF:f:t:",
                   usage="[-NZ] [-F format] [-f filter] [-t target-pane]",
                   max_args=0, run=run, target=PANE, summary="Customize options and key bindings")
