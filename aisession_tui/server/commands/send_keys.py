"""send-keys (send): type keys into a pane, by tmux key name (``Enter``, ``C-c``,
``M-x``, ``Up``...) or literally (``-l``), as hex bytes (``-H``), repeated ``-N`` times.

A pane in a mode gets the keys in its mode, not in its program (copy mode runs their
copy-mode table bindings, :mod:`aisession_tui.server.pane_modes`); ``-X`` runs a copy-mode
command; ``-M`` passes on the mouse event of the key binding being run
(:mod:`aisession_tui.server.mouse_target`)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from ..option_effects import synchronized_panes
from .spec import PANE, Args, CommandError, CommandResult, CommandSpec, parse_int

if TYPE_CHECKING:
    from ..context import CommandContext
    from ..pane import Pane


async def run(ctx: CommandContext, args: Args) -> CommandResult:
    window, pane = ctx.target.window, ctx.target.pane
    if args.has("X"):
        return _mode_command(ctx, pane, args)
    if args.has("M"):
        return _mouse(ctx)
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
    if pane.modes:
        from ..pane_modes import key_words, send_keys_to_mode

        keys = key_words(args.positional, literal=args.has("l")) * repeat
        await send_keys_to_mode(ctx, window.id, pane, keys)
        return CommandResult()
    for target in synchronized_panes(ctx.engine.options, window, pane):
        target.write(payload)
    return CommandResult()


def _mouse(ctx: CommandContext) -> CommandResult:
    """``-M``: the mouse event of the key being run to the pane under it, encoded as its
    program asked (tmux's ``window_pane_key``); a pane in a mode takes none."""
    from ...terminal.mouse_reports import RawMouse, encode_report
    from ..mouse_target import mouse_at, mouse_pane

    mouse = ctx.mouse
    found = mouse_pane(ctx.engine.registry, mouse)
    if mouse is None or found is None:
        raise CommandError("no mouse target")
    _, window, pane = found
    at = mouse_at(window, pane, mouse)
    if mouse.ignore or pane.modes or pane.dead or at is None:
        return CommandResult()
    emulator = pane.emulator
    data = encode_report(RawMouse(mouse.b, mouse.x, mouse.y, mouse.release),
                         emulator.mouse_mode, emulator.mouse_sgr, *at)
    if data:
        pane.write(data)
    return CommandResult()


def _mode_command(ctx: CommandContext, pane: Pane, args: Args) -> CommandResult:
    """``-X command``: only copy mode (and view mode, a copy mode) takes commands (tmux:
    ``not in a mode`` otherwise).
    ``cancel`` and the ``...-and-cancel`` commands leave it; the cursor, the selection and
    the other commands belong to the copy-mode view of a full-screen client."""
    from .. import pane_modes

    if pane_modes.top(pane) not in pane_modes.COPY_MODES:
        raise CommandError("not in a mode")
    command = args.positional[0] if args.positional else ""
    if command == "cancel" or command.endswith("-and-cancel"):
        pane_modes.leave(ctx.engine, pane)
    return CommandResult()


SPEC = CommandSpec(name="send-keys", alias=("send",), flags="FHKlMRXc:N:t:",
                   usage="[-FHKlMRX] [-c target-client] [-N repeat-count] [-t target-pane] "
                         "key ...",
                   max_args=None, run=run, target=PANE, summary="Send keys to a pane")
