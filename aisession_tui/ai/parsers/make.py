"""Parser for GNU make (and BSD/``gmake``) output.

make's own lines start with ``make:`` or ``make[N]:``: ``*** [Makefile:6: main.o] Error 1``
(a failed recipe; the Makefile location becomes the issue's location), ``*** No rule to
make target 'x'.  Stop.``, ``Makefile:3: *** missing separator.  Stop.``,
``Makefile:5: warning: overriding recipe ...``, ``Nothing to be done for 'all'.``,
``Entering directory '/p'`` (kept in ``details["directories"]``). Compiler diagnostics in
between are read by the gcc parser and merged in order. The last ``***`` line (or the
"nothing to be done" / "up to date" line) is the summary.
"""

from __future__ import annotations

import re

from ._diagnostics import file_count, severity_counts, status_for, tool_word
from .gcc import parse_compiler_lines
from .model import Issue, ParsedOutput

_PREFIX = r"(?P<prog>(?:\S*/)?g?make(?:\[\d+\])?)"
_RECIPE_FAILED = re.compile(
    _PREFIX + r": \*\*\* \[(?:(?P<file>[^\]:]+):(?P<line>\d+): )?(?P<target>[^\]]+)\] "
    r"(?P<what>Error \d+|Segmentation fault.*|Killed|Interrupt|Terminated.*)(?P<ignored> \(ignored\))?$")
_MAKE_FATAL = re.compile(_PREFIX + r": \*\*\* (?P<msg>.*?)(?:\.\s+Stop\.)?$")
_MAKEFILE_FATAL = re.compile(r"^(?P<file>[^\s:][^:]*):(?P<line>\d+): \*\*\* (?P<msg>.*?)(?:\.\s+Stop\.)?$")
_MAKEFILE_WARNING = re.compile(r"^(?P<file>[^\s:][^:]*):(?P<line>\d+): warning: (?P<msg>.*)$")
_ENTERING = re.compile(_PREFIX + r": Entering directory [`'](?P<dir>.*)'$")
_NOTHING = re.compile(_PREFIX + r": (?:Nothing to be done for [`'].*'|[`'].*' is up to date)\.$")
_WAITING = re.compile(_PREFIX + r": \*\*\* Waiting for unfinished jobs\.\.\.\.$")
_TOOLS = frozenset({"make", "gmake", "bmake"})


class MakeParser:
    """Reads make's own messages plus the compiler output they wrap."""

    name = "make"
    priority = 25

    def matches(self, command: str | None, text: str) -> bool:
        if tool_word(command) in _TOOLS:
            return True
        return bool(re.search(r"^g?make(?:\[\d+\])?: (?:\*\*\*|Nothing to be done|Entering directory)",
                              text, re.MULTILINE))

    def parse(self, text: str, command: str | None, exit_code: int | None) -> ParsedOutput | None:
        make_issues: list[tuple[int, Issue]] = []  # (line number, issue) to merge in order
        directories: list[str] = []
        summary = ""
        lines = text.splitlines()
        for number, raw in enumerate(lines):
            line = raw.rstrip()
            if _WAITING.match(line):
                continue
            if match := _RECIPE_FAILED.match(line):
                ignored = bool(match["ignored"])
                make_issues.append((number, Issue(
                    message=line.split("*** ", 1)[1],
                    file=match["file"], line=int(match["line"]) if match["line"] else None,
                    severity="warning" if ignored else "error", code="make")))
                summary = line
            elif match := _MAKE_FATAL.match(line):
                make_issues.append((number, Issue(message=match["msg"], severity="error", code="make")))
                summary = line
            elif match := _MAKEFILE_FATAL.match(line):
                make_issues.append((number, Issue(message=match["msg"], file=match["file"],
                                                  line=int(match["line"]), severity="error", code="make")))
                summary = line
            elif match := _MAKEFILE_WARNING.match(line):
                if _looks_like_makefile(match["file"]):
                    make_issues.append((number, Issue(message=match["msg"], file=match["file"],
                                                      line=int(match["line"]), severity="warning",
                                                      code="make")))
            elif match := _ENTERING.match(line):
                if match["dir"] not in directories:
                    directories.append(match["dir"])
            elif _NOTHING.match(line):
                summary = summary or line
        compiler = parse_compiler_lines(text)
        compiler_issues = compiler.issues if compiler else []
        if not make_issues and not compiler_issues and not summary and tool_word(command) not in _TOOLS:
            return None
        issues = _merge_in_order(lines, compiler_issues, make_issues)
        counts = severity_counts(issues)
        counts["files"] = file_count(issues)
        details: dict[str, object] = {}
        if directories:
            details["directories"] = directories
        if compiler and compiler_issues:
            details["compiler"] = compiler.tool
        return ParsedOutput(kind="build", tool="make",
                            status=status_for(counts["errors"], counts["warnings"], exit_code),
                            counts=counts, issues=issues, summary=summary, details=details)


def _looks_like_makefile(path: str) -> bool:
    name = path.rsplit("/", 1)[-1].lower()
    return "makefile" in name or name.endswith((".mk", ".make"))


def _merge_in_order(lines: list[str], compiler_issues: list[Issue],
                    make_issues: list[tuple[int, Issue]]) -> list[Issue]:
    """Compiler issues then make's own, each make issue placed after the output before it."""
    if not make_issues:
        return list(compiler_issues)
    # Compiler issues are in text order; find the line each starts on to interleave.
    positions: list[int] = []
    cursor = 0
    for issue in compiler_issues:
        while cursor < len(lines) and not _line_reports(lines[cursor], issue):
            cursor += 1
        positions.append(cursor)
        cursor += 1
    merged: list[tuple[int, int, Issue]] = [(pos, 0, issue) for pos, issue in zip(positions, compiler_issues)]
    merged += [(pos, 1, issue) for pos, issue in make_issues]
    merged.sort(key=lambda item: (item[0], item[1]))
    return [issue for _, _, issue in merged]


def _line_reports(line: str, issue: Issue) -> bool:
    return issue.message in line and (issue.file is None or line.startswith(issue.file))


PARSER = MakeParser()
