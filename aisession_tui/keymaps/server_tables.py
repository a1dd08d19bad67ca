"""The client's copy of the server's key tables (the ``keys`` notification).

The server owns the key tables (``bind-key`` / ``unbind-key``, tmux's defaults from
``defaults.conf``); the client routes keys with a copy, because a key must be answered at
once. :func:`keymap_from_server` turns the server's ``keys`` message into the
:class:`~aisession_tui.keymaps.Keymap` the app routes with. Invariants:

* every binding, mouse keys included, comes from the server: a key the server unbound is
  unbound here;
* ai-session's client-only bindings (``toggle-panel``) stay on keys the server leaves
  unbound;
* a binding whose key the client cannot spell is skipped, never an error.

Headless (no Textual).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from aisession_tui.keymaps import Binding, Command, Keymap, canonical_key

CLIENT_ONLY_ACTIONS = frozenset({"toggle-panel"})
"""Actions the server does not know: their bindings stay in the client's tables."""

_MOUSE_WORDS = ("Mouse", "Wheel", "Click")


@dataclass(frozen=True)
class KeyOptions:
    """The options a client routes with, from the server."""

    prefix: str | None
    prefix2: str | None
    repeat_time: int


def is_mouse_key(key: str) -> bool:
    """A mouse key name (``MouseDown1Pane``, ``M-WheelUpStatus``...)."""
    return any(word in key for word in _MOUSE_WORDS)


def _key_option(value: object) -> str | None:
    text = str(value or "")
    if not text or text == "None":
        return None
    try:
        return canonical_key(text)
    except ValueError:
        return None


def key_options(message: dict[str, Any]) -> KeyOptions:
    """``prefix`` / ``prefix2`` (None when ``None``) and ``repeat-time`` in ms."""
    try:
        repeat_time = max(0, int(message.get("repeat_time", 500)))
    except (TypeError, ValueError):
        repeat_time = 500
    return KeyOptions(_key_option(message.get("prefix")), _key_option(message.get("prefix2")),
                      repeat_time)


def keymap_from_server(local: Keymap, message: dict[str, Any]) -> Keymap:
    """The tables to route with: the server's bindings over the client-only ones (see the
    module docstring)."""
    tables: dict[str, dict[str, Binding]] = {}
    for name, bindings in local.tables.items():
        tables[name] = {key: binding for key, binding in bindings.items()
                        if {command.action for command in binding.commands}
                        <= CLIENT_ONLY_ACTIONS}
    for entry in message.get("bindings", []):
        try:
            table, key, repeat, note, argvs = entry
            canonical = canonical_key(str(key))
            commands = tuple(Command.from_words([str(word) for word in argv])
                             for argv in argvs if argv)
        except (TypeError, ValueError):
            continue
        if not commands:
            continue
        tables.setdefault(str(table), {})[canonical] = Binding(
            str(table), canonical, commands, note if isinstance(note, str) else None,
            bool(repeat))
    prefix = key_options(message).prefix or local.prefix
    return Keymap(prefix=prefix, tables=tables)
