"""Client flags, as tmux 3.3a's ``server_client_set_flags`` / ``server_client_get_flags``.

Every client (attached full-screen or control mode) holds a set of flag names in
``client.flags``. ``attach-session -f``, ``refresh-client -f`` and the ``-r`` of
``attach-session`` / ``switch-client`` change it; ``#{client_flags}`` lists it.

* ``read-only``, ``ignore-size`` and ``active-pane`` apply to every client; ``no-output``,
  ``wait-exit`` and ``pause-after=N`` to control clients only (others ignore them, as tmux
  does); unknown names are ignored, as tmux ignores them.
* ``!name`` clears a flag, except that a read-only client cannot clear ``read-only``
  itself (tmux's rule).
* ``-r`` sets ``read-only`` and ``ignore-size`` together (``switch-client -r`` toggles both).
* A read-only client's keys run only bindings whose commands are all read-only in tmux
  (:data:`aisession_tui.server.access.READ_ONLY_COMMANDS`); its other keys and its mouse
  never reach a pane. A user made read-only by ``server-access -r`` stays read-only
  whatever the client's flags say (the connection's ``read_only``).

Whenever an attached client's read-only state changes it is told (``client-flags``), so
its key routing refuses what tmux refuses.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, TypeAlias

from ..protocol import messages

if TYPE_CHECKING:
    from typing_extensions import TypeIs

    from .clients import AttachedClient
    from .control import ControlClient

Client: TypeAlias = "AttachedClient | ControlClient"
"""Any kind of client: attached (a terminal) or control mode."""

ANY_CLIENT_FLAGS = ("read-only", "ignore-size", "active-pane")
"""Flags every kind of client takes."""
CONTROL_FLAGS = ("no-output", "wait-exit")
"""Flags only a control client takes (besides ``pause-after``)."""
READ_ONLY_PAIR = ("read-only", "ignore-size")
"""What ``-r`` sets (tmux's ``CLIENT_READONLY|CLIENT_IGNORESIZE``)."""


def is_control(client: Client) -> TypeIs[ControlClient]:
    """Whether ``client`` is a control-mode client."""
    from .control import ControlClient

    return isinstance(client, ControlClient)


def is_read_only(client: Client) -> bool:
    """Whether ``client`` only reads: its own flag, or its user's (``server-access -r``)."""
    return "read-only" in client.flags or client.connection.read_only


def set_flags(client: Client, text: str) -> None:
    """Apply a comma-separated flag list (``-f``) to ``client``."""
    before = is_read_only(client)
    for item in text.split(","):
        clear = item.startswith("!")
        name = item[1:] if clear else item
        if is_control(client) and name.startswith("pause-after"):
            _pause_after(client, name, clear)
            continue
        if name in ANY_CLIENT_FLAGS or (is_control(client) and name in CONTROL_FLAGS):
            if clear and name == "read-only" and "read-only" in client.flags:
                continue  # a read-only client cannot make itself writable
            (client.flags.discard if clear else client.flags.add)(name)
    _changed(client, before)


def _pause_after(client: ControlClient, item: str, clear: bool) -> None:
    """``pause-after`` (0 s) or ``pause-after=N`` (its leading digits, as tmux's sscanf
    reads them); anything else is not a flag."""
    value = "0" if item == "pause-after" else ""
    if item.startswith("pause-after="):
        digits = item[len("pause-after="):]
        value = digits[:len(digits) - len(digits.lstrip("0123456789"))]
    if not value:
        return
    client.pause_after = None if clear else float(value)


def toggle_read_only(client: Client) -> None:
    """``switch-client -r``: read-only and ignore-size off if read-only, else on."""
    before = is_read_only(client)
    if "read-only" in client.flags:
        client.flags.difference_update(READ_ONLY_PAIR)
    else:
        client.flags.update(READ_ONLY_PAIR)
    _changed(client, before)


def make_read_only(client: Client) -> None:
    """``attach-session -r``."""
    before = is_read_only(client)
    client.flags.update(READ_ONLY_PAIR)
    _changed(client, before)


def _changed(client: Client, before: bool) -> None:
    if is_control(client):
        return
    now = is_read_only(client)
    if now != before or not client.flags_sent:
        client.flags_sent = True
        note: messages.ClientFlagsMessage = {"read_only": now}
        client.send(messages.CLIENT_FLAGS, note)


def flag_list(client: Client) -> str:
    """``#{client_flags}`` in tmux 3.3a's order."""
    flags = ["attached", "focused"]
    if is_control(client):
        flags.append("control-mode")
    if "ignore-size" in client.flags:
        flags.append("ignore-size")
    if is_control(client):
        flags += [name for name in CONTROL_FLAGS if name in client.flags]
        if client.pause_after is not None:
            flags.append(f"pause-after={int(client.pause_after)}")
    if is_read_only(client):
        flags.append("read-only")
    if "active-pane" in client.flags:
        flags.append("active-pane")
    if not is_control(client) and client.suspended:
        flags.append("suspended")
    flags.append("UTF-8")
    return ",".join(flags)

