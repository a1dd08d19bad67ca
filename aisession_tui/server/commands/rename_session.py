"""rename-session (rename): give a session a new, unique name."""

from __future__ import annotations

from typing import TYPE_CHECKING

from .spec import SESSION, Args, CommandError, CommandResult, CommandSpec

if TYPE_CHECKING:
    from ..context import CommandContext


async def run(ctx: CommandContext, args: Args) -> CommandResult:
    session = ctx.target.session
    from ..engine import sanitize_session_name

    name = sanitize_session_name(args.positional[0])
    if not name:
        raise CommandError("invalid session name")
    other = ctx.engine.registry.session_by_name(name)
    if other is not None and other is not session:
        raise CommandError(f"duplicate session: {name}")
    session.name = name
    ctx.engine.registry.notify("session-renamed", session)
    return CommandResult()


SPEC = CommandSpec(name="rename-session", alias=("rename",), flags="t:",
                   usage="[-t target-session] new-name", min_args=1, max_args=1, run=run,
                   target=SESSION,
                   summary="Rename a session")
