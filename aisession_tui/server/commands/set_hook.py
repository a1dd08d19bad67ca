"""set-hook: set (-a appends), unset (-u) or run now (-R) a hook, globally (-g), for the
target's session, window (-w) or pane (-p); ``name[N]`` sets one item. The command text is
checked when set (a parse error or an unknown command fails) and kept as tmux prints it.
Hooks are options of the store (see server/hooks.py)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from .spec import Args, CommandError, CommandResult, CommandSpec

if TYPE_CHECKING:
    from ..context import CommandContext
    from ..pane import Pane
    from ..registry import Session, Window


async def run(ctx: CommandContext, args: Args) -> CommandResult:
    from ..hooks import normalise
    from ..option_table import BY_NAME
    from ..options import parse_option_name
    from .set_option import SPEC as SET_OPTION

    argument = args.positional[0]
    parsed = parse_option_name(argument)
    option = BY_NAME.get(parsed[0]) if parsed else None
    if option is None or not option.hook:
        raise CommandError(f"invalid option: {argument}")
    if args.has("R"):
        hooks = ctx.services.hooks
        session: Session | None
        window: Window | None
        pane: Pane | None
        try:
            session, window, pane = ctx.find_pane(args.get("t"))
        except CommandError:
            session = window = pane = None
        hooks.fire(option.name, session, window, pane)
        return CommandResult()
    forwarded = Args()
    for flag in "agpuwt":
        if args.has(flag):
            forwarded.flags[flag] = args.flags[flag]
    forwarded.positional = [argument]
    if len(args.positional) > 1:
        if args.has("u"):
            raise CommandError("too many arguments")
        forwarded.positional.append(normalise(ctx, args.positional[1]))
    elif not args.has("u"):
        raise CommandError("empty value")
    return await SET_OPTION.run(ctx, forwarded)


SPEC = CommandSpec(name="set-hook", flags="agpRt:uw",
                   usage="[-agpRuw] [-t target-pane] hook [command]", min_args=1, max_args=2,
                   run=run, summary="Set, unset or run a hook")
