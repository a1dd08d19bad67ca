"""list-clients (lsc): one line per client showing a session, full-screen and control-mode
alike, in tmux 3.3a's default format or ``-F``; ``-t`` keeps the clients of one session.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from ._common import lines
from .spec import Args, CommandResult, CommandSpec

if TYPE_CHECKING:
    from ..context import CommandContext

DEFAULT_FORMAT = ("#{client_name}: #{session_name} "
                  "[#{client_width}x#{client_height} #{client_termname}] "
                  "#{?#{!=:#{client_uid},#{uid}},"
                  "[user #{?client_user,#{client_user},#{client_uid},}] ,}"
                  "#{?client_flags,(,}#{client_flags}#{?client_flags,),}")


async def run(ctx: CommandContext, args: Args) -> CommandResult:
    from ..client_formats import all_clients, client_lookup  # the model: server side only
    from ..format_vars import format_lookup
    from ..formats import expand

    only = ctx.find_session(args.get("t")) if args.has("t") else None
    template = args.get("F") or DEFAULT_FORMAT
    out = []
    for client in all_clients(ctx.services):
        session = client.session
        if session is None or (only is not None and session is not only):
            continue
        lookup = client_lookup(format_lookup(ctx.services, session, None, None), client)
        out.append(expand(template, lookup))
    return CommandResult(stdout=lines(out))


SPEC = CommandSpec(name="list-clients", alias=("lsc",), flags="F:t:",
                   usage="[-F format] [-t target-session]", run=run,
                   summary="List clients")
