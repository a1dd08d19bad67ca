"""show-options (show): print options as ``name value`` (``-v``: values only).

The table is chosen as ``set-option`` chooses it (``-g`` global, else the window or session
of ``-t`` or the current one); a window or session shows only the values it sets itself
unless ``-A`` adds what it inherits, as in tmux."""

from __future__ import annotations

from ._common import lines
from .set_option import option_scope
from .spec import Args, CommandError, CommandResult, CommandSpec


def _quote(value: str) -> str:
    return f'"{value}"' if (not value or " " in value) else value


async def run(ctx, args: Args) -> CommandResult:
    options = ctx.engine.options
    scope = option_scope(ctx, args)
    if args.positional:
        name = args.positional[0]
        if not name.startswith("@"):
            try:
                options.check(name)
            except CommandError:
                if args.has("q"):
                    return CommandResult()
                raise
        if scope is not None and not args.has("A") and not options.is_set(name, scope):
            return CommandResult()  # tmux: a window or session shows only its own values
        value = options.get(name, scope)
        if name.startswith("@") and not value:
            return CommandResult()
        return CommandResult(stdout=lines([value if args.has("v") else
                                           f"{name} {_quote(value)}"]))
    items = options.items(scope)
    return CommandResult(stdout=lines([value if args.has("v") else f"{name} {_quote(value)}"
                                       for name, value in items]))


SPEC = CommandSpec(name="show-options", alias=("show",), flags="AgHpqsvwt:",
                   usage="[-AgHpqsvw] [-t target-pane] [option]", max_args=1, run=run,
                   summary="Show options")
