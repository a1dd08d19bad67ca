"""The choosers a command starts, shown in the clients: ``choose-tree``, ``choose-buffer``
and ``choose-client`` run from the CLI, a script, a hook or a binding the server runs put
their pane in the mode (:mod:`aisession_tui.server.pane_modes`) and ask every full-screen
client showing that pane to draw it, as tmux draws a pane's mode in every client on its
window.

The client gets the command's argv (flags, values, the template) with ``-t %PANE`` naming
the pane (``CLIENT_COMMAND``); it draws the chooser and, when it closes it (a choice, ``q``,
Escape), sends ``mode-done`` ``{pane, mode}``: the server leaves the mode if it is still on
top of the pane's stack (another client, ``copy-mode -q`` or ``send-keys q`` may have left
it first; the clients then close their chooser when the ``session`` message shows the pane
out of the mode). A control client draws nothing; a suspended (locked) client gets the
command when it comes back only if the mode is still on (it is sent again on resume by the
``session`` message path: nothing here).

Keys ``send-keys`` sends to a pane in one of these modes go to the mode, as tmux's
``window_pane_key`` gives them to the mode with the command's target client: here to the
client that draws it (the requesting client if it shows the pane, else the most recently
active one showing it), which feeds them to its chooser (``mode-keys``). When no client shows the pane but one shows
another session (tmux gives the mode the keys with that client) ``q``, Escape and ``C-c``
leave the mode and the other keys are dropped; with no client at all, as in tmux, the mode
takes no keys.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from ..protocol import messages
from .client_actions import client_argv

if TYPE_CHECKING:
    from .clients import AttachedClient
    from .commands.spec import Args
    from .context import CommandContext
    from .engine import Engine
    from .pane import Pane
    from .services import Services

CHOOSER_MODES = {"choose-tree": "tree-mode", "choose-buffer": "buffer-mode",
                 "choose-client": "client-mode", "customize-mode": "options-mode"}
"""The commands a client draws, and the pane mode each one is."""
LEAVE_KEYS = ("q", "Escape", "C-c")
"""The keys that leave a chooser's mode."""


def clients_showing(services: Services, pane: Pane) -> list[AttachedClient]:
    """The full-screen clients whose current window holds ``pane`` (and so draw its mode)."""
    shown = []
    for client in services.clients.clients.values():
        session = client.session
        if session.id not in services.engine.registry.sessions:
            continue
        if pane.id in session.current.panes:
            shown.append(client)
    return shown


def open_in_clients(ctx: CommandContext, pane: Pane, name: str, args: Args) -> None:
    """Ask the clients showing ``pane`` to draw ``name``'s chooser over it."""
    argv = client_argv(name, args)
    argv[1:1] = ["-t", f"%{pane.id}"]
    note: messages.ClientCommandMessage = {"argv": argv}
    for client in clients_showing(ctx.services, pane):
        client.send(messages.CLIENT_COMMAND, note)


def mode_done(engine: Engine, pane_id: int, mode: str) -> None:
    """A client closed the chooser it drew for ``pane_id``'s ``mode``: leave the mode if it
    is still the pane's top one (an unknown pane or mode is ignored)."""
    from . import pane_modes

    found = engine.registry.find_pane(pane_id)
    if found is None:
        return
    pane = found[2]
    if pane_modes.top(pane) == mode:
        pane_modes.leave(engine, pane)


def keys_to_mode(ctx: CommandContext, pane: Pane, keys: list[str]) -> None:
    """``send-keys`` to ``pane`` in a chooser's mode: the keys to the client drawing it."""
    from . import pane_modes
    from .client_formats import all_clients, client_of

    shown = clients_showing(ctx.services, pane)
    if not shown:  # no chooser drawn: with a client elsewhere, only the keys that leave it
        if all_clients(ctx.services) and any(key in LEAVE_KEYS for key in keys):
            pane_modes.leave(ctx.engine, pane)
        return
    if not keys:
        return
    own = client_of(ctx.client)
    wanted = next((client for client in shown if client is own), None)
    if wanted is None:
        wanted = max(shown, key=lambda client: client.activity)
    note: messages.ModeKeysMessage = {"pane": pane.id, "keys": keys}
    wanted.send(messages.MODE_KEYS, note)
