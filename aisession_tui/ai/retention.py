"""What a context costs and keeps, per command: tokens saved and facts retained.

For each command (a turn: the command message and its output message) of a pane's
context, :func:`command_usage` gives

* ``raw_tokens``: the exact tokens of the command and its output verbatim;
* ``context_tokens``: the tokens of the context that stand for it: each entry that covers
  only this command counts whole; a merged block counts each message's merged line; an
  omitted block costs nothing (the command is gone from the context);
* ``facts_total`` and ``facts_kept``: its facts (the output message's ``fact_items``,
  :mod:`aisession_tui.ai.facts`) and how many the context still holds, by the rule of
  :meth:`~aisession_tui.ai.context.PaneContext.retention`: an output in the context whole
  (verbatim) keeps every fact; otherwise a fact is kept when the context's text form
  holds it (:func:`~aisession_tui.ai.facts.present`, anywhere: a later fact line that
  repeats it counts too). Summed over commands, they are ``PaneContext.retention``'s.

:func:`summarize` adds them up: total savings, the **median** saving per command (so one
huge output cannot make the figure) and facts kept / total. Pure: no store, no loop.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from statistics import median
from typing import Any

from .context import ContextWindow, Message
from .facts import present


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


def command_usage(window: ContextWindow, messages: Sequence[Message]) -> list[CommandUsage]:
    """Per command of ``messages`` (in order): raw and context tokens, facts kept/total."""
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
    text = window.text()
    for turn, item in usage.items():
        output = by_seq.get(turn)
        facts = output.fact_items if output is not None and output.kind == "output" else ()
        item.facts_total = len(facts)
        item.facts_kept = len(facts) if item.verbatim else sum(present(facts, text))
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
