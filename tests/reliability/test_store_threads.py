"""The store's compression and writer under several threads at once (a shared zstd
context used to abort the server with ``free(): invalid pointer``; a 4-thread ``pack()``
segfaulted every time).

The stress runs in a child process, so a crash is a failed test, not a dead test run.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

STRESS = r'''
import asyncio, random, sys, threading
from pathlib import Path
from aisession_tui.store.db import Store, pack, unpack

path = Path(sys.argv[1])
store = Store(path)
store.call(lambda c: c.execute("CREATE TABLE t (k TEXT PRIMARY KEY, v BLOB)"))
failures = []

def worker(seed):
    rng = random.Random(seed)
    for i in range(400):
        text = "".join(rng.choice("abc xyz\n0123") for _ in range(rng.randrange(1, 20000)))
        blob = pack(text)
        if unpack(blob).decode() != text:
            failures.append((seed, i))
        if i % 20 == 0:
            key = f"{seed}-{i}"
            store.call(lambda c, key=key, blob=blob: c.execute(
                "INSERT INTO t VALUES (?, ?)", (key, blob)))

async def loop_side():
    for i in range(200):
        key = f"loop-{i}"
        blob = pack(f"loop text {i} " * 500)
        await store.commit(lambda c, key=key, blob=blob: c.execute(
            "INSERT INTO t VALUES (?, ?)", (key, blob)))
        await asyncio.sleep(0)

threads = [threading.Thread(target=worker, args=(seed,)) for seed in range(4)]
for thread in threads:
    thread.start()
asyncio.run(loop_side())
for thread in threads:
    thread.join()
rows = store.call(lambda c: c.execute("SELECT k, v FROM t").fetchall())
store.close()
assert not failures, failures
assert len(rows) == 4 * 20 + 200, len(rows)
for key, blob in rows:
    assert unpack(blob), key
print("ok", len(rows))
'''


def test_pack_and_store_from_threads_and_loop(tmp_path: Path) -> None:
    proc = subprocess.run([sys.executable, "-c", STRESS, str(tmp_path / "s.db")],
                          check=False, capture_output=True, text=True, timeout=120)
    assert proc.returncode == 0, f"exit {proc.returncode}: {proc.stderr[-2000:]}"
    assert proc.stdout.startswith("ok 280")


def test_failed_job_is_rolled_back_and_reported(tmp_path: Path) -> None:
    from aisession_tui.store.db import Store, StoreError

    store = Store(tmp_path / "s.db")
    try:
        store.call(lambda c: c.execute("CREATE TABLE t (k INTEGER PRIMARY KEY)"))

        def half(connection):
            connection.execute("INSERT INTO t VALUES (1)")
            connection.execute("INSERT INTO nowhere VALUES (2)")

        try:
            store.call(half)
        except StoreError as exc:
            assert "nowhere" in str(exc) and str(tmp_path) in str(exc)
        else:
            raise AssertionError("a failed job was reported as stored")
        assert store.call(lambda c: c.execute("SELECT count(*) FROM t").fetchone()[0]) == 0
        assert store.errors == 1
    finally:
        store.close()
