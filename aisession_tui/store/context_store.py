"""Persistence of pane contexts: every message and each pane's live boundaries.

Two tables, created on first use (``CREATE TABLE IF NOT EXISTS``, run on the store's writer
thread like every other write):

* ``context_messages``: one row per message (role, kind, time, the three forms' token
  counts, the summary and merged line, the key facts as JSON, the store row of the command
  record it came from). The verbatim text is stored zstd-compressed, except for outputs
  that have a command record: their raw text already lives in ``commands.output_zstd``.
* ``context_state``: per pane, the budget, threshold, live boundaries and compressions.

Together with ``commands`` this is enough to rebuild a :class:`PaneContext` exactly
(:func:`load_messages`, :func:`load_pane_history` for a rebuild after a restart); nothing
here is ever deleted by compression.
"""

from __future__ import annotations

import json
import sqlite3
from dataclasses import dataclass, field
from typing import Any

from .db import pack, unpack

SCHEMA = """
CREATE TABLE IF NOT EXISTS context_messages (
    id INTEGER PRIMARY KEY, run_id INTEGER NOT NULL, pane_id INTEGER NOT NULL,
    session_name TEXT NOT NULL, seq INTEGER NOT NULL, role TEXT NOT NULL,
    kind TEXT NOT NULL, at REAL NOT NULL, text_zstd BLOB, summary TEXT NOT NULL,
    line TEXT NOT NULL, facts_json TEXT NOT NULL, record_id INTEGER, exit_code INTEGER,
    command TEXT, tokens INTEGER NOT NULL, summary_tokens INTEGER NOT NULL,
    line_tokens INTEGER NOT NULL);
CREATE INDEX IF NOT EXISTS context_messages_by_pane
    ON context_messages (run_id, pane_id, seq);
CREATE TABLE IF NOT EXISTS context_state (
    run_id INTEGER NOT NULL, pane_id INTEGER NOT NULL, session_name TEXT NOT NULL,
    max_tokens INTEGER NOT NULL, threshold REAL NOT NULL, omitted INTEGER NOT NULL,
    merged INTEGER NOT NULL, summarized INTEGER NOT NULL, compressions INTEGER NOT NULL,
    raw_tokens INTEGER NOT NULL, updated_at REAL NOT NULL,
    PRIMARY KEY (run_id, pane_id));
"""


def create_tables(connection: sqlite3.Connection) -> None:
    """Create the tables if they are missing (idempotent)."""
    connection.executescript(SCHEMA)


def insert_messages(connection: sqlite3.Connection, run_id: int, pane_id: int,
                    session_name: str, messages: list[dict[str, Any]]) -> None:
    """Store messages given as :meth:`Message.to_dict` dicts."""
    connection.executemany(
        "INSERT INTO context_messages (run_id, pane_id, session_name, seq, role, kind, at, "
        "text_zstd, summary, line, facts_json, record_id, exit_code, command, tokens, "
        "summary_tokens, line_tokens) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)",
        [(run_id, pane_id, session_name, m["seq"], m["role"], m["kind"], m["at"],
          None if (m["kind"] == "output" and m["record_id"] is not None) or m["text"] is None
          else pack(m["text"]),
          m["summary"], m["line"], json.dumps(m["facts"]), m["record_id"], m["exit_code"],
          m["command"], m["tokens"], m["summary_tokens"], m["line_tokens"])
         for m in messages])


def save_state(connection: sqlite3.Connection, run_id: int, pane_id: int,
               session_name: str, state: dict[str, Any]) -> None:
    """Insert or replace a pane's live state."""
    connection.execute(
        "INSERT OR REPLACE INTO context_state VALUES (?,?,?,?,?,?,?,?,?,?,?)",
        (run_id, pane_id, session_name, state["max_tokens"], state["threshold"],
         state["omitted"], state["merged"], state["summarized"], state["compressions"],
         state["raw_tokens"], state["updated_at"]))


def load_messages(connection: sqlite3.Connection, run_id: int,
                  pane_id: int) -> list[dict[str, Any]]:
    """A pane's messages in order, as :meth:`Message.to_dict` dicts with their verbatim
    text (outputs' text read back from their command record)."""
    rows = connection.execute(
        "SELECT m.seq, m.role, m.kind, m.at, m.text_zstd, m.summary, m.line, m.facts_json, "
        "m.record_id, m.exit_code, m.command, m.tokens, m.summary_tokens, m.line_tokens, "
        "c.output_zstd FROM context_messages m LEFT JOIN commands c ON c.id = m.record_id "
        "WHERE m.run_id=? AND m.pane_id=? ORDER BY m.seq", (run_id, pane_id)).fetchall()
    out = []
    for (seq, role, kind, at, text_blob, summary, line, facts, record_id, exit_code, command,
         tokens, summary_tokens, line_tokens, output_blob) in rows:
        if text_blob is not None:
            text = unpack(text_blob).decode("utf-8", "replace")
        elif kind == "output" and output_blob is not None:
            plain = unpack(output_blob).decode("utf-8", "replace")
            code = f"exit {exit_code}" if exit_code is not None else "exit ?"
            text = (plain.rstrip("\n") + "\n" if plain.strip() else "(no output)\n") + f"[{code}]"
        else:
            text = None
        out.append({"seq": seq, "role": role, "kind": kind, "at": at, "text": text,
                    "summary": summary, "line": line, "facts": json.loads(facts),
                    "record_id": record_id, "exit_code": exit_code, "command": command,
                    "tokens": tokens, "summary_tokens": summary_tokens,
                    "line_tokens": line_tokens})
    return out


def load_raw(connection: sqlite3.Connection, record_id: int) -> dict[str, Any] | None:
    """One command record with its full (redacted, plain) output, or None."""
    row = connection.execute(
        "SELECT id, session_name, pane_id, text, cwd, started_at, finished_at, exit_code, "
        "output_zstd, output_bytes, truncated, parsed_json FROM commands WHERE id=?",
        (record_id,)).fetchone()
    if row is None:
        return None
    (row_id, session_name, pane_id, text, cwd, started, finished, exit_code, blob, size,
     truncated, parsed) = row
    return {"id": row_id, "session": session_name, "pane": f"%{pane_id}", "command": text,
            "cwd": cwd, "started_at": started, "finished_at": finished,
            "exit_code": exit_code, "output": unpack(blob).decode("utf-8", "replace"),
            "output_bytes": size, "truncated": bool(truncated),
            "parsed": json.loads(parsed) if parsed else None}


@dataclass
class StoredRecord:
    """A command record read back for a rebuild; ``error`` says what could not be read
    (then ``plain`` or ``parsed`` is None)."""

    id: int
    text: str
    cwd: str | None
    started_at: float
    finished_at: float
    exit_code: int | None
    plain: str | None
    parsed: dict[str, Any] | None
    error: str | None = None


@dataclass
class PaneHistory:
    """Everything the store holds to rebuild one pane's context of one server run."""

    messages: list[dict[str, Any]] = field(default_factory=list)
    """The pane's message rows in order (:meth:`Message.to_dict` keys; ``text`` is None
    when it lives in the record, ``error`` says why a stored text could not be read)."""
    state: dict[str, Any] | None = None
    records: dict[int, StoredRecord] = field(default_factory=dict)
    unreferenced: list[int] = field(default_factory=list)
    """Records of the pane no message row names (the server died before writing them),
    oldest first."""


def _read_record(row: tuple[Any, ...]) -> StoredRecord:
    (record_id, text, cwd, started, finished, exit_code, blob, parsed_json) = row
    record = StoredRecord(record_id, text, cwd, started, finished, exit_code, None, None)
    problems = []
    try:
        record.plain = unpack(blob).decode("utf-8", "replace")
    except Exception as exc:  # noqa: BLE001 - a damaged blob costs this record only
        problems.append(f"output unreadable ({type(exc).__name__}: {exc})")
    try:
        record.parsed = json.loads(parsed_json) if parsed_json else None
    except ValueError as exc:
        problems.append(f"parsed output unreadable ({exc})")
    record.error = "; ".join(problems) or None
    return record


def load_pane_history(connection: sqlite3.Connection, run_id: int,
                      pane_id: int) -> PaneHistory:
    """The messages, live state and command records of a pane of run ``run_id``.

    Reads each record and each stored text on its own: a damaged one is reported in its
    ``error`` and never stops the others."""
    history = PaneHistory()
    rows = connection.execute(
        "SELECT seq, role, kind, at, text_zstd, summary, line, facts_json, record_id, "
        "exit_code, command, tokens, summary_tokens, line_tokens FROM context_messages "
        "WHERE run_id=? AND pane_id=? ORDER BY seq", (run_id, pane_id)).fetchall()
    referenced: set[int] = set()
    for (seq, role, kind, at, text_blob, summary, line, facts, record_id, exit_code,
         command, tokens, summary_tokens, line_tokens) in rows:
        message: dict[str, Any] = {
            "seq": seq, "role": role, "kind": kind, "at": at, "text": None,
            "summary": summary, "line": line, "facts": [], "record_id": record_id,
            "exit_code": exit_code, "command": command, "tokens": tokens,
            "summary_tokens": summary_tokens, "line_tokens": line_tokens, "error": None}
        try:
            message["facts"] = json.loads(facts)
        except ValueError:
            pass
        if text_blob is not None:
            try:
                message["text"] = unpack(text_blob).decode("utf-8", "replace")
            except Exception as exc:  # noqa: BLE001 - costs this message's text only
                message["error"] = f"text unreadable ({type(exc).__name__}: {exc})"
        if record_id is not None:
            referenced.add(record_id)
        history.messages.append(message)
    state = connection.execute(
        "SELECT max_tokens, threshold, omitted, merged, summarized, compressions, "
        "raw_tokens FROM context_state WHERE run_id=? AND pane_id=?",
        (run_id, pane_id)).fetchone()
    if state is not None:
        history.state = dict(zip(("max_tokens", "threshold", "omitted", "merged",
                                  "summarized", "compressions", "raw_tokens"), state,
                                 strict=True))
    columns = ("SELECT id, text, cwd, started_at, finished_at, exit_code, output_zstd, "
               "parsed_json FROM commands")
    for record_id in sorted(referenced):
        try:
            row = connection.execute(columns + " WHERE id=?", (record_id,)).fetchone()
        except sqlite3.DatabaseError as exc:  # a damaged page: this record only
            history.records[record_id] = StoredRecord(
                record_id, "", None, 0.0, 0.0, None, None, None,
                f"record unreadable ({exc})")
            continue
        if row is not None:
            history.records[record_id] = _read_record(row)
    for row in connection.execute(columns + " WHERE run_id=? AND pane_id=? ORDER BY id",
                                  (run_id, pane_id)):
        if row[0] not in referenced:
            history.records[row[0]] = _read_record(row)
            history.unreferenced.append(row[0])
    return history
