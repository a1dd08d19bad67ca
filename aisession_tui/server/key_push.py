"""Pushing the server's key tables to attached clients (the ``keys`` notification).

A client routes keys itself (it must answer a key at once), so it holds a copy of the
tables: every binding, mouse keys included (the client turns mouse events into keys), with
the ``prefix``,
``prefix2`` and ``repeat-time`` options. Invariants: a client gets the copy when it
attaches, again after every ``bind-key`` / ``unbind-key`` and after a change of one of
those three options (a burst of changes is sent once, on the loop's next turn, or earlier
by :meth:`KeyPush.flush`: a command's reply never goes out before the tables it changed,
so a key typed right after ``bind-key`` returns meets the new binding, as tmux's
server-side lookup does).
"""

from __future__ import annotations

import asyncio
from typing import TYPE_CHECKING

from ..protocol import messages
from .events import EventBus, OptionsChanged
from .key_tables import KeyTables

if TYPE_CHECKING:
    from .clients import AttachedClient, ClientHub
    from .options import Options

KEYS = messages.KEYS
"""The notification's method name."""

KEY_OPTIONS = ("prefix", "prefix2", "repeat-time")


def key_options(options: Options) -> tuple[str, ...]:
    """The options a client routes with, as strings."""
    return tuple(options.get(name) for name in KEY_OPTIONS)


def keys_message(tables: KeyTables, options: Options) -> messages.KeysMessage:
    """The tables and options: ``bindings`` holds ``[table, key, repeat, note, commands]``
    with each command as its argv (a ``{ }`` block as one word holding its text)."""
    bindings = [
        [binding.table, binding.key, binding.repeat, binding.note,
         [list(command.argv) for command in binding.commands]]
        for name in tables.table_names() for binding in tables.ordered(name)
    ]
    prefix, prefix2, repeat_time = key_options(options)
    return {"prefix": prefix, "prefix2": prefix2, "repeat_time": repeat_time,
            "bindings": bindings}


class KeyPush:
    """Sends ``keys`` to attached clients when the tables or key options change."""

    def __init__(self, tables: KeyTables, options: Options, clients: ClientHub,
                 events: EventBus) -> None:
        self.tables = tables
        self.options = options
        self.clients = clients
        self.sent_options: tuple[str, ...] | None = None
        self.scheduled = False
        tables.listeners.append(self.push)
        events.subscribe(OptionsChanged, self._options_changed)

    def _options_changed(self, event: OptionsChanged) -> None:
        if key_options(self.options) != self.sent_options:
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
        loop.call_soon(self.flush)

    def flush(self) -> None:
        """Send a scheduled push now (the daemon calls this before a command's reply)."""
        if self.scheduled:
            self.send_now()

    def send_now(self) -> None:
        """Send the current tables to every attached client."""
        self.scheduled = False
        clients = list(self.clients.clients.values())
        self.sent_options = key_options(self.options)
        if not clients:
            return
        message = keys_message(self.tables, self.options)
        for client in clients:
            client.send(KEYS, message)

    def attached(self, client: AttachedClient) -> None:
        """A client attached: it gets the tables before its first key."""
        self.sent_options = key_options(self.options)
        client.send(KEYS, keys_message(self.tables, self.options))
