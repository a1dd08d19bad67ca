"""Cold CLI: ``has-session`` round trip and session creation from a fresh process.

Like ``hyperfine``: the wall time of whole CLI processes (``subprocess.run``), against a
running server with an idle ``keep`` session:

* ``has-session -t keep``: process start, imports, connect, hello, one request, exit;
  the goal is < 15 ms for ai-session (issue 17: the CLI's fast path,
  ``aisession_tui/cli/fast.py``). ai-session runs as what users run: the installed
  ``ai-session`` script beside the interpreter (``python -m aisession_tui.cli`` when there
  is none), and as the ``tmux`` shim a pane's ``PATH`` starts with (what agents in a pane
  call; written by ``write_shim``, ``#!python -IS``, talking to the server's socket with
  ``-S``). ``python -c pass`` and ``python -S -c pass`` with the same interpreter are
  measured beside them: the floors with and without ``site``;
* ``new-session -d -s NAME -x 200 -y 50 cat``: the same plus creating a session with a PTY
  child; the sessions are killed after the timing.

The has-session commands and the floors run interleaved, one call of each in turn, so a
change of the machine's load touches them all alike; tmux runs in the same rounds. The
ai-session CLI processes have a bytecode cache (see ``sides.py``). Each run is the median
of several calls; the figure is the median of the runs.
"""

from __future__ import annotations

import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

from aisession_tui.protocol.identity import write_shim

from .common import BenchContext, Figure, Series, Target
from .sides import SIZE_FLAGS, AiSessionSide, TmuxSide, new_side

COLD_TARGET = Target("absolute", 15.0)


def _wall_ms(argv: list[str], env: dict[str, str]) -> float:
    started = time.perf_counter()
    done = subprocess.run(argv, env=env, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
                          stderr=subprocess.DEVNULL, check=False)
    elapsed = (time.perf_counter() - started) * 1000
    if done.returncode != 0:
        raise RuntimeError(f"{argv}: exit {done.returncode}")
    return elapsed


def _installed_script() -> list[str]:
    script = Path(sys.executable).parent / "ai-session"
    return [str(script)] if script.exists() else [sys.executable, "-m", "aisession_tui.cli"]


def run(ctx: BenchContext) -> list[Figure]:
    calls = 5 if ctx.quick else 10
    serial = iter(range(1_000_000))
    ai = new_side("ai-session", ctx)
    tmux = new_side("tmux", ctx)
    assert isinstance(ai, AiSessionSide) and isinstance(tmux, TmuxSide)
    try:
        ai.start()
        tmux.start()
        shim = write_shim(ctx.workdir / "shim")
        has = ["has-session", "-t", "keep"]
        commands: dict[str, tuple[list[str], dict[str, str]]] = {
            "ai-session": ([*_installed_script(), "-L", ai.name, *has], ai.env),
            "shim": ([str(shim), "-S", str(ai.socket), *has], ai.env),
            "floor": ([sys.executable, "-c", "pass"], ai.env),
            "floor -S": ([sys.executable, "-S", "-c", "pass"], ai.env),
            "tmux": ([*tmux.cli, *has], tmux.env),
        }
        rounds: list[dict[str, float]] = []

        def cold_round(index: int) -> float:
            samples: dict[str, list[float]] = {name: [] for name in commands}
            for _ in range(calls):
                for name, (argv, env) in commands.items():
                    samples[name].append(_wall_ms(argv, env))
            medians = {name: statistics.median(values) for name, values in samples.items()}
            if index >= 0:
                rounds.append(medians)
            return medians["ai-session"]

        ctx.repeat("cold has-session (ai-session, shim, floors, tmux)", cold_round)
        news: dict[str, Series] = {}
        for side in (ai, tmux):
            def new_session(index: int, side: AiSessionSide | TmuxSide = side) -> float:
                names = [f"cold{next(serial)}" for _ in range(calls)]
                times = []
                for name in names:
                    started = time.perf_counter()
                    side.run_cli("new-session", "-d", "-s", name, *SIZE_FLAGS, "cat")
                    times.append((time.perf_counter() - started) * 1000)
                for name in names:
                    side.command("kill-session", "-t", name)
                return statistics.median(times)

            news[side.label] = ctx.repeat(f"cold new-session {side.label}", new_session)
    finally:
        ai.stop()
        tmux.stop()
        try:
            os.unlink(ctx.workdir / "shim" / "tmux")
        except OSError:
            pass

    def series(name: str) -> Series:
        return Series([medians[name] for medians in rounds])

    return [
        Figure(workload="cold has-session", unit="ms",
               detail=(f"wall time of a fresh CLI process (the installed ai-session script), "
                       f"median of {calls} calls a run"),
               ai=series("ai-session"), tmux=series("tmux"), target=COLD_TARGET),
        Figure(workload="cold has-session, tmux shim", unit="ms",
               detail=("the same through the tmux shim a pane's PATH starts with "
                        "(python -IS launcher), interleaved with the row above"),
               ai=series("shim"), tmux=series("tmux"), target=COLD_TARGET),
        Figure(workload="python -c pass (the floor)", unit="ms",
               detail=(f"the same interpreter and environment starting and exiting, median "
                       f"of {calls} calls a run: what cold has-session pays before any of "
                       "ai-session's code runs"),
               ai=series("floor")),
        Figure(workload="python -S -c pass (the floor without site)", unit="ms",
               detail="the same without site: the floor of the shim (and of the script "
                      "where the installer kept its #!python -S)",
               ai=series("floor -S")),
        Figure(workload="cold new-session", unit="ms",
               detail=(f"fresh CLI process creating a detached 200x50 session running cat, "
                       f"median of {calls} calls a run"),
               ai=news["ai-session"], tmux=news["tmux"]),
    ]
