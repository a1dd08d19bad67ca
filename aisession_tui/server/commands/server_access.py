"""server-access: the server's access list (:mod:`aisession_tui.server.access`), with tmux
3.3a's flags and errors. ``-l`` lists (and does nothing else); otherwise the user argument
(a format) names a user: ``-a`` adds (``user X is already added``), ``-d`` removes and ends
their connections (``user X not found``), ``-r``/``-w`` make them read-only / read-write,
adding them first when they are not on the list. ``-a -d`` and ``-r -w`` are refused, and
so is the server's own user or root (``X owns the server, can't change access``)."""

from __future__ import annotations

import pwd
from typing import TYPE_CHECKING

from .spec import Args, CommandError, CommandResult, CommandSpec

if TYPE_CHECKING:
    from ..context import CommandContext


async def run(ctx: CommandContext, args: Args) -> CommandResult:
    access = ctx.services.access
    if args.has("l"):
        lines = access.listing()
        return CommandResult(stdout="".join(f"{line}\n" for line in lines))
    if not args.positional:
        raise CommandError("missing user argument")
    name = ctx.expand(args.positional[0])
    try:
        user = pwd.getpwnam(name) if name else None
    except KeyError:
        user = None
    if user is None:
        raise CommandError(f"unknown user: {name}")
    uid = user.pw_uid
    if access.owns(uid):
        raise CommandError(f"{user.pw_name} owns the server, can't change access")
    if args.has("a") and args.has("d"):
        raise CommandError("-a and -d cannot be used together")
    if args.has("w") and args.has("r"):
        raise CommandError("-r and -w cannot be used together")
    if args.has("d"):
        if uid not in access.users:
            raise CommandError(f"user {user.pw_name} not found")
        access.deny(uid)
        return CommandResult()
    if args.has("a") and uid in access.users:
        raise CommandError(f"user {user.pw_name} is already added")
    if args.has("r") or args.has("w"):
        access.allow(uid, read_only=args.has("r"))
    elif args.has("a"):
        access.allow(uid)
    return CommandResult()


SPEC = CommandSpec(name="server-access", flags="adlrwt:", max_args=1,
                   usage="[-adlrw] [-t target-pane] [user]", run=run,
                   summary="Manage who may use the server")
