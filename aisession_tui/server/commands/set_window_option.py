"""set-window-option (setw): ``set-option -w``, tmux's older spelling for window options
(``setw -g mode-keys vi`` in many a tmux.conf)."""

from __future__ import annotations

from . import set_option
from .spec import Args, CommandResult, CommandSpec


async def run(ctx, args: Args) -> CommandResult:
    args.flags["w"] = True
    return await set_option.run(ctx, args)


SPEC = CommandSpec(name="set-window-option", alias=("setw",), flags="aFgoqt:u",
                   usage="[-aFgoqu] [-t target-window] option [value]", min_args=1,
                   max_args=2, run=run, summary="Set a window option")
