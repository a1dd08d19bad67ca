"""Cold ``has-session``: this checkout's CLI, an older checkout's and tmux's, interleaved.

``python benchmarks/cold_cli_ab.py --old DIR [--calls N]``: ``DIR`` holds an older
``aisession_tui`` package (``git archive COMMIT aisession_tui | tar -x -C DIR``), run with
``PYTHONPATH=DIR`` by the same interpreter. One ai-session server and one tmux server
(``-f /dev/null``), each with a ``keep`` session, answer every call; the calls alternate
old, new, ``python -c pass`` (the interpreter's floor) and tmux, so load changes hit all
of them alike. Prints the median wall time and the median CPU time (user + system of the
child) of each. Every CLI process gets a bytecode cache (``PYTHONPYCACHEPREFIX``), as an
installed package has its bytecode, and runs in a scratch directory (``python -m`` puts the
current directory first on ``sys.path``). Both servers are killed at the end.

Beside ``python -m``, the launchers users and agents run (issue 17): the installed
``ai-session`` script as the installer wrote it (pip drops its ``-S``), the same run as
``python -S`` (an installer that keeps it), this checkout's ``tmux`` shim (``write_shim``,
``-IS``) and the older checkout's shim as it was (``/bin/sh``, then ``python -m
aisession_tui.cli.tmux``; run here without ``-I`` so ``PYTHONPATH`` picks the old package),
both talking to the server's socket with ``-S``; and ``python -S -c pass``, the floor
without ``site``.
"""

from __future__ import annotations

import argparse
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from aisession_tui.protocol.identity import write_shim


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--old", required=True, help="directory holding an older aisession_tui")
    parser.add_argument("--calls", type=int, default=40)
    options = parser.parse_args()
    scratch = tempfile.mkdtemp(prefix="cold-cli-ab-")
    name = f"cold-ab-{os.getpid()}"
    env = {key: value for key, value in os.environ.items()
           if key not in ("AI_SESSION", "AI_SESSION_PANE", "TMUX", "TMUX_PANE",
                          "PYTHONDONTWRITEBYTECODE")}
    env.update(AI_SESSION_HOME=f"{scratch}/home", PYTHONPYCACHEPREFIX=f"{scratch}/pycache")
    ai = [sys.executable, "-m", "aisession_tui.cli", "-L", name]
    tmux = ["tmux", "-L", name, "-f", "/dev/null"]
    has = ["has-session", "-t", "keep"]
    socket = f"{env.get('AI_SESSION_TMPDIR') or '/tmp'}/ai-session-{os.getuid()}/{name}"
    script = os.path.join(os.path.dirname(sys.executable), "ai-session")
    new_shim = write_shim(Path(scratch) / "new")
    old_shim = Path(scratch) / "old" / "tmux"
    old_shim.parent.mkdir()
    old_shim.write_text(f"#!/bin/sh\nexec '{sys.executable}' -m aisession_tui.cli.tmux \"$@\"\n")
    old_shim.chmod(0o755)
    old_env = dict(env, PYTHONPATH=options.old)
    runs = {
        "old -m": ([*ai, *has], old_env),
        "new -m": ([*ai, *has], env),
        "new script": ([script, "-L", name, *has], env),
        "new script -S": ([sys.executable, "-S", script, "-L", name, *has], env),
        "old shim": ([str(old_shim), "-S", socket, *has], old_env),
        "new shim": ([str(new_shim), "-S", socket, *has], env),
        "python -c pass": ([sys.executable, "-c", "pass"], env),
        "python -S pass": ([sys.executable, "-S", "-c", "pass"], env),
        "tmux": ([*tmux, *has], env),
    }
    try:
        subprocess.run([*ai, "new-session", "-d", "-s", "keep", "cat"], env=env, check=True,
                       cwd=scratch)
        subprocess.run([*tmux, "new-session", "-d", "-s", "keep", "cat"], env=env, check=True)
        for argv, run_env in runs.values():  # warm up, and fill the bytecode cache
            subprocess.run(argv, env=run_env, check=True, cwd=scratch)
        wall: dict[str, list[float]] = {label: [] for label in runs}
        cpu: dict[str, list[float]] = {label: [] for label in runs}
        for _ in range(options.calls):
            for label, (argv, run_env) in runs.items():
                before = resource.getrusage(resource.RUSAGE_CHILDREN)
                started = time.perf_counter()
                subprocess.run(argv, env=run_env, check=True, cwd=scratch)
                wall[label].append((time.perf_counter() - started) * 1000)
                after = resource.getrusage(resource.RUSAGE_CHILDREN)
                cpu[label].append((after.ru_utime + after.ru_stime
                                   - before.ru_utime - before.ru_stime) * 1000)
        print(f"load average {os.getloadavg()[0]:.2f}; {options.calls} calls each")
        for label in runs:
            print(f"{label:15} wall {statistics.median(wall[label]):7.1f} ms   "
                  f"cpu {statistics.median(cpu[label]):6.1f} ms")
    finally:
        subprocess.run([*ai, "kill-server"], env=env, check=False, cwd=scratch)
        subprocess.run([*tmux, "kill-server"], env=env, check=False)
    return 0


if __name__ == "__main__":
    sys.exit(main())
