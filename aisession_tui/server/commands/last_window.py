"""last-window (last): select the previously current window."""

from __future__ import annotations

from typing import TYPE_CHECKING

from .spec import SESSION, Args, CommandError, CommandResult, CommandSpec

if TYPE_CHECKING:
    from ..context import CommandContext


async def run(ctx: CommandContext, args: Args) -> CommandResult:
    session = ctx.target.session
    if session.last_index is None or session.last_index not in session.windows:
        raise CommandError("no last window")
    session.select_window(session.windows[session.last_index])
    ctx.engine.registry.notify("session-window-changed", session)
    return CommandResult()


SPEC = CommandSpec(name="last-window", alias=("last",), flags="t:",
                   usage="[-t target-session]", run=run, target=SESSION,
                   summary="Select the last window")
