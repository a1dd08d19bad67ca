"""Command records: from a finished command to a stored, parsed, redacted record.

When a pane's shell reports a command finished (OSC 133 D), :class:`RecordKeeper` turns
the raw output into the text a person saw (:func:`render_plain`), masks secrets
(:func:`redact`), parses it (:func:`parse_output`) and stores it: text, cwd, start, end,
exit code, the redacted output zstd-compressed, and the parsed result as JSON. That work
runs in a worker thread so the event loop (and every pane's output) never waits on it.

Invariants: records are stored and announced in the order their commands finished
(processing runs in parallel, completion is chained); a record is handed to the store's
writer thread as soon as it and every earlier one are processed, and the store commits at
once; ``exec`` replies only after that commit, so an acknowledged record survives SIGKILL.
"""

from __future__ import annotations

import asyncio
import json
import logging
from collections import OrderedDict
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from .events import CommandFinished, CommandRecorded, EventBus
from .shell_integration import CommandRecord

if TYPE_CHECKING:
    from .store_handle import StoreHandle

log = logging.getLogger(__name__)

RECENT = 256
"""How many records' processing futures are kept for ``exec --json`` to await."""
RECENT_BYTES = 32 * 1024 * 1024
"""Outputs (raw and plain) of finished records kept by :attr:`RecordKeeper.recent`: a few
huge outputs in a row must not pin 16 MiB each for the next 256 commands."""


@dataclass
class ProcessedRecord:
    """A finished command as the rest of the system sees it."""

    record: CommandRecord
    session_id: int
    session_name: str
    pane_id: int
    text: str
    plain: str
    parsed: dict[str, Any]
    row_id: int | None = None
    store_error: str | None = None
    processing_error: str | None = None
    """Why the output could not be rendered or parsed (then ``plain`` is empty)."""

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready facts (output included)."""
        record = self.record
        return {
            "id": self.row_id, "session": self.session_name, "pane": f"%{self.pane_id}",
            "command": self.text, "cwd": record.cwd, "exit_code": record.exit_code,
            "started_at": record.started_at, "finished_at": record.finished_at,
            "duration_ms": round((record.finished_at - record.started_at) * 1000, 1),
            "output": self.plain, "truncated": record.truncated, "parsed": self.parsed,
        }


PARSE_HEAD_CHARS = 256 * 1024
PARSE_TAIL_CHARS = 768 * 1024
"""The parsers read at most this head and tail of an output (whole lines): they try
every tool's patterns on the text (about 0.5 MB/s), so a flood's 8 MiB record took 16 s;
a summary line, failures and errors of a huge output are at its end."""


def parse_window(plain: str) -> str:
    """``plain``, or its first and last lines (``PARSE_HEAD_CHARS`` + ``PARSE_TAIL_CHARS``)
    around a line saying how many lines were not parsed."""
    if len(plain) <= PARSE_HEAD_CHARS + PARSE_TAIL_CHARS:
        return plain
    head_end = plain.rfind("\n", 0, PARSE_HEAD_CHARS) + 1
    tail_start = plain.find("\n", len(plain) - PARSE_TAIL_CHARS) + 1 or len(plain)
    skipped = plain.count("\n", head_end, tail_start)
    return (plain[:head_end] + f"[… {skipped} lines not parsed …]\n"
            + plain[tail_start:])


BIG_OUTPUT_BYTES = 1024 * 1024
"""An output this big is followed by giving freed memory back (``malloc_trim``)."""
RENDER_CHUNK_BYTES = 1024 * 1024
"""A big output is rendered this many bytes at a time (cut after a line feed): the peak
memory of a record stays a few times its size, not ten times (a list of every line)."""


def plain_text(output: bytes) -> str:
    """The redacted plain text of a record's raw output. A big one is rendered piece by
    piece (whole lines each: ``\\r`` redraws and erase-in-line stay within a line), then
    redacted whole (a private key block may span lines)."""
    from ..ai.redact import redact
    from ..terminal.plaintext import render_plain

    if len(output) <= RENDER_CHUNK_BYTES:
        return redact(render_plain(output))
    parts: list[str] = []
    start = 0
    while start < len(output):
        end = output.find(b"\n", start + RENDER_CHUNK_BYTES) + 1 or len(output)
        parts.append(render_plain(output[start:end]))
        start = end
    plain = "".join(parts)
    del parts
    return redact(plain)


def process(record: CommandRecord) -> tuple[str, str, dict[str, Any]]:
    """(redacted command line, plain redacted output, parsed output) for one record.

    Bounded by the record's cap (:data:`~.shell_integration.OUTPUT_CAP_BYTES`: the
    first and last 4 MiB of any output, however large), :func:`plain_text` and
    :func:`parse_window`. The output's tokens are counted here once (remembered by
    digest), so the context and the ``exec`` reply do not encode a big output again."""
    from ..ai.parsers import parse_output
    from ..ai.redact import redact
    from ..ai.tokens import CACHE_MAX_CHARS, count_tokens

    plain = plain_text(record.output)
    text = redact(record.text)
    if len(plain) > CACHE_MAX_CHARS:
        count_tokens(plain)
    return text, plain, parse_output(parse_window(plain), text, record.exit_code).to_dict()


class RecordKeeper:
    """Processes and stores every finished command (:class:`CommandFinished`); publishes
    each result as :class:`CommandRecorded`."""

    def __init__(self, events: EventBus, store: StoreHandle) -> None:
        self.events = events
        self.store = store
        self.recent: OrderedDict[int, asyncio.Future[ProcessedRecord]] = OrderedDict()
        self._previous: asyncio.Future[ProcessedRecord] | None = None
        events.subscribe(CommandFinished, self._on_command)

    def _on_command(self, event: CommandFinished) -> None:
        session, pane, record = event.session, event.pane, event.record
        loop = asyncio.get_running_loop()
        future: asyncio.Future[ProcessedRecord] = loop.create_future()
        self.recent[id(record)] = future
        while len(self.recent) > RECENT:
            self.recent.popitem(last=False)
        self._trim_recent()
        previous, self._previous = self._previous, future
        loop.create_task(self._finish(session.id, session.name, pane.id, record, future,
                                      previous))

    def _trim_recent(self) -> None:
        """Forget the oldest finished records once their outputs pass ``RECENT_BYTES``
        (a record still being processed is always kept)."""
        total = 0
        for key, future in reversed(list(self.recent.items())):
            if not future.done() or future.cancelled() or future.exception() is not None:
                continue
            done = future.result()
            total += len(done.record.output) + len(done.plain)
            if total > RECENT_BYTES:
                del self.recent[key]

    def result_for(self, record: CommandRecord) -> asyncio.Future[ProcessedRecord] | None:
        """The future processing of ``record`` (to await its parsed output)."""
        return self.recent.get(id(record))

    async def _finish(self, session_id: int, session_name: str, pane_id: int,
                      record: CommandRecord, future: asyncio.Future[ProcessedRecord],
                      previous: asyncio.Future[ProcessedRecord] | None) -> None:
        failure = None
        try:
            text, plain, parsed = await asyncio.to_thread(process, record)
        except Exception as exc:  # a parser bug must never lose the record
            log.exception("processing a command record failed")
            failure = f"{type(exc).__name__}: {exc}"
            text, plain, parsed = "", "", {"kind": "plain", "tool": "unknown", "status": "unknown",
                                 "error": str(exc)}
        done = ProcessedRecord(record, session_id, session_name, pane_id, text, plain,
                               parsed, processing_error=failure)
        if previous is not None:
            # Records are stored and announced in the order the commands finished, even
            # when a later one (short output) is processed before an earlier one.
            await asyncio.wait([previous])
        if self.store.db is not None and self.store.run_id is not None:
            done.row_id, done.store_error = await asyncio.to_thread(self._store, done)
        else:
            done.store_error = self.store.unavailable
        if not future.done():
            future.set_result(done)
        self.events.publish(CommandRecorded(done))
        if len(record.output) > BIG_OUTPUT_BYTES:
            from .limits import trim_memory

            trim_memory()  # the copies made while processing it go back to the system

    def _store(self, done: ProcessedRecord) -> tuple[int | None, str | None]:
        """(row id, None) once committed, or (None, why it was not stored)."""
        from ..store.db import pack

        record = done.record
        run_id = self.store.run_id
        store = self.store.db
        assert store is not None

        def insert(connection: Any) -> int:
            inserted: int = connection.execute(
                "INSERT INTO commands (run_id, pane_id, session_id, session_name, text, cwd, "
                "started_at, finished_at, exit_code, output_zstd, output_bytes, truncated, "
                "parsed_json) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?)",
                (run_id, done.pane_id, done.session_id, done.session_name, done.text,
                 record.cwd, record.started_at, record.finished_at, record.exit_code,
                 pack(done.plain), len(record.output), int(record.truncated),
                 json.dumps(done.parsed))).lastrowid
            return inserted

        try:
            return store.call(insert), None
        except Exception as exc:  # noqa: BLE001 - full disk, locked file: keep serving
            log.error("storing a command record failed: %s", exc)
            return None, str(exc)
