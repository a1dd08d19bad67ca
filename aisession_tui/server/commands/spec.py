"""The declarative shape of a command and the argv parser every front end shares.

A command module exports ``SPEC = CommandSpec(...)``: its name and aliases, a getopt flag
string in tmux notation (``"dPs:c:"``: a letter followed by ``:`` takes a value), long
options for the seed's verbs (``{"json": False, "name": True}``: True takes a value), the
usage line, how many positional arguments it takes and its ``run`` coroutine. The CLI, the
TUI's command prompt and the MCP bridge all parse with :func:`parse_args`, so a command's
syntax is written once.

Parsing follows tmux's getopt: values attached or separate (``-sNAME``, ``-s NAME``), flags
grouped (``-dP``), ``--`` ends options, and options stop at the first positional unless
the spec says ``intermixed`` (the seed verbs, which put ``--json`` after their arguments).
"""

from __future__ import annotations

from collections.abc import Callable, Coroutine
from typing import Any


class UsageError(Exception):
    """Bad flags or arguments; the message is tmux-like and ``usage`` is appended."""

    def __init__(self, message: str, usage: str) -> None:
        super().__init__(message)
        self.message = message
        self.usage = usage

    def __str__(self) -> str:
        return f"{self.message}\nusage: {self.usage}" if self.usage else self.message


class CommandError(Exception):
    """A command that could not do what it was asked (``can't find session: x``)."""


class CommandResult:
    """What a command produced: text for stdout/stderr, an exit code, optional data."""

    __slots__ = ("data", "exit_code", "stderr", "stdout")

    def __init__(self, stdout: str = "", stderr: str = "", exit_code: int = 0,
                 data: Any = None) -> None:
        self.stdout = stdout
        self.stderr = stderr
        self.exit_code = exit_code
        self.data = data


class Args:
    """Parsed arguments: ``flags`` maps a flag letter or long option to its value(s)."""

    __slots__ = ("flags", "positional")

    def __init__(self) -> None:
        self.flags: dict[str, Any] = {}
        self.positional: list[str] = []

    def has(self, flag: str) -> bool:
        """True when the flag was given."""
        return flag in self.flags

    def get(self, flag: str, default: Any = None) -> Any:
        """The flag's value (the last one if repeated), or ``default``."""
        value = self.flags.get(flag, default)
        if isinstance(value, list):
            return value[-1] if value else default
        return value

    def all(self, flag: str) -> list[str]:
        """Every value of a repeatable flag, in order."""
        value = self.flags.get(flag)
        if value is None:
            return []
        return value if isinstance(value, list) else [value]


NONE = "none"
PANE = "pane"
WINDOW = "window"
SESSION = "session"
CLIENT = "client"
"""Target kinds, as tmux's ``CMD_FIND_PANE`` / ``WINDOW`` / ``SESSION`` / ``CLIENT``: what a
command's ``-t`` (its ``target``) or ``-s`` (its ``source``) names. The dispatcher resolves
both before ``run``, with tmux's errors (``can't find pane: X``), and the command reads
them as ``ctx.target`` and ``ctx.source`` (:class:`~aisession_tui.server.targets.Target`)."""

Runner = Callable[[Any, Args], Coroutine[Any, Any, CommandResult]]
"""A command's ``run``: ``(ctx: CommandContext, args)`` in the server, ``(ctx:
LocalCommandContext, args)`` for a command that runs in the CLI process (``needs_server``
False); see :mod:`aisession_tui.server.context`."""


def _runs_in_cli(name: str) -> Runner:
    """The server-side ``run`` of a verb implemented only in the CLI process
    (:mod:`aisession_tui.cli.commands`): asked of the server, it says where it runs."""

    async def refuse(ctx: Any, args: Args) -> CommandResult:
        raise CommandError(f"{name} runs in the ai-session command (from a shell), not in "
                           "the server")

    return refuse


class CommandSpec:
    """Everything about one command, in one place (a plain class: the CLI's start-up
    cost matters more than dataclass conveniences here)."""

    def __init__(self, *, name: str, usage: str, run: Runner | None = None,
                 alias: tuple[str, ...] = (),
                 flags: str = "", long_options: dict[str, bool] | None = None,
                 repeatable: str = "", min_args: int = 0, max_args: int | None = 0,
                 intermixed: bool = False, starts_server: bool = False,
                 needs_server: bool = True, summary: str = "", target: str = NONE,
                 source: str = NONE) -> None:
        self.name = name
        self.usage = usage
        if run is None and needs_server:
            raise ValueError(f"{name}: only a needs_server=False verb may have no run")
        self.cli_only = run is None
        """Implemented only in the CLI process (:mod:`aisession_tui.cli.commands`)."""
        self.run: Runner = run or _runs_in_cli(name)
        """Runs the command in the server (and in the CLI process for a ``needs_server``
        False verb that :mod:`aisession_tui.cli.commands` does not implement itself)."""
        self.alias = alias
        self.flags = flags
        self.long_options = long_options or {}
        self.repeatable = repeatable
        self.min_args = min_args
        self.max_args = max_args
        self.intermixed = intermixed
        self.starts_server = starts_server
        self.needs_server = needs_server
        self.summary = summary
        self.target = target
        """The kind ``-t`` names (tmux's ``.target = { 't', CMD_FIND_... }``), or NONE."""
        self.source = source
        """The kind ``-s`` names (tmux's ``.source``), or NONE."""

    @property
    def usage_line(self) -> str:
        """``name (alias) usage`` as ``list-commands`` prints it (tmux keeps the space
        before an empty usage: ``lock-server (lock) ``)."""
        alias = f" ({', '.join(self.alias)})" if self.alias else ""
        return f"{self.name}{alias} {self.usage}"

    def _flag_table(self) -> dict[str, bool]:
        table: dict[str, bool] = {}
        letters = self.flags
        for index, letter in enumerate(letters):
            if letter == ":":
                continue
            table[letter] = index + 1 < len(letters) and letters[index + 1] == ":"
        return table


def parse_args(spec: CommandSpec, argv: list[str]) -> Args:
    """Parse ``argv`` (the words after the command name) against ``spec``."""
    from ..tmux_commands import TMUX_COMMANDS

    table = spec._flag_table()
    # tmux 3.3a prints only the error for its own commands; ours add their usage line.
    usage = "" if spec.name in TMUX_COMMANDS else f"{spec.name} {spec.usage}".rstrip()
    args = Args()
    index = 0
    options_done = False

    def store(key: str, value: Any) -> None:
        if key in spec.repeatable:
            args.flags.setdefault(key, []).append(value)
        else:
            args.flags[key] = value

    def take_value(attached: str | None, label: str) -> str:
        """The option's value: attached (``-sNAME``, ``--name=X``) or the next word."""
        nonlocal index
        if attached is not None:
            return attached
        if index < len(argv):
            index += 1
            return argv[index - 1]
        raise UsageError(f"command {spec.name}: {label} expects an argument", usage)

    while index < len(argv):
        word = argv[index]
        index += 1
        if options_done or word == "-" or not word.startswith("-"):
            args.positional.append(word)
            if not spec.intermixed:
                options_done = True
            continue
        if word == "--":
            options_done = True
            continue
        if word.startswith("--"):
            name, eq, inline = word[2:].partition("=")
            if name not in spec.long_options:
                raise UsageError(f"command {spec.name}: unknown option --{name}", usage)
            if spec.long_options[name]:
                store(name, take_value(inline if eq else None, f"--{name}"))
            elif eq:
                raise UsageError(f"command {spec.name}: --{name} takes no argument", usage)
            else:
                store(name, True)
            continue
        position = 1
        while position < len(word):
            letter = word[position]
            position += 1
            if letter not in table:
                raise UsageError(f"command {spec.name}: unknown flag -{letter}", usage)
            if table[letter]:
                store(letter, take_value(word[position:] or None, f"-{letter}"))
                break
            store(letter, True)
    count = len(args.positional)
    if count < spec.min_args:
        raise UsageError(
            f"command {spec.name}: too few arguments (need at least {spec.min_args})", usage)
    if spec.max_args is not None and count > spec.max_args:
        raise UsageError(
            f"command {spec.name}: too many arguments (need at most {spec.max_args})", usage)
    return args


def parse_int(value: str, what: str) -> int:
    """An integer flag value, or a tmux-like error."""
    try:
        return int(value)
    except (TypeError, ValueError):
        raise CommandError(f"{what} invalid: {value}") from None


UINT_MAX = 2**32 - 1


def bounded_number(value: str, low: int, high: int, what: str) -> int:
    """A number argument as tmux's ``args_strtonum`` reads it (decimal, leading blanks and
    a sign allowed), or its error: ``WHAT invalid``, ``WHAT too small``, ``WHAT too large``."""
    text = value.lstrip(" \t\n\r\f\v")
    digits = text[1:] if text[:1] in "+-" else text
    if not digits.isdigit() or not digits.isascii():
        raise CommandError(f"{what} invalid")
    number = int(text)
    if number < low:
        raise CommandError(f"{what} too small")
    if number > high:
        raise CommandError(f"{what} too large")
    return number
