"""paste-buffer (pasteb): write a paste buffer into a pane. Line feeds become carriage
returns unless ``-r``; ``-s`` gives another separator; ``-p`` brackets the text when the
pane's program enabled bracketed paste; ``-d`` deletes the buffer afterwards."""

from __future__ import annotations

from typing import TYPE_CHECKING

from .spec import PANE, Args, CommandResult, CommandSpec

if TYPE_CHECKING:
    from ..context import CommandContext


async def run(ctx: CommandContext, args: Args) -> CommandResult:
    buffers = ctx.services.buffers
    pane = ctx.target.pane
    name = args.get("b")
    if not buffers.items and name is None:
        return CommandResult()
    text = buffers.get(name)
    if not args.has("r"):
        separator = args.get("s", "\r")
        text = text.replace("\r\n", "\n").replace("\n", separator)
    if args.has("p") and pane.emulator.bracketed_paste:
        text = "\x1b[200~" + text.replace("\x1b[201~", "") + "\x1b[201~"
    pane.write(text.encode("utf-8", "surrogateescape"))
    if args.has("d"):
        buffers.delete(name or buffers.newest_name() or "")
    return CommandResult()


SPEC = CommandSpec(name="paste-buffer", alias=("pasteb",), flags="dprb:s:t:",
                   usage="[-dpr] [-s separator] [-b buffer-name] [-t target-pane]",
                   run=run, target=PANE, summary="Paste a buffer into a pane")
