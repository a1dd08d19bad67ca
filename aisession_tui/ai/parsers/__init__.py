"""Output parsers: turn a command's plain-text output into a :class:`ParsedOutput`.

One module per tool family lives beside this file. Each defines a module-level ``PARSER``,
an object with:

* ``name``: str, the family (``"pytest"``, ``"cargo"``, ...);
* ``priority``: int, lower runs first among parsers that match (the generic fallback is last);
* ``matches(command: str | None, text: str) -> bool``: cheap check (command word or a
  telltale line);
* ``parse(text: str, command: str | None, exit_code: int | None) -> ParsedOutput | None``.

:func:`parse_output` discovers the modules once, tries the matching parsers in priority order
and returns the first result; when none understands the output it returns a ``plain`` result.
Text handed in is already plain (escapes stripped, ``\\r`` overwrites applied).
"""

from __future__ import annotations

import importlib
import pkgutil
from functools import lru_cache
from typing import Any

from .model import Failure, Issue, ParsedOutput

__all__ = ["Failure", "Issue", "ParsedOutput", "parse_output", "parsers"]


@lru_cache(maxsize=1)
def parsers() -> tuple[Any, ...]:
    """Every module's ``PARSER``, sorted by priority then name."""
    found = []
    for info in pkgutil.iter_modules(__path__):
        if info.name in ("model",) or info.name.startswith("_"):
            continue
        module = importlib.import_module(f"{__name__}.{info.name}")
        parser = getattr(module, "PARSER", None)
        if parser is not None:
            found.append(parser)
    return tuple(sorted(found, key=lambda p: (p.priority, p.name)))


def parse_output(text: str, command: str | None = None,
                 exit_code: int | None = None) -> ParsedOutput:
    """The best structured reading of ``text``; never raises, falls back to ``plain``.

    The command line picks the parser first. When that reading holds no facts (no failure,
    no issue) — a compound command (``cd repo && git merge topic``), ``make test`` running
    pytest, a script — each later part of the command, then the output's own telltales,
    get a chance, before the generic fallback.
    """
    first = _first_result(text, command, exit_code, specific_only=True)
    if first is not None and _has_facts(first):
        return first
    for candidate in (*_later_segments(command), None):
        result = _first_result(text, candidate, exit_code, specific_only=True)
        if result is not None and _has_facts(result):
            return result
    if first is not None:
        return first
    fallback = _first_result(text, command, exit_code, specific_only=False)
    if fallback is not None:
        return fallback
    status = "unknown" if exit_code is None else ("success" if exit_code == 0 else "failure")
    lines = [line for line in text.splitlines() if line.strip()]
    return ParsedOutput(kind="plain", tool="unknown", status=status,
                        counts={"lines": len(lines)},
                        summary=lines[-1][:200] if lines else "")


GENERIC_PRIORITY = 1000
"""Parsers at or past this priority are fallbacks, tried after every specific reading."""


def _first_result(text: str, command: str | None, exit_code: int | None, *,
                  specific_only: bool) -> ParsedOutput | None:
    for parser in parsers():
        if specific_only and parser.priority >= GENERIC_PRIORITY:
            continue
        try:
            if not parser.matches(command, text):
                continue
            result: ParsedOutput | None = parser.parse(text, command, exit_code)
        except Exception:  # a parser bug must never lose the command record
            continue
        if result is not None:
            return result
    return None


def _has_facts(result: ParsedOutput) -> bool:
    return bool(result.failures or result.issues)


def _later_segments(command: str | None) -> list[str]:
    """The simple commands after the first in a compound command line."""
    if not command:
        return []
    import re

    parts = [part for part in re.split(r"\s*(?:&&|\|\||;|\|)\s*", command.strip()) if part]
    return parts[1:]
