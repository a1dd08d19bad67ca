"""Message-bus throughput and latency through a real ai-session server (persistence on).

Starts an isolated server (own ``-L`` name, own ``AI_SESSION_HOME``), keeps a session open,
registers an agent with a topic subscription and attaches live subscribers
(``bus.subscribe``). Then:

* throughput: S senders publish M messages each to ``bench.*`` over ``bus.send`` requests
  (each sender keeps W requests in flight); every message is written to SQLite (group
  commit) and acknowledged only after its commit, lands in the agent's inbox and is pushed
  to every subscriber. The clock stops when every subscriber has every message.
* latency: one sender, one message at a time; send-to-notification time at a subscriber.

Prints a table and writes JSON to ``benchmarks/results/bus_throughput.json``.
Run: ``/work/venv/bin/python benchmarks/bus_throughput.py [--messages N]``.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from pathlib import Path

from aisession_tui.cli.async_client import open_client
from aisession_tui.protocol.paths import socket_path


async def throughput(path: Path, senders: int, per_sender: int, subscribers: int,
                     window: int) -> dict:
    total = senders * per_sender
    done = asyncio.Event()
    counts = [0] * subscribers

    def counter(index: int):
        def on_note(method: str, params: dict) -> None:
            if method == "bus.message" and params["message"]["topic"].startswith("bench.t"):
                counts[index] += 1
                if all(c >= total for c in counts):
                    done.set()
        return on_note

    subs = [await open_client(path, on_notification=counter(i)) for i in range(subscribers)]
    for client in subs:
        await client.request("bus.subscribe", {"topic": "bench.*"})
    clients = [await open_client(path) for _ in range(senders)]

    async def send_all(client, index: int) -> None:
        semaphore = asyncio.Semaphore(window)

        async def one(n: int) -> None:
            async with semaphore:
                await client.request("bus.send", {"from": f"s{index}", "topic": "bench.t",
                                                  "type": "data_share", "payload": {"n": n}})
        await asyncio.gather(*(one(n) for n in range(per_sender)))

    start = time.perf_counter()
    await asyncio.gather(*(send_all(c, i) for i, c in enumerate(clients)))
    acked = time.perf_counter() - start
    await asyncio.wait_for(done.wait(), 300)
    elapsed = time.perf_counter() - start
    for client in subs + clients:
        await client.close()
    return {"senders": senders, "subscribers": subscribers, "messages": total,
            "window": window, "acked_s": round(acked, 3), "delivered_s": round(elapsed, 3),
            "msgs_per_s": round(total / elapsed), "deliveries_per_s":
            round(total * subscribers / elapsed)}


async def latency(path: Path, count: int) -> dict:
    arrived: asyncio.Queue[float] = asyncio.Queue()

    def on_note(method: str, params: dict) -> None:
        if method == "bus.message" and params["message"]["topic"] == "bench.lat":
            arrived.put_nowait(time.perf_counter())

    sub = await open_client(path, on_notification=on_note)
    await sub.request("bus.subscribe", {"topic": "bench.lat"})
    sender = await open_client(path)
    samples = []
    for n in range(count):
        sent = time.perf_counter()
        await sender.request("bus.send", {"from": "lat", "topic": "bench.lat",
                                          "type": "custom", "payload": {"n": n}})
        samples.append((await arrived.get()) - sent)
    await sub.close()
    await sender.close()
    samples.sort()
    return {"messages": count, "p50_ms": round(statistics.median(samples) * 1000, 3),
            "p99_ms": round(samples[int(len(samples) * 0.99) - 1] * 1000, 3),
            "max_ms": round(samples[-1] * 1000, 3)}


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--messages", type=int, default=20000)
    parser.add_argument("--latency-samples", type=int, default=2000)
    options = parser.parse_args()
    home = Path(tempfile.mkdtemp(prefix="bus-bench-"))
    name = f"busbench{uuid.uuid4().hex[:8]}"
    os.environ["AI_SESSION_HOME"] = str(home)
    cli = [sys.executable, "-m", "aisession_tui.cli", "-L", name]
    env = {**os.environ, "AI_SESSION_HOME": str(home)}
    subprocess.run([*cli, "new-session", "-d", "-s", "bench"], env=env, check=True)
    subprocess.run([*cli, "agent", "register", "archive", "--topics", "bench.*",
                    "--inbox-size", str(10 * options.messages)], env=env, check=True,
                   stdout=subprocess.DEVNULL)
    path = socket_path(name)
    results: dict = {"throughput": [], "python": sys.version.split()[0],
                     "cpus": os.cpu_count()}
    try:
        for senders, subscribers in ((1, 1), (1, 4), (4, 4)):
            results["throughput"].append(asyncio.run(throughput(
                path, senders, options.messages // senders, subscribers, window=64)))
            subprocess.run([*cli, "bus", "recv", "archive", "--all"], env=env,
                           stdout=subprocess.DEVNULL, check=True)
        results["latency"] = asyncio.run(latency(path, options.latency_samples))
    finally:
        subprocess.run([*cli, "kill-server"], env=env, check=False)
    print(f"{'senders':>7} {'subs':>5} {'messages':>9} {'msg/s':>9} {'deliveries/s':>13}")
    for row in results["throughput"]:
        print(f"{row['senders']:>7} {row['subscribers']:>5} {row['messages']:>9} "
              f"{row['msgs_per_s']:>9} {row['deliveries_per_s']:>13}")
    lat = results["latency"]
    print(f"latency (1 sender, 1 subscriber, persisted): p50 {lat['p50_ms']} ms, "
          f"p99 {lat['p99_ms']} ms, max {lat['max_ms']} ms")
    out = Path(__file__).parent / "results"
    out.mkdir(exist_ok=True)
    (out / "bus_throughput.json").write_text(json.dumps(results, indent=2))


if __name__ == "__main__":
    main()
