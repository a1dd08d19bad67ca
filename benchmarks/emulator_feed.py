"""Feed throughput of the pane emulator versus stock pyte 0.8.2, in MB/s.

Three synthetic streams, fed in PTY-sized chunks:

* ``seq``: what ``seq 1 N`` prints through a PTY (``N\\r\\n`` lines), 80x24;
* ``sgr-log``: coloured log lines (timestamp, level, logger, message), 80x24;
* ``redraw``: full-screen redraws of a 200x50 screen (cursor moves, 256 colours, erase).

Rates use the process CPU time (the machine may be shared); wall time is higher under load.
Usage: ``python benchmarks/emulator_feed.py [--mb 4] [--chunk 4096] [--stock-mb 1]``.
Stock pyte (``pyte.Screen`` + ``pyte.ByteStream``) is measured on a shorter prefix of
each stream because it is much slower; the rate is what matters. The pyte target of the
project is within 4x of tmux (~35 MB/s), so 8.75 MB/s on ``seq``.
"""

from __future__ import annotations

import argparse
import time
from collections.abc import Callable

import pyte

from aisession_tui.terminal.emulator import Emulator


def seq_stream(size: int) -> bytes:
    parts = []
    total = 0
    number = 1
    while total < size:
        line = b"%d\r\n" % number
        parts.append(line)
        total += len(line)
        number += 1
    return b"".join(parts)


def sgr_log_stream(size: int) -> bytes:
    levels = [(b"32", b"INFO "), (b"33", b"WARN "), (b"31", b"ERROR"), (b"34", b"DEBUG")]
    parts = []
    total = 0
    number = 0
    while total < size:
        colour, level = levels[number % len(levels)]
        line = (b"\x1b[2m2024-05-01 12:%02d:%02d.%03d\x1b[0m \x1b[1;%sm%s\x1b[0m "
                b"\x1b[36mworker.pool.%d\x1b[0m: processed batch %d in %d ms\r\n"
                % (number // 60 % 60, number % 60, number % 1000, colour, level,
                   number % 7, number, number % 97))
        parts.append(line)
        total += len(line)
        number += 1
    return b"".join(parts)


def redraw_stream(size: int, columns: int = 200, lines: int = 50) -> bytes:
    parts = []
    total = 0
    frame = 0
    while total < size:
        chunks = [b"\x1b[H"]
        for row in range(1, lines + 1):
            chunks.append(b"\x1b[%d;1H" % row)
            used = 0
            cell = 0
            while used < columns - 20:
                colour = (frame + row * 7 + cell * 13) % 256
                text = b"%5d %-10s" % ((frame * row + cell) % 100000, b"proc%d" % (cell + row))
                chunks.append(b"\x1b[38;5;%dm%s" % (colour, text))
                used += len(text)
                cell += 1
            chunks.append(b"\x1b[0m\x1b[K")
        chunks.append(b"\x1b[%d;1H" % lines)
        frame_bytes = b"".join(chunks)
        parts.append(frame_bytes)
        total += len(frame_bytes)
        frame += 1
    return b"".join(parts)


def measure(feed: Callable[[bytes], None], data: bytes, chunk: int) -> float:
    chunks = [data[i:i + chunk] for i in range(0, len(data), chunk)]
    started = time.process_time()
    for piece in chunks:
        feed(piece)
    elapsed = time.process_time() - started
    return len(data) / elapsed / 1e6


def stock_feeder(columns: int, lines: int) -> Callable[[bytes], None]:
    screen = pyte.Screen(columns, lines)
    stream = pyte.ByteStream(screen)
    return stream.feed


def ours_feeder(columns: int, lines: int) -> Callable[[bytes], None]:
    return Emulator(columns, lines).feed


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--mb", type=float, default=4.0, help="stream size for our emulator")
    parser.add_argument("--stock-mb", type=float, default=1.0, help="stream size for stock pyte")
    parser.add_argument("--chunk", type=int, default=4096, help="bytes per feed() call")
    options = parser.parse_args()
    size = int(options.mb * 1e6)
    stock_size = int(options.stock_mb * 1e6)
    streams = [
        ("seq", seq_stream, 80, 24),
        ("sgr-log", sgr_log_stream, 80, 24),
        ("redraw", redraw_stream, 200, 50),
    ]
    print(f"{'stream':<10}{'size':>10}{'stock pyte':>14}{'emulator':>12}{'speed-up':>10}")
    for name, build, columns, lines in streams:
        data = build(size)
        stock = measure(stock_feeder(columns, lines), data[:stock_size], options.chunk)
        ours = measure(ours_feeder(columns, lines), data, options.chunk)
        print(f"{name:<10}{len(data) / 1e6:>8.1f}MB{stock:>9.2f} MB/s{ours:>7.2f} MB/s"
              f"{ours / stock:>9.1f}x")


if __name__ == "__main__":
    main()
