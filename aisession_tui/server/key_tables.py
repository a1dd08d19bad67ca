"""The server's key tables, as tmux keeps them (``key-bindings.c``, ``cmd-list-keys.c``).

Owns every key binding: table name -> key -> :class:`KeyBinding` (its command list, its
``-N`` note and ``-r`` repeat flag). Invariants, as in tmux 3.3a:

* keys are stored in tmux's printed spelling (``key_names.normalise_key``) and ordered by
  tmux's key code (:func:`key_code`), tables by name, so ``list-keys`` prints in tmux's order;
* a binding holds parsed commands (names resolved); ``list-keys`` prints them the way tmux's
  ``args_print`` does (flags without a value first, then flags with values, by letter), so
  what a user wrote in any order prints as tmux prints it;
* a table that loses its last binding is gone (``table x doesn't exist``), as in tmux;
* the defaults are tmux-language data, ``aisession_tui/keymaps/defaults.conf``, parsed
  when the tables are first used (a bind, a lookup, an attach), not at the server's start;
* every change bumps :attr:`KeyTables.version` and calls the listeners (attached clients
  get the new tables pushed).

Headless: no Textual, no Rich.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path

from . import cmdlang
from .options import escape_value
from .tmux_flags import TMUX_FLAGS

DEFAULTS_FILE = Path(__file__).resolve().parents[1] / "keymaps" / "defaults.conf"
"""tmux 3.3a's default bindings as ``bind-key`` lines."""

_KEYC_BASE = 0x10E000
_KEYC_USER = 0x10F000
_KEYC_META = 0x00100000000000
_KEYC_CTRL = 0x00200000000000
_KEYC_SHIFT = 0x00400000000000

_MOUSE_EVENTS = (
    "MouseMove", "MouseDown1", "MouseDown2", "MouseDown3", "MouseUp1", "MouseUp2", "MouseUp3",
    "MouseDrag1", "MouseDrag2", "MouseDrag3", "MouseDragEnd1", "MouseDragEnd2",
    "MouseDragEnd3", "WheelUp", "WheelDown", "SecondClick1", "SecondClick2", "SecondClick3",
    "DoubleClick1", "DoubleClick2", "DoubleClick3", "TripleClick1", "TripleClick2",
    "TripleClick3",
)
_MOUSE_LOCATIONS = ("Pane", "Status", "StatusLeft", "StatusRight", "StatusDefault", "Border")
_SPECIAL_ORDER = (
    "FocusIn", "FocusOut", "Any", "PasteStart", "PasteEnd", "Mouse", "Dragging",
    "DoubleClick",
    *(event + location for event in _MOUSE_EVENTS for location in _MOUSE_LOCATIONS),
    "BSpace", *(f"F{number}" for number in range(1, 13)), "IC", "DC", "Home", "End", "NPage",
    "PPage", "BTab", "Up", "Down", "Left", "Right", "KP/", "KP*", "KP-", "KP7", "KP8", "KP9",
    "KP+", "KP4", "KP5", "KP6", "KP1", "KP2", "KP3", "KPEnter", "KP0", "KP.",
)  # fmt: skip
"""tmux 3.3a's special keys in the order of its ``KEYC_*`` enum (from ``KEYC_BASE``)."""
_SPECIAL_CODES = {name: _KEYC_BASE + index for index, name in enumerate(_SPECIAL_ORDER)}
_MOUSE_FIRST = _SPECIAL_CODES["MouseMovePane"]
_MOUSE_LAST = _SPECIAL_CODES["TripleClick3Border"]
_CHARACTER_CODES = {"C-Space": 0, "Tab": 9, "Enter": 13, "Escape": 27, "Space": 32, "C-?": 127}
_MODIFIER_BITS = {"C": _KEYC_CTRL, "M": _KEYC_META, "S": _KEYC_SHIFT}

DEFAULT_TABLE_NAMES = ("root", "prefix", "copy-mode", "copy-mode-vi")


def key_code(printed: str) -> int | None:
    """tmux's key code for a key in its printed spelling (bindings sort by it)."""
    if printed in _CHARACTER_CODES:
        return _CHARACTER_CODES[printed]
    if printed in _SPECIAL_CODES:
        return _SPECIAL_CODES[printed]
    if printed.startswith("User") and printed[4:].isdigit():
        return _KEYC_USER + int(printed[4:])
    if len(printed) == 3 and printed.startswith("C-") and printed[2] in "abcdefghijklmnopqrstuvwxyz":
        return ord(printed[2]) - 96
    if len(printed) == 3 and printed.startswith("C-") and printed[2] in "[\\]^_":
        return ord(printed[2]) - 64
    if len(printed) == 1:
        return ord(printed)
    if len(printed) > 2 and printed[1] == "-" and printed[0] in _MODIFIER_BITS:
        rest = key_code(printed[2:])
        if rest is None:
            return None
        return rest | _MODIFIER_BITS[printed[0]]
    return None


def parse_key(text: str) -> tuple[str, int] | None:
    """A key as a user wrote it -> (printed spelling, code), or None (tmux's unknown key)."""
    from .key_names import normalise_key  # (with the first key, not at the server's start)

    printed = normalise_key(text)
    if printed is None:
        printed = _modified_special(text)
    if printed is None or printed == "None":
        return None
    code = key_code(printed)
    if code is None:
        return None
    return printed, code


def _modified_special(text: str) -> str | None:
    """``M-MouseDown3Pane``: modifiers on a mouse key (normalise_key reads bare ones)."""
    modifiers = set()
    while len(text) > 2 and text[1] == "-" and text[0] in "CcMmSs":
        modifiers.add(text[0].upper())
        text = text[2:]
    if not modifiers or text not in _SPECIAL_CODES:
        return None
    return "".join(f"{letter}-" for letter in "CMS" if letter in modifiers) + text


def is_mouse_key(code: int) -> bool:
    """tmux's ``KEYC_IS_MOUSE`` (modifiers aside)."""
    base = code & ~(_KEYC_CTRL | _KEYC_META | _KEYC_SHIFT)
    return _MOUSE_FIRST <= base <= _MOUSE_LAST


# --- printing commands as tmux's args_print does ----------------------------------------


def _flag_spec(name: str) -> tuple[str, str]:
    if name in TMUX_FLAGS:
        return TMUX_FLAGS[name]
    from .commands import UnknownCommand, find

    try:
        spec = find(name)
    except UnknownCommand:
        return "", ""
    table = spec._flag_table()
    return ("".join(flag for flag, takes in table.items() if not takes),
            "".join(flag for flag, takes in table.items() if takes))


def print_command(command: cmdlang.Command, resolve: cmdlang.Resolver) -> str:
    """One command as tmux prints it (``cmd_print``)."""
    name, words = command.argv[0], command.argv[1:]
    _plain, valued = _flag_spec(name)
    counts: dict[str, int] = {}
    values: dict[str, list[str]] = {}
    positional: list[str] = []
    index = 0
    while index < len(words):
        word = words[index]
        if index + 1 in command.blocks or not word.startswith("-") or word == "-":
            break
        index += 1
        if word == "--":
            break
        position = 1
        while position < len(word):
            letter = word[position]
            position += 1
            if letter in valued:
                value = word[position:]
                if not value and index < len(words):
                    value = _printed_value(words[index], index + 1, command, resolve)
                    index += 1
                else:
                    value = escape_value(value)
                values.setdefault(letter, []).append(value)
                break
            counts[letter] = counts.get(letter, 0) + 1
    for offset in range(index, len(words)):
        positional.append(_printed_value(words[offset], offset + 1, command, resolve))
    parts = [name]
    if counts:
        parts.append("-" + "".join(letter * counts[letter] for letter in sorted(counts)))
    for letter in sorted(values):
        parts.extend(f"-{letter} {value}" for value in values[letter])
    parts.extend(positional)
    return " ".join(parts)


def _printed_value(word: str, index: int, command: cmdlang.Command,
                   resolve: cmdlang.Resolver) -> str:
    """``command.argv[index]`` as tmux prints it: a block in braces, as parsed with its
    file when it was (lines apart printed `` ;; `` apart), else parsed again."""
    if index not in command.blocks:
        return escape_value(word)
    for block_index, block in command.block_commands:
        if block_index == index:
            return "{ " + print_commands(block, resolve, escaped=False) + " }"
    parsed = cmdlang.parse(word, resolve=resolve)
    if parsed.error is not None:
        return "{ " + word + " }"
    return "{ " + print_commands(parsed.commands, resolve, escaped=False) + " }"


def print_commands(commands: Iterable[cmdlang.Command], resolve: cmdlang.Resolver, *,
                   escaped: bool) -> str:
    """A command list as tmux's ``cmd_list_print``: `` \\; `` between commands when
    ``escaped`` (``list-keys``), `` ; `` inside blocks, doubled between commands of
    different lines of a ``{ }`` block (`` \\;\\; ``)."""
    separator = " \\; " if escaped else " ; "
    between_lines = " \\;\\; " if escaped else " ;; "
    printed: list[str] = []
    previous: cmdlang.Command | None = None
    for command in commands:
        if previous is not None:
            printed.append(separator if previous.group == command.group else between_lines)
        printed.append(print_command(command, resolve))
        previous = command
    return "".join(printed)


# --- the tables -------------------------------------------------------------------------


@dataclass
class KeyBinding:
    """What one key does in one table."""

    table: str
    key: str
    code: int
    commands: tuple[cmdlang.Command, ...]
    note: str | None = None
    repeat: bool = False


class KeyTableError(Exception):
    """A bind/unbind/list that tmux refuses, worded as tmux words it."""


class KeyTables:
    """Every key table of the server (see the module docstring)."""

    def __init__(self, resolve: cmdlang.Resolver,
                 defaults: Callable[[KeyTables], None] | None = None) -> None:
        """``defaults`` fills the tables on their first use (see :attr:`tables`)."""
        self.resolve = resolve
        self._tables: dict[str, dict[str, KeyBinding]] = {}
        self._defaults = defaults
        self._loading = False
        self.version = 0
        self.listeners: list[Callable[[], None]] = []

    @property
    def tables(self) -> dict[str, dict[str, KeyBinding]]:
        """Table name -> printed key -> binding. The defaults are loaded on the first use
        (parsing them is ~15 ms of CPU that a server started for a detached session never
        needs); that load is no change: no version bump, no listener called."""
        if self._defaults is not None:
            load, self._defaults = self._defaults, None
            self._loading = True
            try:
                load(self)
            finally:
                self._loading = False
        return self._tables

    def load_defaults_now(self) -> None:
        """Load the defaults now if they are not yet (when the server is idle and a client
        is about to attach: its attach then does not wait for them)."""
        _ = self.tables

    # -- changes

    def _changed(self) -> None:
        if self._loading:
            return
        self.version += 1
        for listener in list(self.listeners):
            listener()

    def bind(self, table: str, key: str, commands: tuple[cmdlang.Command, ...] | None, *,
             note: str | None = None, repeat: bool = False) -> None:
        """tmux's ``key_bindings_add``: with no commands only the note of an existing
        binding changes."""
        parsed = parse_key(key)
        if parsed is None:
            raise KeyTableError(f"unknown key: {key}")
        printed, code = parsed
        if commands is None:
            existing = self.tables.get(table, {}).get(printed)
            if existing is not None:
                existing.note = note
                self._changed()
            return
        bindings = self.tables.setdefault(table, {})
        bindings[printed] = KeyBinding(table, printed, code, tuple(commands), note, repeat)
        self._changed()

    def unbind(self, table: str, key: str) -> None:
        """tmux's ``key_bindings_remove``: an emptied table goes."""
        parsed = parse_key(key)
        if parsed is None:
            raise KeyTableError(f"unknown key: {key}")
        bindings = self.tables.get(table)
        if bindings is None or bindings.pop(parsed[0], None) is None:
            return
        if not bindings:
            del self.tables[table]
        self._changed()

    def remove_table(self, table: str) -> None:
        """``unbind -a``: every binding of ``table``."""
        if self.tables.pop(table, None) is not None:
            self._changed()

    # -- queries

    def lookup(self, table: str, key: str) -> KeyBinding | None:
        """The binding of ``key`` (any spelling) in ``table``."""
        parsed = parse_key(key)
        if parsed is None:
            return None
        return self.tables.get(table, {}).get(parsed[0])

    def ordered(self, table: str) -> list[KeyBinding]:
        """``table``'s bindings in tmux's key order."""
        return sorted(self.tables.get(table, {}).values(), key=lambda binding: binding.code)

    def table_names(self) -> list[str]:
        """Table names in tmux's order (by name)."""
        return sorted(self.tables)

    def command_text(self, binding: KeyBinding) -> str:
        """The binding's commands as one line (`` \\; `` between them), as list-keys."""
        return print_commands(binding.commands, self.resolve, escaped=True)

    def list_keys(self, table: str | None = None, only: int | None = None,
                  first: bool = False) -> list[str]:
        """``list-keys [-1] [-T table] [key]`` lines (``cmd_list_keys_exec``)."""
        if table is not None and table not in self.tables:
            raise KeyTableError(f"table {table} doesn't exist")
        names = [table] if table is not None else self.table_names()
        chosen = [[binding for binding in self.ordered(name)
                   if only is None or binding.code == only] for name in names]
        flat = [binding for bindings in chosen for binding in bindings]
        if only is not None and not flat:
            return []
        repeat = any(binding.repeat for binding in flat)
        table_width = max((len(binding.table) for binding in flat), default=0)
        key_width = max((len(escape_value(binding.key)) for binding in flat), default=0)
        lines: list[str] = []
        for bindings in chosen:
            for binding in bindings:
                flag = ("-r " if binding.repeat else "   ") if repeat else ""
                lines.append(f"bind-key {flag}-T {binding.table:<{table_width}} "
                             f"{escape_value(binding.key):<{key_width}} "
                             f"{self.command_text(binding)}")
                if first:
                    break
        return lines

    def notes(self, table: str | None, prefix_key: str | None, *, only: int | None = None,
              every: bool = False, first: bool = False, prefix_text: str | None = None
              ) -> tuple[list[str], bool]:
        """``list-keys -N`` lines and whether any binding was found."""
        def shown(name: str) -> list[KeyBinding]:
            return [binding for binding in self.ordered(name)
                    if (only is None or binding.code == only)
                    and not is_mouse_key(binding.code)
                    and (binding.note or every)]

        def width(name: str) -> int:
            return max((len(binding.key) for binding in self.ordered(name)
                        if (only is None or binding.code == only)
                        and not is_mouse_key(binding.code) and binding.note), default=0)

        def print_table(name: str, start: str, key_width: int) -> tuple[list[str], bool]:
            out: list[str] = []
            for binding in shown(name):
                note = binding.note or self.command_text(binding)
                out.append(f"{start}{binding.key:<{key_width + 1}}{note}")
                if first:
                    break
            return out, bool(out)

        if table is None:
            if prefix_text is not None:
                start = prefix_text
            else:
                start = f"{prefix_key} " if prefix_key else ""
            key_width = width("root")
            use_prefix = prefix_key is not None
            if use_prefix:
                prefix_width = width("prefix")
                if prefix_width == 0:
                    use_prefix = False
                key_width = max(key_width, prefix_width)
            lines, found = print_table("root", " " * len(start), key_width)
            if use_prefix:
                more, found_more = print_table("prefix", start, key_width)
                lines += more
                found = found or found_more
            return lines, found
        return print_table(table, prefix_text or "", width(table))


def binding_commands(words: list[str], blocks: frozenset[int],
                     resolve: cmdlang.Resolver) -> tuple[cmdlang.Command, ...]:
    """The commands a ``bind-key`` gets after its key: one ``{ }`` block, or words split
    at ``;`` (tmux's ``cmd_parse_from_arguments``). Raises ValueError (unknown command)."""
    if len(words) == 1 and 0 in blocks:
        parsed = cmdlang.parse(words[0], resolve=resolve)
        if parsed.error is not None:
            raise ValueError(parsed.error.message)
        return tuple(parsed.commands)
    commands: list[cmdlang.Command] = []
    current: list[str] = []
    current_blocks: set[int] = set()
    for index, word in enumerate(words):
        if index not in blocks and word == ";":
            if current:
                commands.append(_command(current, current_blocks, resolve))
            current, current_blocks = [], set()
            continue
        if index in blocks:
            current_blocks.add(len(current))
        current.append(word[:-2] + ";" if index not in blocks and word.endswith("\\;")
                       else word)
    if current:
        commands.append(_command(current, current_blocks, resolve))
    return tuple(commands)


def _command(words: list[str], blocks: set[int], resolve: cmdlang.Resolver) -> cmdlang.Command:
    return cmdlang.Command((resolve(words[0]), *words[1:]), 0, 0, frozenset(blocks))


def load_defaults(tables: KeyTables, path: Path = DEFAULTS_FILE) -> None:
    """Fill ``tables`` with tmux 3.3a's defaults (``bind-key`` lines of ``path``)."""
    from .commands.bind_key import SPEC, apply_bind
    from .commands.spec import parse_args

    parsed = cmdlang.parse(path.read_text(encoding="utf-8"), resolve=tables.resolve)
    if parsed.error is not None:
        raise ValueError(f"{path}:{parsed.error.line}: {parsed.error.message}")
    for command in parsed.commands:
        args = parse_args(SPEC, list(command.argv[1:]))
        start = len(command.argv) - len(args.positional)
        apply_bind(tables, args, frozenset(index - start for index in command.blocks
                                           if index >= start))


def default_key_tables() -> KeyTables:
    """A server's tables at start: tmux's defaults (loaded on the tables' first use), names
    resolved by the registry."""
    from .command_lists import resolve_name

    return KeyTables(resolve_name, load_defaults)
