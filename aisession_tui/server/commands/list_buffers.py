"""list-buffers (lsb): the paste buffers, newest first, as tmux prints them
(``buffer0: 5 bytes: "hello"``) or with ``-F`` (``#{buffer_name}``, ``#{buffer_size}``,
``#{buffer_sample}``, ``#{buffer_created}`` plus every usual variable); ``-f`` keeps the buffers whose filter
expands true."""

from __future__ import annotations

from typing import TYPE_CHECKING

from ._common import lines, truthy
from .spec import Args, CommandResult, CommandSpec

if TYPE_CHECKING:
    from ..context import CommandContext

DEFAULT_FORMAT = '#{buffer_name}: #{buffer_size} bytes: "#{buffer_sample}"'


async def run(ctx: CommandContext, args: Args) -> CommandResult:
    from ..format_vars import buffer_sample, format_lookup
    from ..formats import expand

    template = args.get("F") or DEFAULT_FORMAT
    base = format_lookup(ctx.services, None, None, None)
    out = []
    for name, text in ctx.services.buffers.items:
        values = {"buffer_name": name, "buffer_size": str(len(text.encode("utf-8"))),
                  "buffer_sample": buffer_sample(text),
                  "buffer_created": str(int(ctx.services.buffers.created.get(name, 0)))}
        lookup = lambda key, v=values: v.get(key, base(key))
        if args.has("f") and not truthy(expand(args.get("f"), lookup)):
            continue
        out.append(expand(template, lookup))
    return CommandResult(stdout=lines(out))


SPEC = CommandSpec(name="list-buffers", alias=("lsb",), flags="F:f:",
                   usage="[-F format] [-f filter]", run=run, summary="List paste buffers")
