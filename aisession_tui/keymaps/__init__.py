"""Key bindings as data: tmux key notation, the keymap file format and its loader.

A keymap is a set of tmux-style key tables (``prefix``, ``root``, ``copy-mode``,
``copy-mode-vi``), each mapping a key in tmux notation (``%``, ``"``, ``C-o``, ``M-1``,
``C-Up``, ``PPage``, ``Space``...) to a ``Binding``: one or more ``Command`` s (an action id
from ``actions.ACTIONS`` plus tmux-style arguments), an optional note (tmux's ``bind -N``)
and tmux's repeat flag (``bind -r``). The defaults are ``tmux.toml`` next to this module.
The app routes with the server's tables (``server_tables.py``: ``defaults.conf`` and
``bind-key``) and keeps only its mouse and client-only bindings from here; a user's
``keymap.toml`` is no longer read but converted once to tmux's language (``convert.py``).

File format (the same for ``tmux.toml`` and the user's file)::

    [options]
    prefix = "C-a"                  # like `set -g prefix C-a`; C-a then sends the prefix

    [prefix]
    "%" = { action = "split-window", args = ["-h"], note = "Split window horizontally" }
    "|" = "split-window -h"         # compact form: a tmux command line (";" separates)
    "x" = "none"                    # unbind (tmux's `unbind x`)
    "M-Up" = { action = "resize-pane", args = ["-U", "5"], repeat = true }

    [copy-mode-vi]
    "v" = { action = "copy-mode:begin-selection" }
    "y" = { commands = [["copy-mode:copy-selection"], ["copy-mode:cancel"]] }

A table value takes exactly one of ``action`` (with optional ``args``) or ``commands``
(a list of ``[action, arg, ...]`` arrays), plus optional ``note`` and ``repeat``.
In the compact form ``send-keys -X <command>`` is accepted for ``copy-mode:<command>``.

Invariants: every key stored in a ``Keymap`` is canonical (``canonical_key``), every action
is registered in ``ACTIONS``, and a broken file raises ``KeymapError`` naming the file,
the table and the key - it never yields a half-applied keymap. This module never imports
Textual, so it loads fast and is tested headless.
"""

from __future__ import annotations

import os
import re
import tomllib
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any, Literal

from aisession_tui.keymaps.actions import (
    ACTIONS,
    COPY_MODE_PREFIX,
    PANEL_NAMES,
    copy_mode_command,
    is_copy_mode_action,
)

__all__ = [
    "DEFAULT_KEYMAP_FILE",
    "DEFAULT_PREFIX",
    "TABLE_NAMES",
    "Binding",
    "Command",
    "Keymap",
    "KeymapError",
    "canonical_key",
    "default_keymap_path",
    "default_mode_keys",
    "load_keymap",
    "load_keymap_or_default",
    "parse_command_line",
    "quote_word",
    "split_commands",
    "split_words",
]

DEFAULT_PREFIX = "C-b"
"""tmux's default prefix key."""

TABLE_NAMES = ("prefix", "root", "copy-mode", "copy-mode-vi")
"""The key tables a keymap file may define, in the order ``list_keys`` prints them."""

DEFAULT_KEYMAP_FILE = Path(__file__).with_name("tmux.toml")
"""tmux 3.3a's default bindings, as data."""

UNBIND = "none"
"""The compact value that removes a binding."""

ModeKeys = Literal["vi", "emacs"]


class KeymapError(Exception):
    """A keymap file could not be used; the message says where and why."""


# --- key notation -------------------------------------------------------------------------

_NAMED_KEYS: tuple[str, ...] = (
    "Space", "Enter", "Escape", "Tab", "BTab", "BSpace", "IC", "DC", "Home", "End",
    "NPage", "PPage", "Up", "Down", "Left", "Right", "Any",
    *(f"F{number}" for number in range(1, 13)),
    *(f"KP{suffix}" for suffix in (*"0123456789", "/", "*", "-", "+", ".", "Enter")),
)  # fmt: skip
_MOUSE_EVENTS = (
    "MouseMove",
    *(f"{kind}{button}" for kind in ("MouseDown", "MouseUp", "MouseDrag", "MouseDragEnd")
      for button in "123"),
    "WheelUp",
    "WheelDown",
    *(f"{kind}{button}" for kind in ("SecondClick", "DoubleClick", "TripleClick")
      for button in "123"),
)  # fmt: skip
_MOUSE_LOCATIONS = ("Pane", "Status", "StatusLeft", "StatusRight", "StatusDefault", "Border")
_KEY_ALIASES = {
    "pageup": "PPage",
    "pgup": "PPage",
    "pagedown": "NPage",
    "pgdn": "NPage",
    "insert": "IC",
    "delete": "DC",
    "escape": "Escape",
    "esc": "Escape",
}
_KEY_NAMES: dict[str, str] = {
    **{name.lower(): name for name in _NAMED_KEYS},
    **{
        (event + location).lower(): event + location
        for event in _MOUSE_EVENTS
        for location in _MOUSE_LOCATIONS
    },
    **_KEY_ALIASES,
}
_CONTROL_CHARACTERS = set("abcdefghijklmnopqrstuvwxyz@[\\]^_?")
"""Characters that Ctrl turns into a control code (tmux prints them as ``C-x``)."""
_CONTROL_RENAMES = {"i": "Tab", "m": "Enter", "[": "Escape", "@": "C-Space"}
_MODIFIER_LETTERS = {"c": "C", "m": "M", "s": "S"}


def canonical_key(key: str) -> str:
    """Return the canonical tmux spelling of ``key``, as ``tmux list-keys`` prints it.

    Accepts modifiers ``C-`` ``M-`` ``S-`` (any case, any order) and ``^x``, named keys
    in any case plus the aliases ``PageUp``/``PgUp``, ``PageDown``/``PgDn``, ``Insert``,
    ``Delete``, and a backslash before a single character (``\\;`` as in tmux configs).

    Raises:
        ValueError: ``key`` is not a key tmux would accept.
    """
    text = key
    if len(text) == 2 and text[0] == "\\":
        text = text[1]
    modifiers: set[str] = set()
    while len(text) > 2 and text[1] == "-" and text[0].lower() in _MODIFIER_LETTERS:
        modifiers.add(_MODIFIER_LETTERS[text[0].lower()])
        text = text[2:]
    if len(text) == 2 and text[0] == "^":
        modifiers.add("C")
        text = text[1]
    if text == " ":
        text = "Space"
    if len(text) == 1:
        if not text.isprintable():
            raise ValueError(f"key {key!r} is a control character; write it as C-x")
        base = text
    elif text.lower() in _KEY_NAMES:
        base = _KEY_NAMES[text.lower()]
    else:
        raise ValueError(f"unknown key {key!r}")
    if "C" in modifiers and (
        base == "Space" or (len(base) == 1 and base.lower() in _CONTROL_CHARACTERS)
    ):
        modifiers.discard("C")
        letter = "@" if base == "Space" else base.lower()
        base = _CONTROL_RENAMES.get(letter, f"C-{letter}")
    prefix = "".join(f"{modifier}-" for modifier in ("C", "M", "S") if modifier in modifiers)
    return prefix + base


# --- tmux command lines -------------------------------------------------------------------

_DOUBLE_QUOTE_TRIGGERS = frozenset(" #';${}%\n\t")
_SINGLE_QUOTE_TRIGGERS = frozenset(' "')
_WHITESPACE = " \t\n"


def quote_word(word: str) -> str:
    """Quote one key or argument the way ``tmux list-keys`` does, so tmux can read it back."""
    if word == "":
        return "''"
    if any(char in _DOUBLE_QUOTE_TRIGGERS for char in word):
        quote = '"'
    elif any(char in _SINGLE_QUOTE_TRIGGERS for char in word):
        quote = "'"
    else:
        quote = ""
    if len(word) == 1 and (quote or word == "~"):
        return "\\" + word
    if quote == "'":
        return f"'{word}'"
    body = word.replace("\\", "\\\\").replace("\n", "\\n").replace("\t", "\\t")
    if quote == '"':
        body = body.replace('"', '\\"').replace("$", "\\$")
    if body.startswith("~"):
        body = "\\" + body
    return f"{quote}{body}{quote}"


def split_words(text: str) -> list[str]:
    """Split a tmux command line into words, as tmux's parser does.

    Whitespace separates words; ``'single'`` quotes are literal; ``"double"`` quotes and
    unquoted text take backslash escapes (``\\;`` is the word ``;``); a ``{ ... }`` block
    is one word holding its inner text; an unquoted ``;`` is a word of its own. Formats,
    ``$VAR`` and ``~`` are kept verbatim.

    Raises:
        ValueError: an unterminated quote or brace.
    """
    words: list[str] = []
    index = 0
    while index < len(text):
        char = text[index]
        if char in _WHITESPACE:
            index += 1
        elif char == ";":
            words.append(";")
            index += 1
        elif char == "{":
            block, index = _read_block(text, index)
            words.append(block)
        else:
            word, index = _read_word(text, index)
            words.append(word)
    return words


def split_commands(words: list[str]) -> list[list[str]]:
    """Split words into commands at each ``;`` word (tmux's ``cmd1 \\; cmd2``)."""
    commands: list[list[str]] = [[]]
    for word in words:
        if word == ";":
            commands.append([])
        else:
            commands[-1].append(word)
    return [command for command in commands if command]


def parse_command_line(text: str) -> list[list[str]]:
    """Split a tmux command line into commands, each a list of words.

    ``split_words`` then ``split_commands``: ``select-pane ; send-keys -M`` and
    ``select-pane \\; send-keys -M`` both give two commands.

    Raises:
        ValueError: an unterminated quote or brace.
    """
    return split_commands(split_words(text))


def _read_block(text: str, start: int) -> tuple[str, int]:
    """Read ``{ ... }`` from ``start``; return the stripped inner text and the next index."""
    depth = 0
    index = start
    while index < len(text):
        char = text[index]
        if char in "'\"":
            closing = _closing_quote(text, index)
            index = closing + 1
            continue
        if char == "\\":
            index += 2
            continue
        if char == "{":
            depth += 1
        elif char == "}":
            depth -= 1
            if depth == 0:
                return text[start + 1 : index].strip(), index + 1
        index += 1
    raise ValueError(f"unterminated '{{' in {text!r}")


def _closing_quote(text: str, start: int) -> int:
    quote = text[start]
    index = start + 1
    while index < len(text):
        if quote == '"' and text[index] == "\\":
            index += 2
            continue
        if text[index] == quote:
            return index
        index += 1
    raise ValueError(f"unterminated {quote} in {text!r}")


def _read_word(text: str, start: int) -> tuple[str, int]:
    """Read one word from ``start``; return it and the index after it."""
    pieces: list[str] = []
    index = start
    while index < len(text) and text[index] not in _WHITESPACE and text[index] != ";":
        char = text[index]
        if char == "\\":
            pieces.append(text[index + 1 : index + 2])
            index += 2
        elif char == "'":
            closing = _closing_quote(text, index)
            pieces.append(text[index + 1 : closing])
            index = closing + 1
        elif char == '"':
            closing = _closing_quote(text, index)
            pieces.append(_unescape_double_quoted(text[index + 1 : closing]))
            index = closing + 1
        else:
            pieces.append(char)
            index += 1
    return "".join(pieces), index


_DOUBLE_QUOTED_ESCAPES = {"n": "\n", "t": "\t"}


def _unescape_double_quoted(body: str) -> str:
    return re.sub(r"\\(.)", lambda match: _DOUBLE_QUOTED_ESCAPES.get(match[1], match[1]), body)


# --- commands and bindings ----------------------------------------------------------------

_SEND_KEYS_FLAGS = frozenset("FHlMRX")
_SEND_KEYS_VALUE_FLAGS = frozenset("Nt")


@dataclass(frozen=True)
class Command:
    """One action with its arguments, e.g. ``Command("split-window", ("-h",))``.

    Attributes:
        action: An id from ``ACTIONS``.
        args: tmux-style arguments; for ``copy-mode:`` actions optionally led by the
            ``send-keys`` modifiers ``-F`` and ``-N <count>``.
    """

    action: str
    args: tuple[str, ...] = ()

    @classmethod
    def from_words(cls, words: list[str]) -> Command:
        """Build a command from tmux words; ``send-keys -X name ...`` becomes ``copy-mode:name``."""
        if not words:
            raise ValueError("empty command")
        if words[0] == "send-keys":
            copy_command = _copy_command_from_send_keys(words[1:])
            if copy_command is not None:
                return copy_command
        return cls(words[0], tuple(words[1:]))

    def copy_modifiers(self) -> tuple[tuple[str, ...], tuple[str, ...]]:
        """Split a copy-mode command's args into (``-F``/``-N n`` modifiers, the rest)."""
        modifiers: list[str] = []
        rest = list(self.args)
        while rest and rest[0] in ("-F", "-N"):
            if rest[0] == "-F":
                modifiers.append(rest.pop(0))
            elif len(rest) >= 2:
                modifiers.extend((rest.pop(0), rest.pop(0)))
            else:
                break
        return tuple(modifiers), tuple(rest)

    def words(self) -> list[str]:
        """The command as tmux words (``copy-mode:x`` is written ``send-keys -X x``)."""
        if not is_copy_mode_action(self.action):
            return [self.action, *self.args]
        modifiers, rest = self.copy_modifiers()
        flags = "FX" if "-F" in modifiers else "X"
        count: list[str] = []
        if "-N" in modifiers:
            count = ["-N", modifiers[modifiers.index("-N") + 1]]
        return ["send-keys", f"-{flags}", *count, copy_mode_command(self.action), *rest]

    def text(self) -> str:
        """The command quoted as tmux prints it: ``split-window -h``."""
        return " ".join(quote_word(word) for word in self.words())


def _copy_command_from_send_keys(arguments: list[str]) -> Command | None:
    """``-X [-F] [-N n] name args`` -> ``copy-mode:name``; None for other send-keys uses."""
    flags: set[str] = set()
    count: str | None = None
    index = 0
    while index < len(arguments) and arguments[index].startswith("-") and arguments[index] != "-":
        option = arguments[index]
        index += 1
        if option == "--":
            break
        for position, letter in enumerate(option[1:], start=1):
            if letter in _SEND_KEYS_VALUE_FLAGS:
                value = option[position + 1 :]
                if not value:
                    if index >= len(arguments):
                        return None
                    value = arguments[index]
                    index += 1
                if letter == "t":
                    return None
                count = value
                break
            if letter not in _SEND_KEYS_FLAGS:
                return None
            flags.add(letter)
    positionals = arguments[index:]
    if "X" not in flags or not flags <= {"X", "F"} or not positionals:
        return None
    modifiers = (["-F"] if "F" in flags else []) + (["-N", count] if count is not None else [])
    return Command(COPY_MODE_PREFIX + positionals[0], (*modifiers, *positionals[1:]))


@dataclass(frozen=True)
class Binding:
    """What one key does in one table.

    Attributes:
        table: The key table (``prefix``, ``root``, ``copy-mode``, ``copy-mode-vi``).
        key: The canonical tmux key name.
        commands: Run in order, like tmux's ``cmd1 \\; cmd2``.
        note: The ``bind -N`` note, if any.
        repeat: tmux's ``bind -r``: the key may be pressed again without the prefix
            within ``repeat-time``.
    """

    table: str
    key: str
    commands: tuple[Command, ...]
    note: str | None = None
    repeat: bool = False

    @property
    def action(self) -> str:
        """The first command's action id (most bindings have one command)."""
        return self.commands[0].action

    @property
    def args(self) -> tuple[str, ...]:
        """The first command's arguments."""
        return self.commands[0].args

    @property
    def description(self) -> str:
        """The note, else the first action's registry description."""
        return self.note or ACTIONS[self.action].description

    def command_line(self) -> str:
        """All commands as ``tmux list-keys`` prints them, joined by `` \\; ``."""
        return " \\; ".join(command.text() for command in self.commands)


@dataclass
class Keymap:
    """The effective key tables of a client.

    Attributes:
        prefix: The prefix key in canonical tmux notation (``C-b`` unless configured).
        tables: Table name -> canonical key -> binding, in ``TABLE_NAMES`` order.
    """

    prefix: str = DEFAULT_PREFIX
    tables: dict[str, dict[str, Binding]] = field(
        default_factory=lambda: {name: {} for name in TABLE_NAMES}
    )

    def lookup(self, table: str, key: str) -> Binding | None:
        """The binding of ``key`` (any accepted spelling) in ``table``, or None."""
        try:
            canonical = canonical_key(key)
        except ValueError:
            return None
        return self.tables.get(table, {}).get(canonical)

    def keys_for(self, action: str, table: str = "prefix") -> list[str]:
        """Keys in ``table`` whose first command is ``action`` (for hints and tooltips)."""
        return [
            key for key, binding in self.tables.get(table, {}).items() if binding.action == action
        ]

    def list_keys(self, table: str | None = None) -> list[str]:
        """Lines like ``tmux list-keys``: ``bind-key    -T prefix       % split-window -h``."""
        bindings = self._bindings(table)
        table_width = max((len(binding.table) for binding in bindings), default=0)
        key_width = max((len(quote_word(binding.key)) for binding in bindings), default=0)
        return [
            f"bind-key {'-r' if binding.repeat else '  '} -T {binding.table:<{table_width}} "
            f"{quote_word(binding.key):<{key_width}} {binding.command_line()}"
            for binding in bindings
        ]

    def notes(self, table: str | None = None) -> list[str]:
        """Lines like ``tmux list-keys -N``: ``C-b %       Split window horizontally``.

        Without ``table``: the root and prefix bindings that carry a note, prefix keys
        shown after the prefix, as tmux does. With ``table``: every binding of that table,
        described by its note or else its action's description.
        """
        if table is None:
            entries = [
                (self._shown_key(binding), binding.note)
                for binding in self._bindings(None)
                if binding.note and binding.table in ("root", "prefix")
            ]
        else:
            entries = [
                (self._shown_key(binding), binding.description) for binding in self._bindings(table)
            ]
        width = max((len(shown) for shown, _ in entries), default=0)
        return [f"{shown:<{width}} {text}" for shown, text in entries]

    def _shown_key(self, binding: Binding) -> str:
        return f"{self.prefix} {binding.key}" if binding.table == "prefix" else binding.key

    def _bindings(self, table: str | None) -> list[Binding]:
        names = list(self.tables) if table is None else [table]
        return [binding for name in names for binding in self.tables.get(name, {}).values()]


# --- loading ------------------------------------------------------------------------------


def default_keymap_path(env: Mapping[str, str] | None = None) -> Path:
    """``$XDG_CONFIG_HOME/ai-session/keymap.toml`` (``~/.config`` when unset)."""
    from aisession_tui.config import config_dir  # config imports this module at load time

    return config_dir(env) / "keymap.toml"


def default_mode_keys(env: Mapping[str, str] | None = None) -> ModeKeys:
    """tmux's ``mode-keys`` default: ``vi`` when $VISUAL (else $EDITOR) names a vi."""
    environment = os.environ if env is None else env
    editor = environment.get("VISUAL")
    if editor is None:
        editor = environment.get("EDITOR", "")
    return "vi" if "vi" in editor.rsplit("/", 1)[-1] else "emacs"


@dataclass
class _ParsedFile:
    prefix: str | None
    bindings: list[tuple[str, str, Binding | None]]
    """(table, canonical key, binding or None for unbind), in file order."""


def _read_toml(path: Path) -> dict[str, Any]:
    try:
        with path.open("rb") as handle:
            return tomllib.load(handle)
    except tomllib.TOMLDecodeError as error:
        raise KeymapError(f"{path}: invalid TOML: {error}") from None
    except OSError as error:
        raise KeymapError(f"{path}: cannot read: {error.strerror or error}") from None


def _parse_file(path: Path) -> _ParsedFile:
    data = _read_toml(path)
    prefix: str | None = None
    bindings: list[tuple[str, str, Binding | None]] = []
    for name, content in data.items():
        if name == "options":
            prefix = _parse_options(path, content)
            continue
        if name not in TABLE_NAMES:
            raise KeymapError(
                f"{path}: unknown table [{name}]; tables are "
                + ", ".join(f"[{table}]" for table in ("options", *TABLE_NAMES))
            )
        if not isinstance(content, dict):
            raise KeymapError(f"{path}: [{name}] must be a table of key = binding")
        for raw_key, value in content.items():
            where = f"{path}: [{name}] key {raw_key!r}"
            try:
                key = canonical_key(raw_key)
            except ValueError as error:
                raise KeymapError(f"{where}: {error}") from None
            bindings.append((name, key, _parse_binding(where, name, key, value)))
    return _ParsedFile(prefix, bindings)


def _parse_options(path: Path, content: object) -> str | None:
    if not isinstance(content, dict):
        raise KeymapError(f"{path}: [options] must be a table")
    unknown = sorted(set(content) - {"prefix"})
    if unknown:
        raise KeymapError(
            f"{path}: [options] unknown option(s) {', '.join(unknown)}; known: prefix"
        )
    if "prefix" not in content:
        return None
    value = content["prefix"]
    if not isinstance(value, str):
        raise KeymapError(f'{path}: [options] prefix must be a key such as "C-a"')
    try:
        return canonical_key(value)
    except ValueError as error:
        raise KeymapError(f"{path}: [options] prefix: {error}") from None


_BINDING_FIELDS = frozenset({"action", "args", "commands", "note", "repeat"})


def _parse_binding(where: str, table: str, key: str, value: object) -> Binding | None:
    """Turn one TOML value into a binding (None means unbind); raise KeymapError."""
    note: str | None = None
    repeat = False
    if isinstance(value, str):
        if value == UNBIND:
            return None
        try:
            command_words = parse_command_line(value)
        except ValueError as error:
            raise KeymapError(f"{where}: {error}") from None
    elif isinstance(value, dict):
        unknown = sorted(set(value) - _BINDING_FIELDS)
        if unknown:
            raise KeymapError(
                f"{where}: unknown field(s) {', '.join(unknown)}; "
                f"use {', '.join(sorted(_BINDING_FIELDS))}"
            )
        command_words = _command_words_from_table(where, value)
        note = value.get("note")
        if note is not None and not isinstance(note, str):
            raise KeymapError(f"{where}: note must be a string")
        repeat = value.get("repeat", False)
        if not isinstance(repeat, bool):
            raise KeymapError(f"{where}: repeat must be true or false")
    else:
        raise KeymapError(
            f'{where}: a binding is a command string, "{UNBIND}" or a table with action/args'
        )
    if not command_words:
        raise KeymapError(f"{where}: no command given")
    commands = []
    for words in command_words:
        command = Command.from_words(words)
        _validate_command(where, command)
        commands.append(command)
    return Binding(table, key, tuple(commands), note, repeat)


def _command_words_from_table(where: str, value: dict[str, Any]) -> list[list[str]]:
    if ("action" in value) == ("commands" in value):
        raise KeymapError(f"{where}: give exactly one of 'action' or 'commands'")
    if "action" in value:
        action = value["action"]
        args = value.get("args", [])
        if not isinstance(action, str) or not action:
            raise KeymapError(f"{where}: action must be a non-empty string")
        if not _is_string_list(args):
            raise KeymapError(f"{where}: args must be a list of strings")
        return [[action, *args]]
    if "args" in value:
        raise KeymapError(
            f"{where}: 'args' goes with 'action'; in 'commands' each entry holds its args"
        )
    commands = value["commands"]
    if not isinstance(commands, list) or not all(
        _is_string_list(entry) and entry for entry in commands
    ):
        raise KeymapError(f"{where}: commands must be a list of [action, arg, ...] arrays")
    return [list(entry) for entry in commands]


def _is_string_list(value: object) -> bool:
    return isinstance(value, list) and all(isinstance(item, str) for item in value)


def _validate_command(where: str, command: Command) -> None:
    action = ACTIONS.get(command.action)
    if action is None:
        hint = ""
        if command.action.startswith(COPY_MODE_PREFIX):
            hint = " (copy-mode commands are listed in aisession_tui/keymaps/actions.py)"
        raise KeymapError(f"{where}: unknown action {command.action!r}{hint}")
    extra_args = command.copy_modifiers()[1] if is_copy_mode_action(action.id) else command.args
    if extra_args and not action.takes_args:
        raise KeymapError(f"{where}: action {action.id!r} takes no arguments")
    if action.id == "toggle-panel" and (
        len(command.args) > 1 or not set(command.args) <= set(PANEL_NAMES)
    ):
        raise KeymapError(
            f"{where}: toggle-panel takes one of {', '.join(PANEL_NAMES)} (or nothing)"
        )


def _apply(
    tables: dict[str, dict[str, Binding]], parsed: Iterable[tuple[str, str, Binding | None]]
) -> None:
    for table, key, binding in parsed:
        if binding is None:
            tables[table].pop(key, None)
        else:
            tables[table][key] = binding


def _is_send_prefix(binding: Binding | None) -> bool:
    return binding is not None and [c.action for c in binding.commands] == ["send-prefix"]


def _change_prefix(
    tables: dict[str, dict[str, Binding]], new_prefix: str, user_prefix_keys: set[str]
) -> None:
    """Make ``new_prefix`` send the prefix in place of C-b, unless the user bound those keys."""
    prefix_table = tables["prefix"]
    old_binding = prefix_table.get(DEFAULT_PREFIX)
    replace_old = DEFAULT_PREFIX not in user_prefix_keys and _is_send_prefix(old_binding)
    bind_new = new_prefix not in user_prefix_keys
    new_binding = Binding("prefix", new_prefix, (Command("send-prefix"),), "Send the prefix key")
    rebuilt: dict[str, Binding] = {}
    for key, binding in prefix_table.items():
        if key == new_prefix and bind_new:
            continue
        if key == DEFAULT_PREFIX and replace_old:
            if bind_new:
                rebuilt[new_prefix] = new_binding
            continue
        rebuilt[key] = binding
    if bind_new and new_prefix not in rebuilt:
        rebuilt[new_prefix] = new_binding
    tables["prefix"] = rebuilt


@cache
def _default_bindings(path: Path) -> tuple[tuple[str, str, Binding | None], ...]:
    """The parsed defaults; parsed once per process (bindings are immutable)."""
    return tuple(_parse_file(path).bindings)


def load_keymap(user_file: Path | None = None, prefix: str | None = None) -> Keymap:
    """Load ``tmux.toml`` and layer the user's keymap file over it.

    Args:
        user_file: The user's keymap (usually ``default_keymap_path()``); a missing file
            is not an error.
        prefix: The prefix to use when the user file's ``[options] prefix`` does not set
            one (the client passes ``Config.prefix``). A prefix other than C-b is bound to
            ``send-prefix`` in place of C-b, as tmux users configure it.

    Raises:
        KeymapError: the user file (or ``prefix``) is broken; nothing is half-applied.
    """
    tables: dict[str, dict[str, Binding]] = {name: {} for name in TABLE_NAMES}
    _apply(tables, _default_bindings(DEFAULT_KEYMAP_FILE))
    user_prefix: str | None = None
    user_prefix_keys: set[str] = set()
    if user_file is not None and user_file.exists():
        user = _parse_file(user_file)
        _apply(tables, user.bindings)
        user_prefix = user.prefix
        user_prefix_keys = {key for table, key, _ in user.bindings if table == "prefix"}
    chosen = user_prefix or prefix or DEFAULT_PREFIX
    try:
        effective_prefix = canonical_key(chosen)
    except ValueError as error:
        raise KeymapError(f"invalid prefix {chosen!r}: {error}") from None
    if effective_prefix != DEFAULT_PREFIX:
        _change_prefix(tables, effective_prefix, user_prefix_keys)
    return Keymap(effective_prefix, tables)


def load_keymap_or_default(
    user_file: Path | None = None, prefix: str | None = None
) -> tuple[Keymap, str | None]:
    """Like ``load_keymap`` but never raises: on error, the defaults and the message.

    The fallback keeps ``prefix`` when that alone is valid, so a typo in ``keymap.toml``
    does not also take away the user's prefix.
    """
    try:
        return load_keymap(user_file, prefix), None
    except KeymapError as error:
        message = f"{error} - using the default key bindings"
    try:
        return load_keymap(None, prefix), message
    except KeymapError:
        return load_keymap(None, None), message
