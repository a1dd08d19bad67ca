"""The byte streams the flood and memory workloads ``cat`` into panes, written once per run.

* ``seq``: exactly what ``seq 1 N`` prints (the real ``seq`` binary writes the file);
* ``sgr-log``: coloured log lines (timestamp, level, logger, message), several SGRs a line;
* ``redraw``: full-screen 200x50 redraws (cursor addressing, 256 colours, erase to EOL),
  what htop-like programs send; the colour/layout generators come from
  ``benchmarks/emulator_feed.py`` so both benchmarks feed the same bytes;
* ``scrollback``: plain 200-character lines of varied log-like words (seeded, so every run
  and both multiplexers see identical text; not repetitive, so compression is not
  flattered).

Every stream ends with the line :func:`end_marker` so a workload can check that the pane's
screen really shows the end of the stream. Files use ``\\n`` line ends, as programs write
them; the PTY turns them into ``\\r\\n``.
"""

from __future__ import annotations

import random
import subprocess
import sys
from pathlib import Path

BENCH_DIR = Path(__file__).resolve().parent.parent
if str(BENCH_DIR) not in sys.path:
    sys.path.insert(0, str(BENCH_DIR))

from emulator_feed import redraw_stream, sgr_log_stream

WORDS = ("request", "worker", "cache", "miss", "hit", "latency", "upstream", "token",
         "session", "pane", "retry", "commit", "build", "test", "passed", "failed",
         "module", "import", "socket", "buffer", "flush", "render", "queue", "batch")


def end_marker(kind: str) -> str:
    return f"BENCH-END-{kind}"


def write_seq(path: Path, count: int) -> Path:
    with open(path, "wb") as out:
        subprocess.run(["seq", "1", str(count)], stdout=out, check=True)
    _append_marker(path, "seq")
    return path


def write_sgr_log(path: Path, size: int) -> Path:
    path.write_bytes(sgr_log_stream(size).replace(b"\r\n", b"\n"))
    _append_marker(path, "sgr-log")
    return path


def write_redraw(path: Path, size: int) -> Path:
    path.write_bytes(redraw_stream(size) + b"\x1b[0m\n")
    _append_marker(path, "redraw")
    return path


def write_scrollback(path: Path, lines: int, width: int = 200) -> Path:
    """``lines`` lines of exactly ``width`` printable characters."""
    rng = random.Random(20240501)
    out = []
    for number in range(lines):
        words = [f"{number:07d}"]
        length = 7
        while length < width:
            word = rng.choice(WORDS) if rng.random() < 0.7 else str(rng.randrange(10**6))
            words.append(word)
            length += len(word) + 1
        out.append(" ".join(words)[:width])
    path.write_text("\n".join(out) + "\n")
    _append_marker(path, "scrollback")
    return path


def _append_marker(path: Path, kind: str) -> None:
    with open(path, "ab") as out:
        out.write(end_marker(kind).encode() + b"\n")
