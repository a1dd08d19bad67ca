"""find-window: search windows by name, title or content: as tmux 3.3a, it puts the pane in
``tree-mode`` filtered on the match (:mod:`aisession_tui.server.pane_modes`). The
full-screen client does not draw this mode (``prefix f`` there opens its own search):
``q``, Escape or ``C-c`` leave it; ``-C -N -T -i -r`` shape the filter the mode would
show, and ``-Z`` zooms the pane until the mode ends.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from .spec import PANE, Args, CommandResult, CommandSpec

if TYPE_CHECKING:
    from ..context import CommandContext


async def run(ctx: CommandContext, args: Args) -> CommandResult:
    from .. import pane_modes

    pane = ctx.target.pane
    pane_modes.enter(ctx.engine, pane, pane_modes.TREE_MODE, zoom=args.has("Z"))
    return CommandResult()


SPEC = CommandSpec(name="find-window", alias=("findw",), flags="CiNrTZt:",
                   usage="[-CiNrTZ] [-t target-pane] match-string",
                   min_args=1, max_args=1, run=run, target=PANE, summary="Search for a window by content, name or title")
