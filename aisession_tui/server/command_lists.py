"""Running command lists: a CLI line with ``;``, ``source-file`` and the config files.

Owns the run-time half of tmux's command language (the parse is :mod:`.cmdlang`):

* a list runs in order; a failing command skips the rest of its group (its line, or the
  CLI's whole list) and nothing else, as in tmux;
* a file with a parse error runs nothing and reports ``file:line: message``;
* ``source-file`` nests up to :data:`MAX_DEPTH` files deep;
* the config files are read once at server start; what went wrong is kept in the
  server's :class:`~.config_causes.ConfigCauses` (``ctx.services.config_causes``) for
  ``show-messages``, and shown once in view mode.

The environment that ``$VAR`` reads and ``VAR=value`` writes is the server's global
environment (tmux's ``global_environ``): the context's engine's
:attr:`~.environment.Environments.global_values`, seeded from the server's own environment.
"""

from __future__ import annotations

import contextvars
import glob
import os
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from . import cmdlang
from .commands.spec import CommandResult, UsageError
from .tmux_commands import TMUX_COMMANDS

if TYPE_CHECKING:
    from .context import CommandContext

MAX_DEPTH = 50

_depth: contextvars.ContextVar[int] = contextvars.ContextVar("source_depth", default=0)
_config_file: contextvars.ContextVar[str] = contextvars.ContextVar("config_file", default="")
"""The file whose commands run while the config loads at start (their errors name it)."""
RUNNING: contextvars.ContextVar[cmdlang.Command | None] = contextvars.ContextVar(
    "running_command", default=None)
"""The parsed command :func:`run_commands` is running: which arguments were ``{ }`` blocks
(``bind-key`` keeps them as command lists)."""
_source_file: contextvars.ContextVar[str] = contextvars.ContextVar("source_file", default="")
"""The file whose commands are running (``source-file`` or the config), at any time."""
_loading_config: contextvars.ContextVar[bool] = contextvars.ContextVar("loading_config",
                                                                       default=False)

Runner = Callable[["CommandContext", list[str]], Awaitable[CommandResult]]


def resolve_name(name: str) -> str:
    """A command's full name as the parser wants it (tmux's wording when it is unknown).

    A command tmux has but ai-session lacks is accepted here and fails when it runs, so it
    costs its own line only instead of the whole file.
    """
    from .commands import UnknownCommand, find

    try:
        return find(name).name
    except UnknownCommand as exc:
        known = cmdlang.TMUX_ALIASES.get(name) or (
            name if name in TMUX_COMMANDS else None)
        if known is None:
            prefixed = [full for full in TMUX_COMMANDS if full.startswith(name)]
            known = prefixed[0] if len(prefixed) == 1 else None
        if known is not None:
            return known
        raise ValueError(str(exc)) from None


def parse_text(context: CommandContext, text: str, first_line: int = 1) -> cmdlang.Parsed:
    """Parse ``text`` with this server's names, environment and formats."""
    def condition(template: str) -> bool:
        value = context.expand(template)
        return value not in ("", "0")

    parsed = cmdlang.parse(text, resolve=resolve_name,
                           environ=context.engine.environments.global_values,
                           condition=condition, first_line=first_line)
    if parsed.error is None:
        parsed.error = check_arguments(parsed.commands)
        refused = parsed.error
        if refused is not None:
            parsed.built = [command for command in parsed.commands
                            if refused.group is not None and command.group < refused.group]
    return parsed


def parse_list(context: CommandContext, text: str) -> tuple[cmdlang.Parsed, str]:
    """Parse a command list given to a running command (``if-shell``, ``run-shell -C``)
    as tmux does: a ``{ }`` block is the commands parsed with the file; text counts its
    lines from the running command's line, and a parse error is
    worded ``file:line: message`` when that command came from a file. Returns the parse
    and the error text ("" when it parsed)."""
    running = RUNNING.get()
    block = running.block(text) if running is not None else None
    if block is not None:  # a { } block: its commands as the file's parse left them
        return cmdlang.Parsed(list(block)), ""
    line = running.line if running is not None and running.line > 0 else 1
    parsed = parse_text(context, text, first_line=line)
    if parsed.error is None:
        return parsed, ""
    source = _source_file.get()
    where = f"{source}:{parsed.error.line}: " if source else ""
    return parsed, f"{where}{parsed.error.message}\n"


def check_arguments(commands: list[cmdlang.Command]) -> cmdlang.ParseError | None:
    """The first command whose flags or argument count its spec refuses, as the parse
    error tmux 3.3a reports before running anything (``command set-option: too many
    arguments (need at most 2)`` on that command's line)."""
    from .commands import UnknownCommand, find
    from .commands.spec import parse_args

    for command in commands:
        try:
            parse_args(find(command.argv[0]), list(command.argv[1:]))
        except UnknownCommand:
            continue  # the run reports it, as today
        except UsageError as exc:
            return cmdlang.ParseError(command.line, str(exc), command.group)
    return None


async def run_commands(run: Runner, context: CommandContext,
                       commands: list[cmdlang.Command]) -> CommandResult:
    """Run ``commands`` in order; a failure skips the rest of its group."""
    out: list[str] = []
    err: list[str] = []
    code = 0
    data: Any = None
    failed: set[int] = set()
    for command in commands:
        if command.group in failed:
            continue
        token = RUNNING.set(command)
        try:
            result = await run(context, list(command.argv))
        finally:
            RUNNING.reset(token)
        out.append(result.stdout)
        where = _config_file.get()
        if where and result.stderr:
            # no client (config at start): kept at once as file:line of this command, as
            # tmux's cfg_add_cause, so a list run inside it (if-shell, run-shell -C)
            # names its own lines and is not named again by the command that ran it
            context.services.config_causes.lines.extend(
                f"{where}:{command.line}: {line}" for line in result.stderr.splitlines())
        else:
            err.append(result.stderr)
        if result.data is not None:
            data = result.data
        if result.exit_code:
            code = result.exit_code
            failed.add(command.group)
    return CommandResult(stdout="".join(out), stderr="".join(err), exit_code=code, data=data)


def argv_commands(lists: list[list[str]]) -> list[cmdlang.Command]:
    """A CLI's command lists (already split at ``;``) as one group, names resolved."""
    return [cmdlang.Command((resolve_name(argv[0]), *argv[1:]), 0, 0) for argv in lists]


async def source_file(run: Runner, context: CommandContext, path: str, *, quiet: bool,
                      parse_only: bool, verbose: bool) -> CommandResult:
    """``source-file`` for one path pattern (globbed against the client's cwd; ``-`` is
    the client's standard input)."""
    depth = _depth.get()
    if depth >= MAX_DEPTH:
        return CommandResult(stderr="too many nested files\n", exit_code=1)
    pattern = path if os.path.isabs(path) else os.path.join(context.cwd, path)
    if path == "-":
        matches = [path]
    else:
        matches = sorted(glob.glob(pattern)) or ([] if glob.has_magic(pattern) else [pattern])
    if not matches:
        if quiet:
            return CommandResult()
        return CommandResult(stderr=f"{path}: No such file or directory\n", exit_code=1)
    out: list[str] = []
    err: list[str] = []
    code = 0
    for name in matches:
        try:
            if name == "-" and context.stdin is None:
                raise OSError(0, "no stdin to read from")
            text = context.stdin if name == "-" and context.stdin is not None else \
                Path(name).read_text(encoding="utf-8", errors="surrogateescape")
        except OSError as exc:
            if quiet and isinstance(exc, FileNotFoundError):
                continue
            err.append(f"{name}: {exc.strerror or exc}\n")
            code = 1
            continue
        parsed = parse_text(context, text)
        if parsed.error is not None:
            if verbose:  # the lines tmux built (and printed) before the one it refused
                out.extend(_verbose_lines(name, parsed.built))
            # tmux prints a parse error where the file's output goes, not as an error
            out.append(f"{name}:{parsed.error.line}: {parsed.error.message}\n")
            code = 1
            continue
        if verbose:
            out.extend(_verbose_lines(name, parsed.commands))
        if parse_only:
            continue
        token = _depth.set(depth + 1)
        located = _config_file.set(name if _loading_config.get() else "")
        source = _source_file.set(name)
        try:
            result = await run_commands(run, context, parsed.commands)
        finally:
            _source_file.reset(source)
            _config_file.reset(located)
            _depth.reset(token)
        out.append(result.stdout)
        err.append(result.stderr)
        code = code or result.exit_code
    return CommandResult(stdout="".join(out), stderr="".join(err), exit_code=code)


def _verbose_lines(name: str, commands: list[cmdlang.Command]) -> list[str]:
    """``source-file -v``: each line's commands as tmux 3.3a prints them while it builds
    them, a block's lines before the command holding them (``cmd_parse_print_commands``),
    flags sorted and blocks' lines `` ;; `` apart, as ``cmd_list_print``."""
    from .key_tables import print_commands

    lines: list[str] = []
    for group in _groups(commands):
        for command in group:
            for _index, block in command.block_commands:
                lines.extend(_verbose_lines(name, list(block)))
        lines.append(f"{name}:{group[-1].line}: "
                     f"{print_commands(group, resolve_name, escaped=False)}\n")
    return lines


def _groups(commands: list[cmdlang.Command]) -> list[list[cmdlang.Command]]:
    groups: list[list[cmdlang.Command]] = []
    for command in commands:
        if groups and groups[-1][-1].group == command.group:
            groups[-1].append(command)
        else:
            groups.append([command])
    return groups


def default_config_files(env: dict[str, str]) -> list[str]:
    """The files tmux 3.3a reads at start, then ai-session's own (all optional)."""
    home = env.get("HOME") or os.path.expanduser("~")
    xdg = env.get("XDG_CONFIG_HOME") or os.path.join(home, ".config")
    files = ["/etc/tmux.conf", os.path.join(home, ".tmux.conf"),
             os.path.join(xdg, "tmux", "tmux.conf"),
             os.path.join(home, ".config", "tmux", "tmux.conf"),
             os.path.join(home, ".config", "ai-session", "ai-session.conf")]
    unique: list[str] = []
    for name in files:
        if name not in unique:
            unique.append(name)
    return unique


async def load_config(run: Runner, context: CommandContext,
                      files: list[str] | None) -> list[str]:
    """Source the config files at server start; keep and return what went wrong.

    ``files`` is what ``-f`` named (each must exist), or None for the default list (each
    optional).
    """
    explicit = files is not None
    names = files if files is not None else default_config_files(dict(os.environ))
    causes = context.services.config_causes.lines
    loading = _loading_config.set(True)
    try:
        for name in names:
            result = await source_file(run, context, name, quiet=not explicit,
                                       parse_only=False, verbose=False)
            causes.extend(line for line in (result.stdout + result.stderr).splitlines()
                          if line)
    finally:
        _loading_config.reset(loading)
    return list(causes)



def loading_config() -> bool:
    """Whether the config files are being read right now (at server start)."""
    return _loading_config.get()
