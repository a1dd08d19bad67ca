"""What a resurrection snapshot may keep in memory (server/persist.py, store/db.py).

A snapshot holds every pane's whole history as text. The persister never queues a second
one while the first is still being redacted and written (under a flood of output the
writer falls behind and the queue used to hold several), and the store's writer thread
lets go of a finished job instead of keeping it until the next one arrives.
"""

from __future__ import annotations

import gc
import json
import threading
import weakref
from pathlib import Path
from types import SimpleNamespace
from typing import Any

from conftest import wait_until

from aisession_tui.server.persist import Persister
from aisession_tui.store.db import Store, unpack


class _Session:
    def __init__(self, name: str) -> None:
        self.name = name
        self.current_index = 0
        self.group: str | None = None

    def ordered_windows(self) -> list[Any]:
        return []


class _Queue:
    """A store that queues jobs until the test runs them."""

    def __init__(self) -> None:
        self.jobs: list[Any] = []

    def submit(self, job: Any, done: Any = None) -> None:
        self.jobs.append(job)


class _Connection:
    def __init__(self) -> None:
        self.rows: list[tuple[Any, ...]] = []

    def execute(self, sql: str, params: tuple[Any, ...]) -> None:
        self.rows.append(params)


def _persister() -> tuple[Persister, _Queue, dict[int, _Session]]:
    sessions = {1: _Session("work")}
    engine = SimpleNamespace(registry=SimpleNamespace(sessions=sessions),
                             options=SimpleNamespace(get=lambda name: None))
    queue = _Queue()
    store = SimpleNamespace(db=queue, run_id=1)
    return Persister(engine, store, Path("/tmp/sock")), queue, sessions  # type: ignore[arg-type]


def test_no_second_snapshot_is_queued_while_one_is_being_written():
    persister, queue, sessions = _persister()
    persister.save()
    assert len(queue.jobs) == 1
    sessions[1].name = "renamed"
    persister.save()
    assert len(queue.jobs) == 1, "a snapshot was queued behind one still being written"
    connection = _Connection()
    queue.jobs[0](connection)
    assert len(connection.rows) == 1
    persister.save()  # written: the change made meanwhile is saved now
    assert len(queue.jobs) == 2
    connection = _Connection()
    queue.jobs[1](connection)
    assert b'"renamed"' not in unpack(connection.rows[0][2])  # no windows: not kept
    assert unpack(connection.rows[0][2]).startswith(b'{"version": 1')


def test_the_final_snapshot_is_taken_even_while_one_is_being_written():
    persister, queue, sessions = _persister()
    persister.save()
    sessions[1].name = "renamed"
    persister.final(clear=False)
    assert len(queue.jobs) == 2


def test_a_refused_write_is_retried_with_the_same_blob():
    persister, queue, _ = _persister()
    persister.save()

    class Full(_Connection):
        def execute(self, sql: str, params: tuple[Any, ...]) -> None:
            raise OSError("disk full")

    try:
        queue.jobs[0](Full())
    except OSError:
        pass
    connection = _Connection()
    queue.jobs[0](connection)
    assert unpack(connection.rows[0][2]).startswith(b'{"version": 1')


def test_the_store_lets_go_of_a_finished_job(tmp_path):
    store = Store(tmp_path / "store.db")
    try:
        class Payload:
            pass

        payload = Payload()
        alive = weakref.ref(payload)
        finished = threading.Event()
        store.submit(lambda connection, kept=payload: None,
                     lambda value, error: finished.set())
        del payload
        assert finished.wait(30)

        def released() -> bool:
            gc.collect()
            return alive() is None

        wait_until(released, 30, message="the finished job to be released")
    finally:
        store.close()


def test_a_snapshot_packed_pane_by_pane_stores_what_the_whole_json_did():
    from aisession_tui.server.persist import _history_mark, _pack_snapshot

    texts = ["plain\nline two caf\xe9 \udcff \u4e2d", "",
             "export OPENAI_API_KEY=sk-proj-Abcdefghijklmnopqrstu1234567\n"
             'curl -H "Authorization: Bearer abcDEF123456ghiJKL7890mnoPQR"\npassword=hunter2x9']

    def data(scrollbacks: list[str]) -> dict[str, Any]:
        panes = [{"cwd": "/srv/password=x1y2z3", "program": "psql --password=s3cretXY9",
                  "active": index == 0, "scrollback": text, "context": {"pane_id": index}}
                 for index, text in enumerate(scrollbacks)]
        return {"version": 1, "saved_at": 1.5, "sessions": [
            {"name": "s", "cwd": "/", "windows": [{"index": 0, "name": "w", "panes": panes}]}]}

    whole = json.loads(unpack(_pack_snapshot(data(texts))).decode("utf-8", "surrogateescape"))
    histories = [lambda text=text: text for text in texts]
    marked = data([_history_mark(index) for index in range(len(texts))])
    streamed = json.loads(unpack(_pack_snapshot(marked, histories)).decode(
        "utf-8", "surrogateescape"))
    assert streamed == whole
    assert "sk-proj-Abc" not in json.dumps(streamed) and "hunter2x9" not in json.dumps(streamed)
    assert streamed["sessions"][0]["windows"][0]["panes"][0]["scrollback"].startswith("plain\n")
