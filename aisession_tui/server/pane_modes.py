"""A pane's modes, as tmux 3.3a keeps them: a stack per pane, top first.

``copy-mode``, ``clock-mode``, ``choose-tree`` / ``find-window`` (``tree-mode``),
``choose-buffer`` (``buffer-mode``), ``choose-client`` (``client-mode``) and
``customize-mode`` (``options-mode``) push their mode, and so does ``run-shell``'s output
(``view-mode``, :mod:`aisession_tui.server.view_mode`); a mode already on the stack moves
to the top instead (``window_pane_set_mode``). ``#{pane_in_mode}`` is the stack's depth
and ``#{pane_mode}`` its top. ``copy-mode -q`` empties the stack, ``send-keys -X cancel``
pops copy mode. Every change publishes :class:`PaneModeChanged` (the
``pane-mode-changed`` hook, ``%pane-mode-changed`` for control clients, and a
``session`` message for full-screen clients, whose copy-mode view follows the pane's).

Keys sent to a pane in a mode (``send-keys`` without ``-X``) go to the mode, never to
the program: in copy mode through the ``copy-mode`` / ``copy-mode-vi`` key table (the
window's ``mode-keys``), whose bound commands run with the pane as the current one; the
choosers' modes (tree, buffer, client, options) in the client drawing them
(:func:`aisession_tui.server.mode_clients.keys_to_mode`); clock mode takes none from a
script. Input a full-screen client types into a pane in clock mode
leaves it (any key); in the tree, buffer, client and options modes ``q``, Escape and
``C-c`` leave them and other keys are dropped (the full-screen client draws copy mode
only; see the README).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from .events import PaneModeChanged

if TYPE_CHECKING:
    from .context import CommandContext
    from .engine import Engine
    from .pane import Pane

COPY_MODE = "copy-mode"
CLOCK_MODE = "clock-mode"
TREE_MODE = "tree-mode"
BUFFER_MODE = "buffer-mode"
CLIENT_MODE = "client-mode"
OPTIONS_MODE = "options-mode"
VIEW_MODE = "view-mode"
"""run-shell's output (:mod:`aisession_tui.server.view_mode`): a copy mode over it."""
COPY_MODES = (COPY_MODE, VIEW_MODE)
"""The modes that take copy-mode commands and the copy-mode key tables."""
LEAVE_KEYS = (b"q", b"\x1b", b"\x03")
"""What a client types to leave the tree, buffer, client and options modes."""


def modes(pane: Pane) -> list[str]:
    """The pane's mode stack, top first."""
    return pane.modes


def top(pane: Pane) -> str:
    """``#{pane_mode}``: the mode on top, "" when none."""
    stack = modes(pane)
    return stack[0] if stack else ""


def enter(engine: Engine, pane: Pane, mode: str, *, zoom: bool = False) -> None:
    """Push ``mode`` (or bring it to the top). ``zoom`` (``-Z``): zoom the pane's window on
    the pane unless it is zoomed already or has one pane; the window is unzoomed when
    this mode ends (``mode_tree_zoom``)."""
    if zoom and mode not in pane.modes:
        found = engine.registry.find_pane(pane.id)
        window = found[1] if found is not None else None
        if window is not None and window.layout.zoomed is None and len(window.panes) > 1:
            window.select_pane(pane)
            window.layout.toggle_zoom(pane.id)
            engine.apply_layout(window)
            pane.mode_zoomed = pane.mode_zoomed | {mode}
    stack = modes(pane)
    if stack and stack[0] == mode:
        return
    if mode in stack:
        stack.remove(mode)
    stack.insert(0, mode)
    engine.registry.events.publish(PaneModeChanged(pane))


def leave(engine: Engine, pane: Pane) -> None:
    """Pop the top mode (``window_pane_reset_mode``)."""
    stack = modes(pane)
    if stack:
        mode = stack.pop(0)
        if mode in pane.mode_zoomed:
            pane.mode_zoomed = pane.mode_zoomed - {mode}
            found = engine.registry.find_pane(pane.id)
            if found is not None and found[1].layout.zoomed is not None:
                found[1].layout.toggle_zoom(found[1].layout.zoomed)
                engine.apply_layout(found[1])
        engine.registry.events.publish(PaneModeChanged(pane))


def leave_all(engine: Engine, pane: Pane) -> None:
    """Empty the stack, one mode at a time (``copy-mode -q``,
    ``window_pane_reset_mode_all``)."""
    while modes(pane):
        leave(engine, pane)


def key_table(ctx: CommandContext, window_id: int) -> str:
    """The copy-mode key table the window's ``mode-keys`` picks."""
    vi = ctx.engine.options.get("mode-keys", f"@{window_id}") == "vi"
    return "copy-mode-vi" if vi else "copy-mode"


def key_words(words: list[str], literal: bool) -> list[str]:
    """send-keys' words as single keys: a key name stays one key, other text is a key per
    character (as ``cmd_send_keys_inject_string``)."""
    from .key_tables import parse_key

    keys: list[str] = []
    for word in words:
        if not literal and parse_key(word) is not None:
            keys.append(word)
        else:
            keys.extend(word)
    return keys


async def send_keys_to_mode(ctx: CommandContext, window_id: int, pane: Pane,
                            keys: list[str]) -> None:
    """Keys for a pane in a mode: in copy (or view) mode, run each key's binding with the pane
    current (``send-keys -X cancel`` for ``q``); a chooser's mode gets them in the client
    drawing it; clock mode ignores keys from a script."""
    from .command_lists import run_commands
    from .context import RequestContext
    from .dispatch import run_argv
    from .mode_clients import CHOOSER_MODES, keys_to_mode

    if top(pane) in CHOOSER_MODES.values():
        keys_to_mode(ctx, pane, keys)
        return
    for key in keys:
        if top(pane) not in COPY_MODES:
            return
        binding = ctx.services.key_tables.lookup(key_table(ctx, window_id), key)
        if binding is None:
            continue
        context = RequestContext(services=ctx.services, cwd=ctx.cwd,
                                 client_pane=f"%{pane.id}", client=ctx.client)
        await run_commands(run_argv, context, list(binding.commands))


def client_input(engine: Engine, pane: Pane, data: bytes) -> bool:
    """Input a full-screen client typed into ``pane``: True when a mode took it (the
    program does not get it)."""
    mode = top(pane)
    if not mode or mode == COPY_MODE:
        return False
    if mode == CLOCK_MODE or data in LEAVE_KEYS:
        leave(engine, pane)
    return True
