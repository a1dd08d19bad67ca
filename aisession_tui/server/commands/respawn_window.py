"""respawn-window (respawnw): start a new child in a window, which is left with one pane.

Without ``-k`` a window with a live pane is refused (tmux's ``respawn window failed: window S:I still active``); with it
every pane is killed, the first keeps the window (the others go, the layout becomes that
one pane) and its new child runs ``shell-command``, else the pane's start command, else
the default shell, in ``-c`` start-directory with ``-e`` variables.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from ._common import env_flags, start_command
from .spec import WINDOW, Args, CommandError, CommandResult, CommandSpec

if TYPE_CHECKING:
    from ..context import CommandContext


async def run(ctx: CommandContext, args: Args) -> CommandResult:
    session, window = ctx.target.session, ctx.target.window
    panes = window.ordered_panes()
    if not args.has("k") and any(not pane.dead for pane in panes):
        raise CommandError(f"respawn window failed: window {session.name}:{window.index} "
                           "still active")
    keep = panes[0]
    for pane in panes[1:]:
        ctx.engine.kill_pane(session, window, pane)
    ctx.engine.respawn_pane(session, window, keep, kill=True, cwd=args.get("c") or None,
                            env=env_flags(args), command=start_command(args))
    return CommandResult()


SPEC = CommandSpec(name="respawn-window", alias=("respawnw",), flags="kc:e:t:",
                   repeatable="e",
                   usage="[-k] [-c start-directory] [-e environment] [-t target-window] "
                         "[shell-command]",
                   max_args=None, run=run, target=WINDOW, summary="Restart a window's child")
