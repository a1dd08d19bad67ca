"""What a context costs and keeps, per command: tokens saved and facts retained.

For each command (a turn: the command message and its output message) of a pane's
context, :func:`command_usage` gives

* ``raw_tokens``: the exact tokens of the command and its output verbatim;
* ``context_tokens``: the tokens of the context that stand for it: each entry that covers
  only this command counts whole; a merged block counts each message's merged line; an
  omitted block costs nothing (the command is gone from the context);
* ``facts_total`` and ``facts_kept``: its facts (:mod:`aisession_tui.ai.facts`, computed
  when the record came in) and how many the context still holds. A command whose output
  is in the context verbatim keeps every fact of its command line and output (its cwd
  only when the text names it); otherwise a fact is kept when the context's text holds it (:func:`~aisession_tui.ai.facts.present`,
  anywhere in the context: a fact table or a delta summary elsewhere counts too).

:func:`summarize` adds them up: total savings, the **median** saving per command (so one
huge output cannot make the figure) and facts kept / total. Pure: no store, no loop.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from statistics import median
from typing import Any

from .context import ContextWindow, Message
from .facts import Fact, present


@dataclass
class CommandUsage:
    """One command's share of a context."""

    turn: int
    """The seq of the command's output message (the command's own when it has none)."""
    record_id: int | None
    raw_tokens: int = 0
    context_tokens: int = 0
    facts_total: int = 0
    facts_kept: int = 0
    verbatim: bool = False

    @property
    def saved_percent(self) -> float | None:
        """Share of its raw tokens the context saves (None for an empty command)."""
        if not self.raw_tokens:
            return None
        return 100 * (self.raw_tokens - self.context_tokens) / self.raw_tokens


def turns_of(messages: Sequence[Message]) -> dict[int, int]:
    """Message seq -> turn (the output's seq) for every command and output message."""
    turn: dict[int, int] = {}
    pending: Message | None = None
    for message in messages:
        if message.kind == "command":
            if pending is not None:
                turn[pending.seq] = pending.seq
            pending = message
        elif message.kind == "output":
            if (pending is not None and pending.record_id == message.record_id
                    and pending.command == message.command):
                turn[pending.seq] = message.seq
            elif pending is not None:
                turn[pending.seq] = pending.seq
            turn[message.seq] = message.seq
            pending = None
    if pending is not None:
        turn[pending.seq] = pending.seq
    return turn


def command_usage(window: ContextWindow, messages: Sequence[Message],
                  facts: Mapping[int, Sequence[Fact]]) -> list[CommandUsage]:
    """Per command of ``messages`` (in order): raw and context tokens, facts kept/total.

    ``facts`` maps an output message's seq to that record's facts."""
    turn_of = turns_of(messages)
    by_seq = {message.seq: message for message in messages}
    usage: dict[int, CommandUsage] = {}
    for message in messages:
        turn = turn_of.get(message.seq)
        if turn is None:
            continue
        item = usage.get(turn)
        if item is None:
            item = usage[turn] = CommandUsage(turn, message.record_id)
        item.raw_tokens += message.tokens
    for entry in window.entries:
        if entry.seq is not None:
            turn = turn_of.get(entry.seq)
            if turn in usage:
                usage[turn].context_tokens += entry.tokens
                if entry.kind == "output" and entry.form == "verbatim":
                    usage[turn].verbatim = True
        elif entry.form == "merged" and entry.covers is not None:
            first, last = entry.covers
            for seq in range(first, last + 1):
                turn = turn_of.get(seq)
                if turn in usage and seq in by_seq:
                    usage[turn].context_tokens += by_seq[seq].line_tokens
    text = "\n".join(entry.text for entry in window.entries)
    for turn, item in usage.items():
        record_facts = list(facts.get(turn, ()))
        item.facts_total = len(record_facts)
        if item.verbatim:  # the command and its whole output are there; the cwd is not
            kept = [fact.kind != "cwd" for fact in record_facts]
            checked = [fact for fact in record_facts if fact.kind == "cwd"]
            item.facts_kept = sum(kept) + sum(present(checked, text))
        else:
            item.facts_kept = sum(present(record_facts, text))
    return [usage[turn] for turn in sorted(usage)]


def _percent(part: float, whole: float) -> float | None:
    return round(100 * part / whole, 1) if whole else None


def summarize(usages: Iterable[CommandUsage]) -> dict[str, Any]:
    """Totals over commands: tokens, savings (total and median per command), facts."""
    items = list(usages)
    raw = sum(item.raw_tokens for item in items)
    held = sum(item.context_tokens for item in items)
    kept = sum(item.facts_kept for item in items)
    total = sum(item.facts_total for item in items)
    shares = [share for item in items if (share := item.saved_percent) is not None]
    return {"commands_counted": len(items), "command_raw_tokens": raw,
            "command_context_tokens": held,
            "median_savings_percent": round(median(shares), 1) if shares else None,
            "facts_kept": kept, "facts_total": total,
            "facts_kept_percent": _percent(kept, total)}
