"""Parser for Mocha's default ``spec`` reporter.

Counts come from the ``N passing (Xms)``, ``N pending`` and ``N failing`` lines; each
numbered failure block (``1) suite`` / ``nested title:`` on indented lines) is one
:class:`Failure` named by its titles joined with spaces, as Mocha's ``fullTitle`` does,
located at the first stack frame in the project's own code, with the error line (and the
line after it when the error line ends with a colon) as message.

Invariants: only the blocks after the ``N failing`` line are read (the numbered lines in the
progress tree above are not failures' details); text without ``N passing`` is not Mocha's.
"""

from __future__ import annotations

import re

from ._runner_common import invokes, js_frame_location
from .model import Failure, ParsedOutput

_PASSING = re.compile(r"^\s+(?P<count>\d+) passing \((?P<duration>[^)]+)\)$")
_PENDING = re.compile(r"^\s+(?P<count>\d+) pending$")
_FAILING = re.compile(r"^\s+(?P<count>\d+) failing$")
_BLOCK_START = re.compile(r"^  (?P<number>\d+)\) (?P<title>.+?)(?P<colon>:?)$")
_TITLE_CONTINUATION = re.compile(r"^\s{5,}(?P<title>\S.*?)(?P<colon>:?)$")
_TELLTALE = re.compile(r"^\s+\d+ passing \(\d+(?:\.\d+)?m?s\)$", re.MULTILINE)


def _failure(titles: list[str], body: list[str]) -> Failure:
    location = next((frame for line in body if (frame := js_frame_location(line))), None)
    texts = [line.strip() for line in body if line.strip() and not line.strip().startswith("at ")]
    message = texts[0] if texts else ""
    if message.endswith(":") and len(texts) > 1:
        message = f"{message} {texts[1]}"
    return Failure(test=" ".join(titles), file=location[0] if location else None,
                   line=location[1] if location else None, message=message)


def mocha_failures(lines: list[str]) -> list[Failure]:
    """The numbered failure blocks after Mocha's ``N failing`` line."""
    start = next((index for index, line in enumerate(lines) if _FAILING.match(line)), None)
    if start is None:
        return []
    failures: list[Failure] = []
    titles: list[str] = []
    body: list[str] = []
    title_open = False
    for line in lines[start + 1:]:
        block = _BLOCK_START.match(line)
        if block:
            if titles:
                failures.append(_failure(titles, body))
            titles, body = [block.group("title")], []
            title_open = not block.group("colon")
            continue
        if title_open and (more := _TITLE_CONTINUATION.match(line)):
            titles.append(more.group("title"))
            title_open = not more.group("colon")
            continue
        title_open = False
        if titles:
            body.append(line)
    if titles:
        failures.append(_failure(titles, body))
    return failures


class MochaParser:
    """Mocha (``mocha``, ``npx mocha``)."""

    name = "mocha"
    priority = 20

    def matches(self, command: str | None, text: str) -> bool:
        """A mocha command, or Mocha's ``N passing (Xms)`` line."""
        if invokes(command, ("mocha",), ("_mocha",), ("yarn", "mocha"), ("pnpm", "mocha")):
            return True
        return bool(_TELLTALE.search(text))

    def parse(self, text: str, command: str | None, exit_code: int | None) -> ParsedOutput | None:
        """Counts, one failure per numbered block; the passing/pending/failing lines as summary."""
        lines = text.splitlines()
        found = {key: next((m for line in lines if (m := pattern.match(line))), None)
                 for key, pattern in (("passed", _PASSING), ("pending", _PENDING),
                                      ("failed", _FAILING))}
        if found["passed"] is None and found["failed"] is None:
            return None
        counts = {key: int(match.group("count")) for key, match in found.items() if match}
        failures = mocha_failures(lines)
        if counts.get("failed") or failures or exit_code not in (None, 0):
            status = "failure"
        else:
            status = "success"
        summary = ", ".join(match.group(0).strip() for match in found.values() if match)
        return ParsedOutput(kind="test", tool="mocha", status=status, counts=counts,
                            failures=failures, summary=summary)


PARSER = MochaParser()
