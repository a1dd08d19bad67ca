"""Reflow on resize with a full history: ai-session's emulator and tmux 3.3a side by side.

    python benchmarks/reflow.py [--history 50000] [--columns 200] [--lines 50] [--cjk]
                                [--at-once]

Both get the same stream: ``--history`` + a screenful of lines of mixed length (short,
one row, several rows; some coloured, some with wide characters) at COLUMNSxLINES with
a history limit of ``--history``. Then the width goes to 80, back to COLUMNS and to 120;
each resize re-wraps the screen and the whole history. Reported per resize, for
ai-session (run on an asyncio loop, as in the server): the wall time of ``Emulator.resize``
(the screen is right when it returns; the older history rows go on re-wrapping on a worker
thread), the wall time until the whole history is re-wrapped, and the longest the loop
went without running a 1 ms ticker meanwhile; for tmux, the wall time of ``resize-window``
(its client round trip included, a few ms). ``--at-once`` re-wraps everything inside
``resize`` (as before the worker existed). Then the memory: the Python process's RSS
growth for the emulator holding the history, tmux's server RSS.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import random
import subprocess
import tempfile
import time
from pathlib import Path

from aisession_tui.terminal import screen_ops
from aisession_tui.terminal.emulator import Emulator


def stream(count: int, *, cjk: bool = False) -> bytes:
    """``count`` lines of mixed length; with ``cjk``, mostly CJK and Hangul words (two
    cells a character), as a history of a program writing in those scripts has."""
    rng = random.Random(7)
    words = ["build", "test", "error:", "warning", "src/main.py:12", "ok", "中文", "✓", "=>"]
    if cjk:
        words = ["漢字", "中文", "日本語", "한국어", "ひらがな", "カタカナ", "ok", "✓"]
    lines = []
    for number in range(count):
        length = rng.choice([3, 8, 20, 60, 120, 190, 260, 400])
        text = f"{number} " + " ".join(rng.choice(words) for _ in range(length // 6))
        if number % 5 == 0:
            text = f"\x1b[3{number % 8}m{text}\x1b[0m"
        lines.append(text)
    return ("\r\n".join(lines) + "\r\n$ ").encode()


def rss_kib(pid: int | str = "self") -> int:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1])
    return 0


async def _resize_on_loop(emulator: Emulator, width: int,
                          lines: int) -> tuple[float, float, float]:
    """(resize wall time, wall time until the history is re-wrapped, longest loop stall)."""
    gaps: list[float] = []
    running = True

    async def ticker() -> None:
        last = time.perf_counter()
        while running:
            await asyncio.sleep(0.001)
            now = time.perf_counter()
            gaps.append(now - last)
            last = now

    task = asyncio.create_task(ticker())
    await asyncio.sleep(0.02)
    started = time.perf_counter()
    emulator.resize(width, lines)
    resized = time.perf_counter() - started
    job = emulator._screen._rewrapping  # noqa: SLF001 - the worker under measure
    while job is not None and not job.done:
        await asyncio.sleep(0.002)
    emulator.history_size  # noqa: B018 - takes the worker's result
    total = time.perf_counter() - started
    await asyncio.sleep(0.005)
    running = False
    await task
    return resized, total, max(gaps)


def run_ours(data: bytes, columns: int, lines: int, history: int,
             widths: list[int]) -> tuple[list[tuple[float, float, float]], int, int]:
    before = rss_kib()
    emulator = Emulator(columns, lines, history_limit=history)
    for start in range(0, len(data), 65536):
        emulator.feed(data[start:start + 65536])

    async def resizes() -> list[tuple[float, float, float]]:
        return [await _resize_on_loop(emulator, width, lines) for width in widths]

    times = asyncio.run(resizes())
    return times, rss_kib() - before, emulator.history_size


def run_tmux(data: bytes, columns: int, lines: int, history: int,
             widths: list[int]) -> tuple[list[float], int, int]:
    name = f"reflow-bench-{os.getpid()}"
    environment = {key: value for key, value in os.environ.items() if key != "TMUX"}

    def tmux(*args: str) -> str:
        return subprocess.run(["tmux", "-L", name, "-f", "/dev/null", *args], check=True,
                              capture_output=True, text=True, env=environment).stdout

    with tempfile.NamedTemporaryFile(suffix=".bin") as handle:
        handle.write(data)
        handle.flush()
        try:
            tmux("new-session", "-d", "-s", "bench", "-x", "20", "-y", "5", "sleep 100000",
                 ";", "set", "-g", "history-limit", str(history))
            tmux("new-session", "-d", "-s", "r", "-x", str(columns), "-y", str(lines),
                 f"stty raw -echo; cat {handle.name}; exec sleep 100000")
            deadline = time.monotonic() + 300
            while tmux("display", "-p", "-t", "r", "#{pane_current_command}").strip() != "sleep":
                if time.monotonic() > deadline:
                    raise TimeoutError("tmux did not take the stream")
                time.sleep(0.1)
            pid = tmux("display", "-p", "#{pid}").strip()
            times = []
            for width in widths:
                started = time.perf_counter()
                tmux("resize-window", "-t", "r", "-x", str(width), "-y", str(lines))
                times.append(time.perf_counter() - started)
            size = int(tmux("display", "-p", "-t", "r", "#{history_size}").strip())
            return times, rss_kib(pid), size
        finally:
            subprocess.run(["tmux", "-L", name, "kill-server"], capture_output=True,
                           env=environment, check=False)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--history", type=int, default=50000)
    parser.add_argument("--columns", type=int, default=200)
    parser.add_argument("--lines", type=int, default=50)
    parser.add_argument("--cjk", action="store_true")
    parser.add_argument("--at-once", action="store_true",
                        help="re-wrap the whole history inside resize (no worker thread)")
    options = parser.parse_args()
    if options.at_once:
        screen_ops.LAZY_REFLOW_ROWS = 10**12
    data = stream(options.history + options.lines, cjk=options.cjk)
    widths = [80, options.columns, 120]
    ours, our_memory, our_history = run_ours(data, options.columns, options.lines,
                                             options.history, widths)
    theirs, their_memory, their_history = run_tmux(data, options.columns, options.lines,
                                                   options.history, widths)
    print(f"{len(data) / 1e6:.1f} MB stream, history limit {options.history}, "
          f"{options.columns}x{options.lines}")
    mode = "at once" if options.at_once else "older rows on a worker"
    print(f"ai-session re-wraps {mode}; wall times")
    print(f"{'resize':>14} {'ai-session resize':>18} {'history done':>13} {'loop stall':>11}"
          f" {'tmux':>8}")
    previous = options.columns
    for width, (resized, total, stall), tmux_time in zip(widths, ours, theirs):
        print(f"{previous:>5} -> {width:<5} {resized * 1000:>15.0f} ms {total * 1000:>10.0f} ms"
              f" {stall * 1000:>8.0f} ms {tmux_time * 1000:>5.0f} ms")
        previous = width
    print(f"history rows after: ai-session {our_history}, tmux {their_history}")
    print(f"memory: ai-session emulator +{our_memory / 1024:.0f} MiB RSS, "
          f"tmux server {their_memory / 1024:.0f} MiB RSS")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
