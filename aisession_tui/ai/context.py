"""A pane's AI context: what happened, as messages that fit a token budget, facts kept.

Messages have a role (``user``: a command typed or sent; ``system``: its output and exit
code; ``assistant`` / ``agent``: notes added through the CLI or API), a timestamp and exact
cl100k token counts for each of their three forms:

* **verbatim**: the command line, the output as a person saw it (plain, redacted; ANSI
  escapes and ``\\r`` redraws never get here) followed by ``[exit N]``, or the note;
* **summary**: for an output, its parsed reading (:func:`summarize_output`): ``#ID $ cmd ·
  exit N``, tool, status and counts, every failing test id with its assertion or
  exception message, every error location (``file:line`` with the tool's code) with a
  short message, every exception's type and message; a command's summary is empty (its
  output's summary names it); a note stays verbatim;
* **fact line**: one line in the merged block of old history, written by
  :class:`aisession_tui.ai.factlines.FactLineWriter`: ``ID cmd · exit N`` and every fact
  of :mod:`aisession_tui.ai.facts` without the prose around it. Nothing an earlier line
  holds is written again: ``repeats #3`` (a test failing in runs 3, 5 and 7 is written
  once), ``= #3`` (the same command and exit code, or a known message); outputs with no
  fact beyond their command share a line per exit code (``exit 0: 4 ls; 5 git status``).

Every summary and fact line is checked against the record's facts when it is built
(:func:`aisession_tui.ai.facts.missing`); a fact a format missed is appended, so no form
above "omitted" can lose one.

A context is three boundaries ``o <= m <= s`` over the message list: messages before ``o``
are omitted (still in the store; the omission note names them and counts their facts),
``[o, m)`` are fact lines, ``[m, s)`` are summaries, ``[s, n)`` are verbatim. Each step
down is taken per message, oldest first, so the newest messages are compressed last
(:meth:`PaneContext._search`): (1) outputs become summaries, oldest first, only as far as
needed; (2) if summaries alone are not enough, the newest messages keep at most half the
budget verbatim (the newest output stays whole while it fits in half the budget) and the
oldest summaries become fact lines, only as far as needed; (3) the newest turns become
summaries too, except the newest output of a view when it fits in half the budget (a
view may omit the oldest fact lines to show it whole); (4) only when every fact line does
not fit are the oldest omitted.
Boundaries fall between turns (a command never leaves its output). Prefix sums of each
form's tokens make the cost of any boundaries O(1), so fitting any budget is a few binary
searches (:meth:`PaneContext.fit_to_window`).

The pane's **live** context only ever compresses further (the boundaries never move
back, so what an agent was given stays a stable prefix): when a new message pushes it
above ``threshold * max_tokens`` it is compacted to ``COMPACT_TO * max_tokens``, and
omission goes only as far as the whole budget requires; one compression is counted.
Compression never deletes: raw outputs live in the store (``commands.output_zstd``) under
the message's ``record_id``; the verbatim text of an output is dropped from memory only
once it is summarized and stored.

Counts: an entry's ``tokens`` is the exact count of its ``text``; a window's ``tokens``
is their sum (what the JSON's entries hold). :func:`render_text` gives the compact text
form for models (no JSON framing) and :attr:`ContextWindow.text_tokens` its exact count;
fitting keeps both within the budget. This module is pure: it never touches the store or
the event loop; :mod:`aisession_tui.server.ai_layer` feeds it.
"""

from __future__ import annotations

import time
from bisect import bisect_left
from collections import deque
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field, replace
from typing import Any

from .factlines import FactLineWriter, join_lines, standalone
from .facts import (
    FACT_CHARS,
    Fact,
    canonical,
    exception_text,
    exit_text,
    iter_lines,
    location,
    make_fact,
    message_fact,
    missing,
    record_facts,
)
from .tokens import count_tokens, count_tokens_batch

ROLES = ("user", "system", "assistant", "agent")
DEFAULT_MAX_TOKENS = 4096
DEFAULT_THRESHOLD = 0.8
COMPACT_TO = 0.6
"""After a compaction the live context uses at most this share of the budget."""
VERBATIM_SHARE = 0.5
"""Once old history must be merged, the newest messages keep at most this share of the
budget verbatim (the newest output stays whole while it fits in it)."""
KEEP_RECENT = 2
"""A command and its output: the newest turn is never merged or omitted."""
MESSAGE_CHARS = FACT_CHARS
"""Longest issue or failure message kept in a summary."""
NOTE_LINE_CHARS = 160
"""Longest note text kept in a merged line."""
PLAIN_KEEP_LINES = 3
"""An unparsed output's summary keeps its first line and its last ``PLAIN_KEEP_LINES - 1``."""
TEXT_OVERHEAD = 2
"""Estimated tokens the text form adds per entry (``$`` prefix, line break)."""
HOLDER_SCAN = 200
"""Pieces of a fact line an exception's text is looked for in (bounded on huge logs)."""


def clock(at: float) -> str:
    """``HH:MM:SS`` in local time."""
    return time.strftime("%H:%M:%S", time.localtime(at))


def _short(text: str, limit: int) -> str:
    return canonical(text, limit)


def record_label(record_id: int | None) -> str:
    """``#ID`` (the store's record id, valid for ``context NAME --raw ID``), or nothing."""
    return f"#{record_id} " if record_id is not None else ""


# ------------------------------------------------------------------ summaries
def key_facts(parsed: dict[str, Any] | None) -> list[str]:
    """Failing test ids and error locations as short strings, in output order (the
    labels the seed's stats used; the full set is :func:`aisession_tui.ai.facts.record_facts`).
    """
    facts: list[str] = []
    seen: set[str] = set()

    def add(fact: str) -> None:
        if fact and fact not in seen:
            seen.add(fact)
            facts.append(fact)

    if not parsed:
        return facts
    for failure in parsed.get("failures") or []:
        add(str(failure.get("test") or ""))
        if failure.get("file"):
            add(_location(failure))
    for issue in parsed.get("issues") or []:
        if issue.get("file"):
            add(_location(issue))
    return facts


def _location(item: dict[str, Any]) -> str:
    return location(str(item["file"]), item.get("line"))


def _exit_text(exit_code: int | None) -> str:
    return exit_text(exit_code)


def _fact_text(fact: Fact) -> str:
    """A fact written on its own (what a form appends when its layout missed it)."""
    return " ".join(fact.parts)


def _complete(text: str, facts: Sequence[Fact], separator: str) -> str:
    """``text`` plus every fact it does not hold yet."""
    lost = [fact for fact in missing(facts, text) if fact.kind not in ("command", "cwd")]
    if not lost:
        return text
    return text + separator + separator.join(_fact_text(fact) for fact in lost)


def summarize_output(command: str, plain: str, exit_code: int | None,
                     parsed: dict[str, Any] | None, record_id: int | None = None,
                     facts: Sequence[Fact] | None = None) -> str:
    """The compact form of one output: header, failures, issues, exceptions.

    Keeps the command, exit code, every failing test id with its message, every issue's
    location and code with a short message, every exception's type and message (and
    every fact of ``facts`` the layout missed). An output no parser understood keeps its
    first and last lines.
    """
    parsed = parsed or {}
    head = f"{record_label(record_id)}$ {command} · {_exit_text(exit_code)}"
    kind, tool = parsed.get("kind", "plain"), parsed.get("tool", "unknown")
    if kind != "plain":
        head += f" · {tool} {kind} {parsed.get('status', 'unknown')}"
    counts = "" if kind == "plain" else parsed.get("summary") or ", ".join(
        f"{value} {key}" for key, value in (parsed.get("counts") or {}).items())
    if counts:
        head += f" · {_short(counts, MESSAGE_CHARS)}"
    out = [head]
    for failure in parsed.get("failures") or []:
        where = f" ({_location(failure)})" if failure.get("file") else ""
        message = _short(str(failure.get("message") or ""), MESSAGE_CHARS)
        out.append(f"FAILED {failure.get('test')}{where}" + (f": {message}" if message else ""))
    for issue in parsed.get("issues") or []:
        where = _location(issue) if issue.get("file") else "?"
        if issue.get("file") and issue.get("line") is not None \
                and issue.get("column") is not None:
            where += f":{issue['column']}"
        code = f"[{issue['code']}]" if issue.get("code") else ""
        out.append(f"{where}: {issue.get('severity', 'error')}{code}: "
                   f"{_short(str(issue.get('message') or ''), MESSAGE_CHARS)}")
    for exception in (parsed.get("details") or {}).get("exceptions") or []:
        frames = [f"{frame['file']}:{frame['line']}" for frame in exception.get("frames") or []
                  if frame.get("file") and frame.get("line") is not None]
        if frames:
            out.append(f"{exception.get('type', 'exception')} via " + " > ".join(frames))
    if len(out) == 1:
        first, count, last = _plain_edges(plain)
        if count <= PLAIN_KEEP_LINES:
            out += first + list(last)
        else:
            out.append(first[0])
            out.append(f"[… {count - PLAIN_KEEP_LINES} lines compressed …]")
            out += last
    text = "\n".join(out)
    return _complete(text, facts or (), "\n")


def _plain_edges(plain: str) -> tuple[list[str], int, deque[str]]:
    """The first non-blank line (in a list), how many there are, and the last
    ``PLAIN_KEEP_LINES - 1``: read one line at a time (bounded memory on huge outputs)."""
    first: list[str] = []
    last: deque[str] = deque(maxlen=PLAIN_KEEP_LINES - 1)
    count = 0
    for line in iter_lines(plain):
        if line.strip():
            count += 1
            if not first:
                first.append(line)
            else:
                last.append(line)
    return first, count, last


def fact_fragments(parsed: dict[str, Any] | None, facts: Sequence[Fact]
                   ) -> tuple[tuple[str, tuple[str, ...]], ...]:
    """The pieces of a fact line: each a short text and the keys of the facts it holds.

    ``FAIL test: message``, ``file:line CODE`` (a traceback's location carries its
    exception: ``file:line Type: message``; a location without a line its message), a
    file-less error's message, an exception not said yet; then any fact the pieces
    missed. Linear in the number of facts (a log of thousands of errors stays cheap)."""
    parsed = parsed or {}
    wanted = {fact.key for fact in facts}
    pieces: list[tuple[str, list[Fact]]] = []
    for failure in parsed.get("failures") or []:
        raw = str(failure.get("message") or "")
        message = _short(raw, MESSAGE_CHARS)
        held = [make_fact("test", str(failure.get("test") or ""))]
        if raw.strip():
            held.append(message_fact(raw))
        pieces.append((f"FAIL {failure.get('test')}" + (f": {message}" if message else ""),
                       held))
    for issue in parsed.get("issues") or []:
        message = _short(str(issue.get("message") or ""), MESSAGE_CHARS)
        code = str(issue.get("code") or "")
        if issue.get("file"):
            where = _location(issue)
            held = [make_fact("location", where, code)]
            if code and message.startswith(code):
                held.append(make_fact("exception", message))
                pieces.append((f"{where} {message}", held))
            elif issue.get("line") is None and code != "conflict":
                held.append(make_fact("error", message))
                pieces.append((f"{where} {code} {message}".replace("  ", " "), held))
            else:
                pieces.append((f"{where} {code}".rstrip(), held))
        elif message:
            pieces.append((message, [make_fact("error", message)]))
    for exception in (parsed.get("details") or {}).get("exceptions") or []:
        if exception.get("type"):
            text = exception_text(str(exception["type"]), str(exception.get("message") or ""))
            pieces.append((text, [make_fact("exception", text)]))
    keyed: list[tuple[str, tuple[str, ...]]] = []
    covered: set[str] = set()
    exceptions_from = len(pieces) - len([e for e in (parsed.get("details") or {}).get(
        "exceptions") or [] if e.get("type")])
    for index, (text, held_facts) in enumerate(pieces):
        keys = tuple(dict.fromkeys(fact.key for fact in held_facts if fact.key in wanted))
        if not keys or set(keys) <= covered:
            continue
        holder = _holder(keyed, text) if index >= exceptions_from else None
        if holder is not None:  # a failure's message already says it: one text, both keys
            keyed[holder] = (keyed[holder][0], keyed[holder][1] + keys)
        else:
            keyed.append((text, keys))
        covered.update(keys)
    for fact in facts:
        if fact.kind not in ("command", "cwd") and fact.key not in covered:
            text = _fact_text(fact)
            holder = _holder(keyed, text) if len(fact.parts) == 1 else None
            if holder is not None:
                keyed[holder] = (keyed[holder][0], keyed[holder][1] + (fact.key,))
            else:
                keyed.append((text, (fact.key,)))
            covered.add(fact.key)
    return tuple(keyed)


def _holder(keyed: Sequence[tuple[str, tuple[str, ...]]], text: str) -> int | None:
    """The index of the first piece whose text holds ``text`` whole (an exception a
    failing test's message already states), among the first ``HOLDER_SCAN``."""
    for index, (held, _) in enumerate(keyed[:HOLDER_SCAN]):
        position = held.find(text)
        if position >= 0 and (position + len(text) == len(held)
                              or not held[position + len(text)].isalnum()):
            return index
    return None


# ------------------------------------------------------------------ messages
@dataclass
class Message:
    """One message with its three forms and their exact token counts."""

    role: str
    kind: str
    """``command``, ``output`` or ``note``."""
    text: str | None
    """Verbatim text; None once an output was summarized and is retrievable from the store."""
    at: float
    summary: str = ""
    line: str = ""
    facts: tuple[str, ...] = ()
    record_id: int | None = None
    exit_code: int | None = None
    command: str | None = None
    seq: int = 0
    tokens: int = 0
    summary_tokens: int = 0
    line_tokens: int = 0
    summary_is_text: bool = False
    """True when the summary is the verbatim text (it would not have been shorter)."""
    cwd: str | None = None
    fact_items: tuple[Fact, ...] = ()
    """Every fact of the record (:func:`aisession_tui.ai.facts.record_facts`); outputs only."""
    fragments: tuple[tuple[str, tuple[str, ...]], ...] = ()
    """The pieces of the output's fact line (:func:`fact_fragments`)."""

    def to_dict(self) -> dict[str, Any]:
        """Everything needed to rebuild the message (what the store keeps)."""
        return {"seq": self.seq, "role": self.role, "kind": self.kind, "text": self.text,
                "at": self.at, "summary": self.summary, "line": self.line,
                "facts": list(self.facts), "record_id": self.record_id,
                "exit_code": self.exit_code, "command": self.command,
                "tokens": self.tokens, "summary_tokens": self.summary_tokens,
                "line_tokens": self.line_tokens, "cwd": self.cwd,
                "fact_items": [fact.to_dict() for fact in self.fact_items],
                "fragments": [[text, list(keys)] for text, keys in self.fragments]}

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Message:
        """Rebuild from :meth:`to_dict` (keys it does not know are ignored)."""
        known = {name for name in cls.__dataclass_fields__}
        values = {key: value for key, value in data.items() if key in known}
        values["facts"] = tuple(values.get("facts") or ())
        values["fact_items"] = tuple(
            Fact(str(item["kind"]), tuple(item["parts"])) if isinstance(item, dict) else item
            for item in values.get("fact_items") or ())
        values["fragments"] = tuple((str(text), tuple(keys))
                                    for text, keys in values.get("fragments") or ())
        return cls(**values)


def command_messages(command: str, plain: str, exit_code: int | None,
                     parsed: dict[str, Any] | None, *, at: float, finished_at: float,
                     record_id: int | None = None, cwd: str | None = None) -> list[Message]:
    """The user message (the command) and the system message (output + exit code)."""
    end = len(plain)
    while end and plain[end - 1] == "\n":
        end -= 1
    # built in place (no temporary copies of a huge output): the text, then its exit code
    verbatim = plain[:end] if plain and not plain.isspace() else "(no output)"
    verbatim += f"\n[{_exit_text(exit_code)}]"
    items = tuple(record_facts(command, exit_code, parsed, plain, cwd=cwd))
    fragments = fact_fragments(parsed, items)
    user = Message(role="user", kind="command", text=command, at=at, summary="",
                   line="", record_id=record_id, command=command, cwd=cwd)
    output = Message(role="system", kind="output", text=verbatim, at=finished_at,
                     summary=summarize_output(command, plain, exit_code, parsed, record_id,
                                              items),
                     facts=tuple(key_facts(parsed)), record_id=record_id,
                     exit_code=exit_code, command=command, cwd=cwd, fact_items=items,
                     fragments=fragments)
    output.line = FactLineWriter().write(output)
    return [user, output]


def note_message(role: str, text: str, *, at: float) -> Message:
    """A note from an agent or a person (kept verbatim until merged into one line)."""
    if role not in ROLES:
        raise ValueError(f"unknown role: {role} (use one of {', '.join(ROLES)})")
    line = f"{role}: {_short(text, NOTE_LINE_CHARS)}"
    return Message(role=role, kind="note", text=text, at=at, summary=text, line=line)


def count_messages(messages: Iterable[Message]) -> None:
    """Fill in the token counts of every form (one batch; call it off the event loop).

    An output's summary always names its command (the command's own summary is empty),
    so it is kept even when a tiny output's verbatim text is shorter; likewise a fact line
    (the searches tolerate that: every result is checked exactly).
    """
    items = list(messages)
    texts: list[str] = []
    for message in items:
        texts += [message.text or "", message.summary, f"{message.line}\n" if message.line
                  else ""]
    counts = count_tokens_batch(texts)
    for index, message in enumerate(items):
        verbatim, summary, line = counts[3 * index: 3 * index + 3]
        message.summary_is_text = message.summary == message.text
        message.tokens, message.summary_tokens, message.line_tokens = verbatim, summary, line


# ------------------------------------------------------------------ windows
@dataclass(frozen=True)
class Bounds:
    """``[0, omitted)`` omitted, ``[omitted, merged)`` lines, ``[merged, summarized)``
    summaries, the rest verbatim."""

    omitted: int = 0
    merged: int = 0
    summarized: int = 0


MERGED_HEADER = ("History ({count} messages) as lines: ID command · exit N, then its facts "
                 "(full output: context NAME --raw ID; '= #N': as in #N; '; :N', '; ::t': "
                 "same file, suite):")
OMITTED_NOTE = ("[omitted for the budget: {count} older messages, records {records}, "
                "{facts} facts; context NAME --raw ID gives any]")
CLIPPED_NOTE = "\n[… {count} tokens clipped; full output: context NAME --raw {raw} …]\n"
FRAME_ALLOWANCE = 40
"""Token allowance for the merged header and the omission note while searching."""


@dataclass
class Entry:
    """One item of a rendered context."""

    role: str
    kind: str
    text: str
    tokens: int
    at: float
    seq: int | None = None
    form: str = "verbatim"
    """``verbatim``, ``summary``, ``merged`` or ``omitted``."""
    raw_id: int | None = None
    exit_code: int | None = None
    covers: tuple[int, int] | None = None
    record_ids: tuple[int, ...] = ()
    """The store's command record ids this entry covers, oldest first (every one of a
    merged or omitted block); each is a valid ``context NAME --raw ID``."""
    cwd: str | None = None
    """The directory a command or output ran in (when known)."""

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready."""
        data: dict[str, Any] = {"id": self.seq, "role": self.role, "kind": self.kind,
                                "form": self.form, "at": self.at, "text": self.text,
                                "tokens": self.tokens}
        if self.raw_id is not None:
            data["raw_id"] = self.raw_id
        if self.record_ids:
            data["record_ids"] = list(self.record_ids)
        if self.exit_code is not None or self.kind == "output":
            data["exit_code"] = self.exit_code
        if self.covers is not None:
            data["covers"] = list(self.covers)
        if self.cwd is not None:
            data["cwd"] = self.cwd
        return data


def render_text(window: ContextWindow | Sequence[Entry]) -> str:
    """The compact text form for models: no JSON framing, one block per entry.

    A command is ``#ID $ cmd`` (preceded by ``cd DIR`` when its directory differs from
    the previous command's), its output follows verbatim or as a summary; a note is
    ``role: text``; the merged block and the omission note are their own text."""
    entries = window.entries if isinstance(window, ContextWindow) else window
    parts: list[str] = []
    cwd: str | None = None
    for entry in entries:
        if entry.kind in ("command", "output") and entry.cwd and entry.cwd != cwd \
                and (entry.kind == "command" or entry.form != "verbatim"):
            parts.append(f"cd {entry.cwd}")
            cwd = entry.cwd
        if entry.kind == "command" and entry.form == "verbatim":
            parts.append(f"{record_label(entry.raw_id)}$ {entry.text}")
        elif entry.kind == "note":
            parts.append(f"{entry.role}: {entry.text}")
        else:
            parts.append(entry.text)
    return "\n".join(parts)


@dataclass
class ContextWindow:
    """A context fitted to a budget: entries in order and their exact totals."""

    entries: list[Entry]
    tokens: int
    max_tokens: int
    bounds: Bounds
    messages: int
    text_tokens: int = -1
    """Exact tokens of :func:`render_text` of this window (-1 until counted)."""

    def text(self) -> str:
        """The compact text form (:func:`render_text`)."""
        return render_text(self)

    def count_text(self) -> int:
        """Exact tokens of the text form (counted once)."""
        if self.text_tokens < 0:
            self.text_tokens = count_tokens(self.text())
        return self.text_tokens

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready."""
        return {"max_tokens": self.max_tokens, "tokens": self.tokens,
                "text_tokens": self.count_text(),
                "messages_total": self.messages,
                "omitted": self.bounds.omitted,
                "merged": self.bounds.merged - self.bounds.omitted,
                "summarized": self.bounds.summarized - self.bounds.merged,
                "verbatim": self.messages - self.bounds.summarized,
                "messages": [entry.to_dict() for entry in self.entries]}


@dataclass
class PaneContext:
    """The messages of one pane and its live, budgeted context."""

    max_tokens: int = DEFAULT_MAX_TOKENS
    threshold: float = DEFAULT_THRESHOLD
    messages: list[Message] = field(default_factory=list)
    live: Bounds = field(default_factory=Bounds)
    compressions: int = 0
    on_compress: Callable[[PaneContext], None] | None = None
    _verbatim: list[int] = field(default_factory=lambda: [0])
    _summary: list[int] = field(default_factory=lambda: [0])
    _line: list[int] = field(default_factory=lambda: [0])
    _lines: list[int] = field(default_factory=lambda: [0])
    _shown: list[int] = field(default_factory=lambda: [0])
    _fact_counts: list[int] = field(default_factory=lambda: [0])
    _record_order: list[int] = field(default_factory=list)
    _records_before: list[int] = field(default_factory=lambda: [0])
    _record_seen: set[int] = field(default_factory=set)
    _turn_start: list[bool] = field(default_factory=list)
    _starts: list[int] = field(default_factory=list)
    _writer: FactLineWriter = field(default_factory=FactLineWriter)
    _in_memory_from: int = 0
    _view: ContextWindow | None = None
    _merged: dict[tuple[int, int], tuple[str, int]] = field(default_factory=dict)
    """(omitted, merged) bounds -> the merged block's text and tokens. Messages are only
    appended and a message's line is fixed once it is, so a block's text never changes;
    fitting the same context to several budgets writes each block once."""

    # ------------------------------------------------------------ building
    def append(self, messages: Iterable[Message]) -> list[Message]:
        """Add counted messages (see :func:`count_messages`), then compact if needed.

        An output's fact line is written here, against the lines before it: facts an
        earlier line already holds become ``repeats #N``."""
        added = list(messages)
        for message in added:
            message.seq = len(self.messages) + 1
            previous = self.messages[-1] if self.messages else None
            paired = (message.kind == "output" and previous is not None
                      and previous.kind == "command" and previous.record_id == message.record_id
                      and previous.command == message.command)
            if not paired:
                self._starts.append(len(self.messages))
            self._turn_start.append(not paired)
            self._write_line(message)
            self.messages.append(message)
            self._verbatim.append(self._verbatim[-1] + message.tokens)
            self._summary.append(self._summary[-1] + message.summary_tokens)
            self._line.append(self._line[-1] + message.line_tokens)
            self._lines.append(self._lines[-1] + (1 if message.line else 0))
            self._shown.append(self._shown[-1] + (1 if message.summary else 0))
            self._fact_counts.append(self._fact_counts[-1] + len(message.fact_items))
            if message.record_id is not None and message.record_id not in self._record_seen:
                self._record_seen.add(message.record_id)
                self._record_order.append(message.record_id)
            self._records_before.append(len(self._record_order))
        self._view = None
        self._compact()
        return added

    def _write_line(self, message: Message) -> None:
        """An output's fact line, against the lines before it (a note ends a line of
        fact-less runs)."""
        if message.kind == "output" and message.fact_items and not message.fragments:
            message.fragments = fact_fragments(None, message.fact_items)  # rebuilt: bare
        if _rewritable(message):
            message.line = self._writer.write(message)
        elif message.kind != "command":
            self._writer.interrupt()
            if message.kind != "output" or message.line == standalone(
                    message.line, message.exit_code):
                return
            message.line = standalone(message.line, message.exit_code)
        else:
            return
        message.line_tokens = count_tokens(f"{message.line}\n")

    def set_budget(self, max_tokens: int, threshold: float | None = None) -> None:
        """Change the budget (the live context compacts at once if it is now too big)."""
        self.max_tokens = max(1, int(max_tokens))
        if threshold is not None:
            self.threshold = threshold
        self._view = None
        self._compact()

    # ------------------------------------------------------------ numbers
    @property
    def raw_tokens(self) -> int:
        """Tokens of every message verbatim (commands, outputs as seen, notes)."""
        return self._verbatim[-1]

    def cost(self, bounds: Bounds) -> int:
        """Estimated tokens of a context with these boundaries (exact per message; the
        merged header, the omission note and the text form's joins are estimated)."""
        n = len(self.messages)
        o, m, s = bounds.omitted, bounds.merged, bounds.summarized
        total = (self._line[m] - self._line[o]) + (self._summary[s] - self._summary[m]) \
            + (self._verbatim[n] - self._verbatim[s])
        total += TEXT_OVERHEAD * ((self._shown[s] - self._shown[m]) + (n - s))
        if m > o or o > 0:
            total += FRAME_ALLOWANCE
        return total

    def retention(self, window: ContextWindow) -> tuple[int, int, list[Fact]]:
        """Facts of every output that ``window`` keeps: (kept, total, the lost ones).

        A fact is kept when the window's text form holds it, or when its output is in
        the window whole (verbatim, not clipped)."""
        text = window.text()
        whole = {entry.seq for entry in window.entries
                 if entry.form == "verbatim" and entry.kind == "output"}
        total, lost = 0, []
        for message in self.messages:
            if message.kind != "output" or not message.fact_items:
                continue
            total += len(message.fact_items)
            if message.seq not in whole:
                lost += missing(message.fact_items, text)
        return total - len(lost), total, lost

    # ------------------------------------------------------------ choosing
    def _snap(self, index: int, limit: int) -> int:
        """Move a boundary forward to a turn start so a command never leaves its output."""
        while index < limit and not self._turn_start[index]:
            index += 1
        return index

    def _last_turn(self) -> int:
        """Index of the newest message that starts a turn (0 when empty)."""
        return self._starts[-1] if self._starts else 0

    def _candidates(self, low: int, high: int) -> list[int]:
        """``low``, then every turn start in ``(low, high]``, then ``high`` itself when it
        is the end of the list: the boundaries a search may choose."""
        n = len(self.messages)
        found = [low]
        begin = bisect_left(self._starts, low + 1)
        end = bisect_left(self._starts, high + 1)
        found += self._starts[begin:end]
        if high >= n > found[-1]:
            found.append(n)
        return found

    def _least(self, low: int, high: int, fits: Callable[[int], bool]) -> int | None:
        """The smallest boundary x in [low, high] with ``fits(x)`` (binary search: cost
        does not grow with x), or None."""
        keys = self._candidates(low, high)
        found = bisect_left(keys, True, key=fits)
        return keys[found] if found < len(keys) else None

    def _search(self, target: int, floor: Bounds, verbatim_cap: float | None = None,
                omit_target: int | None = None, keep_newest: bool = True) -> Bounds:
        """The least compressed boundaries >= ``floor`` whose cost is <= ``target``.

        Steps, each taken only when the previous ones were not enough: (1) outputs become
        summaries, oldest first; (2) the newest messages keep up to ``verbatim_cap``
        tokens verbatim (default half the target: the newest output stays whole while it
        fits in it) and the oldest summaries become fact lines, oldest first, up to the
        newest turn (with ``omit_target``, this is tried within that larger goal too
        before the newest verbatim messages are given up, and history older than the
        newest turn then stays merged: the room under the larger goal is not filled
        again with summaries, so the next compactions come later); (3) the newest turns become
        summaries, except the newest when it fits in the cap and ``keep_newest`` (a view
        may omit old facts to show the newest output whole; the live boundaries, which
        never move back, do not); (4) the oldest fact lines are omitted, only as many as
        needed. The newest turn is never merged or omitted.
        """
        n = len(self.messages)
        last = self._last_turn()
        o, m = floor.omitted, floor.merged
        start = self._snap(max(floor.summarized, self._in_memory_from, m), n)
        goal = target if omit_target is None else max(target, omit_target)
        cap = target * VERBATIM_SHARE if verbatim_cap is None else verbatim_cap
        newest_fits = keep_newest and self._verbatim[n] - self._verbatim[last] <= cap
        s = self._least(start, max(start, last) if newest_fits else n,
                        lambda x: self.cost(Bounds(o, m, x)) <= target)
        if s is not None:
            return Bounds(o, m, s)
        shortest = self._least(start, n, lambda x: self._verbatim[n] - self._verbatim[x] <= cap)
        shortest = n if shortest is None else shortest
        final = max(shortest, last) if newest_fits else n
        for aim, highest in ((target, shortest), (goal, shortest), (goal, final)):
            # past the target (live compaction only), history stays merged as far as the
            # target asked: the room left is not filled again with summaries
            found = self._merged_within(aim, o, m, shortest, highest, last,
                                        fewest_lines=aim == target)
            if found is not None:
                return found
        s = final
        m = max(m, min(s, last))
        omitted = self._least(o, m, lambda x: self.cost(Bounds(x, m, s)) <= goal)
        return Bounds(m if omitted is None else omitted, m, s)

    def _merged_within(self, aim: int, o: int, m: int, lowest: int, highest: int,
                       last: int, fewest_lines: bool = True) -> Bounds | None:
        """The least summarized boundary in [lowest, highest] that fits ``aim`` once
        everything older may become fact lines, then the fewest fact lines; or None."""
        def merged_all(x: int) -> Bounds:
            return Bounds(o, max(m, min(x, last)), x)

        s = self._least(lowest, highest, lambda x: self.cost(merged_all(x)) <= aim)
        if s is None:
            return None
        edge = merged_all(s).merged
        if not fewest_lines:
            return Bounds(o, edge, s)
        merged = self._least(m, edge, lambda x: self.cost(Bounds(o, x, s)) <= aim)
        return Bounds(o, edge if merged is None else merged, s)

    def _compact(self) -> None:
        if self.cost(self.live) <= self.threshold * self.max_tokens:
            return
        new = self._search(int(COMPACT_TO * self.max_tokens), self.live,
                           verbatim_cap=VERBATIM_SHARE * self.max_tokens,
                           omit_target=self.max_tokens - FRAME_ALLOWANCE, keep_newest=False)
        last, n = self._last_turn(), len(self.messages)
        if new.summarized > last >= self.live.summarized \
                and self._verbatim[n] - self._verbatim[last] <= VERBATIM_SHARE * self.max_tokens:
            # the newest output stays whole for the views (they may omit old facts to show
            # it; the live boundaries never omit for it)
            new = replace(new, summarized=last)
        if new == self.live:
            return
        self.live = new
        self.compressions += 1
        self._view = None
        for message in self.messages[self._in_memory_from:new.summarized]:
            if message.kind == "output" and message.record_id is not None:
                message.text = None
        self._in_memory_from = max(self._in_memory_from, new.summarized)
        if self.on_compress is not None:
            self.on_compress(self)

    # ------------------------------------------------------------ rendering
    def view(self) -> ContextWindow:
        """The live context, fitted to the pane's budget (cached until it changes)."""
        if self._view is None:
            self._view = self._fit(self.max_tokens, self.live)
        return self._view

    def fit_to_window(self, max_tokens: int) -> ContextWindow:
        """The best context for any budget: the least compressed one that fits
        (messages whose verbatim text left memory come as summaries or less)."""
        return self._fit(max(1, int(max_tokens)), Bounds(0, 0, self._in_memory_from))

    def _fit(self, max_tokens: int, floor: Bounds) -> ContextWindow:
        """Search with the estimate, render exactly; if an exact count (entries or text
        form) is over, search again tighter, then clip."""
        goal = max_tokens
        cap = VERBATIM_SHARE * max_tokens
        window = self._render(self._search(goal, floor, cap), max_tokens)
        for _ in range(4):
            over = max(window.tokens, window.count_text()) - max_tokens
            if over <= 0:
                return window
            goal -= over
            bounds = self._search(goal, floor, cap)
            if bounds == window.bounds:
                break
            window = self._render(bounds, max_tokens)
        if max(window.tokens, window.count_text()) <= max_tokens:
            return window
        exact = self._exact_omission(window.bounds, max_tokens)
        return exact if exact is not None else _trimmed(window)

    def _exact_omission(self, bounds: Bounds, max_tokens: int) -> ContextWindow | None:
        """The fewest oldest fact lines omitted so that the exact counts fit (a block
        that starts later can lose its ``repeats`` shortcuts, so estimates undershoot)."""
        n = len(self.messages)
        s = max(bounds.summarized, bounds.merged)
        m = max(bounds.merged, min(s, self._last_turn()))
        if s < n and self._verbatim[n] - self._verbatim[s] > max_tokens // 2:
            s = n
            m = max(m, self._last_turn())
        windows: dict[int, ContextWindow] = {}

        def fits(x: int) -> bool:
            window = windows[x] = self._render(Bounds(x, m, s), max_tokens)
            return max(window.tokens, window.count_text()) <= max_tokens

        keys = self._candidates(bounds.omitted, m)
        # gallop from the estimate (usually a turn or two short), then bisect the gap
        low, step, high = -1, 1, 0
        while high < len(keys) and not fits(keys[high]):
            low, high, step = high, high + step, step * 2
        if high >= len(keys):
            if low == len(keys) - 1:
                return None
            high = len(keys) - 1
            if not fits(keys[high]):
                return None
        while high - low > 1:
            middle = (low + high) // 2
            if fits(keys[middle]):
                high = middle
            else:
                low = middle
        return windows[keys[high]]

    def _render(self, bounds: Bounds, max_tokens: int) -> ContextWindow:
        messages = self.messages
        entries: list[Entry] = []
        o, m, s = bounds.omitted, bounds.merged, bounds.summarized
        if o > 0:
            facts = self._fact_counts[o]
            records = tuple(self._record_order[:self._records_before[o]])
            text = OMITTED_NOTE.format(count=o, records=id_ranges(records) or "none",
                                       facts=facts)
            entries.append(Entry("system", "omitted", text, count_tokens(text),
                                 messages[o - 1].at, form="omitted", covers=(1, o),
                                 record_ids=records))
        if m > o:
            cached = self._merged.get((o, m))
            if cached is None:
                header = MERGED_HEADER.format(count=m - o)
                lines = (message.line for message in messages[o:m]) if o == 0 \
                    else _fresh_lines(messages[o:m])
                text = f"{header}\n{join_lines(lines)}".rstrip("\n")
                if len(self._merged) >= 16:
                    self._merged.clear()
                cached = self._merged[(o, m)] = (text, count_tokens(text))
            text, tokens = cached
            entries.append(Entry("system", "merged", text, tokens,
                                 messages[m - 1].at, form="merged", covers=(o + 1, m),
                                 record_ids=record_ids_of(messages[o:m])))
        for index in range(m, len(messages)):
            message = messages[index]
            verbatim = index >= s and message.text is not None
            text = message.text if verbatim and message.text is not None else message.summary
            if not text:
                continue
            tokens = message.tokens if verbatim else message.summary_tokens
            form = "verbatim" if verbatim or message.summary_is_text else "summary"
            entries.append(Entry(message.role, message.kind, text, tokens, message.at,
                                 seq=message.seq, form=form, raw_id=message.record_id,
                                 exit_code=message.exit_code,
                                 record_ids=record_ids_of([message]), cwd=message.cwd))
        total = sum(entry.tokens for entry in entries)
        return ContextWindow(entries, total, max_tokens, bounds, len(messages))


def _rewritable(message: Message) -> bool:
    """Whether an output's fact line can be written from its fragments (a message rebuilt
    without its record keeps the line it was stored with)."""
    if message.kind != "output" or message.command is None:
        return False
    return bool(message.fragments) or bool(message.fact_items) and all(
        fact.kind in ("command", "cwd") for fact in message.fact_items)


def _fresh_lines(messages: Sequence[Message]) -> list[str]:
    """Fact lines written again for a block that starts later (its first lines may not
    refer to omitted ones)."""
    writer = FactLineWriter()
    lines = []
    for message in messages:
        if _rewritable(message):
            lines.append(writer.write(message))
        else:
            if message.kind != "command":
                writer.interrupt()
            lines.append(message.line)
    return lines


def id_ranges(ids: Iterable[int]) -> str:
    """``1-3,7`` for ids 1, 2, 3, 7."""
    ordered = sorted(set(ids))
    parts: list[str] = []
    index = 0
    while index < len(ordered):
        end = index
        while end + 1 < len(ordered) and ordered[end + 1] == ordered[end] + 1:
            end += 1
        first, last = ordered[index], ordered[end]
        parts.append(str(first) if first == last else f"{first}-{last}")
        index = end + 1
    return ",".join(parts)


def record_ids_of(messages: Iterable[Message]) -> tuple[int, ...]:
    """The distinct command record ids of ``messages``, in order (notes have none)."""
    found: dict[int, None] = {}
    for message in messages:
        if message.record_id is not None:
            found[message.record_id] = None
    return tuple(found)


def _trimmed(window: ContextWindow) -> ContextWindow:
    """Last resort when even the most compressed boundaries are over the budget: drop the
    oldest entries, then clip the one left (head and tail kept)."""
    entries = list(window.entries)
    total = window.tokens

    def over() -> bool:
        return max(total, count_tokens(render_text(entries))) > window.max_tokens

    while len(entries) > 1 and over():
        total -= entries.pop(0).tokens
    if entries and over():
        entries[0] = _clipped(entries[0], window.max_tokens)
        total = entries[0].tokens
    return ContextWindow(entries, total, window.max_tokens, window.bounds, window.messages)


def _clipped(entry: Entry, limit: int) -> Entry:
    """``entry`` cut to at most ``limit`` tokens in both forms: its head and tail, and a
    marker saying how many tokens were left out (exactly recounted)."""
    from .tokens import encoding

    encoded = encoding().encode_ordinary(entry.text)
    keep = max(0, limit - 8 - count_tokens(CLIPPED_NOTE.format(count=len(encoded), raw="0")))
    while True:
        head = encoded[: keep // 2]
        tail = encoded[len(encoded) - (keep - keep // 2):] if keep > 1 else []
        marker = CLIPPED_NOTE.format(count=len(encoded) - len(head) - len(tail),
                                     raw=entry.raw_id or "?")
        text = encoding().decode(head) + marker + encoding().decode(tail)
        clipped = replace(entry, text=text, form="clipped")
        tokens = max(count_tokens(text), count_tokens(render_text([clipped])))
        if tokens <= limit or keep == 0:
            break
        keep = max(0, keep - (tokens - limit))
    return replace(entry, text=text, tokens=count_tokens(text), form="clipped")
