"""Ended jobs keep their outputs in memory only up to a budget (server/jobs.py): older
huge outputs are read back, masked, from the store; their unmasked form is refused with a
clear error. Records' processing futures are bounded the same way (server/records.py)."""

from __future__ import annotations

import asyncio
from types import SimpleNamespace

import pytest

from aisession_tui.server import jobs as jobs_module
from aisession_tui.server.commands.spec import CommandError
from aisession_tui.server.jobs import Job, Jobs
from aisession_tui.server.records import ProcessedRecord
from aisession_tui.server.shell_integration import CommandRecord
from aisession_tui.store.db import Store, pack

MIB = 1024 * 1024


def _stored_row(store: Store, plain: str) -> int:
    return store.call(lambda c: c.execute(
        "INSERT INTO commands (run_id, pane_id, session_id, session_name, text, cwd, "
        "started_at, finished_at, exit_code, output_zstd, output_bytes, truncated, "
        "parsed_json) VALUES (1, 0, 0, 'big', 'seq', '/', 0, 1, 0, ?, ?, 0, '{}')",
        (pack(plain), len(plain))).lastrowid)


def test_old_outputs_leave_memory_and_are_read_from_the_store(tmp_path, monkeypatch) -> None:
    monkeypatch.setattr(jobs_module, "KEEP_OUTPUT_BYTES", 5 * MIB)
    store = Store(tmp_path / "db.sqlite")
    try:
        records = SimpleNamespace(store=SimpleNamespace(db=store))
        jobs = Jobs(engine=None, records=records, ai=None)  # type: ignore[arg-type]
        made = []
        for number in range(1, 5):
            plain = f"output {number} token=abc\n" + "x" * MIB
            record = CommandRecord(f"cmd {number}", "/", 0.0, 1.0, 0,
                                   plain.encode(), False)
            stored = ProcessedRecord(record, 0, "big", 0, f"cmd {number}", plain, {},
                                     row_id=_stored_row(store, plain))
            job = Job(number, "big", SimpleNamespace(id=0), f"cmd {number}", 0.0,
                      record=record, stored=stored)
            job.ended.set()
            jobs._jobs[number] = job
            made.append(job)
        jobs._forget_old()
        # 2 MiB per job (raw and plain): the newest two fit in 5 MiB, the others left.
        assert [job.output_released for job in made] == [True, True, False, False]
        assert made[0].record.output == b"" and made[0].stored.plain == ""
        assert made[0].stored.row_id is not None and made[0].record.exit_code == 0
        assert jobs.output(made[0]).startswith("output 1 token=abc\n")
        assert jobs.output(made[3]).startswith("output 4 ")
        with pytest.raises(CommandError, match="unmasked output of job 1 is no longer kept"):
            jobs.output(made[0], raw=True)
        assert jobs.output(made[3], raw=True).startswith("output 4 token=abc")
    finally:
        store.close()


def test_processing_futures_are_bounded_by_their_outputs(monkeypatch) -> None:
    from aisession_tui.server import records as records_module
    from aisession_tui.server.records import RecordKeeper

    monkeypatch.setattr(records_module, "RECENT_BYTES", 5 * MIB)

    async def scenario() -> list[int]:
        keeper = RecordKeeper(SimpleNamespace(subscribe=lambda *a: None),  # type: ignore[arg-type]
                              SimpleNamespace())  # type: ignore[arg-type]
        loop = asyncio.get_running_loop()
        for number in range(5):
            record = CommandRecord("cmd", "/", 0.0, 1.0, 0, b"y" * MIB, False)
            future = loop.create_future()
            future.set_result(ProcessedRecord(record, 0, "s", 0, "cmd", "p" * MIB, {}))
            keeper.recent[number] = future
            keeper._trim_recent()
        return list(keeper.recent)

    assert asyncio.run(scenario()) == [3, 4]  # 2 MiB each: the newest two fit in 5 MiB
