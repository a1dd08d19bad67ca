"""Pushing the server's key tables to attached clients (the ``keys`` notification).

A client routes keys itself (it must answer a key at once), so it holds a copy of the
tables: every keyboard binding (mouse keys stay the client's own), with the ``prefix``,
``prefix2`` and ``repeat-time`` options. Invariants: a client gets the copy when it
attaches, again after every ``bind-key`` / ``unbind-key`` and after a change of one of
those three options (a burst of changes is sent once, on the loop's next turn).
"""

from __future__ import annotations

import asyncio
from typing import TYPE_CHECKING, Any

from .key_tables import is_mouse_key

if TYPE_CHECKING:
    from .daemon import Server

KEYS = "keys"
"""The notification's method name."""

KEY_OPTIONS = ("prefix", "prefix2", "repeat-time")


def key_options(server: Server) -> tuple[str, ...]:
    """The options a client routes with, as strings."""
    return tuple(server.engine.options.get(name) for name in KEY_OPTIONS)


def keys_message(server: Server) -> dict[str, Any]:
    """The tables and options: ``bindings`` holds ``[table, key, repeat, note, commands]``
    with each command as its argv (a ``{ }`` block as one word holding its text)."""
    tables = server.key_tables
    bindings = [
        [binding.table, binding.key, binding.repeat, binding.note,
         [list(command.argv) for command in binding.commands]]
        for name in tables.table_names() for binding in tables.ordered(name)
        if not is_mouse_key(binding.code)
    ]
    prefix, prefix2, repeat_time = key_options(server)
    return {"prefix": prefix, "prefix2": prefix2, "repeat_time": repeat_time,
            "bindings": bindings}


class KeyPush:
    """Sends ``keys`` to attached clients when the tables or key options change."""

    def __init__(self, server: Server) -> None:
        self.server = server
        self.sent_options: tuple[str, ...] | None = None
        self.scheduled = False
        server.key_tables.listeners.append(self.push)
        server.engine.registry.on_change.append(self._model_changed)

    def _model_changed(self, what: str, _subject: object) -> None:
        if what == "options" and key_options(self.server) != self.sent_options:
            self.push()

    def push(self) -> None:
        """Send the current tables to every attached client, once for a burst of changes
        (a config file's binds): on the loop's next turn."""
        if self.scheduled:
            return
        try:
            loop = asyncio.get_running_loop()
        except RuntimeError:
            self.send_now()
            return
        self.scheduled = True
        loop.call_soon(self.send_now)

    def send_now(self) -> None:
        """Send the current tables to every attached client."""
        self.scheduled = False
        clients = list(self.server.clients.clients.values())
        self.sent_options = key_options(self.server)
        if not clients:
            return
        message = keys_message(self.server)
        for client in clients:
            client.send(KEYS, message)

    def attached(self, client: Any) -> None:
        """A client attached: it gets the tables before its first key."""
        self.sent_options = key_options(self.server)
        client.send(KEYS, keys_message(self.server))
