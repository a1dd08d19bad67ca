"""Parser for the standard library's unittest text runner, also as driven by Django's
``manage.py test``.

Reads the ``Ran N tests in Xs`` line and the ``OK`` / ``FAILED (failures=2, errors=1, ...)``
verdict into counts, and each ``FAIL:`` / ``ERROR:`` block into a :class:`Failure`: the test
id as unittest names it (``pkg.module.Class.test_name``, plus a subtest's parameters), the
last traceback frame outside installed libraries, and the exception line.

Invariants: counts come from the verdict line (``passed`` is ``Ran`` minus every other
outcome it lists, and is left out when that would be negative, as subtests can make it);
no ``Ran N tests`` line and no failure block means the text is not unittest's.
"""

from __future__ import annotations

import re

from ._runner_common import invokes, is_python_library_path
from .model import Failure, ParsedOutput

_RAN = re.compile(r"^Ran (?P<total>\d+) tests? in (?P<secs>[\d.]+)s$")
_VERDICT = re.compile(r"^(?P<word>OK|FAILED|NO TESTS RAN)(?: \((?P<body>[^)]*)\))?$")
_BLOCK_HEADER = re.compile(r"^(?P<kind>FAIL|ERROR|UNEXPECTED SUCCESS): (?P<name>\S+)"
                           r"(?: \((?P<where>[^)]*)\))?(?P<extra>.*)$")
_FRAME = re.compile(r'^\s*File "(?P<file>[^"]+)", line (?P<line>\d+)')
_SEPARATOR_HEAVY = "=" * 70
_SEPARATOR_LIGHT = "-" * 70
_TELLTALE = re.compile(r"^-{70}\nRan \d+ tests? in [\d.]+s$", re.MULTILINE)
_DJANGO_TELLTALE = re.compile(r"^(?:Found \d+ test\(s\)\.|Creating test database for alias )",
                              re.MULTILINE)
_VERDICT_COUNTS = {"failures": "failed", "errors": "errors", "skipped": "skipped",
                   "expected failures": "xfailed", "unexpected successes": "xpassed"}


def _test_id(name: str, where: str | None, extra: str) -> str:
    """``test_x (pkg.C.test_x)`` and the older ``test_x (pkg.C)`` both give ``pkg.C.test_x``."""
    if where is None:
        base = name
    elif where == name or where.endswith("." + name):
        base = where
    else:
        base = f"{where}.{name}"
    return f"{base} {extra.strip()}" if extra.strip() else base


def _failure(header: re.Match[str], body: list[str]) -> Failure:
    frames = [(index, match) for index, line in enumerate(body)
              if (match := _FRAME.match(line))]
    file: str | None = None
    line_number: int | None = None
    for _, match in frames:
        if not is_python_library_path(match.group("file")):
            file, line_number = match.group("file"), int(match.group("line"))
    after = frames[-1][0] + 1 if frames else 0
    message = next((line.strip() for line in body[after:]
                    if line.strip() and not line[0].isspace()), "")
    test = _test_id(header.group("name"), header.group("where"), header.group("extra"))
    return Failure(test=test, file=file, line=line_number, message=message)


def _failures(lines: list[str]) -> list[Failure]:
    failures: list[Failure] = []
    index = 0
    while index < len(lines):
        if lines[index] != _SEPARATOR_HEAVY or index + 1 >= len(lines):
            index += 1
            continue
        header = _BLOCK_HEADER.match(lines[index + 1])
        if header is None:
            index += 1
            continue
        index += 2
        if index < len(lines) and lines[index] == _SEPARATOR_LIGHT:
            index += 1
        body: list[str] = []
        while index < len(lines) and lines[index] not in (_SEPARATOR_HEAVY, _SEPARATOR_LIGHT):
            body.append(lines[index])
            index += 1
        failures.append(_failure(header, body))
    return failures


class UnittestParser:
    """``python -m unittest`` and Django's ``manage.py test``."""

    name = "unittest"
    priority = 25

    def matches(self, command: str | None, text: str) -> bool:
        """unittest / Django test commands, or unittest's ``----`` + ``Ran N tests`` lines."""
        if invokes(command, ("unittest",), ("manage.py", "test"), ("python", "manage.py", "test"),
                   ("django-admin", "test")):
            return True
        return bool(_TELLTALE.search(text))

    def parse(self, text: str, command: str | None, exit_code: int | None) -> ParsedOutput | None:
        """Counts from the verdict, one failure per FAIL/ERROR block, the verdict as summary."""
        lines = text.splitlines()
        ran = next((match for line in lines if (match := _RAN.match(line.strip()))), None)
        verdict_line = next((line.strip() for line in reversed(lines)
                             if _VERDICT.match(line.strip())), None)
        failures = _failures(lines)
        if ran is None and not failures:
            return None
        counts: dict[str, int] = {}
        details: dict[str, object] = {}
        if ran is not None:
            counts["total"] = int(ran.group("total"))
            details["duration_seconds"] = float(ran.group("secs"))
        verdict = _VERDICT.match(verdict_line) if verdict_line else None
        if verdict is not None and verdict.group("body"):
            for part in verdict.group("body").split(","):
                key, _, value = part.strip().partition("=")
                if value.isdigit():
                    counts[_VERDICT_COUNTS.get(key, key)] = int(value)
        if "total" in counts:
            passed = counts["total"] - sum(counts.get(key, 0) for key in _VERDICT_COUNTS.values())
            if passed >= 0:
                counts["passed"] = passed
        if verdict is None:
            status = "failure" if failures else ("unknown" if exit_code is None else
                                                 "success" if exit_code == 0 else "failure")
        elif verdict.group("word") == "OK":
            status = "success"
        else:
            status = "failure"
        is_django = (invokes(command, ("manage.py", "test"), ("python", "manage.py", "test"),
                              ("django-admin", "test"))
                     or bool(_DJANGO_TELLTALE.search(text)))
        summary = " ".join(part for part in (ran.group(0) if ran else "", verdict_line or "")
                           if part)
        return ParsedOutput(kind="test", tool="django" if is_django else "unittest",
                            status=status, counts=counts, failures=failures, summary=summary,
                            details=details)


PARSER = UnittestParser()
