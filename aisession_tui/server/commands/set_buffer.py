"""set-buffer (setb): store text in a paste buffer (``-b name``, ``-a`` appends, ``-n``
renames). Copy mode in the client saves its selection with this command."""

from __future__ import annotations

from typing import TYPE_CHECKING

from .spec import Args, CommandError, CommandResult, CommandSpec

if TYPE_CHECKING:
    from ..context import CommandContext


async def run(ctx: CommandContext, args: Args) -> CommandResult:
    buffers = ctx.services.buffers
    name = args.get("b")
    if args.has("n"):  # tmux's paste_rename and its words
        new_name = str(args.get("n"))
        if name is None:
            name = buffers.newest_name()
            if name is None:
                raise CommandError("no buffer")
        elif not buffers.exists(name):
            raise CommandError(f"unknown buffer: {name}")
        if not new_name:
            raise CommandError("new name is empty")
        if buffers.exists(new_name):
            raise CommandError(f"buffer {new_name} already exists")
        buffers.rename(name, new_name)
        return CommandResult()
    if not args.positional:
        raise CommandError("no data specified")
    data = args.positional[0]
    if args.has("a") and name is not None:
        try:
            data = buffers.get(name) + data
        except CommandError:
            pass
    buffers.set(name or buffers.next_name(), data)
    return CommandResult()


SPEC = CommandSpec(name="set-buffer", alias=("setb",), flags="aw:b:t:n:",
                   usage="[-aw] [-b buffer-name] [-n new-buffer-name] [-t target-client] data",
                   max_args=1, run=run, summary="Set the contents of a paste buffer")
