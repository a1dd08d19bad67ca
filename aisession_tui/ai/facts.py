"""The facts of a command record that no compaction may lose, and the check that finds them.

A **fact** is one thing an agent needs to act on a command's result, read from the
parser's result (:class:`~aisession_tui.ai.parsers.ParsedOutput` as a dict) and from the
raw output. Kinds:

* ``command``: the command's text with its exit code (``$ cmd`` ... ``exit N`` on one line);
* ``cwd``: the directory it ran in (when known);
* ``test``: every failing test id;
* ``location``: every error and warning location ``file:line`` (``file`` alone when the
  line is unknown) with the tool's code (``E0308``, ``TS2322``, ``F401``) when it has one;
* ``error``: an error or warning without a file location, or without a line (a linker's
  ``undefined reference``): its message;
* ``exception``: every exception's type and message (``ZeroDivisionError: division by
  zero``; a Rust panic or a Go panic message counts too);
* ``assertion``: every failing test's assertion (or failure) message.

Messages are compared in a canonical form (:func:`canonical`: whitespace collapsed, at
most ``FACT_CHARS`` characters with ``…`` when cut): the renderers in
:mod:`aisession_tui.ai.context` write that same form, and the check finds it.

:func:`present` decides which facts a rendered context text still holds. A fact is
present when one line of the text holds all its parts (``file:line`` and its code on one
line; the command and ``exit N`` on one line; a message as a whole). Invariant: a fact
is never invented; every part comes from the parser result or the output's own lines.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from typing import Any

FACT_CHARS = 120
"""Longest message kept in a fact (exception messages, assertions, file-less errors)."""
KINDS = ("command", "cwd", "test", "location", "error", "exception", "assertion")

_EXCEPTION_LINE = re.compile(
    r"^(?P<type>(?:[A-Za-z_][\w$]*\.)*[A-Z][\w$]*(?:Error|Exception|Interrupt|Exit|Fault"
    r"|Failure|Warning))(?::\s*(?P<message>.*))?$")
_PANIC_LINE = re.compile(r"^panic: (?P<message>.+)$")
_RAW_START = re.compile(r"^(?:Traceback \(most recent call last\)|panic: )", re.M)


def canonical(message: str, limit: int = FACT_CHARS) -> str:
    """``message`` with whitespace collapsed, cut to ``limit`` characters (``…`` ends a
    cut message). Renderers and the check both use this form."""
    text = " ".join(message.split())
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def exit_text(exit_code: int | None) -> str:
    """``exit N`` (``exit ?`` when unknown): how every form writes an exit code."""
    return f"exit {exit_code}" if exit_code is not None else "exit ?"


@dataclass(frozen=True)
class Fact:
    """One fact: its kind and the parts one line of a context must hold."""

    kind: str
    parts: tuple[str, ...]

    @property
    def key(self) -> str:
        """What identifies the fact across runs (the same failure in runs 3 and 5)."""
        return f"{self.kind}\t" + "\t".join(self.parts)

    def label(self) -> str:
        """A short human-readable form (reports, tests)."""
        return " ".join(self.parts)

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready."""
        return {"kind": self.kind, "parts": list(self.parts)}


def location(file: str, line: int | None) -> str:
    """``file:line``, or ``file`` when the line is unknown."""
    return f"{file}:{line}" if line is not None else file


def make_fact(kind: str, *parts: str) -> Fact:
    """A fact of ``kind`` from its non-empty parts."""
    return Fact(kind, tuple(part for part in parts if part))


def message_fact(message: str) -> Fact:
    """A failing test's message as a fact: an exception (``Type: message``) when it names
    one, else an assertion."""
    exception = _exception_of(message)
    if exception is not None:
        return make_fact("exception", exception_text(*exception))
    return make_fact("assertion", canonical(message))


def _exception_of(message: str) -> tuple[str, str] | None:
    """(type, message) when ``message``'s first line names an exception."""
    first = message.strip().splitlines()[0].strip() if message.strip() else ""
    found = _EXCEPTION_LINE.match(first)
    if found is None:
        return None
    return found["type"], message.strip()[len(found["type"]):].lstrip(":").strip()


def exception_text(type_: str, message: str) -> str:
    """How an exception fact is written: ``Type: message`` (canonical)."""
    return canonical(f"{type_}: {message}" if message else type_)


def record_facts(command: str, exit_code: int | None, parsed: dict[str, Any] | None,
                 plain: str = "", cwd: str | None = None) -> list[Fact]:
    """Every fact of one command record, in output order, without duplicates.

    ``parsed`` is :meth:`ParsedOutput.to_dict`; ``plain`` is the output as text (used for
    exception lines and panics the parser did not report)."""
    facts: list[Fact] = []
    seen: set[Fact] = set()

    def add(kind: str, *parts: str) -> None:
        fact = make_fact(kind, *parts)
        if fact.parts and fact not in seen:
            seen.add(fact)
            facts.append(fact)

    add("command", canonical(command, 400), exit_text(exit_code))
    if cwd:
        add("cwd", cwd)
    parsed = parsed or {}
    for failure in parsed.get("failures") or []:
        add("test", str(failure.get("test") or ""))
        message = str(failure.get("message") or "")
        if message.strip():
            fact = message_fact(message)
            add(fact.kind, *fact.parts)
    for issue in parsed.get("issues") or []:
        if issue.get("file"):
            add("location", location(str(issue["file"]), issue.get("line")),
                str(issue.get("code") or ""))
            if issue.get("line") is None and issue.get("message") \
                    and issue.get("code") != "conflict":
                add("error", canonical(str(issue["message"])))  # a linker's undefined symbol
        elif issue.get("message"):
            add("error", canonical(str(issue["message"])))
    for exception in (parsed.get("details") or {}).get("exceptions") or []:
        if exception.get("type"):
            add("exception", exception_text(str(exception["type"]),
                                            str(exception.get("message") or "")))
    said = [fact.parts[0] for fact in facts if fact.kind == "exception"]
    for fact in _raw_exceptions(plain):
        if not any(_needle(fact.parts[0]).removeprefix("panic: ") in known for known in said):
            add(fact.kind, *fact.parts)
    return facts


LINES_CHUNK = 1 << 16
"""Characters split into lines at a time by :func:`iter_lines`."""


def iter_lines(text: str, start: int = 0) -> Iterator[str]:
    """The lines of ``text`` from ``start`` (a line start), like ``str.splitlines`` on
    ``\n`` but a chunk at a time: an 8 MiB output of short lines is never a million
    strings at once."""
    end_of_text = len(text)
    while start < end_of_text:
        cut = text.find("\n", min(start + LINES_CHUNK, end_of_text) - 1)
        if cut < 0:
            cut = end_of_text
        for line in text[start:cut].split("\n"):
            yield line.removesuffix("\r")
        start = cut + 1


def _raw_exceptions(plain: str) -> Iterable[Fact]:
    """Exceptions the output states itself: the last line of a Python traceback, a Go
    ``panic:`` line. Lines are read one at a time, and only when the output holds one."""
    first = _RAW_START.search(plain)
    if first is None:
        return
    in_traceback = False
    for raw in iter_lines(plain, first.start()):
        line = raw.rstrip()
        if line.startswith("Traceback (most recent call last)"):
            in_traceback = True
            continue
        if in_traceback and line and not line.startswith((" ", "\t")):
            found = _EXCEPTION_LINE.match(line.strip())
            if found is not None:
                yield Fact("exception", (exception_text(found["type"],
                                                        found["message"] or ""),))
            in_traceback = False
            continue
        if (found := _PANIC_LINE.match(line)) is not None:
            message = found["message"].removesuffix(" [recovered]")
            yield Fact("exception", (exception_text("panic", message),))


def _needle(part: str) -> str:
    """What to look for: the canonical part without the ``…`` of a cut message."""
    part = " ".join(part.split())
    return part[:-1] if part.endswith("…") else part


_GROUPED = re.compile(r"(?:(?<=\s)|^)(?P<file>[^\s;,]+?):(?P<line>\d+)(?=[\s;:]|$)"
                      r"|(?<=; ):(?P<next>\d+)(?=[\s;]|$)")


def expand_grouped(line: str) -> str:
    """``a.ts:9 TS2322; :17 TS2551`` → ``a.ts:9 TS2322; a.ts:17 TS2551``: in a fact line,
    ``; :N`` continues the file of the location before it on the same line."""
    if "; :" not in line:
        return line
    last: list[str] = []

    def substitute(found: re.Match[str]) -> str:
        if found["file"] is not None:
            last[:] = [found["file"]]
            return found.group(0)
        return f"{last[0]}:{found['next']}" if last else found.group(0)

    return _GROUPED.sub(substitute, line)


_TESTS = re.compile(r"(?:(?<=\s)|^)(?P<suite>[^\s;:]+(?:::[^\s;:]+)*)::(?=[^\s:;])"
                    r"|(?<=; )::(?P<next>[^\s:;])")


def expand_tests(line: str) -> str:
    """``FAIL t.py::test_a: msg; ::test_b`` → ``...; t.py::test_b``: in a fact line,
    ``; ::name`` continues the suite (``t.py``, ``tests``) of the test id before it."""
    if "; ::" not in line:
        return line
    last: list[str] = []

    def substitute(found: re.Match[str]) -> str:
        if found["suite"] is not None:
            last[:] = [found["suite"]]
            return found.group(0)
        return f"{last[0]}::{found['next']}" if last else found.group(0)

    return _TESTS.sub(substitute, line)


_ALIAS_LINE = re.compile(r"^(?P<name>§\d+) = (?P<text>.+)$")
_ALIAS_USE = re.compile(r"§\d+")


def expand_aliases(lines: list[str]) -> list[str]:
    """Lines with every alias written out: a line ``§1 = /work/venv/bin/python -m pytest``
    defines ``§1`` for the lines after it (fact lines abbreviate long repeated prefixes,
    :class:`aisession_tui.ai.factlines.FactLineWriter`)."""
    aliases: dict[str, str] = {}
    out = []
    for line in lines:
        if "§" not in line:
            out.append(line)
            continue
        defined = _ALIAS_LINE.match(line)
        if defined is not None:
            aliases[defined["name"]] = defined["text"]
            out.append(line)
            continue
        out.append(_ALIAS_USE.sub(lambda found: aliases.get(found.group(0), found.group(0)),
                                  line))
    return out


def _at_edges(needle: str, text: str, position: int) -> bool:
    """Whether ``needle`` found at ``position`` stands on its own: ``a.py:1`` is not in
    ``a.py:12``, ``exit 1`` not in ``exit 101``, ``a.txt`` not in ``data.txt``."""
    if needle[:1].isalnum() or needle[:1] == "_":
        before = text[position - 1: position] if position else ""
        if before and (before.isalnum() or before in "_."):
            return False
    if needle[-1:].isdigit():
        after = text[position + len(needle): position + len(needle) + 1]
        if after.isdigit():
            return False
    return True


def _find(needle: str, text: str) -> list[int]:
    """Every position where ``needle`` stands on its own in ``text``."""
    found = []
    position = text.find(needle)
    while position >= 0:
        if _at_edges(needle, text, position):
            found.append(position)
        position = text.find(needle, position + 1)
    return found


def present(facts: Sequence[Fact], text: str) -> list[bool]:
    """For each fact, whether ``text`` holds it: a one-part fact anywhere (whitespace,
    line breaks included, collapsed), a fact of several parts on one line (``; :N``
    continuing the previous location's file, see :func:`expand_grouped`). Each fact
    costs substring searches and a look at the few lines holding its first part."""
    lines = [expand_tests(expand_grouped(line)) for line in
             expand_aliases([" ".join(line.split()) for line in text.splitlines()])]
    lines = [line for line in lines if line]
    joined = "\n".join(lines)
    flat = joined.replace("\n", " ")
    starts = [0]
    for line in lines[:-1]:
        starts.append(starts[-1] + len(line) + 1)
    found: list[bool] = []
    for fact in facts:
        needles = [_needle(part) for part in fact.parts]
        if not all(needle in flat for needle in needles):
            found.append(False)
        elif len(needles) == 1:
            found.append(bool(_find(needles[0], flat)))
        else:
            found.append(any(
                all(_find(needle, lines[bisect_right(starts, position) - 1])
                    for needle in needles[1:])
                for position in _find(needles[0], joined)))
    return found


def missing(facts: Sequence[Fact], text: str) -> list[Fact]:
    """The facts ``text`` lost."""
    return [fact for fact, ok in zip(facts, present(facts, text)) if not ok]
