"""Parser for flake8 (and pycodestyle/pyflakes, which share its line format).

Each violation is ``path:line:col: CODE message``; ``--count`` adds a final number and
``--statistics`` lines like ``2     F401 'os' imported but unused``. Codes starting with
``W`` or ``C`` (style warnings, complexity) are warnings, the others errors. flake8 prints
nothing on success, so an empty output is only read as success when the command says flake8.
"""

from __future__ import annotations

import re

from ._diagnostics import file_count, severity_counts, status_for, tool_word
from .model import Issue, ParsedOutput

_LINE = re.compile(
    r"^(?P<file>[^\s:][^:]*):(?P<line>\d+):(?:(?P<col>\d+):)? (?P<code>[A-Z]{1,3}\d{2,4}) (?P<msg>.*)$")
_STATISTIC = re.compile(r"^(?P<n>\d+)\s+(?P<code>[A-Z]{1,3}\d{2,4}) .*$")
_COUNT = re.compile(r"^(?P<n>\d+)$")
_RUFF_SUMMARY = re.compile(r"^(?:Found \d+ errors?\.|\[\*\] \d+ fixable with)", re.MULTILINE)
_TOOLS = frozenset({"flake8", "pycodestyle", "pyflakes", "pflake8", "flakeheaven"})


class Flake8Parser:
    """Reads flake8-style ``path:line:col: CODE message`` reports."""

    name = "flake8"
    priority = 25

    def matches(self, command: str | None, text: str) -> bool:
        if tool_word(command) in _TOOLS:
            return True
        lines = [line for line in text.splitlines() if line.strip()]
        if not lines or _RUFF_SUMMARY.search(text):
            return False
        hits = sum(1 for line in lines[:200] if _LINE.match(line))
        return hits >= max(1, len(lines[:200]) // 2)

    def parse(self, text: str, command: str | None, exit_code: int | None) -> ParsedOutput | None:
        issues: list[Issue] = []
        reported_total: int | None = None
        for raw in text.splitlines():
            line = raw.rstrip()
            if match := _LINE.match(line):
                code = match["code"]
                issues.append(Issue(message=match["msg"], file=match["file"],
                                    line=int(match["line"]),
                                    column=int(match["col"]) if match["col"] else None,
                                    severity="warning" if code[0] in "WC" else "error",
                                    code=code))
            elif match := _COUNT.match(line):
                reported_total = int(match["n"])
            elif _STATISTIC.match(line):
                continue
        if not issues and reported_total is None and tool_word(command) not in _TOOLS:
            return None
        if not issues and text.strip() and reported_total is None:
            return None  # flake8 itself failed (a crash, a bad option): not a lint report
        counts = severity_counts(issues)
        del counts["notes"]
        counts["files"] = file_count(issues)
        if reported_total is not None:
            counts["reported_total"] = reported_total
        total = len(issues)
        summary = f"{total} violation{'s' if total != 1 else ''}" if issues else ""
        return ParsedOutput(kind="lint", tool="flake8",
                            status=status_for(counts["errors"], counts["warnings"], exit_code),
                            counts=counts, issues=issues, summary=summary)


PARSER = Flake8Parser()
