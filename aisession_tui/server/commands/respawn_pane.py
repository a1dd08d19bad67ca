"""respawn-pane (respawnp): start a new child in a pane; ``-k`` kills a live one first."""

from __future__ import annotations

from typing import TYPE_CHECKING

from ._common import env_flags, start_command
from .spec import PANE, Args, CommandError, CommandResult, CommandSpec

if TYPE_CHECKING:
    from ..context import CommandContext


async def run(ctx: CommandContext, args: Args) -> CommandResult:
    session, window, pane = ctx.target.session, ctx.target.window, ctx.target.pane
    if not pane.dead and not args.has("k"):  # tmux's words
        raise CommandError(f"respawn pane failed: pane {session.name}:{window.index}."
                           f"{window.pane_index(pane)} still active")
    ctx.engine.respawn_pane(session, window, pane, kill=args.has("k"),
                            cwd=args.get("c") or None, env=env_flags(args),
                            command=start_command(args))
    return CommandResult()


SPEC = CommandSpec(name="respawn-pane", alias=("respawnp",), flags="kc:e:t:", repeatable="e",
                   usage="[-k] [-c start-directory] [-e environment] [-t target-pane] "
                         "[shell-command]",
                   max_args=None, run=run, target=PANE, summary="Restart a pane's child")
