"""The SQLite journal (issue 5): a bus restored from the store has exactly the undelivered
copies, agents and tasks; acknowledged sends are committed before the sender hears back."""

from __future__ import annotations

import sqlite3
from pathlib import Path

from aisession_tui.bus import MessageBus
from aisession_tui.bus.journal import SqliteJournal
from aisession_tui.store import bus_store
from aisession_tui.store.db import Store


def _bus(store: Store, key: str) -> MessageBus:
    import asyncio

    journal = SqliteJournal(store.submit,
                            lambda connection, op: bus_store.apply(connection, key, op),
                            asyncio.get_running_loop())
    bus = MessageBus(journal)
    bus.restore(store.call(lambda connection: bus_store.load(connection, key)))
    return bus


async def test_acknowledged_messages_are_on_disk_and_reload(tmp_path: Path):
    path = tmp_path / "db.sqlite"
    store = Store(path)
    try:
        bus = _bus(store, "/sock/a")
        await bus.register("fe", capabilities=["css"])
        await bus.register("be")
        for n in range(20):
            await bus.send("lead", "be", "data_share", {"n": n})
        await bus.broadcast("lead", "status_update", {"phase": 2})
        task = await bus.tasks.submit("css", {"fix": "navbar"})
        bus.take("be", 5)
        # committed before send returned: another connection sees it right now
        other = sqlite3.connect(path)
        assert other.execute("SELECT COUNT(*) FROM bus_messages").fetchone()[0] == 22
        other.close()
        store.flush()
        again = _bus(store, "/sock/a")
        assert [m.payload for m in again.take("be", None)] == \
            [{"n": n} for n in range(5, 20)] + [{"phase": 2}]
        assert [m.type for m in again.take("fe", None)] == ["status_update",
                                                             "task_assignment"]
        assert again.tasks.get(task.id).agent == "fe"
        assert again.next_message_id == bus.next_message_id
        assert _bus(store, "/sock/other").agents == {}
    finally:
        store.close()
