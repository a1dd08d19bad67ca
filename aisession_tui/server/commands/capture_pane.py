"""capture-pane (capturep): the text of a pane's screen and history.

``-p`` prints to stdout (else the text goes to a new paste buffer), ``-S``/``-E`` pick
lines (0 = top of the screen, negative = history, ``-`` = the very start / end), ``-e``
keeps colours as SGR escapes, ``-J`` joins wrapped lines and, like ``-N``, keeps each
line's written trailing blanks (tmux trims neither then), ``-C`` writes a backslash as
``\\`` and an escape as ``\033``, ``-a`` captures the main screen saved behind the
alternate screen (no history; tmux's ``no alternate screen`` without one, nothing with
``-q``). ``-P`` captures only the input not parsed yet (an unfinished escape sequence,
``-C`` writing a control character or a backslash as ``\\ooo``).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from ._common import lines
from .spec import PANE, Args, CommandError, CommandResult, CommandSpec, parse_int

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
    captured: list[str] = []
    if args.has("P"):
        pending = emulator.pending_input
        if args.has("C"):  # tmux: "\\%03o" for a control character or a backslash
            pending = "".join(char if char >= " " and char != "\\" else f"\\{ord(char):03o}"
                              for char in pending)
        captured = [pending] if pending else []
    elif args.has("a") and not emulator.alternate_screen:
        if not args.has("q"):
            raise CommandError("no alternate screen")
    else:
        captured = emulator.capture(_line_number(args.get("S")), _line_number(args.get("E")),
                                    escapes=args.has("e"), join_wrapped=args.has("J"),
                                    trim=not (args.has("J") or args.has("N")),
                                    saved_screen=args.has("a"))
    if args.has("C") and not args.has("P"):  # escape_c0: "\\" doubled, escapes as \033
        captured = [line.replace("\\", "\\\\").replace("\x1b", "\\033")
                    for line in captured]
    text = "".join(captured) if args.has("P") else lines(captured)  # (-P: no newline)
    if args.has("p") and args.has("P"):
        return CommandResult(stdout=text + "\n")
    if args.has("p"):  # tmux ends what it prints with a newline, an empty capture too
        return CommandResult(stdout=text or "\n")
    buffers = ctx.services.buffers
    if text:  # tmux's paste_set keeps no empty buffer
        buffers.set(args.get("b") or buffers.next_name(), text)
    return CommandResult()


SPEC = CommandSpec(name="capture-pane", alias=("capturep",), flags="aCeJNpPqb:E:S:t:",
                   usage="[-aCeJNpPq] [-b buffer-name] [-E end-line] [-S start-line] "
                         "[-t target-pane]",
                   run=run, target=PANE, summary="Capture the contents of a pane")
