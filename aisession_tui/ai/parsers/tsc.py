"""Parser for the TypeScript compiler (``tsc``, ``vue-tsc``).

Diagnostics are ``path(line,col): error TS2322: message`` (plain) or
``path:line:col - error TS2322: message`` (``--pretty``, followed by a code frame), and
``error TS5023: message`` for problems with no file. The summary is ``Found N errors...``.
Continuation lines of a multi-line message (indented, right after a diagnostic in plain
mode) are appended to that message.
"""

from __future__ import annotations

import re

from ._diagnostics import file_count, severity_counts, status_for, tool_word
from .model import Issue, ParsedOutput

_PLAIN = re.compile(
    r"^(?P<file>[^\s(][^(]*)\((?P<line>\d+),(?P<col>\d+)\): (?P<sev>error|warning|message) "
    r"(?P<code>TS\d+): (?P<msg>.*)$")
_PRETTY = re.compile(
    r"^(?P<file>[^\s:][^:]*):(?P<line>\d+):(?P<col>\d+) - (?P<sev>error|warning|message) "
    r"(?P<code>TS\d+): (?P<msg>.*)$")
_GLOBAL = re.compile(r"^(?P<sev>error|warning) (?P<code>TS\d+): (?P<msg>.*)$")
_FOUND = re.compile(r"^Found (?P<n>\d+) errors?\b.*$")
_TOOLS = frozenset({"tsc", "vue-tsc", "tsgo"})


class TscParser:
    """Reads tsc's diagnostics in plain and pretty form."""

    name = "tsc"
    priority = 20

    def matches(self, command: str | None, text: str) -> bool:
        if tool_word(command) in _TOOLS:
            return True
        return bool(re.search(r"(?:^|\): |\d - )(?:error|warning) TS\d+: ", text, re.MULTILINE))

    def parse(self, text: str, command: str | None, exit_code: int | None) -> ParsedOutput | None:
        issues: list[Issue] = []
        summary = ""
        last_plain: Issue | None = None
        for raw in text.splitlines():
            line = raw.rstrip()
            match = _PLAIN.match(line) or _PRETTY.match(line)
            if match:
                issue = Issue(message=match["msg"], file=match["file"], line=int(match["line"]),
                              column=int(match["col"]), severity=_severity(match["sev"]),
                              code=match["code"])
                issues.append(issue)
                last_plain = issue if match.re is _PLAIN else None
            elif match := _GLOBAL.match(line):
                issues.append(Issue(message=match["msg"], severity=_severity(match["sev"]),
                                    code=match["code"]))
                last_plain = None
            elif match := _FOUND.match(line):
                summary = line
                last_plain = None
            elif last_plain is not None and line.startswith("  ") and line.strip():
                last_plain.message += "\n" + line.strip()
            else:
                last_plain = None
        if not issues and not summary and tool_word(command) not in _TOOLS:
            return None
        if not issues and not summary and text.strip():
            return None  # tsc printed something that is not a diagnostic (help, version)
        counts = severity_counts(issues)
        counts["files"] = file_count(issues)
        return ParsedOutput(kind="lint", tool="tsc",
                            status=status_for(counts["errors"], counts["warnings"], exit_code),
                            counts=counts, issues=issues, summary=summary)


def _severity(word: str) -> str:
    return "note" if word == "message" else word


PARSER = TscParser()
