"""Options, as tmux keeps them: tables by scope, each inheriting from its parent.

Tables are named by key: ``server``, ``session`` and ``window`` are the global tables (what
``set -s``, ``set -g`` and ``set -gw`` change); ``$N``, ``@N`` and ``%N`` hold one session's,
window's or pane's own values. A pane inherits from its window, a window from the global
window table, a session from the global session table. The option table
(:mod:`option_table`) says which tables an option may live in and how its value is checked.

Values are kept in the form ``show-options`` prints (a flag ``on``/``off``, a colour ``red``,
a key ``C-b``); an array option's value is a dict ``{index: item}``. A global table always
holds every option of its scope: unsetting there restores the default; unsetting in a
local table removes the value so the parent's shows through.

Invariants: no table ever holds a value its option's type would refuse, and
:meth:`Options.get` of a table option always returns a string (the global default at worst).

The global ``mode-keys`` and ``status-keys`` follow $VISUAL (else $EDITOR) of the process
that started the server (``vi`` when the editor's name contains "vi"), ``editor`` is that
editor, and ``default-shell`` is $SHELL when it is a usable shell, as tmux 3.3a does.
Deliberate differences from tmux's defaults are in :data:`AI_SESSION_DEFAULTS`.
"""

from __future__ import annotations

import fnmatch
import os
import pwd
import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass

from .commands.spec import CommandError
from .option_table import (
    BY_NAME,
    CHOICE,
    COLOUR,
    FLAG,
    KEY,
    NUMBER,
    OPTIONS_TABLE,
    OTHER_NAMES,
    PANE,
    SERVER,
    SESSION,
    WINDOW,
    OptionDef,
)
from .styles import colour_name, is_valid_style, parse_colour

AI_SESSION_DEFAULTS: dict[str, str] = {
    "mouse": "on",
    "default-terminal": "xterm-256color",
}
"""Where ai-session's defaults differ from tmux's: the mouse works from the start (the
client always handled it), and panes get ``TERM=xterm-256color``, the terminal ai-session
emulates (``tmux-256color`` needs a terminfo entry many systems lack)."""

GLOBAL_TABLES = ("server", "session", "window")

Value = str | dict[int, str]


def global_table(option: OptionDef) -> str:
    """The global table an option lives in (a pane option's is the window table)."""
    if option.scope & SERVER:
        return "server"
    if option.scope & SESSION:
        return "session"
    return "window"


def option_kind(name: str) -> str:
    """``server``, ``session`` or ``window`` for a table option (a user option ``@name``
    is a session one unless ``-w`` or ``-p`` says otherwise, as in tmux)."""
    option = BY_NAME.get(name)
    return "session" if option is None else global_table(option)


def table_scope(table: str) -> int:
    """The scope bit of a table key (``%3`` is a pane table, ``window`` a window one)."""
    if table == "server":
        return SERVER
    if table == "session" or table.startswith("$"):
        return SESSION
    if table.startswith("%"):
        return PANE
    return WINDOW


def _getshell(env: Mapping[str, str]) -> str:
    """tmux's choice of default shell: $SHELL, else the login shell, else /bin/sh."""
    candidates = [env.get("SHELL", "")]
    try:
        candidates.append(pwd.getpwuid(os.getuid()).pw_shell)
    except KeyError:
        pass
    for shell in candidates:
        if is_suitable_shell(shell):
            return shell
    return "/bin/sh"


def is_suitable_shell(shell: str) -> bool:
    """An absolute path to an executable (tmux's ``checkshell``)."""
    return shell.startswith("/") and os.access(shell, os.X_OK)


def _editor_is_vi(editor: str) -> bool:
    return "vi" in editor.rsplit("/", 1)[-1]


def initial_tables(env: Mapping[str, str] | None = None) -> dict[str, dict[str, Value]]:
    """A new server's global tables: the defaults, plus what tmux takes from the
    environment of the process starting the server."""
    environment = os.environ if env is None else env
    tables: dict[str, dict[str, Value]] = {name: {} for name in GLOBAL_TABLES}
    for option in OPTIONS_TABLE:
        tables[global_table(option)][option.name] = default_value(option)
    editor = environment.get("VISUAL")
    if editor is None:
        editor = environment.get("EDITOR")
    if editor is not None:
        tables["server"]["editor"] = editor
        if _editor_is_vi(editor):
            tables["session"]["status-keys"] = "vi"
            tables["window"]["mode-keys"] = "vi"
    tables["session"]["default-shell"] = _getshell(environment)
    return tables


def default_value(option: OptionDef) -> Value:
    """The value a global table starts with (and goes back to on ``set -gu``)."""
    if option.name in AI_SESSION_DEFAULTS:
        return AI_SESSION_DEFAULTS[option.name]
    if option.array:
        return dict(enumerate(option.default))
    assert isinstance(option.default, str)
    return option.default


def parse_option_name(argument: str) -> tuple[str, int | None] | None:
    """``name`` or ``name[N]`` split into the name and the index; None if malformed."""
    if not argument:
        return None
    name, bracket, rest = argument.partition("[")
    if not bracket:
        return argument, None
    match = re.fullmatch(r"(\d+)\]", rest)
    if match is None:
        return None
    return name, int(match.group(1))


def resolve_option(argument: str) -> tuple[str, int | None]:
    """The option ``argument`` names, as tmux matches it: an exact name, else a unique
    prefix of one (``status-j`` is ``status-justify``); user options as they are.
    Raises CommandError ``ambiguous option`` / ``invalid option``."""
    parsed = parse_option_name(argument)
    if parsed is None:
        raise CommandError(f"invalid option: {argument}")
    name, index = parsed
    if name.startswith("@"):
        return name, index
    name = OTHER_NAMES.get(name, name)
    if name in BY_NAME:
        return name, index
    matches = [option.name for option in OPTIONS_TABLE if option.name.startswith(name)]
    if len(matches) > 1:
        raise CommandError(f"ambiguous option: {argument}")
    if not matches:
        raise CommandError(f"invalid option: {argument}")
    return matches[0], index


_NUMBER = re.compile(r"\s*[+-]?\d+")


def check_number(option: OptionDef, value: str) -> str:
    """A number option's value as stored, or tmux's ``value is ...`` error."""
    if not _NUMBER.fullmatch(value):
        raise CommandError(f"value is invalid: {value}")
    number = int(value)
    if number < option.minimum:
        raise CommandError(f"value is too small: {value}")
    if number > option.maximum:
        raise CommandError(f"value is too large: {value}")
    return str(number)


def check_string(option: OptionDef, value: str) -> str:
    """Check a string option's new value as tmux does; returns it unchanged."""
    if option.name == "default-shell" and not is_suitable_shell(value):
        raise CommandError(f"not a suitable shell: {value}")
    if option.pattern is not None and not fnmatch.fnmatchcase(value, option.pattern):
        raise CommandError(f"value is invalid: {value}")
    if option.style and not is_valid_style(value):
        raise CommandError(f"invalid style: {value}")
    return value


def check_colour(value: str) -> str:
    """A colour as tmux prints it, or ``bad colour``."""
    colour = parse_colour(value)
    if colour is None:
        raise CommandError(f"bad colour: {value}")
    return colour_name(colour)


def parse_flag(value: str) -> str:
    """``on``/``off`` from any spelling tmux accepts, or ``bad value``."""
    if value == "1" or value.lower() in ("on", "yes"):
        return "on"
    if value == "0" or value.lower() in ("off", "no"):
        return "off"
    raise CommandError(f"bad value: {value}")


_VISIBLE_ESCAPES = {"\n": "\\n", "\r": "\\r", "\b": "\\b", "\a": "\\a", "\v": "\\v",
                    "\t": "\\t", "\f": "\\f", "\0": "\\0"}


def _vis(text: str, double_quoted: bool) -> str:
    out = []
    for position, char in enumerate(text):
        following = text[position + 1] if position + 1 < len(text) else ""
        if char == "$" and following:
            out.append("\\$" if following.isalpha() or following in "_{" else "$")
        elif char == "\\":
            out.append("\\\\")
        elif char == '"' and double_quoted:
            out.append('\\"')
        elif ord(char) > 127 or char == " " or (char.isprintable() and ord(char) > 32):
            out.append(char)
        elif char in _VISIBLE_ESCAPES:
            out.append(_VISIBLE_ESCAPES[char])
        else:
            out.append("".join(f"\\{byte:03o}" for byte in char.encode("utf-8",
                                                                       "surrogateescape")))
    return "".join(out)


def escape_value(value: str) -> str:
    """A string value as ``show-options`` prints it (tmux's ``args_escape``): quoted when
    it holds a space or a character tmux's parser treats specially, with non-printing
    characters escaped, so the line can be read back by tmux's command parser."""
    if value == "":
        return "''"
    quote = ""
    if any(char in " #';${}%" for char in value):
        quote = '"'
    elif any(char in ' "' for char in value):
        quote = "'"
    if value[0] != " " and len(value) == 1 and (quote or value[0] == "~"):
        return "\\" + value
    escaped = _vis(value, quote == '"')
    if escaped.startswith("~"):
        escaped = "\\" + escaped
    return f"{quote}{escaped}{quote}"


@dataclass
class ShownOption:
    """One ``show-options`` line before formatting."""

    name: str
    value: str
    is_string: bool
    inherited: bool
    bare: bool = False
    """An array without items: tmux prints its name alone."""


class Options:
    """Every option table of a server. See the module docstring for the model."""

    def __init__(self, env: Mapping[str, str] | None = None) -> None:
        self.tables: dict[str, dict[str, Value]] = initial_tables(env)

    # ----------------------------------------------------------------- reading

    def table(self, key: str) -> dict[str, Value]:
        """One table (empty for a local table that holds nothing yet)."""
        return self.tables.get(key, {})

    def get(self, name: str, *scopes: str | None) -> str:
        """The value seen from the narrowest of ``scopes`` that sets it, else the global
        one; "" for an unknown user option or an array option."""
        value = self.lookup(name, *scopes)
        return value if isinstance(value, str) else ""

    def lookup(self, name: str, *scopes: str | None) -> Value | None:
        """Like :meth:`get`, but an array option's items as a dict and None if unset."""
        for scope in scopes:
            if scope is not None and name in self.tables.get(scope, {}):
                return self.tables[scope][name]
        option = BY_NAME.get(name)
        if option is not None:
            return self.tables[global_table(option)].get(name)
        for table in ("window", "session", "server"):
            if name in self.tables[table]:
                return self.tables[table][name]
        return None

    def flag(self, name: str, *scopes: str | None) -> bool:
        """A flag option (a choice whose value is ``on`` counts too: remain-on-exit)."""
        return self.get(name, *scopes) == "on"

    def number(self, name: str, *scopes: str | None) -> int:
        """A number option."""
        try:
            return int(self.get(name, *scopes))
        except ValueError:
            option = BY_NAME.get(name)
            default = option.default if option is not None else "0"
            return int(default) if isinstance(default, str) and default.isdigit() else 0

    def array(self, name: str, *scopes: str | None) -> list[str]:
        """An array option's items in index order."""
        value = self.lookup(name, *scopes)
        return [value[index] for index in sorted(value)] if isinstance(value, dict) else []

    def is_set(self, name: str, table: str | None) -> bool:
        """Whether ``table`` (None: the option's global table) holds a value of its own."""
        key = option_kind(name) if table is None else table
        return name in self.tables.get(key, {})

    def format_value(self, name: str, *scopes: str | None) -> str | None:
        """An option as a format sees it (``#{mouse}``): a flag as 1 or 0, an array item
        ``name[N]`` by index; None if no such option is set."""
        parsed = parse_option_name(name)
        if parsed is None:
            return None
        base, index = parsed
        base = OTHER_NAMES.get(base, base)
        value = self.lookup(base, *scopes)
        if value is None:
            return None
        if isinstance(value, dict):
            return value.get(index, "") if index is not None else ""
        option = BY_NAME.get(base)
        if option is not None and option.type == FLAG:
            return "1" if value == "on" else "0"
        return value

    # ----------------------------------------------------------------- changing

    def set(self, name: str, value: str | None, scope: str | None = None,
            unset: bool = False, index: int | None = None, append: bool = False) -> None:
        """Set (or unset) an option in table ``scope`` (None: its global table), checking
        the value as tmux does; a flag or choice without a value toggles."""
        option = BY_NAME.get(name)
        if option is None and not name.startswith("@"):
            raise CommandError(f"invalid option: {name}")
        table_key = scope if scope is not None else option_kind(name)
        table = self.tables.setdefault(table_key, {})
        if index is not None and (option is None or not option.array):
            raise CommandError(f"not an array: {name}[{index}]")
        if unset:
            self._unset(table_key, table, name, option, index)
            return
        if option is None:
            if value is None:
                raise CommandError("empty value")
            old = table.get(name)
            table[name] = (old if isinstance(old, str) and append else "") + value
            return
        if option.array:
            self._set_array(table, option, index, value, append)
            return
        table[name] = self._checked(option, value, append, self.get(name, scope))

    def _checked(self, option: OptionDef, value: str | None, append: bool,
                 current: str) -> str:
        """The stored form of a new scalar value, or tmux's error."""
        if value is None and option.type not in (FLAG, CHOICE):
            raise CommandError("empty value")
        if option.type == NUMBER:
            assert value is not None
            return check_number(option, value)
        if option.type == KEY:
            assert value is not None
            from .key_names import normalise_key  # (key_names and terminal.keys: ~1 ms)

            key = normalise_key(value)
            if key is None:
                raise CommandError(f"bad key: {value}")
            return key
        if option.type == COLOUR:
            assert value is not None
            return check_colour(value)
        if option.type == FLAG:
            if not value:
                return "off" if current == "on" else "on"
            return parse_flag(value)
        if option.type == CHOICE:
            if value is None:
                position = option.choices.index(current) if current in option.choices else 0
                return option.choices[1 - position] if position < 2 else current
            if value not in option.choices:
                raise CommandError(f"unknown value: {value}")
            return value
        assert value is not None
        if append:
            value = current + (option.separator or "") + value
        return check_string(option, value)

    def _set_array(self, table: dict[str, Value], option: OptionDef, index: int | None,
                   value: str | None, append: bool) -> None:
        if value is None:
            raise CommandError("empty value")
        existing = table.get(option.name)
        items = dict(existing) if isinstance(existing, dict) else {}
        if index is not None:
            old = items.get(index)
            items[index] = self._array_item(option, (old or "") + value if append and
                                            option.type != COLOUR else value)
        else:
            if not append:
                items = {}
            separator = " ," if option.separator is None else option.separator
            pieces = ([value] if value else []) if separator == "" else [
                piece for piece in re.split("[" + re.escape(separator) + "]", value) if piece]
            for piece in pieces:
                free = 0
                while free in items:
                    free += 1
                items[free] = self._array_item(option, piece)
        table[option.name] = items

    @staticmethod
    def _array_item(option: OptionDef, value: str) -> str:
        return check_colour(value) if option.type == COLOUR else value

    def _unset(self, table_key: str, table: dict[str, Value], name: str,
               option: OptionDef | None, index: int | None) -> None:
        if name not in table:
            return
        if index is not None:
            items = table[name]
            if isinstance(items, dict):
                items.pop(index, None)
        elif option is not None and table_key in GLOBAL_TABLES:
            table[name] = default_value(option)
        else:
            del table[name]

    def forget(self, table_key: str) -> None:
        """Drop a session's, window's or pane's own table when it goes away."""
        self.tables.pop(table_key, None)

    # ----------------------------------------------------------------- showing

    def shown(self, chain: list[str], name: str | None = None, index: int | None = None,
              inherit: bool = False, hooks: bool = False) -> Iterator[ShownOption]:
        """The lines ``show-options`` prints for table ``chain[0]`` (its parents follow
        in ``chain``): every option of the table's scope, or only ``name``; with
        ``inherit`` (``-A``) a value the table lacks comes from the nearest parent."""
        own = self.tables.get(chain[0], {})
        if name is not None:
            names = [name]
        else:
            scope = table_scope(chain[0])
            names = sorted(key for key in own if key.startswith("@"))
            names += [option.name for option in OPTIONS_TABLE
                      if option.scope & scope and (hooks or not option.hook)]
        for option_name in names:
            value, inherited = own.get(option_name), False
            if value is None and inherit:
                for parent in chain[1:]:
                    value = self.tables.get(parent, {}).get(option_name)
                    if value is not None:
                        inherited = True
                        break
            if value is None:
                continue
            option = BY_NAME.get(option_name)
            is_string = option is None or option.is_string
            if isinstance(value, dict):
                if index is not None:
                    if index in value:
                        yield ShownOption(f"{option_name}[{index}]", value[index], is_string,
                                          inherited)
                    continue
                if not value:
                    yield ShownOption(option_name, "", False, inherited, bare=True)
                for item_index in sorted(value):
                    yield ShownOption(f"{option_name}[{item_index}]", value[item_index],
                                      is_string, inherited)
            else:
                yield ShownOption(option_name, value, is_string, inherited)
