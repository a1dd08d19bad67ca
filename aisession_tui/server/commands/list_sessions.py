"""list-sessions (ls): one line per session, tmux's default format or ``-F``.

The default line is ``NAME: N windows (created DATE)`` plus `` (group NAME)`` and
`` (attached)``, which tools
parse with regular expressions, so it matches tmux to the character.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from ._common import lines, truthy
from .spec import Args, CommandResult, CommandSpec

if TYPE_CHECKING:
    from ..context import CommandContext

DEFAULT_FORMAT = ("#{session_name}: #{session_windows} windows "
                  "(created #{t:session_created})#{?session_grouped, (group ,}"
                  "#{session_group}#{?session_grouped,),}#{?session_attached, (attached),}")


async def run(ctx: CommandContext, args: Args) -> CommandResult:
    template = args.get("F") or DEFAULT_FORMAT
    out = []
    for session in ctx.engine.registry.ordered_sessions():
        if args.has("f") and not truthy(ctx.expand(args.get("f"), session)):
            continue
        out.append(ctx.expand(template, session))
    return CommandResult(stdout=lines(out))


SPEC = CommandSpec(name="list-sessions", alias=("ls",), flags="F:f:",
                   usage="[-F format] [-f filter]", run=run, summary="List sessions")
