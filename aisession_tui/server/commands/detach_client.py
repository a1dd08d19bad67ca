"""detach-client (detach): tell attached clients to detach; they exit printing tmux's
``[detached (from session NAME)]`` and everything keeps running.

Without flags it detaches the requesting client when it is attached, else the clients of
the current session (a command typed in a pane detaches the clients showing it). ``-s``
detaches every client of a session, ``-t`` one client by its id (``attach`` returns it),
``-a`` every client except the requesting one (or except ``-t``'s). ``-P`` (tmux: also
kill the client's parent) is accepted and behaves as a plain detach.
"""

from __future__ import annotations

from .spec import Args, CommandError, CommandResult, CommandSpec


async def run(ctx, args: Args) -> CommandResult:
    hub = ctx.server.clients
    own = getattr(ctx.client, "attached", None)
    if args.has("t"):
        text = str(args.get("t")).lstrip("=")
        chosen = hub.clients.get(int(text)) if text.isdigit() else None
        if chosen is None:
            raise CommandError(f"can't find client: {args.get('t')}")
        own = chosen
    if args.has("s"):
        session = ctx.find_session(args.get("s"))
        victims = [client for client in hub.clients.values() if client.session is session]
    elif args.has("a"):
        victims = [client for client in hub.clients.values() if client is not own]
    elif own is not None:
        victims = [own]
    else:
        session = ctx.current.session()
        victims = [client for client in hub.clients.values() if client.session is session]
        if not victims:
            raise CommandError("no current client")
    for client in victims:
        hub.detach_client(client)
    return CommandResult()


SPEC = CommandSpec(name="detach-client", alias=("detach",), flags="aPs:t:E:",
                   usage="[-aP] [-E shell-command] [-s target-session] [-t target-client]",
                   run=run, summary="Detach clients")
