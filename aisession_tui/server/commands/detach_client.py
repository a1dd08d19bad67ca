"""detach-client (detach): tell attached clients to detach; they exit printing tmux's
``[detached (from session NAME)]`` and everything keeps running.

Without flags it detaches the requesting client when it is attached, else, as tmux 3.3a's
``cmd_find_current_client``, the most recently active client of the current session (a
command typed in a pane detaches one client showing it). ``-s`` detaches every client of a
session, ``-t`` one client by its id (``attach`` returns it), ``-a`` every client except
the requesting one (or except ``-t``'s, or that most recently active one). ``-P`` (tmux: also
kill the client's parent) is accepted and behaves as a plain detach. Control-mode clients
count as clients everywhere here (``-t client-PID`` as ``list-clients`` names them); a
detached control client gets ``%exit``. ``-s`` and ``-a`` also detach the attaches still
on their way to those sessions (a thin client the server paints while its renderer
starts, :mod:`aisession_tui.server.pending_attach`): in tmux a client showing a session
is attached to it, and ``attach -d`` (which runs ``-s``) leaves no other client there.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from .spec import Args, CommandError, CommandResult, CommandSpec

if TYPE_CHECKING:
    from ..client_flags import Client
    from ..clients import ClientHub
    from ..context import CommandContext


def _find(clients: list[Client], hub: ClientHub, text: str) -> Client:
    from ..client_formats import client_name

    bare = text.lstrip("=")
    if bare.isdigit() and int(bare) in hub.clients:
        return hub.clients[int(bare)]
    for client in clients:
        if client_name(client) in (bare, f"/dev/{bare}"):
            return client
    raise CommandError(f"can't find client: {text}")


async def run(ctx: CommandContext, args: Args) -> CommandResult:
    from ..client_formats import all_clients, best_client, client_of, is_control

    hub = ctx.services.clients
    clients = all_clients(ctx.services)
    own = client_of(ctx.client)
    if args.has("t"):
        own = _find(clients, hub, str(args.get("t")))
    elif own is None and not args.has("s") and ctx.engine.registry.sessions:
        own = best_client(ctx.services, ctx.current.session())
    if args.has("s"):
        session = ctx.find_session(args.get("s"))
        victims = [client for client in clients if client.session is session]
        hub.pending.revoke({session.id: session.name})
    elif args.has("a"):
        victims = [client for client in clients if client is not own]
        hub.pending.revoke({each.id: each.name
                            for each in ctx.engine.registry.sessions.values()})
    elif own is not None:
        victims = [own]
    else:
        raise CommandError("no current client")
    for client in victims:
        if is_control(client):
            client.exit()
        else:
            hub.detach_client(client)
    return CommandResult()


SPEC = CommandSpec(name="detach-client", alias=("detach",), flags="aPs:t:E:",
                   usage="[-aP] [-E shell-command] [-s target-session] [-t target-client]",
                   run=run, summary="Detach clients")
