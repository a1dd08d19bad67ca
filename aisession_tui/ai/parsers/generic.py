"""Fallback parser (priority 1000): any output with lines that say error, warning or fatal.

Each such line is an issue (kind ``log``): severity ``error`` for "error"/"fatal"/"failed",
``warning`` for "warning"/"warn". A ``path:line[:col]`` in the line becomes the location
(the path must have a file extension or a slash, so times like ``12:30:45`` are not read as
locations). Lines that only report zero problems ("0 errors", "no warnings") are skipped.
At most ``MAX_ISSUES`` issues are kept; the counts cover every line.
"""

from __future__ import annotations

import re

from .model import Issue, ParsedOutput

MAX_ISSUES = 500
_KEYWORD = re.compile(r"\b(?P<word>fatal|error|errors|failed|warning|warnings|warn)\b", re.IGNORECASE)
_ZERO = re.compile(r"\b(?:0|no|zero)\s+(?:errors?|warnings?|failures?)\b|\b(?:errors?|warnings?)\s*[:=]\s*0\b", re.IGNORECASE)
_LOCATION = re.compile(
    r"(?P<file>(?:[A-Za-z]:)?[\w.@~+-]*(?:[/\\][\w.@~+ -]+)*(?:\.[A-Za-z0-9_]+|[/\\][\w.@~+-]+))"
    r"(?::(?P<line>\d+)(?::(?P<col>\d+))?|\((?P<pline>\d+)(?:,(?P<pcol>\d+))?\))")


class GenericParser:
    """Collects error/warning lines from output no specific parser understood."""

    name = "generic"
    priority = 1000

    def matches(self, command: str | None, text: str) -> bool:
        return bool(_KEYWORD.search(text))

    def parse(self, text: str, command: str | None, exit_code: int | None) -> ParsedOutput | None:
        issues: list[Issue] = []
        errors = warnings = 0
        last = ""
        for raw in text.splitlines():
            line = raw.strip()
            found = _KEYWORD.search(line)
            if not found or _ZERO.search(line):
                continue
            severity = "warning" if found["word"].lower().startswith("warn") else "error"
            if severity == "error":
                errors += 1
            else:
                warnings += 1
            last = line
            if len(issues) >= MAX_ISSUES:
                continue
            issue = Issue(message=line[:500], severity=severity)
            if where := _LOCATION.search(line):
                issue.file = where["file"]
                issue.line = int(where["line"] or where["pline"])
                col = where["col"] or where["pcol"]
                issue.column = int(col) if col else None
            issues.append(issue)
        if not issues:
            return None
        files = len({issue.file for issue in issues if issue.file})
        status = "failure" if errors or exit_code not in (None, 0) else "warning"
        details = {"truncated": True} if errors + warnings > len(issues) else {}
        return ParsedOutput(kind="log", tool="generic", status=status,
                            counts={"errors": errors, "warnings": warnings, "files": files},
                            issues=issues, summary=last[:200], details=details)


PARSER = GenericParser()
