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
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from ..protocol import messages
from .client_actions import client_argv

if TYPE_CHECKING:
    from .commands.spec import Args
    from .context import CommandContext
    from .engine import Engine
    from .pane import Pane
    from .services import Services

CHOOSER_MODES = {"choose-tree": "tree-mode", "choose-buffer": "buffer-mode",
                 "choose-client": "client-mode"}
"""The commands a client draws, and the pane mode each one is."""


def clients_showing(services: Services, pane: Pane) -> list[Any]:
    """The full-screen clients whose current window holds ``pane`` (and so draw its mode)."""
    shown = []
    for client in services.clients.clients.values():
        session = getattr(client, "session", None)
        if session is None or session.id not in services.engine.registry.sessions:
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
