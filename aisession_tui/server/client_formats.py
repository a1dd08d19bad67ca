"""The ``#{client_*}`` format variables, for every kind of client.

A client is an attached full-screen client (:class:`clients.AttachedClient`) or a
control-mode client (:class:`control.ControlClient`). :func:`all_clients` lists both, in
the order they attached; :func:`client_lookup` layers a client's variables over a
format lookup. Names follow tmux: a control client is ``client-PID``; a full-screen client
is its terminal's name when it sent one, else ``client-N``.
"""

from __future__ import annotations

import os
import pwd
from collections.abc import Callable
from typing import TYPE_CHECKING

from .client_flags import Client, is_control

if TYPE_CHECKING:
    from .clients import AttachedClient
    from .peer import Peer
    from .registry import Session
    from .services import Services

__all__ = ["Client", "all_clients", "best_client", "client_lookup", "client_name",
           "client_of", "client_variables", "find_client", "is_control", "terminal_lines"]


def all_clients(services: Services) -> list[Client]:
    """Every client that shows a session, oldest first."""
    return services.clients.sized_clients()


def client_of(connection: Peer | None) -> Client | None:
    """The client behind a command's connection (control or attached), or None."""
    if connection is None:
        return None
    return connection.control or connection.attached


def best_client(services: Services, session: Session | None = None) -> Client | None:
    """tmux's ``cmd_find_best_client``: of the clients showing ``session`` (any session
    when None), the one most recently active, the oldest on a tie; None if there is none."""
    def activity(client: Client) -> float:
        return float(client.activity)

    best: Client | None = None
    for client in all_clients(services):
        if session is not None and client.session is not session:
            continue
        if best is None or activity(client) > activity(best):
            best = client
    return best


def find_client(services: Services, connection: Peer | None, name: str | None) -> Client:
    """A ``-t target-client``: the client named ``name`` (as ``list-clients`` names it,
    ``/dev/`` optional), else the client that asked (``connection``'s), else the most
    recent one; tmux's ``can't find client: X`` / ``no current client`` otherwise."""
    from .commands.spec import CommandError

    clients = all_clients(services)
    if name:
        for client in clients:
            if client_name(client) == name or client_name(client).removeprefix("/dev/") == name:
                return client
        raise CommandError(f"can't find client: {name}")
    own = client_of(connection)
    if own is not None:
        return own
    if not clients:
        raise CommandError("no current client")
    return clients[-1]


def client_name(client: Client) -> str:
    """tmux's client name."""
    if is_control(client):
        return client.name
    return client.tty or f"client-{client.id}"


def client_flags(client: Client) -> str:
    """``#{client_flags}`` as tmux 3.3a writes them."""
    from .client_flags import flag_list

    return flag_list(client)


def terminal_lines(client: AttachedClient) -> int:
    """An attached client's terminal height (tmux's ``client_height``): its pane area
    and the status lines its session's ``status`` option takes."""
    session = client.session
    value = client.server.engine.options.get("status", f"${session.id}") if session else ""
    status = 1 if value == "on" else int(value) if value.isdigit() else 0
    return int(client.lines) + status


def _read_only(client: Client) -> bool:
    from .client_flags import is_read_only

    return is_read_only(client)


def _user() -> str:
    try:
        return pwd.getpwuid(os.getuid()).pw_name
    except KeyError:
        return ""


def client_variables(client: Client) -> dict[str, Callable[[], str]]:
    """The ``client_*`` variables of one client."""
    control = is_control(client)
    created = client.created
    last = client.last_session
    return {
        "client_name": lambda: client_name(client),
        "client_pid": lambda: str(client.pid or ""),
        "client_tty": lambda: "" if is_control(client) else client.tty,
        "client_termname": lambda: client.termname or "xterm-256color",
        "client_termtype": lambda: "",
        "client_width": lambda: str(client.columns),
        "client_height": lambda: "" if is_control(client) else str(terminal_lines(client)),
        "client_session": lambda: client.session.name if client.session else "",
        "client_last_session": lambda: last.name if last is not None else "",
        "client_control_mode": lambda: "1" if control else "0",
        "client_flags": lambda: client_flags(client),
        "client_created": lambda: str(int(created)),
        "client_activity": lambda: str(int(client.activity)),
        "client_uid": lambda: str(os.getuid()),
        "client_user": _user,
        "client_utf8": lambda: "1",
        "client_readonly": lambda: "1" if _read_only(client) else "0",
        "client_prefix": lambda: "0",
        "client_key_table": lambda: "root",
        "client_written": lambda: "0",
        "client_discarded": lambda: "0",
        "client_cell_width": lambda: "",
        "client_cell_height": lambda: "",
        "uid": lambda: str(os.getuid()),
        "user": _user,
    }


def client_lookup(lookup: Callable[[str], str | None], client: Client
                  ) -> Callable[[str], str | None]:
    """``lookup`` with ``client``'s variables in front."""
    variables = client_variables(client)

    def combined(name: str) -> str | None:
        getter = variables.get(name)
        return getter() if getter is not None else lookup(name)

    return combined
