"""Parser for the go tool: ``go build`` / ``go vet`` diagnostics and ``go test`` results,
plain or ``-v``.

Diagnostics are the unindented ``file.go:line:col: message`` lines (under a ``# package``
header). Test results come from ``--- FAIL/PASS/SKIP: Name (0.00s)`` lines; a test's log
lines (``    file_test.go:12: message``) belong to the test last announced by ``=== RUN`` /
``=== CONT`` / ``=== NAME`` (``-v``) or to the ``--- FAIL`` line they are indented under
(plain). A panicking test is located at the first goroutine frame outside the runtime and
the testing package. Package lines (``ok``, ``FAIL``, ``?``) are counted per package.

Invariants: ``failed`` counts the failures listed, where a parent test failing only because
of a failing subtest is not listed again; ``passed`` and ``skipped`` appear only when the
tool printed them (``-v``), as plain ``go test`` does not; locations are as go printed them
(log lines name the file without its directory).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from ._runner_common import invokes
from .model import Failure, Issue, ParsedOutput

_DIAGNOSTIC = re.compile(r"^(?:vet: )?(?P<file>[^\s:][^:]*\.go):(?P<line>\d+)(?::(?P<column>\d+))?: "
                         r"(?P<message>.+)$")
_GO_ERROR = re.compile(r"^go: (?!downloading |finding |extracting |added |upgraded |found )"
                       r"(?P<message>.+)$")
_RESULT = re.compile(r"^(?P<indent>\s*)--- (?P<outcome>FAIL|PASS|SKIP): (?P<name>\S+) \([\d.]+s\)$")
_ANNOUNCE = re.compile(r"^=== (?:RUN|CONT|NAME) +(?P<name>\S+)$")
_LOG = re.compile(r"^\s+(?P<file>[\w./-]+\.go):(?P<line>\d+): (?P<message>.*)$")
_PANIC = re.compile(r"^panic: (?P<message>.+?)(?: \[recovered\])?$")
_FRAME_LOCATION = re.compile(r"^\t(?P<file>\S+\.go):(?P<line>\d+)(?: \+0x[0-9a-f]+)?$")
_RUNTIME_FUNCTION = re.compile(r"^(?:testing\.|runtime\.|panic\(|created by )")
_PACKAGE = re.compile(r"^(?P<verdict>ok|FAIL|\?)[ \t]+(?P<package>\S+)\s*(?P<rest>.*)$")
_TELLTALE = re.compile(
    r"^(?:--- FAIL: \S+ \(|=== RUN   \S|(?:ok  |FAIL|\?   )\t\S+|# \S+\n(?:vet: )?\S+\.go:\d+:)",
    re.MULTILINE)


@dataclass
class _TestRun:
    """What the output says about one test or subtest."""

    name: str
    outcome: str | None = None
    file: str | None = None
    line: int | None = None
    message: str = ""


def _panic_location(lines: list[str], start: int) -> tuple[str | None, int | None]:
    """The first goroutine frame after ``start`` whose function is the program's own."""
    for index in range(start, len(lines) - 1):
        location = _FRAME_LOCATION.match(lines[index + 1])
        if location and lines[index] and not lines[index][0].isspace() \
                and not _RUNTIME_FUNCTION.match(lines[index]):
            return location.group("file"), int(location.group("line"))
    return None, None


def _tests(lines: list[str]) -> dict[str, _TestRun]:
    runs: dict[str, _TestRun] = {}
    current: _TestRun | None = None
    for index, line in enumerate(lines):
        announce = _ANNOUNCE.match(line)
        result = _RESULT.match(line)
        if announce:
            current = runs.setdefault(announce.group("name"), _TestRun(announce.group("name")))
        elif result:
            current = runs.setdefault(result.group("name"), _TestRun(result.group("name")))
            current.outcome = result.group("outcome")
        elif current is not None and (log := _LOG.match(line)):
            if current.file is None:
                current.file, current.line = log.group("file"), int(log.group("line"))
                current.message = log.group("message")
        elif current is not None and (panic := _PANIC.match(line)):
            if current.file is None:
                current.file, current.line = _panic_location(lines, index + 1)
                current.message = f"panic: {panic.group('message')}"
            current.outcome = "FAIL"
            current = None
    return runs


def _failures(runs: dict[str, _TestRun]) -> list[Failure]:
    failed = [run for run in runs.values() if run.outcome == "FAIL"]
    failures = []
    for run in failed:
        has_failing_child = any(other.name.startswith(run.name + "/") for other in failed)
        if has_failing_child and run.file is None:
            continue
        failures.append(Failure(test=run.name, file=run.file, line=run.line, message=run.message))
    return failures


def _issues(lines: list[str]) -> list[Issue]:
    issues = []
    for line in lines:
        diagnostic = _DIAGNOSTIC.match(line)
        if diagnostic:
            column = diagnostic.group("column")
            issues.append(Issue(message=diagnostic.group("message"), file=diagnostic.group("file"),
                                line=int(diagnostic.group("line")),
                                column=int(column) if column else None))
        elif go_error := _GO_ERROR.match(line):
            issues.append(Issue(message=go_error.group("message")))
    return issues


class GoParser:
    """go build / vet / test / run."""

    name = "go"
    priority = 20

    def matches(self, command: str | None, text: str) -> bool:
        """``go test|build|vet|run|install``, or go test's result lines, or a ``# pkg`` error."""
        if invokes(command, ("go", "test"), ("go", "build"), ("go", "vet"), ("go", "run"),
                   ("go", "install")):
            return True
        return bool(_TELLTALE.search(text))

    def parse(self, text: str, command: str | None, exit_code: int | None) -> ParsedOutput | None:
        """Diagnostics, per-test failures, package verdicts; the worst package line as summary."""
        lines = text.splitlines()
        issues = _issues(lines)
        runs = _tests(lines)
        failures = _failures(runs)
        packages = [match for line in lines if (match := _PACKAGE.match(line))
                    and match.group("package") not in ("", "-")]
        is_test = invokes(command, ("go", "test")) or bool(runs) or bool(packages)
        is_vet = invokes(command, ("go", "vet"))
        if not (issues or runs or packages) and (exit_code is None or not command):
            return None
        counts: dict[str, int] = {}
        if is_test:
            counts["failed"] = len(failures)
            if any(_ANNOUNCE.match(line) for line in lines):
                counts["passed"] = sum(1 for run in runs.values() if run.outcome == "PASS")
                counts["skipped"] = sum(1 for run in runs.values() if run.outcome == "SKIP")
            for key, verdict in (("packages_ok", "ok"), ("packages_failed", "FAIL"),
                                 ("packages_no_tests", "?")):
                counts[key] = sum(1 for match in packages if match.group("verdict") == verdict)
        counts["errors"] = len(issues)
        build_broke = bool(issues) or any("[build failed]" in match.group("rest")
                                          or "[setup failed]" in match.group("rest")
                                          for match in packages)
        if is_test and build_broke and not failures:
            status = "error"
        elif (build_broke or failures or exit_code not in (None, 0)
              or any(m.group("verdict") == "FAIL" for m in packages)):
            status = "failure"
        else:
            status = "success"
        ranked = ([m for m in packages if m.group("verdict") == "FAIL"][:1]
                  or [m for m in packages if m.group("verdict") == "ok"][-1:] or packages[-1:])
        summary = (ranked[0].group(0) if ranked
                   else next((line for line in lines if line.startswith("# ")), ""))
        kind = "lint" if is_vet else ("test" if is_test else "build")
        return ParsedOutput(kind=kind, tool="go", status=status, counts=counts, issues=issues,
                            failures=failures, summary=" ".join(summary.split()))


PARSER = GoParser()
