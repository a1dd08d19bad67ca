"""Parser for ``ruff check`` (concise and full output formats) and ``ruff format --check``.

Concise lines are ``path:line:col: CODE [*] message``; the full format puts
``CODE [*] message`` on one line and `` --> path:line:col`` on a following line, then a code
frame. The summary is ``Found N errors.`` or ``All checks passed!``. Every violation is an
issue of severity ``error`` (ruff calls them errors); files ``ruff format --check`` would
reformat are issues of severity ``warning``. Nothing is reported that the output lacks.
"""

from __future__ import annotations

import re

from ._diagnostics import file_count, severity_counts, status_for, tool_word
from .model import Issue, ParsedOutput

_CODE = r"(?P<code>[A-Z]{1,4}[0-9]{1,4}|invalid-syntax|SyntaxError)"
_CONCISE = re.compile(
    r"^(?P<file>[^\s:][^:]*):(?P<line>\d+):(?P<col>\d+): " + _CODE + r":? (?:\[\*\] )?(?P<msg>.*)$")
_FULL_HEAD = re.compile(r"^" + _CODE + r":? (?:\[\*\] )?(?P<msg>\S.*)$")
_FULL_ARROW = re.compile(r"^\s*-->\s*(?P<file>.+?):(?P<line>\d+):(?P<col>\d+)\s*$")
_FOUND = re.compile(r"^Found (?P<n>\d+) errors?(?: \((?P<fixed>\d+) fixed, (?P<left>\d+) remaining\))?\.$")
_FIXABLE = re.compile(r"^\[\*\] (?P<n>\d+) fixable with")
_REFORMAT = re.compile(r"^Would reformat: (?P<file>.+)$")
_FORMAT_SUMMARY = re.compile(
    r"^(?:\d+ files? would be reformatted|\d+ files? (?:already formatted|left unchanged)).*$")
_ALL_PASSED = "All checks passed!"


class RuffParser:
    """Reads ruff's lint and format-check output."""

    name = "ruff"
    priority = 20

    def matches(self, command: str | None, text: str) -> bool:
        if tool_word(command) == "ruff":
            return True
        return _ALL_PASSED in text or bool(
            re.search(r"^Found \d+ errors?\.$", text, re.MULTILINE)
            and re.search(r"^\S.*:\d+:\d+: [A-Z]{1,4}\d{1,4} |^\s*--> \S+:\d+:\d+$", text, re.MULTILINE))

    def parse(self, text: str, command: str | None, exit_code: int | None) -> ParsedOutput | None:
        issues: list[Issue] = []
        summary_lines: list[str] = []
        fixable: int | None = None
        pending: tuple[str, str] | None = None  # full format: (code, message) awaiting -->
        for raw in text.splitlines():
            line = raw.rstrip()
            if match := _CONCISE.match(line):
                issues.append(Issue(message=match["msg"], file=match["file"],
                                    line=int(match["line"]), column=int(match["col"]),
                                    severity="error", code=_code(match["code"])))
                pending = None
            elif match := _FULL_HEAD.match(line):
                pending = (match["code"], match["msg"])
            elif pending and (match := _FULL_ARROW.match(line)):
                issues.append(Issue(message=pending[1], file=match["file"],
                                    line=int(match["line"]), column=int(match["col"]),
                                    severity="error", code=_code(pending[0])))
                pending = None
            elif match := _REFORMAT.match(line):
                issues.append(Issue(message="would reformat", file=match["file"],
                                    severity="warning", code="format"))
            elif _FOUND.match(line) or line == _ALL_PASSED or _FORMAT_SUMMARY.match(line):
                summary_lines.append(line)
            elif match := _FIXABLE.match(line):
                fixable = int(match["n"])
        if not issues and not summary_lines:
            return None
        counts = severity_counts(issues)
        del counts["notes"]
        counts["files"] = file_count(issues)
        if fixable is not None:
            counts["fixable"] = fixable
        return ParsedOutput(kind="lint", tool="ruff",
                            status=status_for(counts["errors"], counts["warnings"], exit_code),
                            counts=counts, issues=issues, summary="; ".join(summary_lines))


def _code(code: str) -> str | None:
    return None if code == "SyntaxError" else code


PARSER = RuffParser()
