"""The least a Python first frame can cost: what a cold start under 50 ms would have to fit in.

Each run execs ``python -E -P`` in a PTY; the child imports MODULES, starts ``/bin/sh`` on
a PTY of its own (``os.forkpty``), reads until the shell's prompt, and writes that to its
terminal. Timed from the exec to the prompt arriving on the outer PTY; no emulator is fed
and nothing is painted, so each figure is a floor for a start that imports those modules
before its first frame. Medians of N::

    python benchmarks/first_frame_floor.py N [MODULES...]
    python benchmarks/first_frame_floor.py 11 aisession_tui.terminal.emulator \
        aisession_tui.server.first_frame

For comparison, tmux's whole cold start (``new -s``, to the final frame) is in
``benchmarks/run.py --only attach``.
"""

from __future__ import annotations

import os
import pty
import select
import statistics
import sys
import tempfile
import time

PROMPT = b"READY$ "
CHILD = r'''
import os, sys
for name in sys.argv[1:]:
    __import__(name)
pid, fd = os.forkpty()
if pid == 0:
    os.execve("/bin/sh", ["sh"], {"HOME": os.environ["HOME"], "PS1": "READY$ ",
                                  "TERM": "xterm"})
data = b""
while b"READY$ " not in data:
    data += os.read(fd, 4096)
os.write(1, b"\x1b[H\x1b[2J" + data)
os.kill(pid, 9)
os.waitpid(pid, 0)
'''


def once(modules: list[str]) -> float:
    """Milliseconds from the exec to the prompt on the outer terminal."""
    with tempfile.TemporaryDirectory() as home:
        start = time.perf_counter()
        pid, fd = pty.fork()
        if pid == 0:
            os.environ["HOME"] = home
            os.execv(sys.executable, [sys.executable, "-E", "-P", "-c", CHILD, *modules])
        seen = b""
        deadline = start + 30
        while PROMPT not in seen and time.perf_counter() < deadline:
            select.select([fd], [], [], 1)
            try:
                seen += os.read(fd, 4096)
            except OSError:
                break
        elapsed = (time.perf_counter() - start) * 1000
        os.waitpid(pid, 0)
        os.close(fd)
    if PROMPT not in seen:
        raise SystemExit(f"no prompt: {seen!r}")
    return elapsed


def main() -> None:
    runs = int(sys.argv[1]) if len(sys.argv) > 1 else 11
    modules = sys.argv[2:]
    times = [once(modules) for _ in range(runs)]
    print(f"{statistics.median(times):6.1f} ms  {' '.join(modules) or '(no imports)'}  "
          f"[{', '.join(f'{t:.0f}' for t in times)}]  load {os.getloadavg()[0]:.1f}")


if __name__ == "__main__":
    main()
