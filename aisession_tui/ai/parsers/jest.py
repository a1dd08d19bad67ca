"""Parser for Jest's default and ``--verbose`` reporters.

Counts come from the ``Tests:`` and ``Test Suites:`` summary lines; each ``● a › b`` block
is one :class:`Failure` named as Jest names it (``describe › test``), located at the first
stack frame in the project's own code, with the error's first line and any
``Expected:`` / ``Received:`` lines as its message. A ``● Test suite failed to run`` block is
a failure named by the suite's file.

Invariants: a block Jest prints twice (per suite, then in its closing "Summary of all
failing tests") is kept once; ``● Console`` blocks are log output, not failures; text without
Jest's summary and without a ``●`` failure block is not Jest's.
"""

from __future__ import annotations

import re

from ._runner_common import invokes, js_frame_location
from .model import Failure, ParsedOutput

_TESTS_LINE = re.compile(r"^Tests:\s+(?P<body>.*\d+ total)$")
_SUITES_LINE = re.compile(r"^Test Suites:\s+(?P<body>.*\d+ total)$")
_COUNT = re.compile(r"(\d+) (failed|passed|skipped|todo|total|pending)")
_SUITE_HEADER = re.compile(r"^(?:PASS|FAIL) (?P<file>\S+)")
_BLOCK_HEADER = re.compile(r"^  ● (?P<title>.+)$")
_CODE_FRAME = re.compile(r"^\s*>?\s*\d+ \|")
_DETAIL = re.compile(r"^\s*(?:Expected|Received)(?: [\w ]+)?: ")
_NOT_FAILURES = ("Console",)
_TELLTALE = re.compile(r"^Test Suites: .*\d+ total$", re.MULTILINE)
_SUITE_FAILED_TITLE = "Test suite failed to run"


def _counts(match: re.Match[str] | None, prefix: str) -> dict[str, int]:
    if match is None:
        return {}
    return {f"{prefix}{word}": int(number) for number, word in _COUNT.findall(match.group("body"))}


def _failure(title: str, suite: str | None, body: list[str]) -> Failure:
    message: list[str] = []
    location: tuple[str, int, int] | None = None
    for line in body:
        if location is None and (frame := js_frame_location(line)):
            location = frame
        if location is not None or _CODE_FRAME.match(line) or line.strip().startswith("at "):
            continue
        if (line.strip() and not message) or (message and _DETAIL.match(line)):
            message.append(line.strip())
    test = suite if title == _SUITE_FAILED_TITLE and suite else title
    return Failure(test=test, file=location[0] if location else suite,
                   line=location[1] if location else None, message="\n".join(message))


def jest_failures(lines: list[str]) -> list[Failure]:
    """Every ``●`` failure block of Jest output, in order, without repeats."""
    failures: list[Failure] = []
    seen: set[tuple[str, str | None]] = set()
    suite: str | None = None
    title: str | None = None
    body: list[str] = []

    def close() -> None:
        if title is not None and title not in _NOT_FAILURES:
            failure = _failure(title, suite, body)
            if (failure.test, failure.file) not in seen:
                seen.add((failure.test, failure.file))
                failures.append(failure)

    for line in lines:
        header = _SUITE_HEADER.match(line)
        block = _BLOCK_HEADER.match(line)
        if header or block or _SUITES_LINE.match(line) or line.startswith("Summary of all failing"):
            close()
            title, body = (block.group("title"), []) if block else (None, [])
            if header:
                suite = header.group("file")
        elif title is not None:
            body.append(line)
    close()
    return failures


class JestParser:
    """Jest run directly (``jest``, ``npx jest``, ``yarn jest``)."""

    name = "jest"
    priority = 20

    def matches(self, command: str | None, text: str) -> bool:
        """A jest command, or Jest's ``Test Suites: ... total`` line."""
        if invokes(command, ("jest",), ("yarn", "jest"), ("pnpm", "jest"),
                   ("react-scripts", "test")):
            return True
        return bool(_TELLTALE.search(text))

    def parse(self, text: str, command: str | None, exit_code: int | None) -> ParsedOutput | None:
        """Counts from the summary, one failure per ``●`` block, the ``Tests:`` line as summary."""
        lines = text.splitlines()
        tests_line = next((m for line in lines if (m := _TESTS_LINE.match(line))), None)
        suites_line = next((m for line in lines if (m := _SUITES_LINE.match(line))), None)
        failures = jest_failures(lines)
        if tests_line is None and suites_line is None and not failures:
            return None
        counts = _counts(tests_line, "") | _counts(suites_line, "suites_")
        failed = counts.get("failed") or counts.get("suites_failed") or failures
        status = "failure" if failed or exit_code not in (None, 0) else "success"
        summary = tests_line.group(0) if tests_line else (suites_line.group(0) if suites_line else "")
        return ParsedOutput(kind="test", tool="jest", status=status, counts=counts,
                            failures=failures, summary=" ".join(summary.split()))


PARSER = JestParser()
