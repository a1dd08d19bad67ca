"""send-prefix: send the ``prefix`` key (``-2``: ``prefix2``) to a pane as if typed, as
tmux 3.3a does; a prefix of ``None`` sends nothing."""

from __future__ import annotations

from typing import TYPE_CHECKING

from .spec import Args, CommandResult, CommandSpec

if TYPE_CHECKING:
    from ..context import CommandContext


async def run(ctx: CommandContext, args: Args) -> CommandResult:
    from ..context import with_targets
    from . import send_keys
    from .spec import parse_args

    key = ctx.services.engine.options.get("prefix2" if args.has("2") else "prefix")
    if not key or key == "None":
        return CommandResult()
    argv = ["-t", args.get("t")] if args.has("t") else []
    keys = parse_args(send_keys.SPEC, [*argv, key])
    return await send_keys.SPEC.run(with_targets(ctx, send_keys.SPEC, keys), keys)


SPEC = CommandSpec(name="send-prefix", flags="2t:", usage="[-2] [-t target-pane]", run=run,
                   summary="Send the prefix key to a pane")
