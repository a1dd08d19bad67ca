"""Parser for Vitest's default and ``verbose`` reporters (``vitest run``).

Counts come from the ``Tests  3 failed | 2 passed | 1 skipped (6)`` and ``Test Files`` lines
(the number in brackets is the total); each `` FAIL  file > describe > test`` block of the
"Failed Tests" / "Failed Suites" sections is one :class:`Failure` named exactly so, located
at its first ``❯ file:line:column`` frame, with the error line as message.

Invariants: only the closing failure sections are read, so a failure is listed once even
though the progress lines mention it too; text without Vitest's ``Test Files`` / ``Tests``
summary and without a ``FAIL`` block is not Vitest's.
"""

from __future__ import annotations

import re

from ._runner_common import invokes
from .model import Failure, ParsedOutput

_TESTS_LINE = re.compile(r"^\s*Tests\s{2,}(?P<body>.+?)\s*\((?P<total>\d+)\)$")
_FILES_LINE = re.compile(r"^\s*Test Files\s{2,}(?P<body>.+?)\s*\((?P<total>\d+)\)$")
_ERRORS_LINE = re.compile(r"^\s*Errors\s{2,}(?P<count>\d+) errors?")
_COUNT = re.compile(r"(\d+) (failed|passed|skipped|todo|expected fail)")
_BLOCK_HEADER = re.compile(r"^ FAIL  (?P<id>.+)$")
_FRAME = re.compile(r"^\s*[❯>] (?:\S+ )?(?P<file>[^\s:]+):(?P<line>\d+):(?P<column>\d+)$")
_SEPARATOR = re.compile(r"^⎯{3,}")
_TELLTALE = re.compile(r"^\s*Test Files\s{2,}.*\(\d+\)$", re.MULTILINE)


def _counts(match: re.Match[str] | None, prefix: str) -> dict[str, int]:
    if match is None:
        return {}
    counts = {f"{prefix}{word.replace(' ', '_')}": int(number)
              for number, word in _COUNT.findall(match.group("body"))}
    counts[f"{prefix}total"] = int(match.group("total"))
    return counts


def _failure(test_id: str, body: list[str]) -> Failure:
    message = next((line.strip() for line in body
                    if line.strip() and not _FRAME.match(line)), "")
    frame = next((m for line in body if (m := _FRAME.match(line))
                  and "node_modules" not in m.group("file")), None)
    file = frame.group("file") if frame else test_id.split(" > ", 1)[0].split(" [", 1)[0]
    return Failure(test=test_id, file=file, line=int(frame.group("line")) if frame else None,
                   message=message)


def vitest_failures(lines: list[str]) -> list[Failure]:
    """The failures of Vitest's closing sections, in order, each test once."""
    failures: list[Failure] = []
    test_id: str | None = None
    body: list[str] = []
    for line in lines:
        header = _BLOCK_HEADER.match(line)
        if header or _SEPARATOR.match(line) or _TESTS_LINE.match(line) or _FILES_LINE.match(line):
            if test_id is not None:
                failures.append(_failure(test_id, body))
            test_id, body = (header.group("id").strip(), []) if header else (None, [])
        elif test_id is not None:
            body.append(line)
    if test_id is not None:
        failures.append(_failure(test_id, body))
    unique = {failure.test: failure for failure in reversed(failures)}
    return [failure for failure in failures if unique[failure.test] is failure]


class VitestParser:
    """Vitest (``vitest run``, ``npx vitest``)."""

    name = "vitest"
    priority = 20

    def matches(self, command: str | None, text: str) -> bool:
        """A vitest command, or Vitest's ``Test Files  ... (N)`` line."""
        if invokes(command, ("vitest",), ("yarn", "vitest"), ("pnpm", "vitest")):
            return True
        return bool(_TELLTALE.search(text))

    def parse(self, text: str, command: str | None, exit_code: int | None) -> ParsedOutput | None:
        """Counts from the summary, one failure per ``FAIL`` block, the ``Tests`` line as summary."""
        lines = text.splitlines()
        tests_line = next((m for line in lines if (m := _TESTS_LINE.match(line))), None)
        files_line = next((m for line in lines if (m := _FILES_LINE.match(line))), None)
        failures = vitest_failures(lines)
        if tests_line is None and files_line is None and not failures:
            return None
        counts = _counts(tests_line, "") | _counts(files_line, "files_")
        errors = next((int(m.group("count")) for line in lines if (m := _ERRORS_LINE.match(line))),
                      None)
        if errors is not None:
            counts["errors"] = errors
        failed = counts.get("failed") or counts.get("files_failed") or errors or failures
        status = "failure" if failed or exit_code not in (None, 0) else "success"
        summary_match = tests_line or files_line
        summary = summary_match.group(0) if summary_match else ""
        return ParsedOutput(kind="test", tool="vitest", status=status, counts=counts,
                            failures=failures, summary=" ".join(summary.split()))


PARSER = VitestParser()
