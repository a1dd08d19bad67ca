"""set-environment (setenv): set, remove (-r) or unset (-u) a variable of the global (-g) or
a session's environment, hidden with -h, the value a format with -F; errors worded as
tmux 3.3a's (see server/environment.py for what a new pane gets)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from .spec import Args, CommandError, CommandResult, CommandSpec

if TYPE_CHECKING:
    from ..context import CommandContext


async def run(ctx: CommandContext, args: Args) -> CommandResult:
    from ..environment import target_environment

    name = args.positional[0]
    value = args.positional[1] if len(args.positional) > 1 else None
    if not name:
        raise CommandError("empty variable name")
    if "=" in name:
        raise CommandError("variable name contains =")
    environment, session = target_environment(ctx, args)
    if value is not None and args.has("F"):
        value = _expand(ctx, args, value) if session is None else \
            ctx.expand(value, session, session.current, session.current.active)
    if args.has("u"):
        if value is not None:
            raise CommandError("can't specify a value with -u")
        environment.unset(name)
    elif args.has("r"):
        if value is not None:
            raise CommandError("can't specify a value with -r")
        environment.remove(name)
    else:
        if value is None:
            raise CommandError("no value specified")
        environment.set(name, value, hidden=args.has("h"))
    return CommandResult()


def _expand(ctx: CommandContext, args: Args, value: str) -> str:
    try:
        session, window, pane = ctx.find_pane(args.get("t"))
    except CommandError:
        return ctx.expand(value)
    return ctx.expand(value, session, window, pane)


SPEC = CommandSpec(name="set-environment", alias=("setenv",), flags="Fhgrt:u",
                   usage="[-Fhgru] [-t target-session] name [value]", min_args=1, max_args=2,
                   run=run, summary="Set or remove a variable of an environment")
