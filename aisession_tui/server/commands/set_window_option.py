"""set-window-option (setw): ``set-option`` for window options, tmux's older spelling
(``setw -g mode-keys vi`` in many a tmux.conf); a user option goes to the window."""

from __future__ import annotations

from typing import TYPE_CHECKING

from . import set_option
from .spec import Args, CommandResult, CommandSpec

if TYPE_CHECKING:
    from ..context import CommandContext


async def run(ctx: CommandContext, args: Args) -> CommandResult:
    return await set_option.run(ctx, args, window_command=True)


SPEC = CommandSpec(name="set-window-option", alias=("setw",), flags="aFgoqt:uU",
                   usage="[-aFgoqUu] [-t target-window] option [value]", min_args=1,
                   max_args=2, run=run, summary="Set a window option")
