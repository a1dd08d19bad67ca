"""The lines of merged history: each output as its facts, written against the lines before it.

A :class:`FactLineWriter` writes one line per output, oldest first, and remembers what the
lines it wrote hold, so a later line repeats nothing:

* ``12 cargo test · exit 101 · FAIL a: msg; b: msg; src/lib.rs:2 E0308; :3 E0308``: the
  record id (no ``#``: a line always starts with it), the command, its exit code, then the
  facts: failing tests (``FAIL`` once per run of failures, ``; ::name`` continues the
  previous test's suite), locations with the tool's code (``; :N`` continues the previous
  location's file), exceptions and messages;
* ``in DIR`` before the command when the directory changed since the previous line;
* ``= #N`` instead of the command and exit code when they are those of line ``N`` in the
  same directory (the same command run again with the same result);
* ``repeats #N`` for facts an earlier line already holds (a test failing in runs 3, 5 and
  7 is written once; a run with the same failures as run 3 says ``repeats #3``); a new
  failing test with a known message says ``TypeError = #47`` (the type stays);
* a long prefix that earlier lines wrote in full (a command's first words shared by
  several commands, a directory of paths) gets an alias: a line ``§1 = /work/venv/bin/python
  -m pytest`` defines it before its first use, later lines write ``§1 -q tests``
  (:func:`aisession_tui.ai.facts.expand_aliases` reads it back);
* outputs without any fact beyond their command share one line per exit code:
  ``exit 0: 14 git status; 15 git diff --stat; 16 ls`` (a continuation is written as
  ``; 15 git diff --stat`` and joined to the line before it by :func:`join_lines`).

Invariant: every fact of an output is on its line (command and exit code on one line) or
on an earlier line of the same writer; :func:`aisession_tui.ai.facts.present` checks it.
A line whose own text holds ``§`` gets no alias (the check would read it as one).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from typing import Protocol

from .facts import canonical, exit_text
from .tokens import count_tokens

COMMAND_CHARS = 400
"""Longest command text written in a line (the command fact's own limit)."""
CONTINUATION = "; "
"""A line starting with this continues the line before it (fact-less runs, same exit)."""

MESSAGE_KINDS = ("exception", "assertion", "error")
"""Facts whose message a later line replaces by ``= #N`` (see :meth:`FactLineWriter.write`)."""
MIN_SHORTENED = 24
"""Shorter messages are written again (``= #N`` would save little)."""

ALIAS_MIN_TOKENS = 8
"""A prefix shorter than this is never abbreviated (``§1`` and its definition cost ~7)."""
ALIAS_AFTER = 2
"""A prefix gets an alias once this many earlier lines wrote it in full."""
ALIAS = "§"
"""An alias is ``§N``, defined on a line ``§N = text`` before its first use."""
PREFIX_WORDS = 8
"""Longest command prefix (in words) an alias can stand for."""
REMEMBERED = 50_000
"""Prefixes counted at most (past it the counts start again: bounded memory)."""

class LineSource(Protocol):
    """What a fact line is written from (a :class:`~aisession_tui.ai.context.Message`)."""

    kind: str
    command: str | None
    exit_code: int | None
    cwd: str | None
    record_id: int | None
    seq: int
    line: str
    fragments: tuple[tuple[str, tuple[str, ...]], ...]


def line_label(source: LineSource) -> str:
    """How a line names its record: ``12`` (the store's record id), or ``m5`` (message 5)
    for an output without a record."""
    return str(source.record_id) if source.record_id is not None else f"m{source.seq}"


def reference(source: LineSource) -> str:
    """How other lines refer to it: ``#12`` (or ``m5``)."""
    return f"#{source.record_id}" if source.record_id is not None else f"m{source.seq}"


_FRAGMENT_FILE = re.compile(r"^(?P<file>[^\s;,]+?):\d+(?=[\s;:]|$)")


def grouped(fragments: Sequence[str]) -> list[str]:
    """Consecutive locations in one file written once (``a.ts:9 X; :17 Y``, read back by
    :func:`aisession_tui.ai.facts.expand_grouped`), and ``FAIL`` once per run of failing
    tests (``FAIL a: msg; b: msg``), a test of the same suite as the one before it as
    ``::name`` (``FAIL t.py::test_a: msg; ::test_b``)."""
    out: list[str] = []
    last: str | None = None
    failing = False
    suite: str | None = None
    for text in fragments:
        found = _FRAGMENT_FILE.match(text)
        if found is not None and found["file"] == last:
            out.append(text[len(found["file"]):])
        elif failing and text.startswith("FAIL "):
            failure = text[len("FAIL "):]
            if suite is not None and failure.startswith(f"{suite}::"):
                failure = failure[len(suite):]
            out.append(failure)
        else:
            out.append(text)
        last = found["file"] if found is not None else None
        failing = text.startswith("FAIL ")
        suite = _suite(text[len("FAIL "):]) if failing else None
    return out


def _suite(failure: str) -> str | None:
    """The suite of a failing test (``t.py`` of ``t.py::test_a: msg``) when the next test
    of the same suite may be written ``::test_b`` (read back by
    :func:`aisession_tui.ai.facts.expand_tests`): the id has no space and the message
    no ``::`` of its own."""
    test, _, message = failure.partition(": ")
    if "::" not in test or "::" in message or " " in test or ";" in test:
        return None
    return test[: test.rindex("::")]


class FactLineWriter:
    """Writes fact lines oldest first; each line refers to earlier ones instead of
    repeating them. One writer per block of lines (a block that starts later is written
    again by a new writer, so no line refers to one outside its block)."""

    def __init__(self) -> None:
        self.seen: dict[str, str] = {}
        """Fact key -> reference of the line that wrote it."""
        self.runs: dict[tuple[str | None, str, str], str] = {}
        """(cwd, command, exit text) -> reference of the first line that wrote them."""
        self.last_cwd: str | None = None
        self.group: str | None = None
        """Exit text of the open line of fact-less runs (None: the next starts a line)."""
        self.aliases: dict[str, str] = {}
        """Prefix -> its alias (``§1``), longest prefixes first when applied."""
        self.written: dict[str, int] = {}
        """Directory prefix -> how many lines wrote it in full."""
        self.commands: set[str] = set()
        """Distinct commands written so far."""
        self.items: dict[str, list[str]] = {}
        """Reference -> the keys of the items (tests, locations, messages) that line wrote."""
        self.handles: dict[str, str] = {}
        """Key of an item -> how a later line names it (``t.py::test_a``, ``a.c:3``)."""
        self.prefixes: dict[str, int] = {}
        """Word prefix (up to ``PREFIX_WORDS`` words) -> how many distinct commands have it."""

    def _repeats(self, earlier: str, this_run: list[str]) -> str:
        """``#N`` when this run has every item line N wrote (its failing tests, its
        locations), else ``#N (not a, b)`` or ``#N (only c)``, whichever is shorter."""
        items = self.items.get(earlier, [])
        having = set(this_run)
        kept = [key for key in items if key in having]
        lost = [key for key in items if key not in having]
        if not lost or not kept:
            return earlier
        named = (("not", lost), ("only", kept)) if len(lost) <= len(kept) \
            else (("only", kept), ("not", lost))
        word, keys = named[0]
        return f"{earlier} ({word} {_names(_short_names(items, keys, self.handles))})"

    def interrupt(self) -> None:
        """Something other than an output (a note) comes next: no line continues."""
        self.group = None

    def _said_before(self, text: str, keys: Sequence[str]) -> str:
        """``text`` with each message an earlier line wrote (an exception, an assertion,
        an error) replaced by ``= #N`` (a new test failing with a known message)."""
        for key in keys:
            ref = self.seen.get(key)
            kind, _, part = key.partition("\t")
            if ref is None or kind not in MESSAGE_KINDS or "\t" in part:
                continue
            kept = ""
            if kind == "exception" and ": " in part:  # the type stays: a location's code
                kept, part = part.split(": ", 1)
                kept += " "
            for needle in (part, part.removesuffix("…")):
                if len(needle) >= MIN_SHORTENED and needle in text:
                    found = text.index(needle)
                    before = text[:found]
                    if kept:
                        before = before.removesuffix(": ").removesuffix(kept.strip()) + kept
                    text = before + f"= {ref}" + text[found + len(needle):]
                    break
        return text

    def _candidates(self, command: str, directories: list[str]) -> list[str]:
        """Prefixes of this line that earlier lines wrote in full (at least
        ``ALIAS_AFTER`` of them), longest first: the longest word prefix the command
        shares with earlier distinct commands, the directories of its paths."""
        found: list[str] = []
        words = command.split(" ")
        for length in range(min(len(words) - 1, PREFIX_WORDS), 0, -1):
            prefix = " ".join(words[:length])
            if self.prefixes.get(prefix, 0) >= ALIAS_AFTER:
                found.append(prefix)
                break
        found += [directory for directory in directories
                  if self.written.get(directory, 0) >= ALIAS_AFTER]
        return sorted(found, key=len, reverse=True)

    def _remember(self, command: str, directories: list[str]) -> None:
        """Count the directories of this line and the word prefixes of a new command."""
        if len(self.written) > REMEMBERED or len(self.prefixes) > REMEMBERED:
            self.written.clear()
            self.prefixes.clear()
            self.commands.clear()
        for directory in directories:
            self.written[directory] = self.written.get(directory, 0) + 1
        if command not in self.commands:
            self.commands.add(command)
            words = command.split(" ")
            for length in range(1, min(len(words) - 1, PREFIX_WORDS) + 1):
                prefix = " ".join(words[:length])
                self.prefixes[prefix] = self.prefixes.get(prefix, 0) + 1

    def _abbreviate(self, command: str, text: str) -> tuple[str, list[str]]:
        """``text`` with every known prefix replaced by its alias; at most one new alias
        (for the longest prefix earlier lines wrote in full), with its definition."""
        if ALIAS in text:
            return text, []
        directories = _directories(text) if "/" in text else []
        for prefix in sorted(self.aliases, key=len, reverse=True):
            if prefix in text:
                text = text.replace(prefix, self.aliases[prefix])
        definitions = []
        for prefix in self._candidates(command, directories):
            if ALIAS not in prefix and prefix in text \
                    and count_tokens(prefix) >= ALIAS_MIN_TOKENS:
                name = f"{ALIAS}{len(self.aliases) + 1}"
                self.aliases[prefix] = name
                definitions.append(f"{name} = {prefix}")
                text = text.replace(prefix, name)
                break
        self._remember(command, directories)
        return text, definitions

    def write(self, source: LineSource) -> str:
        """The line of one output (``; ...`` when it continues the line before it)."""
        command = canonical(source.command or "", COMMAND_CHARS)
        exit_code = exit_text(source.exit_code)
        cwd = source.cwd if source.cwd is not None and source.cwd != self.last_cwd else None
        if source.cwd is not None:
            self.last_cwd = source.cwd
        where = f"in {cwd} " if cwd else ""
        run = (source.cwd, command, exit_code)
        earlier = self.runs.get(run)
        label = line_label(source)
        ref = reference(source)
        self.runs.setdefault(run, ref)
        new: list[str] = []
        again: dict[str, list[str]] = {}
        for text, keys in source.fragments:
            if keys and all(key in self.seen for key in keys):
                # the line that wrote what the piece is about (its test, its location)
                # holds the rest of it or points to it
                again.setdefault(self.seen[keys[0]], []).append(keys[0])
            else:
                new.append(self._said_before(text, keys))
        # '= #N' (the command and exit code of line N) only where it cannot read as "with
        # N's facts": N wrote none, or this line says which of them recur (repeats #N)
        plain = command if not source.fragments else f"{command} · {exit_code}"
        said = f"= {earlier}" if earlier is not None \
            and (not self.items.get(earlier) or earlier in again) \
            and count_tokens(f"= {earlier}") < count_tokens(plain) else command
        if not source.fragments:
            body, definitions = self._abbreviate(command, f"{where}{said}")
            item = f"{label} {body}"
            if self.group == exit_code and not definitions:
                return CONTINUATION + item
            self.group = exit_code
            return "\n".join([*definitions, f"{exit_code}: {item}"])
        self.group = None
        for text, keys in source.fragments:
            if keys and keys[0] not in self.seen:
                self.items.setdefault(ref, []).append(keys[0])
                self.handles[keys[0]] = _handle(text)
            for key in keys:
                self.seen.setdefault(key, ref)
        # the facts follow the exit code (or '= #N') after a space: 'exit 1 FAIL ...'
        body = f"{where}{said}" if said != command else f"{where}{command} · {exit_code}"
        if new:
            body += " " + "; ".join(grouped(new))
        if again:
            this_run = [keys[0] for _, keys in source.fragments if keys]
            body += (" · repeats " if new else " repeats ") + ", ".join(
                self._repeats(earlier_ref, this_run) for earlier_ref in again)
        body, definitions = self._abbreviate(command, body)
        return "\n".join([*definitions, f"{label} {body}"])


HANDLE_CHARS = 60
"""Longest name of an item in ``repeats #N (not ...)``."""


def _handle(text: str) -> str:
    """How ``repeats #N (not ...)`` names an item: a failing test by its id, a location by
    ``file:line``, a message by its start."""
    text = text.removeprefix("FAIL ")
    found = _FRAGMENT_FILE.match(text)
    if found is not None:
        return text.split(" ", 1)[0]
    return canonical(text.split(": ", 1)[0], HANDLE_CHARS)


_LAST_PART = re.compile(r"(?:::| › | > |/)(?=[^:›>/]+$)")


def _short_names(items: Sequence[str], keys: Sequence[str], handles: dict[str, str]
                 ) -> list[str]:
    """The names of ``keys`` among the items of one line, each as short as it stays
    unambiguous there: a test by its last part (``test_b`` of ``t.py::test_b``), a
    location by its file name (``lib.rs:7`` of ``src/lib.rs:7``)."""
    def short(handle: str) -> str:
        if _FRAGMENT_FILE.match(handle) is not None:
            return handle.rsplit("/", 1)[-1]
        parts = _LAST_PART.split(handle)
        return parts[-1] if len(parts) > 1 else handle

    counts: dict[str, int] = {}
    for key in items:
        name = short(handles[key])
        counts[name] = counts.get(name, 0) + 1
    return [short(handles[key]) if counts[short(handles[key])] == 1 else handles[key]
            for key in keys]


def _names(handles: Sequence[str]) -> str:
    """Item names written once each, a file's or a suite's later ones shortened:
    ``a.py:9, :10, t.py::test_a, ::test_b``."""
    out: list[str] = []
    last_file = last_suite = None
    for handle in dict.fromkeys(handles):
        found = _FRAGMENT_FILE.match(handle)
        suite = handle[: handle.rindex("::")] if "::" in handle and " " not in handle \
            else None
        if found is not None and found["file"] == last_file:
            out.append(handle[len(found["file"]):])
        elif suite is not None and suite == last_suite:
            out.append(handle[len(suite):])
        else:
            out.append(handle)
        last_file = found["file"] if found is not None else None
        last_suite = suite
    return ", ".join(out)


_PATH_WORD = re.compile(r"[^\s;,'\"()\[\]]*/[^\s;,'\"()\[\]]*")


def _directories(text: str) -> list[str]:
    """The directory prefixes (``/a/b/``) of the paths in ``text``, longest first."""
    found: dict[str, None] = {}
    for word in _PATH_WORD.findall(text):
        end = word.rfind("/")
        while end > 0:
            found[word[: end + 1]] = None
            end = word.rfind("/", 0, end)
    return sorted(found, key=len, reverse=True)


_DEFINITION = re.compile(rf"^(?P<name>{ALIAS}\d+) = (?P<text>.*)$")
_ALIAS_USE = re.compile(rf"{ALIAS}\d+")


def standalone(line: str, exit_code: int | None) -> str:
    """A line written by another writer (kept from the store when its record is lost),
    made to stand on its own: a continuation gets its exit code back, an alias defined
    on the line is written out, one defined elsewhere becomes ``…`` (never a wrong text)."""
    if line.startswith(CONTINUATION):
        line = f"{exit_text(exit_code)}: {line[len(CONTINUATION):]}"
    if ALIAS not in line:
        return line
    defined: dict[str, str] = {}
    kept = []
    for part in line.split("\n"):
        found = _DEFINITION.match(part)
        if found is not None:
            defined[found["name"]] = found["text"]
        else:
            kept.append(part)
    return "\n".join(_ALIAS_USE.sub(lambda use: defined.get(use.group(0), "…"), part)
                     for part in kept)


def join_lines(lines: Iterable[str]) -> str:
    """The block's text: one line each, a continuation (``; ...``) joined to the line
    before it."""
    out: list[str] = []
    for line in lines:
        if not line:
            continue
        if line.startswith(CONTINUATION) and out:
            out[-1] += line
        else:
            out.append(line.removeprefix(CONTINUATION))
    return "\n".join(out)
