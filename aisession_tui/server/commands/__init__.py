"""The one registry of commands: every module beside this file exports a ``SPEC``.

:func:`commands` maps each name and alias to its spec; :func:`find` resolves what a user
typed, including unambiguous prefixes as tmux allows (``list-s`` -> ``list-sessions``).
Command modules import nothing heavy at module level, so the CLI can load the registry
quickly to parse argv and print usage before it ever talks to the server.
"""

from __future__ import annotations

import importlib
from functools import lru_cache

from .spec import CommandSpec

_SKIP = {"spec"}


@lru_cache(maxsize=1)
def all_specs() -> tuple[CommandSpec, ...]:
    """Every command's spec, sorted by name."""
    import pkgutil

    specs = []
    for info in pkgutil.iter_modules(__path__):
        if info.name in _SKIP or info.name.startswith("_"):
            continue
        module = importlib.import_module(f"{__name__}.{info.name}")
        specs.append(module.SPEC)
    return tuple(sorted(specs, key=lambda spec: spec.name))


@lru_cache(maxsize=1)
def commands() -> dict[str, CommandSpec]:
    """Name and alias -> spec."""
    table: dict[str, CommandSpec] = {}
    for spec in all_specs():
        table[spec.name] = spec
        for alias in spec.alias:
            table[alias] = spec
    return table


class UnknownCommand(Exception):
    """Raised by :func:`find` with tmux's wording."""


def find(name: str) -> CommandSpec:
    """The spec for ``name``: exact name or alias, else a unique prefix of a name.

    A full command name imports just its own module (the CLI's fast path); aliases and
    prefixes load the whole registry.
    """
    if name and name.replace("-", "").isalpha() and not name.startswith("-"):
        try:
            module = importlib.import_module(f"{__name__}.{name.replace('-', '_')}")
        except ImportError:
            module = None
        spec: CommandSpec | None = getattr(module, "SPEC", None)
        if spec is not None and spec.name == name:
            return spec
    table = commands()
    if name in table:
        return table[name]
    matches = {spec.name: spec for key, spec in table.items() if key.startswith(name)}
    if len(matches) == 1:
        return next(iter(matches.values()))
    if len(matches) > 1:
        raise UnknownCommand(f"ambiguous command: {name}, could be: "
                             + ", ".join(sorted(matches)))
    raise UnknownCommand(f"unknown command: {name}")
