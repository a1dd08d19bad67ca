"""unlink-window (unlinkw): remove one place of a window linked into several sessions.

Without ``-k`` the window must have another place (``window only linked to one
session`` otherwise, as tmux says); with ``-k`` a window left with no place is destroyed.
A session left with no window goes away, as in tmux. See winlinks.py.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from .spec import WINDOW, Args, CommandResult, CommandSpec

if TYPE_CHECKING:
    from ..context import CommandContext


async def run(ctx: CommandContext, args: Args) -> CommandResult:
    from ..winlinks import unlink_window  # the registry: not on the CLI's path

    unlink_window(ctx.engine, ctx.target.session, ctx.target.window, kill=args.has("k"))
    return CommandResult()


SPEC = CommandSpec(name="unlink-window", alias=("unlinkw",), flags="kt:",
                   usage="[-k] [-t target-window]", run=run, target=WINDOW,
                   summary="Unlink a window from a session")
