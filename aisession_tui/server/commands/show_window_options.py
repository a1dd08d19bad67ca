"""show-window-options (showw): ``show-options`` of a window, tmux's older spelling."""

from __future__ import annotations

from typing import TYPE_CHECKING

from . import show_options
from .spec import Args, CommandResult, CommandSpec

if TYPE_CHECKING:
    from ..context import CommandContext


async def run(ctx: CommandContext, args: Args) -> CommandResult:
    return await show_options.run(ctx, args, window_command=True)


SPEC = CommandSpec(name="show-window-options", alias=("showw",), flags="gvt:",
                   usage="[-gv] [-t target-window] [option]", max_args=1, run=run,
                   summary="Show window options")
