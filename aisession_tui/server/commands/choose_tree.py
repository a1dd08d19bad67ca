"""choose-tree: put a pane in tmux's ``tree-mode`` (:mod:`aisession_tui.server.pane_modes`):
the mode stack, ``#{pane_mode}``, the hook and ``%pane-mode-changed`` as in tmux 3.3a.

The full-screen client does not draw this mode (its own chooser is ``prefix s`` / ``w``):
``q``, Escape or ``C-c`` typed into the pane leave it; the format, filter, sort and
template flags are accepted for scripts and not used. ``-Z`` zooms the pane until the mode ends.
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
    pane_modes.enter(ctx.engine, pane, pane_modes.TREE_MODE, zoom=args.has("Z"))
    open_in_clients(ctx, pane, SPEC.name, args)
    return CommandResult()


SPEC = CommandSpec(name="choose-tree", flags="GNrswZF:f:K:O:t:",
                   usage="[-GNrswZ] [-F format] [-f filter] [-K key-format] [-O sort-order] [-t target-pane] [template]",
                   max_args=1, run=run, target=PANE, summary="Choose a session, window or pane from a tree")
