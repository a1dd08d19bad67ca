"""switch-client (switchc): show another session on an attached client (prefix ``(``,
``)`` and ``L``).

The client is the one that sent the command (a key binding or the command prompt of an
attached client), else ``-c`` (a client id, as ``attach`` returns it and detach-client
takes it), else tmux's best client: the newest one showing the current session, else the
newest one, else the newest control-mode client (``-c client-PID`` names one; it gets
``%session-changed``). With no client at all it fails with tmux's ``no current client``.

``-t`` names the session (a window or pane target also makes that window current and
that pane active), ``-n`` / ``-p`` the next / previous session in name order (wrapping),
``-l`` the session the client showed before (``can't find last session`` if none is
left). The client gets the new session's structure and full screens; the session it left
becomes its last session. ``-E`` (do not update the environment) and ``-Z`` (keep zoom)
describe what switching already does here: the environment is never updated on a switch
and zoom is left alone. ``-r`` toggles the client's ``read-only`` and ``ignore-size``
flags (:mod:`..client_flags`) before the switch. ``-T table`` only sets the key table the client's next key is
looked up in (``table x doesn't exist`` for a table with no bindings), as in tmux.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from ..client_flags import toggle_read_only
from .spec import Args, CommandError, CommandResult, CommandSpec

if TYPE_CHECKING:
    from ..client_flags import Client
    from ..context import CommandContext


def chosen_client(ctx: CommandContext, args: Args) -> Client:
    """The client to switch (see the module docstring)."""
    hub = ctx.services.clients
    if args.has("c"):
        text = str(args.get("c")).lstrip("=")
        found = hub.clients.get(int(text)) if text.isdigit() else None
        if found is not None:
            return found
    from ..client_formats import all_clients, client_name, client_of

    if args.has("c"):  # a control client, named as list-clients names it
        for named in all_clients(ctx.services):
            if client_name(named) == args.get("c"):
                return named
        raise CommandError(f"can't find client: {args.get('c')}")
    own = client_of(ctx.client)
    if own is not None:
        return own
    current = ctx.current.session() if ctx.engine.registry.sessions else None
    client: Client | None = hub.best_client(current)
    if client is None:  # no full-screen client: the newest control client, as tmux picks
        controls = [c for c in all_clients(ctx.services) if c not in hub.clients.values()]
        client = controls[-1] if controls else None
    if client is None:
        raise CommandError("no current client")
    return client


async def run(ctx: CommandContext, args: Args) -> CommandResult:
    client = chosen_client(ctx, args)
    text = args.get("t")
    found = _target(ctx, text)  # resolved first: a bad target changes nothing
    if args.has("r"):
        toggle_read_only(client)
        ctx.services.clients.sizes.recalculate()
    if args.has("T"):
        from ..client_formats import is_control

        table = str(args.get("T"))
        if is_control(client):
            return CommandResult()  # a control client reads no keys
        if table not in ctx.services.key_tables.tables:
            raise CommandError(f"table {table} doesn't exist")
        client.send("key-table", {"table": table})  # the client routes its keys
        return CommandResult()
    registry = ctx.engine.registry
    if args.has("n") or args.has("p"):
        ordered = registry.ordered_sessions()
        position = next((index for index, session in enumerate(ordered)
                         if session is client.session), 0)
        step = 1 if args.has("n") else -1
        session = ordered[(position + step) % len(ordered)]
    elif args.has("l"):
        last = client.last_session
        if last is None or last.id not in registry.sessions:
            raise CommandError("can't find last session")
        session = last
    elif isinstance(found, tuple):
        session, window, pane = found
        session.select_window(window)
        window.select_pane(pane)
        registry.notify("select", session)
    else:
        session = found
    from ..client_formats import is_control

    if is_control(client):
        ctx.services.control.set_session(client, session)
    else:
        ctx.services.clients.switch(client, session)
    return CommandResult()


def _target(ctx: CommandContext, text: str | None) -> Any:
    """``-t``: (session, window, pane) for a window or pane target, else the session."""
    if text and (":" in text or text[0] in "%@"):
        return ctx.find_pane(text)
    return ctx.find_session(text)


SPEC = CommandSpec(name="switch-client", alias=("switchc",), flags="ElnprZc:t:T:",
                   usage="[-ElnprZ] [-c target-client] [-t target-session] [-T key-table]",
                   run=run,
                   summary="Show another session on a client")
