"""kill-session: kill a session (``-a``: every other session instead)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from .spec import SESSION, Args, CommandResult, CommandSpec

if TYPE_CHECKING:
    from ..context import CommandContext


async def run(ctx: CommandContext, args: Args) -> CommandResult:
    session = ctx.target.session
    engine = ctx.engine
    if args.has("a"):
        for other in list(engine.registry.sessions.values()):
            if other is not session:
                engine.kill_session(other)
    else:
        engine.kill_session(session)
    return CommandResult()


SPEC = CommandSpec(name="kill-session", flags="aCt:", usage="[-aC] [-t target-session]",
                   run=run, target=SESSION, summary="Kill a session")
