"""Parser for cargo (build, check, test, clippy, ...) and rustc output.

Compiler diagnostics become :class:`Issue` objects: the ``error[E0308]: message`` header
with the ``--> file:line:column`` line under it (human format) or the one-line
``file:line:column: error[E0308]: message`` (``--message-format=short``). libtest output
becomes counts summed over every ``test result:`` line and one :class:`Failure` per failed
test, located by its ``panicked at file:line:column`` line, with the panic message.

Invariants: an identical diagnostic printed twice (cargo builds a crate for ``lib`` and
``lib test``) is kept once; ``errors`` / ``warnings`` count the distinct diagnostics read;
status is ``error`` when a test command could not build its tests, ``failure`` when
compilation or a test failed; text with no diagnostic, no test result and no cargo progress
line is not cargo's and parses to ``None``.
"""

from __future__ import annotations

import re

from ._runner_common import invokes
from .model import Failure, Issue, ParsedOutput

_HEADER = re.compile(r"^(?P<severity>error|warning)(?:\[(?P<code>[A-Za-z]+\d*)\])?: "
                     r"(?P<message>.+)$")
_ARROW = re.compile(r"^\s*--> (?P<file>.+?):(?P<line>\d+):(?P<column>\d+)$")
_SHORT = re.compile(r"^(?P<file>[^\s:][^:]*):(?P<line>\d+):(?P<column>\d+): "
                    r"(?P<severity>error|warning)(?:\[(?P<code>[A-Za-z]+\d*)\])?: "
                    r"(?P<message>.+)$")
# cargo's and rustc's own wrap-up lines; never diagnostics about the code.
_WRAP_UP = re.compile(
    r"^(?:could not compile|aborting due to|test failed, to rerun|build failed|"
    r"\d+ targets? failed|`[^`]+` \([^)]*\) generated |Some errors have detailed|"
    r"For more information about)")
_TEST_RESULT = re.compile(
    r"^test result: (?P<verdict>ok|FAILED)\. (?P<passed>\d+) passed; (?P<failed>\d+) failed; "
    r"(?P<ignored>\d+) ignored; (?P<measured>\d+) measured; (?P<filtered>\d+) filtered out"
    r"(?:; finished in (?P<secs>[\d.]+)s)?$")
_TEST_LINE = re.compile(r"^test (?P<name>.+?) \.\.\. (?P<outcome>ok|FAILED|ignored)\b")
_STDOUT_BLOCK = re.compile(r"^---- (?P<name>.+) stdout ----$")
_PANIC_NEW = re.compile(r"^thread '(?P<thread>[^']*)'(?: \(\d+\))? panicked at "
                        r"(?P<file>[^\s:][^:]*):(?P<line>\d+):(?P<column>\d+):$")
_PANIC_OLD = re.compile(r"^thread '(?P<thread>[^']*)' panicked at '(?P<message>.*)', "
                        r"(?P<file>[^\s:][^:]*):(?P<line>\d+):(?P<column>\d+)$")
_PANIC_MESSAGE_END = re.compile(r"^(?:note: |stack backtrace:|thread '|---- )")
_TELLTALE = re.compile(
    r"^(?:(?:error|warning)(?:\[[A-Za-z]+\d*\])?: .+\n\s*--> \S+:\d+:\d+$|"
    r"test result: (?:ok|FAILED)\. \d+ passed;|"
    r"\s+(?:Compiling|Checking) \S+ v\d)", re.MULTILINE)
_PROGRESS = re.compile(r"^\s+(?:Compiling|Checking|Finished|Running|Doc-tests) ")


def _issues(lines: list[str]) -> list[Issue]:
    issues: list[Issue] = []
    seen: set[tuple[object, ...]] = set()
    for index, line in enumerate(lines):
        short = _SHORT.match(line)
        header = None if short else _HEADER.match(line)
        if short:
            issue = Issue(message=short.group("message"), file=short.group("file"),
                          line=int(short.group("line")), column=int(short.group("column")),
                          severity=short.group("severity"), code=short.group("code"))
        elif header:
            if _WRAP_UP.match(header.group("message")):
                continue
            arrow = _ARROW.match(lines[index + 1]) if index + 1 < len(lines) else None
            if arrow is None and header.group("severity") != "error":
                continue
            issue = Issue(message=header.group("message"),
                          file=arrow.group("file") if arrow else None,
                          line=int(arrow.group("line")) if arrow else None,
                          column=int(arrow.group("column")) if arrow else None,
                          severity=header.group("severity"), code=header.group("code"))
        else:
            continue
        key = (issue.severity, issue.code, issue.message, issue.file, issue.line, issue.column)
        if key not in seen:
            seen.add(key)
            issues.append(issue)
    return issues


def _panic_failure(name: str, body: list[str]) -> Failure:
    for index, line in enumerate(body):
        old = _PANIC_OLD.match(line)
        if old:
            return Failure(test=name, file=old.group("file"), line=int(old.group("line")),
                           message=old.group("message"))
        new = _PANIC_NEW.match(line)
        if new:
            message: list[str] = []
            for text in body[index + 1:]:
                if not text.strip() or _PANIC_MESSAGE_END.match(text):
                    break
                message.append(text.rstrip())
            return Failure(test=name, file=new.group("file"), line=int(new.group("line")),
                           message="\n".join(message))
    message_line = next((line.strip() for line in body if line.strip()), "")
    return Failure(test=name, message=message_line)


def _failures(lines: list[str]) -> list[Failure]:
    """One failure per failed test, from its ``---- name stdout ----`` block when it has one."""
    blocks: dict[str, list[str]] = {}
    current: list[str] | None = None
    failed_names: list[str] = []
    for line in lines:
        block = _STDOUT_BLOCK.match(line)
        if block:
            current = blocks.setdefault(block.group("name"), [])
            continue
        if current is not None and (line == "failures:" or _TEST_RESULT.match(line)
                                    or _PROGRESS.match(line)):
            current = None
        if current is not None:
            current.append(line)
        test_line = _TEST_LINE.match(line)
        if (test_line and test_line.group("outcome") == "FAILED"
                and test_line.group("name") not in failed_names):
            failed_names.append(test_line.group("name"))
    for name in blocks:
        if name not in failed_names:
            failed_names.append(name)
    return [_panic_failure(name, blocks.get(name, [])) for name in failed_names]


def _summary(lines: list[str], results: list[re.Match[str]], is_test: bool) -> str:
    could_not_compile = next((line for line in lines if line.startswith(
        ("error: could not compile", "error: aborting due to"))), None)
    if could_not_compile:
        return could_not_compile
    if is_test and results:
        failed = [match.group(0) for match in results if match.group("verdict") == "FAILED"]
        return failed[0] if failed else results[-1].group(0)
    finished = next((line.strip() for line in reversed(lines)
                     if line.strip().startswith("Finished ")), None)
    return finished or ""


class CargoParser:
    """cargo build / check / test / clippy and rustc."""

    name = "cargo"
    priority = 20

    def matches(self, command: str | None, text: str) -> bool:
        """``cargo`` / ``rustc`` commands, or a rustc arrow, a libtest result, a cargo step."""
        if invokes(command, ("cargo",), ("rustc",), ("cross",)):
            return True
        return bool(_TELLTALE.search(text))

    def parse(self, text: str, command: str | None, exit_code: int | None) -> ParsedOutput | None:
        """Diagnostics, test counts and failures, cargo's verdict as the summary."""
        lines = text.splitlines()
        issues = _issues(lines)
        results = [match for line in lines if (match := _TEST_RESULT.match(line))]
        failures = _failures(lines)
        progress = any(_PROGRESS.match(line) for line in lines)
        if not (issues or results or failures or progress):
            return None
        is_test = (invokes(command, ("cargo", "test"), ("cargo", "t"), ("cargo", "nextest"))
                   or bool(results) or any(line.startswith("running ") for line in lines))
        counts: dict[str, int] = {}
        for key in ("passed", "failed", "ignored", "measured", "filtered"):
            if results:
                counts[key if key != "filtered" else "filtered_out"] = sum(
                    int(match.group(key)) for match in results)
        errors = sum(1 for issue in issues if issue.severity == "error")
        warnings = sum(1 for issue in issues if issue.severity == "warning")
        counts["errors"] = errors
        counts["warnings"] = warnings
        if errors and is_test and not results:
            status = "error"
        elif errors or failures or counts.get("failed") or exit_code not in (None, 0):
            status = "failure"
        else:
            status = "success"
        kind = "test" if is_test else "build"
        if invokes(command, ("cargo", "clippy")):
            kind = "lint"
        is_rustc = invokes(command, ("rustc",)) or any(
            line.startswith("error: aborting due to") for line in lines)
        return ParsedOutput(kind=kind, tool="rustc" if is_rustc else "cargo",
                            status=status, counts=counts, issues=issues, failures=failures,
                            summary=_summary(lines, results, is_test),
                            details={"test_binaries": len(results)} if results else {})


PARSER = CargoParser()
