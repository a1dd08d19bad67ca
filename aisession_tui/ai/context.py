"""A pane's AI context: what happened, as messages that fit a token budget.

Messages have a role (``user``: a command typed or sent; ``system``: its output and exit
code; ``assistant`` / ``agent``: notes added through the CLI or API), a timestamp and exact
cl100k token counts for each of their three forms:

* **verbatim**: the command line, the output as a person saw it (plain, redacted; ANSI
  escapes and ``\\r`` redraws never get here) followed by ``[exit N]``, or the note;
* **summary**: for an output, its parsed reading (:func:`summarize_output`): the command,
  exit code, tool, status and counts, every failing test id and every error location
  (``file:line``) with a short message, traceback frames; other messages stay verbatim;
* **line**: one line in a merged block of old history: time, command, exit code and the
  key facts (failing test ids and ``file:line`` locations) with no messages.

A context is three boundaries ``o <= m <= s`` over the message list: messages before ``o``
are omitted (still in the store), ``[o, m)`` are merged lines, ``[m, s)`` are summaries,
``[s, n)`` are verbatim. Prefix sums of each form's tokens make the cost of any boundaries
O(1), so choosing the best context for any budget is a few binary searches, whatever the
number of messages (:meth:`PaneContext.fit_to_window`).

The pane's **live** context only ever compresses further (the boundaries never move
back, so what an agent was given stays a stable prefix): when a new message pushes it
above ``threshold * max_tokens`` it is compacted to ``COMPACT_TO * max_tokens`` (oldest
outputs to summaries first, then old summaries merged) and, only when that is not enough,
the oldest merged lines are omitted down to the threshold; one compression is counted. The newest ``KEEP_RECENT`` messages stay
verbatim unless they alone exceed the budget. Compression never deletes: raw outputs
live in the store (``commands.output_zstd``) under the message's ``record_id``; the
verbatim text of an output is dropped from memory only once it is summarized and stored.

A context's token count is the sum of the exact counts of the texts it contains (roles,
timestamps and JSON framing are metadata and not counted). This module is pure: it never
touches the store or the event loop; :mod:`aisession_tui.server.ai_layer` feeds it.
"""

from __future__ import annotations

import time
from bisect import bisect_left
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field, replace
from typing import Any

from .tokens import count_tokens, count_tokens_batch

ROLES = ("user", "system", "assistant", "agent")
DEFAULT_MAX_TOKENS = 4096
DEFAULT_THRESHOLD = 0.8
COMPACT_TO = 0.6
"""After a compaction the live context uses at most this share of the budget."""
KEEP_RECENT = 4
"""The newest messages (two commands and their outputs) stay verbatim when possible."""
MESSAGE_CHARS = 160
"""Longest issue or failure message kept in a summary."""
NOTE_LINE_CHARS = 160
"""Longest note text kept in a merged line."""
PLAIN_KEEP_LINES = 3
"""An unparsed output's summary keeps its first line and its last ``PLAIN_KEEP_LINES - 1``."""


def clock(at: float) -> str:
    """``HH:MM:SS`` in local time."""
    return time.strftime("%H:%M:%S", time.localtime(at))


def _short(text: str, limit: int) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


# ------------------------------------------------------------------ summaries
def key_facts(parsed: dict[str, Any] | None) -> list[str]:
    """The facts no compression may lose: failing test ids and error locations.

    Every failure's test id (and its ``file:line`` when known) and every issue's
    ``file:line`` (``file`` alone when the line is unknown), in output order, deduplicated.
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
    line = item.get("line")
    return f"{item['file']}:{line}" if line is not None else str(item["file"])


def _exit_text(exit_code: int | None) -> str:
    return f"exit {exit_code}" if exit_code is not None else "exit ?"


def summarize_output(command: str, plain: str, exit_code: int | None,
                     parsed: dict[str, Any] | None) -> str:
    """The compact form of one output: header, failures, issues, traceback frames.

    Keeps the command, exit code, every failing test id and every issue location with a
    short message. An output no parser understood keeps its first and last lines.
    """
    parsed = parsed or {}
    head = f"$ {command} → {_exit_text(exit_code)}"
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
        if issue.get("file") and issue.get("column") is not None:
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
        lines = [line for line in plain.splitlines() if line.strip()]
        if len(lines) <= PLAIN_KEEP_LINES:
            out += lines
        else:
            out.append(lines[0])
            out.append(f"[… {len(lines) - PLAIN_KEEP_LINES} lines compressed …]")
            out += lines[-(PLAIN_KEEP_LINES - 1):]
    return "\n".join(out)


def merged_line(at: float, command: str, exit_code: int | None, facts: list[str]) -> str:
    """One line of merged history: ``[HH:MM:SS] $ cmd → exit N: fact; fact``."""
    line = f"[{clock(at)}] $ {_short(command, MESSAGE_CHARS)} → {_exit_text(exit_code)}"
    return line + (": " + "; ".join(facts) if facts else "")


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

    def to_dict(self) -> dict[str, Any]:
        """Everything needed to rebuild the message (what the store keeps)."""
        return {"seq": self.seq, "role": self.role, "kind": self.kind, "text": self.text,
                "at": self.at, "summary": self.summary, "line": self.line,
                "facts": list(self.facts), "record_id": self.record_id,
                "exit_code": self.exit_code, "command": self.command,
                "tokens": self.tokens, "summary_tokens": self.summary_tokens,
                "line_tokens": self.line_tokens}


def command_messages(command: str, plain: str, exit_code: int | None,
                     parsed: dict[str, Any] | None, *, at: float, finished_at: float,
                     record_id: int | None = None) -> list[Message]:
    """The user message (the command) and the system message (output + exit code)."""
    verbatim = (plain.rstrip("\n") + "\n" if plain.strip() else "(no output)\n")
    verbatim += f"[{_exit_text(exit_code)}]"
    facts = key_facts(parsed)
    user = Message(role="user", kind="command", text=command, at=at, summary=command,
                   line="", record_id=record_id, command=command)
    output = Message(role="system", kind="output", text=verbatim, at=finished_at,
                     summary=summarize_output(command, plain, exit_code, parsed),
                     line=merged_line(at, command, exit_code, facts), facts=tuple(facts),
                     record_id=record_id, exit_code=exit_code, command=command)
    return [user, output]


def note_message(role: str, text: str, *, at: float) -> Message:
    """A note from an agent or a person (kept verbatim until merged into one line)."""
    if role not in ROLES:
        raise ValueError(f"unknown role: {role} (use one of {', '.join(ROLES)})")
    line = f"[{clock(at)}] {role}: {_short(text, NOTE_LINE_CHARS)}"
    return Message(role=role, kind="note", text=text, at=at, summary=text, line=line)


def count_messages(messages: Iterable[Message]) -> None:
    """Fill in the token counts of every form (one batch; call it off the event loop).

    A summary that would cost more than the verbatim text is replaced by it. A merged
    line keeps the command, exit code and facts even when it is not shorter than a tiny
    output's summary (the searches tolerate that: every result is checked exactly).
    """
    items = list(messages)
    texts: list[str] = []
    for message in items:
        texts += [message.text or "", message.summary, f"{message.line}\n" if message.line
                  else ""]
    counts = count_tokens_batch(texts)
    for index, message in enumerate(items):
        verbatim, summary, line = counts[3 * index: 3 * index + 3]
        if summary >= verbatim and message.text is not None:
            message.summary, summary = message.text, verbatim
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


MERGED_HEADER = "Earlier history, merged ({count} messages, {start}–{end}):"
OMITTED_NOTE = ("{count} older messages are outside this window (#{start}–#{end}); "
                "their raw outputs stay in the store (context NAME --raw ID).")
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
        return data


@dataclass
class ContextWindow:
    """A context fitted to a budget: entries in order and their exact total."""

    entries: list[Entry]
    tokens: int
    max_tokens: int
    bounds: Bounds
    messages: int

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready."""
        return {"max_tokens": self.max_tokens, "tokens": self.tokens,
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
    _turn_start: list[bool] = field(default_factory=list)
    _in_memory_from: int = 0
    _view: ContextWindow | None = None

    # ------------------------------------------------------------ building
    def append(self, messages: Iterable[Message]) -> list[Message]:
        """Add counted messages (see :func:`count_messages`), then compact if needed."""
        added = list(messages)
        for message in added:
            message.seq = len(self.messages) + 1
            previous = self.messages[-1] if self.messages else None
            paired = (message.kind == "output" and previous is not None
                      and previous.kind == "command" and previous.record_id == message.record_id
                      and previous.command == message.command)
            self._turn_start.append(not paired)
            self.messages.append(message)
            self._verbatim.append(self._verbatim[-1] + message.tokens)
            self._summary.append(self._summary[-1] + message.summary_tokens)
            self._line.append(self._line[-1] + message.line_tokens)
            self._lines.append(self._lines[-1] + (1 if message.line else 0))
        self._view = None
        self._compact()
        return added

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
        merged header and omission note are covered by ``FRAME_ALLOWANCE``)."""
        n = len(self.messages)
        o, m, s = bounds.omitted, bounds.merged, bounds.summarized
        total = (self._line[m] - self._line[o]) + (self._summary[s] - self._summary[m]) \
            + (self._verbatim[n] - self._verbatim[s])
        if m > o or o > 0:
            total += FRAME_ALLOWANCE
        return total

    # ------------------------------------------------------------ choosing
    def _snap(self, index: int, limit: int) -> int:
        """Move a merge/omit boundary forward so a command never leaves its output."""
        while index < limit and not self._turn_start[index]:
            index += 1
        return index

    def _last_turn(self) -> int:
        """Index of the newest message that starts a turn (0 when empty)."""
        for index in range(len(self._turn_start) - 1, -1, -1):
            if self._turn_start[index]:
                return index
        return 0

    def _search(self, target: int, floor: Bounds, keep_recent: int,
                omit_target: int | None = None) -> Bounds:
        """The least compressed boundaries >= ``floor`` whose cost is <= ``target``.

        Steps, each taken only when the previous ones were not enough: (1) old outputs
        become summaries (the newest ``keep_recent`` messages stay verbatim), (2) old
        summaries are merged into lines, (3) the newest outputs become summaries too,
        (4) merging goes on up to the newest turn, (5) the oldest merged lines are
        omitted (only down to ``omit_target`` when given: facts are dropped no further
        than needed). The newest turn (a command and its output) is never merged or
        omitted.
        """
        n = len(self.messages)
        last = self._last_turn()
        o, m = floor.omitted, floor.merged
        s = max(floor.summarized, self._in_memory_from, m)

        def fits() -> bool:
            return self.cost(Bounds(o, m, s)) <= target

        for keep in (keep_recent, 0):
            s = self._least("summarized", Bounds(o, m, s), s, max(s, n - keep), target)
            if fits():
                return Bounds(o, m, s)
            edge = max(m, min(s, n - keep, last))
            m = self._snap(self._least("merged", Bounds(o, m, s), m, edge, target), edge)
            if fits():
                return Bounds(o, m, s)
        goal = target if omit_target is None else max(target, omit_target)
        o = self._snap(self._least("omitted", Bounds(o, m, s), o, m, goal), m)
        return Bounds(o, m, s)

    def _least(self, field_name: str, bounds: Bounds, low: int, high: int,
               target: int) -> int:
        """The smallest x in [low, high] such that ``bounds`` with ``field_name`` = x
        costs <= target (binary search: cost does not grow with x), else ``high``."""
        if high <= low:
            return low
        keys = range(low, high + 1)
        found = bisect_left(keys, True, key=lambda x: self.cost(
            replace(bounds, **{field_name: x})) <= target)
        return keys[found] if found < len(keys) else high

    def _compact(self) -> None:
        if self.cost(self.live) <= self.threshold * self.max_tokens:
            return
        new = self._search(int(COMPACT_TO * self.max_tokens), self.live, KEEP_RECENT,
                           omit_target=int(self.threshold * self.max_tokens))
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
        """Search with the estimate, render exactly; if the exact count is over (the
        merged block's joins, or one huge message), search again tighter, then clip."""
        goal = max_tokens
        window = self._render(self._search(goal, floor, KEEP_RECENT), max_tokens)
        for _ in range(3):
            if window.tokens <= max_tokens:
                return window
            goal -= window.tokens - max_tokens
            bounds = self._search(goal, floor, KEEP_RECENT)
            if bounds == window.bounds:
                break
            window = self._render(bounds, max_tokens)
        return _trimmed(window)

    def _render(self, bounds: Bounds, max_tokens: int) -> ContextWindow:
        messages = self.messages
        entries: list[Entry] = []
        o, m, s = bounds.omitted, bounds.merged, bounds.summarized
        if o > 0:
            text = OMITTED_NOTE.format(count=o, start=1, end=o)
            entries.append(Entry("system", "omitted", text, count_tokens(text),
                                 messages[o - 1].at, form="omitted", covers=(1, o),
                                 record_ids=record_ids_of(messages[:o])))
        if m > o:
            header = MERGED_HEADER.format(count=m - o, start=f"#{o + 1}", end=f"#{m}")
            body = "".join(f"{message.line}\n" for message in messages[o:m] if message.line)
            text = f"{header}\n{body}".rstrip("\n")
            entries.append(Entry("system", "merged", text, count_tokens(text),
                                 messages[m - 1].at, form="merged", covers=(o + 1, m),
                                 record_ids=record_ids_of(messages[o:m])))
        for message in messages[m:]:
            verbatim = message.seq > s and message.text is not None
            text = message.text if verbatim and message.text is not None else message.summary
            tokens = message.tokens if verbatim else message.summary_tokens
            form = "verbatim" if verbatim or message.summary_is_text else "summary"
            entries.append(Entry(message.role, message.kind, text, tokens, message.at,
                                 seq=message.seq, form=form, raw_id=message.record_id,
                                 exit_code=message.exit_code,
                                 record_ids=record_ids_of([message])))
        total = sum(entry.tokens for entry in entries)
        return ContextWindow(entries, total, max_tokens, bounds, len(messages))


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
    while total > window.max_tokens and len(entries) > 1:
        total -= entries.pop(0).tokens
    if total > window.max_tokens and entries:
        entries[0] = _clipped(entries[0], window.max_tokens)
        total = entries[0].tokens
    return ContextWindow(entries, total, window.max_tokens, window.bounds, window.messages)


def _clipped(entry: Entry, limit: int) -> Entry:
    """``entry`` cut to at most ``limit`` tokens: its head and tail, and a marker saying
    how many tokens were left out (exactly recounted)."""
    from .tokens import encoding

    encoded = encoding().encode_ordinary(entry.text)
    keep = max(0, limit - count_tokens(CLIPPED_NOTE.format(count=len(encoded), raw="0")))
    while True:
        head = encoded[: keep // 2]
        tail = encoded[len(encoded) - (keep - keep // 2):] if keep > 1 else []
        marker = CLIPPED_NOTE.format(count=len(encoded) - len(head) - len(tail),
                                     raw=entry.raw_id or "?")
        text = encoding().decode(head) + marker + encoding().decode(tail)
        tokens = count_tokens(text)
        if tokens <= limit or keep == 0:
            break
        keep = max(0, keep - (tokens - limit))
    return Entry(entry.role, entry.kind, text, tokens, entry.at, seq=entry.seq, form="clipped",
                 raw_id=entry.raw_id, exit_code=entry.exit_code, covers=entry.covers,
                 record_ids=entry.record_ids)
