"""Command records are announced in the order the commands finished, whatever the
processing time of each (a long output must not be overtaken by a short one)."""

from __future__ import annotations

import asyncio
import threading
from types import SimpleNamespace

from aisession_tui.server import records
from aisession_tui.server.events import CommandFinished, CommandRecorded, EventBus
from aisession_tui.server.shell_integration import CommandRecord
from aisession_tui.server.store_handle import StoreHandle


def test_a_slow_record_is_not_overtaken(monkeypatch):
    release_first = threading.Event()
    real_process = records.process

    def process(record: CommandRecord):
        if record.text == "first":
            release_first.wait(10)
        return real_process(record)

    monkeypatch.setattr(records, "process", process)

    async def scenario() -> list[str]:
        events = EventBus()
        keeper = records.RecordKeeper(events, StoreHandle())
        seen: list[str] = []
        events.subscribe(CommandRecorded, lambda event: seen.append(event.processed.text))
        session = SimpleNamespace(id=0, name="s")
        pane = SimpleNamespace(id=0)
        for text in ("first", "second"):
            events.publish(CommandFinished(session, pane, CommandRecord(
                text=text, cwd="/", started_at=0.0, finished_at=1.0, exit_code=0,
                output=b"out\r\n", truncated=False)))
        second = keeper.recent[list(keeper.recent)[1]]
        await asyncio.sleep(0.2)
        assert seen == [] and not second.done()  # processed, but waiting for "first"
        release_first.set()
        await asyncio.wait_for(second, 10)
        return seen

    assert asyncio.run(scenario()) == ["first", "second"]
