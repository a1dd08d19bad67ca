"""Parser for pytest output (``-q``, default, ``-v``, ``-r`` summaries, ``--tb`` styles).

Reads the final ``N failed, M passed ... in Xs`` line into counts, the FAILURES / ERRORS
sections into one :class:`Failure` per block (test id, crash file:line, the first ``E`` line
of the last traceback group), and the ``short test summary info`` / ``-v`` result lines to
give each block its full node id (``tests/test_x.py::TestC::test_y``). Collection errors are
failures named by the module path pytest failed to collect.

Invariants: every id, path, line and message comes from the text; the crash location is the
last traceback location outside installed libraries (``site-packages``, the stdlib,
``<frozen ...>``), or none when there is no such location; no summary and no pytest section
means the text is not pytest's and :meth:`PytestParser.parse` returns ``None``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from ._runner_common import invokes, is_python_library_path
from .model import Failure, ParsedOutput

_SUMMARY = re.compile(
    r"^=*\s*(?P<body>(?:\d+ [a-z]+(?:, )?)+|no tests ran) in (?P<secs>[\d.]+)s"
    r"(?: \([^)]*\))?\s*=*$")
_COUNT = re.compile(r"(\d+) ([a-z]+)")
_COUNT_NAMES = {"passed": "passed", "failed": "failed", "skipped": "skipped",
                "deselected": "deselected", "xfailed": "xfailed", "xpassed": "xpassed",
                "error": "errors", "errors": "errors", "warning": "warnings",
                "warnings": "warnings", "rerun": "rerun", "reruns": "rerun"}
_SECTION = re.compile(r"^={3,} (?P<title>.+?) ={3,}$")
_BLOCK = re.compile(r"^_{3,} (?P<title>.+?) _{3,}$")
_LOCATION = re.compile(r"^(?P<file><[^>]+>|[^\s:<][^\s:]*):(?P<line>\d+):(?: (?P<rest>.*))?$")
_NATIVE_FRAME = re.compile(r'^\s*File "(?P<file>[^"]+)", line (?P<line>\d+)')
_E_LINE = re.compile(r"^E(?:\s+(?P<text>.*))?$")
_RESULT_LINE = re.compile(r"^(?P<outcome>FAILED|ERROR) (?P<id>\S.*?)(?: - (?P<message>.*))?$")
_VERBOSE_LINE = re.compile(
    r"^(?P<id>\S+::\S.*?) (?P<outcome>FAILED|ERROR)(?: |$)")
_SESSION_START = re.compile(r"^=+ test session starts =+$", re.MULTILINE)
_PYTEST_TAIL = re.compile(
    r"^=*\s*(?:\d+ (?:passed|failed|skipped|deselected|xfailed|xpassed|errors?|warnings?)"
    r"(?:, )?)+ in [\d.]+s\b", re.MULTILINE)
_FAILURE_SECTIONS = ("FAILURES", "ERRORS")


@dataclass
class _Block:
    """One traceback block of the FAILURES or ERRORS section."""

    title: str
    lines: list[str] = field(default_factory=list)


def _blocks(lines: list[str]) -> list[_Block]:
    blocks: list[_Block] = []
    in_failures = False
    current: _Block | None = None
    for line in lines:
        section = _SECTION.match(line)
        if section:
            in_failures = section.group("title") in _FAILURE_SECTIONS
            current = None
            continue
        if not in_failures:
            continue
        header = _BLOCK.match(line)
        if header:
            current = _Block(header.group("title"))
            blocks.append(current)
        elif current is not None:
            current.lines.append(line)
    return blocks


def _message(block: _Block) -> str:
    """First line of the last run of ``E`` lines (the exception line after a ``File`` one)."""
    groups: list[list[str]] = []
    previous_was_e = False
    for line in block.lines:
        match = _E_LINE.match(line)
        if match:
            if not previous_was_e:
                groups.append([])
            groups[-1].append(match.group("text") or "")
            previous_was_e = True
        else:
            previous_was_e = False
    if not groups:
        return ""
    group = [text for text in groups[-1] if text.strip()]
    if not group:
        return ""
    if _NATIVE_FRAME.match(group[0]):  # a SyntaxError shows its own frame first
        return group[-1].strip()
    return group[0].strip()


def _crash_location(block: _Block) -> tuple[str | None, int | None]:
    found: tuple[str | None, int | None] = (None, None)
    for line in block.lines:
        match = _LOCATION.match(line) or _NATIVE_FRAME.match(line)
        if match is None and line.startswith("E"):
            match = _NATIVE_FRAME.match(line[1:])
        if match and not is_python_library_path(match.group("file")):
            found = (match.group("file"), int(match.group("line")))
    return found


def _reported_ids(lines: list[str]) -> tuple[list[str], dict[str, str]]:
    """Failed/errored node ids in order of appearance, and the summary message of each."""
    ids: list[str] = []
    messages: dict[str, str] = {}
    for line in lines:
        match = _RESULT_LINE.match(line) or _VERBOSE_LINE.match(line)
        if not match:
            continue
        node_id = match.group("id")
        if node_id not in ids:
            ids.append(node_id)
        message = match.groupdict().get("message")
        if message:
            messages[node_id] = message
    return ids, messages


def _node_name(node_id: str) -> str:
    """How a block header names ``node_id``: ``TestC.test_y`` for ``f.py::TestC::test_y``."""
    return node_id.split("::", 1)[1].replace("::", ".") if "::" in node_id else node_id


def _block_test(block: _Block, ids: list[str], file: str | None) -> str:
    title = block.title
    for prefix in ("ERROR collecting ", "ERROR at setup of ", "ERROR at teardown of "):
        if title.startswith(prefix):
            title = title[len(prefix):]
            break
    candidates = [node_id for node_id in ids if node_id == title or _node_name(node_id) == title]
    if file is not None:
        in_file = [node_id for node_id in candidates if node_id.split("::", 1)[0] == file]
        candidates = in_file or candidates
    return candidates[0] if candidates else title


def _failures(lines: list[str]) -> list[Failure]:
    ids, summary_messages = _reported_ids(lines)
    failures: list[Failure] = []
    named: set[str] = set()
    for block in _blocks(lines):
        file, line = _crash_location(block)
        test = _block_test(block, ids, file)
        named.add(test)
        if block.title.startswith("ERROR collecting "):
            file = file if file is not None and file.endswith(test) else test
        elif file is None and "::" in test:
            file = test.split("::", 1)[0]
        message = _message(block) or summary_messages.get(test, "")
        failures.append(Failure(test=test, file=file, line=line, message=message))
    for node_id in ids:
        if node_id not in named:
            failures.append(Failure(test=node_id, file=node_id.split("::", 1)[0],
                                    message=summary_messages.get(node_id, "")))
    return failures


class PytestParser:
    """pytest's console output, any verbosity."""

    name = "pytest"
    priority = 20

    def matches(self, command: str | None, text: str) -> bool:
        """``pytest`` / ``py.test`` / ``python -m pytest``, or pytest's header or tail line."""
        if invokes(command, ("pytest",), ("py.test",)):
            return True
        return bool(_SESSION_START.search(text) or _PYTEST_TAIL.search(text))

    def parse(self, text: str, command: str | None, exit_code: int | None) -> ParsedOutput | None:
        """Counts, failures with their node ids and crash locations, the summary line."""
        lines = text.splitlines()
        summary_line = next((line for line in reversed(lines) if _SUMMARY.match(line.strip())),
                            None)
        failures = _failures(lines)
        started = any(_SESSION_START.match(line) for line in lines)
        if summary_line is None and not failures and not started:
            return None
        counts: dict[str, int] = {}
        details: dict[str, object] = {}
        if summary_line is not None:
            match = _SUMMARY.match(summary_line.strip())
            assert match is not None
            for number, word in _COUNT.findall(match.group("body")):
                key = _COUNT_NAMES.get(word, word)
                counts[key] = counts.get(key, 0) + int(number)
            details["duration_seconds"] = float(match.group("secs"))
        interrupted = any(line.strip("! ").startswith("Interrupted:") for line in lines)
        if interrupted or any(line.startswith("INTERNALERROR>") for line in lines):
            status = "error"
        elif counts.get("failed") or counts.get("errors") or failures:
            status = "failure"
        elif summary_line is None:
            status = "unknown" if exit_code is None else ("success" if exit_code == 0 else "error")
        else:
            status = "success" if exit_code in (None, 0) else "failure"
        summary = summary_line.strip().strip("=").strip() if summary_line else ""
        return ParsedOutput(kind="test", tool="pytest", status=status, counts=counts,
                            failures=failures, summary=summary, details=details)


PARSER = PytestParser()
