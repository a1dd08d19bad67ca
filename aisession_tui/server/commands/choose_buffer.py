"""choose-buffer: put a pane in tmux's ``buffer-mode`` (:mod:`aisession_tui.server.pane_modes`);
with no paste buffers nothing happens, as in tmux 3.3a. The full-screen client does not draw
this mode (its own chooser is ``prefix =``): ``q``, Escape or ``C-c`` leave it; the
format, filter, sort and template flags are accepted and not used; ``-Z`` zooms the pane until the mode ends.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from .spec import PANE, Args, CommandResult, CommandSpec

if TYPE_CHECKING:
    from ..context import CommandContext


async def run(ctx: CommandContext, args: Args) -> CommandResult:
    from .. import pane_modes
    from ..mode_clients import open_in_clients

    pane = ctx.target.pane
    if ctx.services.buffers.newest_name() is None:
        return CommandResult()
    pane_modes.enter(ctx.engine, pane, pane_modes.BUFFER_MODE, zoom=args.has("Z"))
    open_in_clients(ctx, pane, SPEC.name, args)
    return CommandResult()


SPEC = CommandSpec(name="choose-buffer", flags="NrZF:f:K:O:t:",
                   usage="[-NrZ] [-F format] [-f filter] [-K key-format] [-O sort-order] [-t target-pane] [template]",
                   max_args=1, run=run, target=PANE, summary="Choose a paste buffer from a list")
