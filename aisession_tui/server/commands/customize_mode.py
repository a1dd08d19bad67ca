"""customize-mode: put a pane in tmux's ``options-mode`` (:mod:`aisession_tui.server.pane_modes`)
as in tmux 3.3a. The full-screen client does not draw this mode (options are set with
``set-option`` and the config): ``q``, Escape or ``C-c`` leave it; ``-F``/``-f`` are
accepted and not used; ``-Z`` zooms the pane until the mode ends.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from .spec import PANE, Args, CommandResult, CommandSpec

if TYPE_CHECKING:
    from ..context import CommandContext


async def run(ctx: CommandContext, args: Args) -> CommandResult:
    from .. import pane_modes

    pane = ctx.target.pane
    pane_modes.enter(ctx.engine, pane, pane_modes.OPTIONS_MODE, zoom=args.has("Z"))
    return CommandResult()


SPEC = CommandSpec(name="customize-mode", flags="NZF:f:t:",
                   usage="[-NZ] [-F format] [-f filter] [-t target-pane]",
                   max_args=0, run=run, target=PANE, summary="Customize options and key bindings")
