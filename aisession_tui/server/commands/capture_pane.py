"""capture-pane (capturep): the text of a pane's screen and history.

``-p`` prints to stdout (else the text goes to a new paste buffer), ``-S``/``-E`` pick
lines (0 = top of the screen, negative = history, ``-`` = the very start / end), ``-e``
keeps colours as SGR escapes, ``-J`` joins wrapped lines. (``-a``, the saved screen
behind an alternate screen, is not offered: the emulator does not expose it yet.)
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from ._common import lines
from .spec import PANE, Args, CommandResult, CommandSpec, parse_int

if TYPE_CHECKING:
    from ..context import CommandContext


def _line_number(text: str | None) -> int | str | None:
    if text is None:
        return None
    if text == "-":
        return "-"
    return parse_int(text, "line number")


async def run(ctx: CommandContext, args: Args) -> CommandResult:
    pane = ctx.target.pane
    emulator = pane.emulator
    captured = emulator.capture(_line_number(args.get("S")), _line_number(args.get("E")),
                                escapes=args.has("e"), join_wrapped=args.has("J"))
    text = lines(captured)
    if args.has("p"):
        return CommandResult(stdout=text)
    buffers = ctx.services.buffers
    buffers.set(args.get("b") or buffers.next_name(), text)
    return CommandResult()


SPEC = CommandSpec(name="capture-pane", alias=("capturep",), flags="CeJNpPqb:E:S:t:",
                   usage="[-CeJNpPq] [-b buffer-name] [-E end-line] [-S start-line] "
                         "[-t target-pane]",
                   run=run, target=PANE, summary="Capture the contents of a pane")
