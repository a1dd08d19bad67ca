"""send-keys (send): type keys into a pane, by tmux key name (``Enter``, ``C-c``,
``M-x``, ``Up``...) or literally (``-l``), as hex bytes (``-H``), repeated ``-N`` times."""

from __future__ import annotations

from typing import TYPE_CHECKING

from ..option_effects import synchronized_panes
from .spec import PANE, Args, CommandError, CommandResult, CommandSpec, parse_int

if TYPE_CHECKING:
    from ..context import CommandContext


async def run(ctx: CommandContext, args: Args) -> CommandResult:
    window, pane = ctx.target.window, ctx.target.pane
    if args.has("X"):
        raise CommandError("not in a mode")
    repeat = parse_int(args.get("N"), "repeat count") if args.has("N") else 1
    if repeat < 1:
        raise CommandError(f"repeat count invalid: {args.get('N')}")
    if args.has("R"):
        pane.emulator.reset()
    if pane.dead:
        raise CommandError(f"pane %{pane.id} is dead")
    from ...terminal.keys import send_keys_payload

    emulator = pane.emulator
    try:
        payload = send_keys_payload(args.positional, literal=args.has("l"),
                                    hex_mode=args.has("H"), repeat=repeat,
                                    app_cursor=emulator.app_cursor_keys,
                                    app_keypad=emulator.app_keypad)
    except ValueError as exc:
        raise CommandError(str(exc)) from None
    for target in synchronized_panes(ctx.engine.options, window, pane):
        target.write(payload)
    return CommandResult()


SPEC = CommandSpec(name="send-keys", alias=("send",), flags="FHKlMRXc:N:t:",
                   usage="[-FHKlMRX] [-c target-client] [-N repeat-count] [-t target-pane] "
                         "key ...",
                   max_args=None, run=run, target=PANE, summary="Send keys to a pane")
