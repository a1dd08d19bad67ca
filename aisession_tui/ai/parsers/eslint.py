"""Parser for ESLint's ``stylish`` (default) and ``compact`` formatters.

Stylish prints a file path on its own line, then ``  line:col  error|warning  message  rule``
rows (the rule id may be missing, e.g. for parsing errors), and a summary
``✖ N problems (E errors, W warnings)``. Compact prints one
``path: line L, col C, Error - message (rule)`` per problem. A clean run prints nothing.
"""

from __future__ import annotations

import re

from ._diagnostics import file_count, severity_counts, status_for, tool_word
from .model import Issue, ParsedOutput

_ROW = re.compile(
    r"^\s+(?P<line>\d+):(?P<col>\d+)\s+(?P<sev>error|warning)\s+(?P<msg>.+?)"
    r"(?:\s{2,}(?P<rule>[@\w][\w@/.-]*))?\s*$")
_ROW_NO_POSITION = re.compile(r"^\s+(?:0:0\s+)?(?P<sev>error|warning)\s+(?P<msg>.+?)\s*$")
_COMPACT = re.compile(
    r"^(?P<file>.+?): line (?P<line>\d+), col (?P<col>\d+), (?P<sev>Error|Warning) - "
    r"(?P<msg>.*?)(?: \((?P<rule>[@\w][\w@/.-]*)\))?$")
_SUMMARY = re.compile(r"^[✖x] (?P<n>\d+) problems? \((?P<e>\d+) errors?, (?P<w>\d+) warnings?\)", re.MULTILINE)
_FIXABLE = re.compile(r"^\s+(?P<e>\d+) errors? and (?P<w>\d+) warnings? potentially fixable")


class EslintParser:
    """Reads ESLint reports."""

    name = "eslint"
    priority = 20

    def matches(self, command: str | None, text: str) -> bool:
        if tool_word(command) == "eslint":
            return True
        return bool(_SUMMARY.search(text) and re.search(r"^\s+\d+:\d+\s+(?:error|warning)\s", text, re.MULTILINE)
                    or re.search(r"^\S.*: line \d+, col \d+, (?:Error|Warning) - ", text, re.MULTILINE))

    def parse(self, text: str, command: str | None, exit_code: int | None) -> ParsedOutput | None:
        issues: list[Issue] = []
        summary = ""
        fixable: int | None = None
        current_file: str | None = None
        for raw in text.splitlines():
            line = raw.rstrip()
            if not line.strip():
                continue
            if match := _ROW.match(line):
                issues.append(Issue(message=match["msg"], file=current_file,
                                    line=int(match["line"]), column=int(match["col"]),
                                    severity=match["sev"], code=match["rule"]))
            elif match := _COMPACT.match(line):
                issues.append(Issue(message=match["msg"], file=match["file"],
                                    line=int(match["line"]), column=int(match["col"]),
                                    severity=match["sev"].lower(), code=match["rule"]))
            elif match := _SUMMARY.match(line):
                summary = line
            elif match := _FIXABLE.match(line):
                fixable = int(match["e"]) + int(match["w"])
            elif current_file is not None and (match := _ROW_NO_POSITION.match(line)):
                issues.append(Issue(message=match["msg"], file=current_file,
                                    severity=match["sev"]))
            elif not line[0].isspace():
                current_file = line
        if not issues and not summary and (tool_word(command) != "eslint" or text.strip()):
            return None
        counts = severity_counts(issues)
        del counts["notes"]
        counts["files"] = file_count(issues)
        if fixable is not None:
            counts["fixable"] = fixable
        return ParsedOutput(kind="lint", tool="eslint",
                            status=status_for(counts["errors"], counts["warnings"], exit_code),
                            counts=counts, issues=issues, summary=summary)


PARSER = EslintParser()
