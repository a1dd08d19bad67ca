"""The one-shot conversion of a user's ``keymap.toml`` into tmux's language.

ai-session has one configuration language, tmux's: key bindings are ``bind-key`` /
``unbind-key`` lines the server reads (``~/.config/ai-session/ai-session.conf``, or
tmux.conf). A ``keymap.toml`` from an older version is converted once, when the client
starts:

* every entry becomes a tmux line in ``keymap.conf`` beside it (``[options] prefix`` ->
  ``set-option -g prefix``, with ``send-prefix`` moved to it as the TOML loader did;
  ``"none"`` -> ``unbind-key``; an action or command list -> ``bind-key``);
* an entry that cannot be converted costs that entry only: it is written as a comment and
  reported (the client shows it in the status line and keeps it for ``show-messages``);
* ``ai-session.conf`` gets ``source-file -q`` of ``keymap.conf`` (so later starts load it),
  and ``keymap.toml`` is renamed ``keymap.toml.converted``, so it is converted only once;
* a file that is not valid TOML is left where it is, with a message saying so - never a
  silent drop.

Headless (no Textual).
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass, field
from pathlib import Path

from aisession_tui.keymaps import (
    DEFAULT_PREFIX,
    TABLE_NAMES,
    KeymapError,
    _parse_binding,
    canonical_key,
    quote_word,
)
from aisession_tui.keymaps.server_tables import CLIENT_ONLY_ACTIONS


@dataclass
class Conversion:
    """What converting one file gave: tmux lines and the entries that were refused."""

    lines: list[str] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)


def convert_keymap(data: dict[str, object], where: str = "keymap.toml") -> Conversion:
    """Convert parsed TOML; each entry on its own (see the module docstring)."""
    result = Conversion()
    options = data.get("options")
    if options is not None:
        _convert_options(result, options, where)
    for table, content in data.items():
        if table == "options":
            continue
        if table not in TABLE_NAMES:
            result.problems.append(f"{where}: unknown table [{table}]: not converted")
            continue
        if not isinstance(content, dict):
            result.problems.append(f"{where}: [{table}] is not a table of key = binding")
            continue
        for raw_key, value in content.items():
            entry = f"{where}: [{table}] {raw_key!r}"
            try:
                key = canonical_key(str(raw_key))
                binding = _parse_binding(entry, table, key, value)
            except (KeymapError, ValueError) as error:
                _refuse(result, f"{entry}: {error}" if isinstance(error, ValueError)
                        else str(error), table, raw_key)
                continue
            target = f"-T {table} {quote_word(key)}"
            if binding is None:
                result.lines.append(f"unbind-key {target}")
                continue
            actions = {command.action for command in binding.commands}
            if actions & CLIENT_ONLY_ACTIONS:
                _refuse(result, f"{entry}: {', '.join(sorted(actions & CLIENT_ONLY_ACTIONS))}"
                        " is a client-side action with no tmux command (the default A, P,"
                        " B and S keys toggle the panels)", table, raw_key)
                continue
            flags = "-r " if binding.repeat else ""
            if binding.note:
                flags += f"-N {quote_word(binding.note)} "
            commands = " \\; ".join(" ".join(quote_word(word) for word in command.words())
                                    for command in binding.commands)
            result.lines.append(f"bind-key {flags}{target} {commands}")
    return result


def _refuse(result: Conversion, problem: str, table: str, key: object) -> None:
    result.problems.append(problem)
    result.lines.append(f"# not converted: [{table}] {key!r} ({problem.split(': ', 1)[-1]})")


def _convert_options(result: Conversion, options: object, where: str) -> None:
    if not isinstance(options, dict):
        result.problems.append(f"{where}: [options] is not a table: not converted")
        return
    for name, value in options.items():
        if name != "prefix":
            result.problems.append(f"{where}: [options] {name}: unknown option, not converted")
            continue
        try:
            prefix = canonical_key(str(value))
        except ValueError as error:
            result.problems.append(f"{where}: [options] prefix: {error}")
            continue
        result.lines.append(f"set-option -g prefix {quote_word(prefix)}")
        if prefix != DEFAULT_PREFIX:
            result.lines.append(f"unbind-key {quote_word(DEFAULT_PREFIX)}")
            result.lines.append(f"bind-key {quote_word(prefix)} send-prefix")


@dataclass
class Migration:
    """The result of :func:`migrate_user_keymap` for the client."""

    messages: list[str] = field(default_factory=list)
    source: Path | None = None
    """The file the running server should source now (None: nothing converted)."""


def migrate_user_keymap(directory: Path) -> Migration:
    """Convert ``directory/keymap.toml`` once (see the module docstring)."""
    migration = Migration()
    toml_file = directory / "keymap.toml"
    if not toml_file.is_file():
        return migration
    try:
        data = tomllib.loads(toml_file.read_text(encoding="utf-8"))
    except (tomllib.TOMLDecodeError, OSError, UnicodeDecodeError) as error:
        migration.messages.append(
            f"{toml_file}: not converted ({error}); keymap.toml is no longer read: fix it to "
            "have it converted, or write bind-key lines in ai-session.conf")
        return migration
    conversion = convert_keymap(data, str(toml_file))
    return install_conversion(toml_file, directory / "keymap.conf", conversion)


def install_conversion(toml_file: Path, target: Path, conversion: Conversion) -> Migration:
    """Write ``conversion``'s lines to ``target``, have ``ai-session.conf`` (beside it)
    source it, and rename ``toml_file`` to ``NAME.toml.converted``: the steps every
    one-shot conversion of an old TOML file takes."""
    migration = Migration()
    directory = target.parent
    header = (f"# Converted from {toml_file} by ai-session (tmux's language; see README).\n")
    try:
        target.write_text(header + "".join(line + "\n" for line in conversion.lines),
                          encoding="utf-8")
        conf = directory / "ai-session.conf"
        existing = conf.read_text(encoding="utf-8") if conf.exists() else ""
        source_line = f"source-file -q {quote_word(str(target))}\n"
        if source_line not in existing:
            separator = "" if not existing or existing.endswith("\n") else "\n"
            conf.write_text(existing + separator + source_line, encoding="utf-8")
        toml_file.rename(toml_file.with_name(toml_file.name + ".converted"))
    except OSError as error:
        migration.messages.append(f"{toml_file}: not converted: {error.strerror or error}")
        return migration
    migration.source = target
    migration.messages.append(
        f"{toml_file} converted to tmux's language in {target} (sourced from "
        f"ai-session.conf); the old file is {toml_file.name}.converted")
    migration.messages.extend(conversion.problems)
    return migration
