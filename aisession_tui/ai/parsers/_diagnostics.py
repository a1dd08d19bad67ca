"""Small helpers shared by the lint/build/vcs/package/traceback parsers.

Owns: finding the tool word of a command line (skipping env assignments and launchers such
as ``npx`` or ``python -m``), counting issues by severity, and deriving a status from issues
and the exit code. The module name starts with ``_`` so parser discovery skips it.
Invariant: nothing here reads facts that are not in the text or the exit code.
"""

from __future__ import annotations

import os
import re
import shlex
from collections.abc import Iterable

from .model import Issue

_ENV_ASSIGNMENT = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*=")
# Launchers that run another tool: the word after them is the real tool.
_LAUNCHERS = frozenset({"sudo", "time", "env", "nice", "npx", "pnpx", "bunx", "exec",
                        "command", "nohup", "stdbuf", "timeout", "xargs"})
_RUNNERS = {("uv", "run"), ("poetry", "run"), ("pdm", "run"), ("pipenv", "run"),
            ("hatch", "run"), ("pnpm", "exec"), ("yarn", "exec"), ("npm", "exec"),
            ("pnpm", "dlx"), ("yarn", "dlx")}
_PYTHON = re.compile(r"^python(?:\d+(?:\.\d+)?)?$")


def command_words(command: str | None) -> list[str]:
    """The words of the first simple command with launchers stripped.

    ``"FOO=1 npx tsc --noEmit"`` gives ``["tsc", "--noEmit"]``; ``"python3 -m mypy ."``
    gives ``["mypy", "."]``; paths are reduced to their basename for the tool word.
    """
    if not command:
        return []
    first = re.split(r"\s*(?:&&|\|\||;|\|)\s*", command.strip(), maxsplit=1)[0]
    try:
        words = shlex.split(first)
    except ValueError:
        words = first.split()
    while words:
        head = os.path.basename(words[0])
        if _ENV_ASSIGNMENT.match(words[0]):
            words = words[1:]
        elif head in _LAUNCHERS:
            words = words[1:]
            while words and words[0].startswith("-"):
                words = words[1:]
            if head == "timeout" and words:
                words = words[1:]  # the duration
        elif len(words) > 1 and (head, words[1]) in _RUNNERS or _PYTHON.match(head) and len(words) > 2 and words[1] == "-m":
            words = words[2:]
        else:
            break
    if words:
        words = [os.path.basename(words[0])] + words[1:]
    return words


def tool_word(command: str | None) -> str | None:
    """The tool a command runs (``"ruff"``, ``"git"``...), or ``None``."""
    words = command_words(command)
    return words[0] if words else None


def severity_counts(issues: Iterable[Issue]) -> dict[str, int]:
    """``errors``, ``warnings`` and ``notes`` counted from the issues' severities."""
    counts = {"errors": 0, "warnings": 0, "notes": 0}
    for issue in issues:
        if issue.severity == "error":
            counts["errors"] += 1
        elif issue.severity == "warning":
            counts["warnings"] += 1
        elif issue.severity == "note":
            counts["notes"] += 1
    return counts


def file_count(issues: Iterable[Issue]) -> int:
    """How many distinct files the issues point at."""
    return len({issue.file for issue in issues if issue.file})


def status_for(errors: int, warnings: int, exit_code: int | None) -> str:
    """``failure`` on errors or a non-zero exit, ``warning`` on warnings only, else success."""
    if errors or (exit_code not in (None, 0)):
        return "failure"
    if warnings:
        return "warning"
    return "success"


def int_or_none(value: str | None) -> int | None:
    """``int(value)`` when it is a number, else ``None``."""
    return int(value) if value and value.isdigit() else None
