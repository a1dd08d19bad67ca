"""show-hooks: the hooks of the global session table (-g), the target's session, window
(-w) or pane (-p), or one hook by name, printed as tmux 3.3a prints them (one line per
item, ``name[N] commands``; a global hook with no command as its name alone)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from ._common import lines
from .spec import Args, CommandError, CommandResult, CommandSpec

if TYPE_CHECKING:
    from ..context import CommandContext


async def run(ctx: CommandContext, args: Args) -> CommandResult:
    from ..option_table import BY_NAME, OPTIONS_TABLE
    from ..options import ShownOption, parse_option_name, table_scope
    from .set_option import table_chain
    from .show_options import _line

    options = ctx.engine.options
    if args.positional:
        argument = args.positional[0]
        parsed = parse_option_name(argument)
        option = BY_NAME.get(parsed[0]) if parsed else None
        if parsed is None or option is None or not option.hook:
            raise CommandError(f"invalid option: {argument}")
        name, index = parsed
        chain = table_chain(ctx, args, name, args.has("w"))  # the hook's scope decides
        shown = list(options.shown(chain, name, index, hooks=True))
        present = chain[0] in ("session", "window") or name in options.table(chain[0])
        if not shown and index is not None and present:
            # tmux prints an item the array lacks as its name and an empty value
            return CommandResult(stdout=f"{name}[{index}] \n")
    else:
        chain = table_chain(ctx, args, None, args.has("w"))
        shown = []
        for option in OPTIONS_TABLE:
            if option.hook and option.scope & table_scope(chain[0]):
                items = list(options.shown(chain, option.name, hooks=True))
                if not items and chain[0] in ("session", "window"):  # a global table
                    items = [ShownOption(option.name, "", False, False, bare=True)]
                shown.extend(items)
    printed = [line for line in (_line(item, False) for item in shown) if line is not None]
    return CommandResult(stdout=lines(printed))


SPEC = CommandSpec(name="show-hooks", flags="gpt:w", usage="[-gpw] [-t target-pane] [hook]",
                   max_args=1, run=run, summary="Show hooks")
