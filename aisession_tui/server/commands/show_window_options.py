"""show-window-options (showw): ``show-options`` of a window, tmux's older spelling."""

from __future__ import annotations

from . import show_options
from .spec import Args, CommandResult, CommandSpec


async def run(ctx, args: Args) -> CommandResult:
    return await show_options.run(ctx, args, window_command=True)


SPEC = CommandSpec(name="show-window-options", alias=("showw",), flags="gvt:",
                   usage="[-gv] [-t target-window] [option]", max_args=1, run=run,
                   summary="Show window options")
