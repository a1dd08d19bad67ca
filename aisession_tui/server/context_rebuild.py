"""A pane's context rebuilt from the store after a restart or a crash.

The store keeps every message of a pane (``context_messages``, in order) and every
command record (``commands``: text, cwd, times, exit code, output, parsed result). A
rebuild replays them, in the order and the batches they first came in (a command with its
output, a note alone), through a fresh :class:`~aisession_tui.ai.context.PaneContext`
with the budget the pane had: compaction is deterministic, so the rebuilt context has the
same entries, ids, token counts, boundaries and compressions as before.

Each command is made again from its record with today's code (:func:`command_messages`,
:func:`record_facts`). A record that is missing or cannot be read (a damaged blob, a
corrupt page) costs that record only: its two messages come back from their stored
summary, merged line and counts (its raw output is lost), it is named in a ``system`` note
at the end of the context and in the log. Records the server stored but had not yet put
in the context when it died are added at the end, in order.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from ..ai.context import (
    DEFAULT_THRESHOLD,
    Message,
    PaneContext,
    command_messages,
    count_messages,
    note_message,
)
from ..ai.facts import Fact, record_facts
from .records import parse_window

if TYPE_CHECKING:
    from ..store.context_store import PaneHistory, StoredRecord

Batch = list[Message]


@dataclass
class Rebuilt:
    """A rebuilt context and what could not be read."""

    context: PaneContext
    commands: int = 0
    problems: list[str] = field(default_factory=list)
    matches_state: bool = True
    """False when the replay's boundaries or compressions differ from the stored ones
    (the compaction code changed between the runs)."""


def _stored_message(row: dict[str, Any], facts: tuple[Fact, ...] = ()) -> Message:
    """A message as its row left it (the text may be None: then its summary stands);
    an output gets ``facts`` (its record's, when they could be read)."""
    return Message(fact_items=facts if row["kind"] == "output" else (), role=row["role"], kind=row["kind"], text=row["text"], at=row["at"],
                   summary=row["summary"], line=row["line"],
                   facts=tuple(row.get("facts") or ()), record_id=row["record_id"],
                   exit_code=row["exit_code"], command=row["command"],
                   tokens=row["tokens"], summary_tokens=row["summary_tokens"],
                   line_tokens=row["line_tokens"],
                   summary_is_text=row["text"] is not None and row["summary"] == row["text"])


def _from_record(record: StoredRecord) -> Batch:
    assert record.plain is not None
    messages = command_messages(record.text, record.plain, record.exit_code, record.parsed,
                                at=record.started_at, finished_at=record.finished_at,
                                record_id=record.id, cwd=record.cwd)
    count_messages(messages)
    return messages


def batches_of(history: PaneHistory) -> tuple[list[Batch], list[str]]:
    """The batches to replay, in order, and one line per record or note that could not
    be read back."""
    batches: list[Batch] = []
    problems: list[str] = []
    rows = history.messages
    index = 0
    while index < len(rows):
        row = rows[index]
        record_id = row["record_id"]
        if row["kind"] in ("command", "output") and record_id is not None:
            turn = [row]
            if (row["kind"] == "command" and index + 1 < len(rows)
                    and rows[index + 1]["kind"] == "output"
                    and rows[index + 1]["record_id"] == record_id):
                turn.append(rows[index + 1])
            index += len(turn)
            record = history.records.get(record_id)
            if record is not None and record.error is None:
                batches.append(_from_record(record))
                continue
            why = "missing from the store" if record is None else record.error
            problems.append(f"record {record_id} ($ {row['command'] or '?'}): {why}; its "
                            "summary is kept, its raw output is lost")
            facts = (tuple(record_facts(record.text, record.exit_code, record.parsed,
                                        parse_window(record.plain or ""), record.cwd))
                     if record is not None and record.text else ())
            batches.append([_stored_message(r, facts) for r in turn])
            continue
        index += 1
        if row["kind"] == "note":
            text = row["text"]
            if text is None:
                problems.append(f"note #{row['seq']}: {row['error'] or 'text missing'}; "
                                "its stored summary is kept")
                batches.append([_stored_message({**row, "text": row["summary"]})])
                continue
            note = note_message(row["role"], text, at=row["at"])
            count_messages([note])
            batches.append([note])
        else:  # a command or output that never had a record (the store was down)
            batches.append([_stored_message(row)])
    for record_id in history.unreferenced:
        record = history.records[record_id]
        if record.error is None:
            batches.append(_from_record(record))
        else:
            problems.append(f"record {record_id} ($ {record.text}): {record.error}; left out")
    return batches, problems


def rebuild(history: PaneHistory, default_budget: int) -> Rebuilt:
    """Replay ``history`` into a fresh context (pure CPU: run it off the event loop)."""
    state = history.state or {}
    context = PaneContext(max_tokens=int(state.get("max_tokens") or default_budget),
                          threshold=float(state.get("threshold") or DEFAULT_THRESHOLD))
    batches, problems = batches_of(history)
    rebuilt = Rebuilt(context, problems=problems)
    for messages in batches:
        context.append(messages)
        rebuilt.commands += sum(1 for message in messages if message.kind == "output")
    live = getattr(context, "live", None)
    if state and live is not None and not history.unreferenced and not problems:
        rebuilt.matches_state = (
            (getattr(live, "omitted", None), getattr(live, "merged", None),
             getattr(live, "summarized", None), context.compressions)
            == (state["omitted"], state["merged"], state["summarized"],
                state["compressions"]))
    if problems:
        text = ("After a server restart, the store could not give back everything of this "
                "pane: " + "; ".join(problems) + ".")
        note = note_message("system", text, at=max(
            (m.at for m in context.messages), default=0.0))
        count_messages([note])
        context.append([note])
    context.view()
    return rebuilt
