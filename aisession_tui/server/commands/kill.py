"""kill NAME (seed verb): kill a session by name; ``--json`` reports what was killed."""

from __future__ import annotations

from typing import TYPE_CHECKING

from ._common import json_result
from .spec import Args, CommandResult, CommandSpec

if TYPE_CHECKING:
    from ..context import CommandContext


async def run(ctx: CommandContext, args: Args) -> CommandResult:
    session = ctx.find_session(args.positional[0])
    name = session.name
    ctx.engine.kill_session(session)
    if args.has("json"):
        return json_result({"killed": name})
    return CommandResult(stdout=f"🗑️  Killed session: {name}\n")


SPEC = CommandSpec(name="kill", usage="NAME [--json]", long_options={"json": False},
                   min_args=1, max_args=1, intermixed=True, run=run,
                   summary="Kill a session (seed verb)")
