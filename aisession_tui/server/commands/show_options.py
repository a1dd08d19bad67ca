"""show-options (show): print options as tmux 3.3a prints them.

Without a name, the whole table chosen by the flags (``-s`` server, ``-g`` global, ``-w``
window, ``-p`` pane, else the session of ``-t``): user options first, then tmux's options in
tmux's order; a session, window or pane shows only what it sets itself unless ``-A`` adds
what it inherits (marked ``name*``); hooks only with ``-H``. String values are quoted and
escaped as tmux does (``status-left "[#{session_name}] "``), an array prints one line per
item (``status-format[0] ...``) and an empty array its name alone. ``-v`` prints values
only; ``-q`` keeps quiet about unknown options.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from ..options import ShownOption, escape_value, resolve_option
from ._common import lines
from .set_option import expand_for_target, table_chain
from .spec import Args, CommandError, CommandResult, CommandSpec

if TYPE_CHECKING:
    from ..context import CommandContext


def _line(shown: ShownOption, values_only: bool) -> str | None:
    if shown.bare:
        return None if values_only else shown.name + ("*" if shown.inherited else "")
    value = escape_value(shown.value) if shown.is_string and not values_only else shown.value
    if values_only:
        return value
    return f"{shown.name}{'*' if shown.inherited else ''} {value}"


async def run(ctx: CommandContext, args: Args, window_command: bool = False) -> CommandResult:
    options = ctx.engine.options
    values_only = args.has("v")
    try:
        if not args.positional:
            chain = table_chain(ctx, args, None, window_command)
            shown = list(options.shown(chain, inherit=args.has("A"), hooks=args.has("H")))
        else:
            argument = args.positional[0]
            if "#" in argument:
                argument = expand_for_target(ctx, args, argument)
            name, index = resolve_option(argument)
            chain = table_chain(ctx, args, name, window_command)
            shown = list(options.shown(chain, name, index, inherit=args.has("A")))
            if not shown and name.startswith("@"):
                raise CommandError(f"invalid option: {argument}")
    except CommandError:
        if args.has("q"):
            return CommandResult()
        raise
    printed = [line for line in (_line(item, values_only) for item in shown) if line is not None]
    return CommandResult(stdout=lines(printed))


SPEC = CommandSpec(name="show-options", alias=("show",), flags="AgHpqsvwt:",
                   usage="[-AgHpqsvw] [-t target-pane] [option]", max_args=1, run=run,
                   summary="Show options")
