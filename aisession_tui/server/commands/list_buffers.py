"""list-buffers (lsb): the paste buffers, newest first, as tmux prints them
(``buffer0: 5 bytes: "hello"``) or with ``-F`` (``#{buffer_name}``, ``#{buffer_size}``,
``#{buffer_sample}`` plus every usual variable)."""

from __future__ import annotations

from ._common import lines
from .spec import Args, CommandResult, CommandSpec

DEFAULT_FORMAT = '#{buffer_name}: #{buffer_size} bytes: "#{buffer_sample}"'


async def run(ctx, args: Args) -> CommandResult:
    from ..format_vars import buffer_sample, format_lookup
    from ..formats import expand

    template = args.get("F") or DEFAULT_FORMAT
    base = format_lookup(ctx.server, None, None, None)
    out = []
    for name, text in ctx.engine.buffers:
        values = {"buffer_name": name, "buffer_size": str(len(text.encode("utf-8"))),
                  "buffer_sample": buffer_sample(text)}
        out.append(expand(template, lambda key, v=values: v.get(key, base(key))))
    return CommandResult(stdout=lines(out))


SPEC = CommandSpec(name="list-buffers", alias=("lsb",), flags="F:f:",
                   usage="[-F format] [-f filter]", run=run, summary="List paste buffers")
