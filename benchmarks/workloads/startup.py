"""Cold CLI: ``has-session`` round trip and session creation from a fresh process.

Like ``hyperfine``: the wall time of whole CLI processes (``subprocess.run``), against a
running server with an idle ``keep`` session:

* ``has-session -t keep``: process start, imports, connect, hello, one request, exit;
  the goal is < 15 ms for ai-session (issue 17: the CLI's fast path,
  ``aisession_tui/cli/fast.py``); ``python -c pass`` with the same interpreter and
  environment is measured beside it, the floor no CLI written in Python can go under;
* ``new-session -d -s NAME -x 200 -y 50 cat``: the same plus creating a session with a PTY
  child; the sessions are killed after the timing.

ai-session runs as ``python -m aisession_tui.cli`` (what the ``ai-session`` console script
does, minus the script wrapper) with a bytecode cache (see ``sides.py``). Each run is the
median of several calls; the figure is the median of the runs.
"""

from __future__ import annotations

import statistics
import subprocess
import sys
import time

from .common import BenchContext, Figure, Series, Target
from .sides import SIZE_FLAGS, AiSessionSide, TmuxSide, new_side

COLD_TARGET = Target("absolute", 15.0)


def _wall_ms(side: AiSessionSide | TmuxSide, *argv: str) -> float:
    started = time.perf_counter()
    side.run_cli(*argv)
    return (time.perf_counter() - started) * 1000


def _python_pass_ms(env: dict[str, str]) -> float:
    started = time.perf_counter()
    subprocess.run([sys.executable, "-c", "pass"], env=env, check=True,
                   stdin=subprocess.DEVNULL)
    return (time.perf_counter() - started) * 1000


def run(ctx: BenchContext) -> list[Figure]:
    calls = 5 if ctx.quick else 10
    serial = iter(range(1_000_000))
    results: dict[tuple[str, str], Series] = {}
    for label in ("ai-session", "tmux"):
        side = new_side(label, ctx)
        try:
            side.start()

            def has_session(index: int, side: AiSessionSide | TmuxSide = side) -> float:
                return statistics.median(_wall_ms(side, "has-session", "-t", "keep")
                                         for _ in range(calls))

            def new_session(index: int, side: AiSessionSide | TmuxSide = side) -> float:
                names = [f"cold{next(serial)}" for _ in range(calls)]
                times = [_wall_ms(side, "new-session", "-d", "-s", name, *SIZE_FLAGS, "cat")
                         for name in names]
                for name in names:
                    side.command("kill-session", "-t", name)
                return statistics.median(times)

            results[(label, "has")] = ctx.repeat(f"cold has-session {label}", has_session)
            if label == "ai-session":
                def floor(index: int, env: dict[str, str] = side.env) -> float:
                    return statistics.median(_python_pass_ms(env) for _ in range(calls))

                results[(label, "floor")] = ctx.repeat("python -c pass", floor)
            results[(label, "new")] = ctx.repeat(f"cold new-session {label}", new_session)
        finally:
            side.stop()
    return [
        Figure(workload="cold has-session", unit="ms",
               detail=f"wall time of a fresh CLI process, median of {calls} calls a run",
               ai=results[("ai-session", "has")], tmux=results[("tmux", "has")],
               target=COLD_TARGET),
        Figure(workload="python -c pass (the floor)", unit="ms",
               detail=(f"the same interpreter and environment starting and exiting, median "
                       f"of {calls} calls a run: what cold has-session pays before any of "
                       "ai-session's code runs"),
               ai=results[("ai-session", "floor")]),
        Figure(workload="cold new-session", unit="ms",
               detail=(f"fresh CLI process creating a detached 200x50 session running cat, "
                       f"median of {calls} calls a run"),
               ai=results[("ai-session", "new")], tmux=results[("tmux", "new")]),
    ]
