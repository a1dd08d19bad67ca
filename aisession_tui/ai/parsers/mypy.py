"""Parser for mypy (and dmypy) reports.

Lines are ``path:line[:col]: error|warning|note: message  [code]``; the summary is
``Found N errors in M files (checked K source files)`` or ``Success: no issues found in K
source files``. Notes are kept as issues of severity ``note`` at their own location.
"""

from __future__ import annotations

import re

from ._diagnostics import file_count, severity_counts, status_for, tool_word
from .model import Issue, ParsedOutput

_LINE = re.compile(
    r"^(?P<file>[^\s:][^:]*?):(?P<line>\d+)(?::(?P<col>\d+))?(?::\d+:\d+)?: "
    r"(?P<sev>error|warning|note): (?P<msg>.*?)(?:  \[(?P<code>[a-z0-9-]+)\])?$")
_FOUND = re.compile(
    r"^Found (?P<errors>\d+) errors? in (?P<files>\d+) files? \(checked (?P<checked>\d+) source files?\)$")
_SUCCESS = re.compile(r"^Success: no issues found in (?P<checked>\d+) source files?$")
_TOOLS = frozenset({"mypy", "dmypy"})


class MypyParser:
    """Reads mypy's type-check report."""

    name = "mypy"
    priority = 20

    def matches(self, command: str | None, text: str) -> bool:
        if tool_word(command) in _TOOLS:
            return True
        return bool(re.search(r"^(?:Found \d+ errors? in \d+ files? \(checked|Success: no issues found in)",
                              text, re.MULTILINE)
                    or re.search(r"^\S+\.pyi?:\d+(?::\d+)?: error: .*  \[[a-z-]+\]$", text, re.MULTILINE))

    def parse(self, text: str, command: str | None, exit_code: int | None) -> ParsedOutput | None:
        issues: list[Issue] = []
        summary = ""
        counts: dict[str, int] = {}
        for raw in text.splitlines():
            line = raw.rstrip()
            if match := _LINE.match(line):
                issues.append(Issue(message=match["msg"], file=match["file"],
                                    line=int(match["line"]),
                                    column=int(match["col"]) if match["col"] else None,
                                    severity=match["sev"], code=match["code"]))
            elif (match := _FOUND.match(line)) or (match := _SUCCESS.match(line)):
                summary = line
                counts["checked"] = int(match["checked"])
        if not issues and not summary:
            return None
        counts.update(severity_counts(issues))
        counts["files"] = file_count(issues)
        return ParsedOutput(kind="lint", tool="mypy",
                            status=status_for(counts["errors"], counts["warnings"], exit_code),
                            counts=counts, issues=issues, summary=summary)


PARSER = MypyParser()
