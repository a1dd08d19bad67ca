"""save-buffer (saveb): write a paste buffer to a file (``-a`` appends); a relative path
is taken from the client's directory and ``-`` is the client's stdout, as in tmux."""

from __future__ import annotations

import os
from typing import TYPE_CHECKING

from .spec import Args, CommandError, CommandResult, CommandSpec

if TYPE_CHECKING:
    from ..context import CommandContext


def _write(path: str, data: bytes, append: bool) -> None:
    with open(path, "ab" if append else "wb") as handle:
        handle.write(data)


async def run(ctx: CommandContext, args: Args) -> CommandResult:
    import asyncio  # the CLI loads this module too and must not pay for asyncio

    name = args.get("b")
    try:
        text = ctx.services.buffers.get(name)
    except CommandError:
        raise CommandError(f"no buffer {name}" if name else "no buffers") from None
    path = args.positional[0]
    if path == "-":
        return CommandResult(stdout=text)
    full = os.path.join(ctx.cwd, os.path.expanduser(path))
    try:
        await asyncio.to_thread(_write, full, text.encode("utf-8", "surrogateescape"),
                                args.has("a"))
    except OSError as exc:
        raise CommandError(f"{path}: {exc.strerror}") from None
    return CommandResult()


SPEC = CommandSpec(name="save-buffer", alias=("saveb",), flags="ab:", min_args=1, max_args=1,
                   usage="[-a] [-b buffer-name] path", run=run,
                   summary="Save a paste buffer to a file")
