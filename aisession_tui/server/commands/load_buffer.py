"""load-buffer (loadb): read a file into a paste buffer (``-b name``, else a new
automatic one); a relative path is taken from the client's directory, and ``-`` is the
client's standard input (which the CLI streams to the server before the command). ``-w`` would also
send it to the client's clipboard: accepted, the client owns the clipboard."""

from __future__ import annotations

import os
from pathlib import Path
from typing import TYPE_CHECKING

from .spec import Args, CommandError, CommandResult, CommandSpec

if TYPE_CHECKING:
    from ..context import CommandContext


async def run(ctx: CommandContext, args: Args) -> CommandResult:
    import asyncio  # the CLI loads this module too and must not pay for asyncio

    path = args.positional[0]
    buffers = ctx.services.buffers
    if path == "-":
        if ctx.stdin is None:
            raise CommandError("no stdin to read from")
        buffers.set(args.get("b") or buffers.next_name(), ctx.stdin)
        return CommandResult()
    full = os.path.join(ctx.cwd, os.path.expanduser(path))
    try:
        data = await asyncio.to_thread(Path(full).read_bytes)  # a slow disk never stalls
    except OSError as exc:
        raise CommandError(f"{path}: {exc.strerror}") from None
    buffers.set(args.get("b") or buffers.next_name(),
                data.decode("utf-8", "surrogateescape"))
    return CommandResult()


SPEC = CommandSpec(name="load-buffer", alias=("loadb",), flags="b:t:w", min_args=1,
                   max_args=1, usage="[-w] [-b buffer-name] [-t target-client] path",
                   run=run, summary="Load a file into a paste buffer")
