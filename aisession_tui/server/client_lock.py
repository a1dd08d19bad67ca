"""Locking and suspending full-screen clients, as tmux 3.3a does it (``server_lock_client``,
``server_client_suspend``), and the target-client rule of the commands that do it.

* :func:`lock` sends a full-screen client the ``lock`` notification with its session's
  ``lock-command``; the client stops drawing, gives the terminal to that command and, when
  it ends, sends the ``resume`` request. An empty ``lock-command`` locks nothing.
* :func:`suspend` sends ``suspend``: the client stops itself (SIGTSTP) and sends ``resume``
  when it is continued.
* Control-mode clients are never locked or suspended (tmux skips them too).

Invariant: while ``client.suspended`` is set the server sends the client no screens (the
changes stay marked); :func:`resume` clears it and sends the whole session again.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from ..protocol import messages
from .client_formats import (
    Client,
    all_clients,
    best_client,
    client_name,
    client_of,
    is_control,
)
from .commands.spec import CommandError

if TYPE_CHECKING:
    from .clients import AttachedClient
    from .context import CommandContext


def target_client(ctx: CommandContext, name: str | None) -> Client:
    """tmux's ``-t target-client``: a client by name, else the client that asked, else the
    most recently active client of the current session; ``no current client`` if none."""
    if name:
        for client in all_clients(ctx.services):
            if name in (client_name(client), client_name(client).removeprefix("/dev/")):
                return client
        raise CommandError(f"can't find client: {name}")
    own = client_of(ctx.client)
    if own is not None:
        return own
    found = None
    if ctx.engine.registry.sessions:
        found = best_client(ctx.services, ctx.current.session())
    if found is None:
        raise CommandError("no current client")
    return found


def lock(ctx: CommandContext, client: Client) -> None:
    """Lock one client with its session's ``lock-command`` (not control clients)."""
    if is_control(client) or client.suspended:
        return
    command = ctx.engine.options.get("lock-command", f"${client.session.id}")
    if not command:
        return
    client.suspended = True
    lock: messages.LockMessage = {"command": command}
    client.send(messages.LOCK, lock)


def suspend(client: Client) -> None:
    """Suspend one full-screen client (not control clients)."""
    if is_control(client) or client.suspended:
        return
    client.suspended = True
    client.send(messages.SUSPEND, {})


def resume(client: AttachedClient) -> None:
    """The client is back from its lock command or from being stopped: draw it all."""
    if client.suspended:
        client.suspended = False
        client.mark_structure()
