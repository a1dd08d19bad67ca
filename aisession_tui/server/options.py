"""Options, tmux style: a global table with per-session and per-window overrides.

Only options the server acts on are known (plus any user option ``@name``); an unknown
option is an error, as in tmux. Values are stored as strings and read through typed
getters, so ``show-options`` prints exactly what ``set-option`` stored.

``mode-keys`` (a window option in tmux: ``setw`` sets it per window) defaults to ``emacs``,
which ``set -gu`` restores; a new server's global value follows $VISUAL, else $EDITOR,
of the process that started it (``vi`` when the editor's name contains "vi"), as tmux 3.3a
does. Clients read it when a pane enters copy mode.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

from aisession_tui.keymaps import default_mode_keys

from .commands.spec import CommandError

WINDOW_OPTIONS = frozenset({"mode-keys", "remain-on-exit", "automatic-rename",
                            "monitor-activity", "pane-border-status", "pane-border-format"})
"""Options tmux keeps per window: ``set`` without ``-g`` sets them on the current window."""
SERVER_OPTIONS = frozenset({"escape-time", "exit-empty", "copy-command"})
"""Options of the server as a whole (``set -s``): always global. Every other known option is
a session option: ``set`` without ``-g`` sets it on the current session."""


def option_kind(name: str) -> str:
    """``server``, ``session`` or ``window`` (a user option ``@name`` is a session one
    unless ``-w`` says otherwise, as in tmux)."""
    if name in SERVER_OPTIONS:
        return "server"
    return "window" if name in WINDOW_OPTIONS else "session"


DEFAULTS: dict[str, str] = {
    "history-limit": "2000",
    "remain-on-exit": "off",
    "default-shell": "",
    "default-command": "",
    "base-index": "0",
    "default-size": "80x24",
    "status": "on",
    "mode-keys": "emacs",
    "prefix": "C-b",
    "mouse": "on",
    "automatic-rename": "on",
    "set-titles": "off",
    "escape-time": "500",
    "exit-empty": "on",
    "renumber-windows": "off",
    "monitor-activity": "off",
    "pane-border-status": "off",
    "pane-border-format": '#{pane_index} "#{pane_title}"',
    "copy-command": "",
}
BOOLEAN = {"remain-on-exit", "status", "mouse", "automatic-rename", "set-titles",
           "exit-empty", "renumber-windows", "monitor-activity"}
CHOICES = {"pane-border-status": ("off", "top", "bottom"), "mode-keys": ("vi", "emacs")}
NUMERIC = {"history-limit", "base-index", "escape-time"}


def initial_values(env: Mapping[str, str] | None = None) -> dict[str, str]:
    """A new server's global options: the defaults, mode-keys following the editor."""
    return {**DEFAULTS, "mode-keys": default_mode_keys(env)}


def _normalise(name: str, value: str) -> str:
    if name in BOOLEAN:
        lowered = value.lower()
        if lowered in ("on", "yes", "1", "true"):
            return "on"
        if lowered in ("off", "no", "0", "false"):
            return "off"
        raise CommandError(f"bad value: {value}")
    if name in CHOICES:
        if value not in CHOICES[name]:
            raise CommandError(f"unknown value: {value}")
        return value
    if name in NUMERIC:
        try:
            number = int(value)
        except ValueError:
            raise CommandError(f"value is invalid: {value}") from None
        if number < 0:
            raise CommandError(f"value is too small: {value}")
        return str(number)
    return value


@dataclass
class Options:
    """Global values plus overrides keyed by scope id (``$N`` or ``@N``)."""

    values: dict[str, str] = field(default_factory=initial_values)
    scoped: dict[str, dict[str, str]] = field(default_factory=dict)

    @staticmethod
    def check(name: str) -> None:
        """Raise for an option tmux would not know."""
        if not name.startswith("@") and name not in DEFAULTS:
            raise CommandError(f"invalid option: {name}")

    def set(self, name: str, value: str | None, scope: str | None = None,
            unset: bool = False, toggle: bool = False) -> None:
        """Set (or unset / toggle) an option globally or for one scope."""
        self.check(name)
        table = self.values if scope is None else self.scoped.setdefault(scope, {})
        if unset:
            if scope is None and name in DEFAULTS:
                table[name] = DEFAULTS[name]
            else:
                table.pop(name, None)
            return
        if toggle or (value is None and name in BOOLEAN):
            value = "off" if self.get(name, scope) == "on" else "on"
        if value is None:
            raise CommandError("not enough arguments")
        table[name] = value if name.startswith("@") else _normalise(name, value)

    def get(self, name: str, *scopes: str | None) -> str:
        """The value seen from the narrowest scope that sets it."""
        for scope in scopes:
            if scope is not None and name in self.scoped.get(scope, {}):
                return self.scoped[scope][name]
        return self.values.get(name, "")

    def is_set(self, name: str, scope: str | None) -> bool:
        """Whether ``scope`` (None: the global table) holds a value of its own."""
        return name in self._table(scope)

    def flag(self, name: str, *scopes: str | None) -> bool:
        """A boolean option."""
        return self.get(name, *scopes) == "on"

    def number(self, name: str, *scopes: str | None) -> int:
        """A numeric option."""
        try:
            return int(self.get(name, *scopes))
        except ValueError:
            return int(DEFAULTS.get(name, "0"))

    def items(self, scope: str | None = None) -> list[tuple[str, str]]:
        """Sorted (name, value) pairs of one table."""
        return sorted(self._table(scope).items())

    def _table(self, scope: str | None) -> dict[str, str]:
        """The global table, or one scope's overrides (empty if it has none)."""
        return self.values if scope is None else self.scoped.get(scope, {})
