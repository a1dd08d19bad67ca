"""rename-window (renamew): name a window (automatic renaming stops for it); the name is
stored escaped as tmux 3.3a's ``window_set_name`` stores it (``vis``: ``a\\b`` shows as
``a\\\\b``), unlike ``new-window -n``, which keeps it as given."""

from __future__ import annotations

from typing import TYPE_CHECKING

from ..option_effects import name_window
from ..vis import vis
from .spec import WINDOW, Args, CommandResult, CommandSpec

if TYPE_CHECKING:
    from ..context import CommandContext


async def run(ctx: CommandContext, args: Args) -> CommandResult:
    window = ctx.target.window
    window.name = vis(args.positional[0])
    name_window(ctx.engine.options, window)
    ctx.engine.registry.notify("window-renamed", window)
    return CommandResult()


SPEC = CommandSpec(name="rename-window", alias=("renamew",), flags="t:",
                   usage="[-t target-window] new-name", min_args=1, max_args=1, run=run,
                   target=WINDOW,
                   summary="Rename a window")
