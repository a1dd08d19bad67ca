"""Reflow on resize with a full history: ai-session's emulator and tmux 3.3a side by side.

    python benchmarks/reflow.py [--history 50000] [--columns 200] [--lines 50] [--cjk]
                                [--at-once] [--flood]

Both get the same stream: ``--history`` + a screenful of lines of mixed length (short,
one row, several rows; some coloured, some with wide characters) at COLUMNSxLINES with
a history limit of ``--history``. Then the width goes to 80, back to COLUMNS and to 120;
each resize re-wraps the screen and the whole history. Reported per resize, for
ai-session (run on an asyncio loop, as in the server): the wall time of ``Emulator.resize``
(the screen is right when it returns; the older history rows go on re-wrapping on a worker
thread), the wall time until the whole history is re-wrapped, and the longest the loop
went without running a 1 ms ticker meanwhile; for tmux, the wall time of ``resize-window``
(its client round trip included, a few ms). On a loaded machine wall times stretch with
the load: the CPU times (ai-session's ``resize`` call and its worker thread, the tmux
server's from its schedstat around ``resize-window``) compare better. ``--at-once`` re-wraps everything inside
``resize`` (as before the worker existed). ``--flood``: meanwhile the loop feeds a second
emulator a flood of output (4 KB at a time, as a pane reader does) and the table gives
the ticker's gaps (the wait a keystroke's echo would have) and the flood's throughput,
with the worker re-wrapping and, for comparison, for the same time without it.

Memory, for both: RSS growth once the history is in (ai-session: from before the
emulator, tmux: from a server with one small session), its growth through the resizes and
the peak during them (VmHWM, reset before the first resize through /proc/PID/clear_refs);
for ai-session also the history's own bytes (zstd blocks + the hot tail's estimate).
"""

from __future__ import annotations

import argparse
import asyncio
import ctypes
import gc
import os
import random
import statistics
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


def _status_kib(pid: int | str, field: str) -> int:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith(f"{field}:"):
            return int(line.split()[1])
    return 0


def rss_kib(pid: int | str = "self") -> int:
    return _status_kib(pid, "VmRSS")


def peak_kib(pid: int | str = "self") -> int:
    return _status_kib(pid, "VmHWM")


def cpu_seconds(pid: int | str) -> float:
    """CPU time of a (single-threaded) process's main thread, from its schedstat."""
    return int(Path(f"/proc/{pid}/schedstat").read_text().split()[0]) / 1e9


def reset_peak(pid: int | str = "self") -> None:
    """Make VmHWM the current RSS (Linux: writing 5 to clear_refs)."""
    try:
        Path(f"/proc/{pid}/clear_refs").write_text("5")
    except OSError:
        pass


class Memory:
    """RSS with the history in, growth through the resizes, peak above the start (KiB)."""

    def __init__(self, pid: int | str = "self") -> None:
        self.pid = pid
        reset_peak(pid)
        self.loaded = rss_kib(pid)

    def done(self) -> tuple[int, int, int]:
        return self.loaded, rss_kib(self.pid) - self.loaded, peak_kib(self.pid) - self.loaded


def flood_stream() -> bytes:
    rng = random.Random(3)
    words = ["compiling", "crate", "ok", "warning:", "src/lib.rs:40", "=>", "中文", "✓"]
    return "".join(f"\x1b[3{n % 8}m{n}\x1b[0m " + " ".join(rng.choice(words) for _ in range(12))
                   + "\r\n" for n in range(4000)).encode()


async def _measure(emulator: Emulator, width: int, lines: int, flood: Emulator | None,
                   rest: float | None = None) -> dict[str, float]:
    """Resize ``emulator`` to ``width`` (or, with ``rest``, only wait that long) on the loop
    while a ticker (and with ``flood``, a flood) runs; times in seconds."""
    gaps: list[float] = []
    fed = 0
    running = True
    data = flood_stream() if flood is not None else b""

    async def ticker() -> None:
        last = time.perf_counter()
        while running:
            await asyncio.sleep(0.001)
            now = time.perf_counter()
            gaps.append(now - last)
            last = now

    async def flooder() -> None:
        nonlocal fed
        position = 0
        while running and flood is not None:
            chunk = data[position:position + 4096]
            flood.feed(chunk)
            fed += len(chunk)
            position = (position + 4096) % len(data)
            await asyncio.sleep(0)

    tasks = [asyncio.create_task(ticker()), asyncio.create_task(flooder())]
    await asyncio.sleep(0.02)
    gaps.clear()
    fed = 0
    started = time.perf_counter()
    cpu_started = time.process_time()
    loop_cpu_started = time.thread_time()
    resized = resize_cpu = 0.0
    if rest is None:
        emulator.resize(width, lines)
        resized = time.perf_counter() - started
        resize_cpu = time.thread_time() - loop_cpu_started
        job = emulator._screen._rewrapping  # noqa: SLF001 - the worker under measure
        while job is not None and not job.done:
            await asyncio.sleep(0.002)
        emulator.history_size  # noqa: B018 - takes the worker's result
    else:
        await asyncio.sleep(rest)
    total = time.perf_counter() - started
    # the worker's CPU and the resize call's (not the ticker's, nor the flood's)
    cpu = (time.process_time() - cpu_started
           - (time.thread_time() - loop_cpu_started - resize_cpu))
    throughput = fed / total
    await asyncio.sleep(0.005)
    running = False
    await asyncio.gather(*tasks)
    ordered = sorted(gaps) or [0.0]
    return {"resize": resized, "total": total, "cpu": cpu, "stall": ordered[-1],
            "p50": statistics.median(ordered),
            "p99": ordered[min(len(ordered) - 1, int(len(ordered) * 0.99))],
            "flood": throughput}


def run_ours(data: bytes, columns: int, lines: int, history: int, widths: list[int],
             flood: bool) -> tuple[list[dict[str, float]], tuple[int, int, int], int, int]:
    gc.collect()
    ctypes.CDLL("libc.so.6").malloc_trim(0)  # the stream's building freed: give it back
    before = rss_kib()
    emulator = Emulator(columns, lines, history_limit=history)
    for start in range(0, len(data), 65536):
        emulator.feed(data[start:start + 65536])
    flooded = Emulator(columns, lines, history_limit=2000) if flood else None
    memory = Memory()

    async def resizes() -> list[dict[str, float]]:
        results = []
        for width in widths:
            result = await _measure(emulator, width, lines, flooded)
            if flood:
                rest = await _measure(emulator, width, lines, flooded, rest=result["total"])
                result.update({f"rest {key}": value for key, value in rest.items()})
            results.append(result)
        return results

    times = asyncio.run(resizes())
    history_bytes = emulator._screen.history.compressed_bytes + \
        emulator._screen.history._hot_weight  # noqa: SLF001
    loaded, grown, peak = memory.done()
    return times, (loaded - before, grown, peak), emulator.history_size, history_bytes


def run_tmux(data: bytes, columns: int, lines: int, history: int, widths: list[int],
             ) -> tuple[list[tuple[float, float]], tuple[int, int, int], int]:
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
            base = rss_kib(tmux("display", "-p", "#{pid}").strip())
            tmux("new-session", "-d", "-s", "r", "-x", str(columns), "-y", str(lines),
                 f"stty raw -echo; cat {handle.name}; exec sleep 100000")
            deadline = time.monotonic() + 300
            while tmux("display", "-p", "-t", "r", "#{pane_current_command}").strip() != "sleep":
                if time.monotonic() > deadline:
                    raise TimeoutError("tmux did not take the stream")
                time.sleep(0.1)
            pid = tmux("display", "-p", "#{pid}").strip()
            memory = Memory(pid)
            times = []
            for width in widths:
                started = time.perf_counter()
                cpu_started = cpu_seconds(pid)
                tmux("resize-window", "-t", "r", "-x", str(width), "-y", str(lines))
                times.append((time.perf_counter() - started, cpu_seconds(pid) - cpu_started))
            size = int(tmux("display", "-p", "-t", "r", "#{history_size}").strip())
            loaded, grown, peak = memory.done()
            return times, (loaded - base, grown, peak), size
        finally:
            subprocess.run(["tmux", "-L", name, "kill-server"], capture_output=True,
                           env=environment, check=False)


def _mib(kib: int) -> str:
    return f"{kib / 1024:.0f} MiB"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--history", type=int, default=50000)
    parser.add_argument("--columns", type=int, default=200)
    parser.add_argument("--lines", type=int, default=50)
    parser.add_argument("--cjk", action="store_true")
    parser.add_argument("--at-once", action="store_true",
                        help="re-wrap the whole history inside resize (no worker thread)")
    parser.add_argument("--flood", action="store_true",
                        help="a second pane floods the loop meanwhile (GIL impact)")
    options = parser.parse_args()
    if options.at_once:
        screen_ops.LAZY_REFLOW_ROWS = 10**12
    data = stream(options.history + options.lines, cjk=options.cjk)
    widths = [80, options.columns, 120]
    ours, our_memory, our_history, history_bytes = run_ours(
        data, options.columns, options.lines, options.history, widths, options.flood)
    theirs, their_memory, their_history = run_tmux(data, options.columns, options.lines,
                                                   options.history, widths)
    print(f"{len(data) / 1e6:.1f} MB stream, history limit {options.history}, "
          f"{options.columns}x{options.lines}")
    mode = "at once" if options.at_once else "older rows on a worker"
    print(f"ai-session re-wraps {mode}; wall times")
    print(f"{'':14} | {'ai-session wall times':^36} | {'tmux wall':^9} | {'ratio':5} |"
          f" {'CPU: ai-session':^15} | {'tmux':>6} | ratio")
    print(f"{'resize':>14} | {'resize':>8} {'history done':>13} {'loop stall':>11} |"
          f" {'resize':>9} | {'':5} | {'whole history':>15} | {'':6} |")
    previous = options.columns
    for width, result, (tmux_time, tmux_cpu) in zip(widths, ours, theirs):
        print(f"{previous:>5} -> {width:<5} | {result['resize'] * 1000:>5.0f} ms"
              f" {result['total'] * 1000:>10.0f} ms {result['stall'] * 1000:>8.0f} ms |"
              f" {tmux_time * 1000:>6.0f} ms | {result['total'] / tmux_time:>4.1f}x |"
              f" {result['cpu'] * 1000:>12.0f} ms | {tmux_cpu * 1000:>3.0f} ms |"
              f" {result['cpu'] / max(tmux_cpu, 1e-3):>4.1f}x")
        previous = width
    if options.flood:
        print("a flooding pane on the loop meanwhile: loop gaps (a keystroke's echo wait) "
              "and flood throughput, while re-wrapping / the same time without")
        previous = options.columns
        for width, result in zip(widths, ours):
            print(f"{previous:>5} -> {width:<5} gaps p50 {result['p50'] * 1000:.1f} / "
                  f"{result['rest p50'] * 1000:.1f} ms, p99 {result['p99'] * 1000:.1f} / "
                  f"{result['rest p99'] * 1000:.1f} ms, max {result['stall'] * 1000:.1f} / "
                  f"{result['rest stall'] * 1000:.1f} ms; flood "
                  f"{result['flood'] / 1e6:.1f} / {result['rest flood'] / 1e6:.1f} MB/s")
            previous = width
    print(f"history rows after: ai-session {our_history}, tmux {their_history}")
    loaded, grown, peak = our_memory
    print(f"memory with the history in (RSS growth): ai-session emulator +{_mib(loaded)} (the"
          f" history itself {history_bytes / 2**20:.1f} MiB after the resizes), tmux server "
          f"+{_mib(their_memory[0])} ({loaded / their_memory[0]:.2f}x)")
    print(f"through the resizes: ai-session RSS {grown / 1024:+.0f} MiB, peak "
          f"+{_mib(peak)}; tmux RSS {their_memory[1] / 1024:+.0f} MiB, peak "
          f"+{_mib(their_memory[2])}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
