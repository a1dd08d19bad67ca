"""Cold CLI: ``has-session`` round trip and session creation from a fresh process.

Like ``hyperfine``: the wall time of whole CLI processes (``subprocess.run``), against a
running server with an idle ``keep`` session:

* ``has-session -t keep``: process start, imports, connect, hello, one request, exit;
  the issue's goal is < 150 ms for ai-session;
* ``new-session -d -s NAME -x 200 -y 50 cat``: the same plus creating a session with a PTY
  child; the sessions are killed after the timing.

ai-session runs as ``python -m aisession_tui.cli`` (what the ``ai-session`` console script
does, minus the script wrapper). Each run is the median of several calls; the figure is
the median of the runs.
"""

from __future__ import annotations

import statistics
import time

from .common import BenchContext, Figure, Series, Target
from .sides import SIZE_FLAGS, AiSessionSide, TmuxSide, new_side

COLD_TARGET = Target("absolute", 150.0)


def _wall_ms(side: AiSessionSide | TmuxSide, *argv: str) -> float:
    started = time.perf_counter()
    side.run_cli(*argv)
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
            results[(label, "new")] = ctx.repeat(f"cold new-session {label}", new_session)
        finally:
            side.stop()
    return [
        Figure(workload="cold has-session", unit="ms",
               detail=f"wall time of a fresh CLI process, median of {calls} calls a run",
               ai=results[("ai-session", "has")], tmux=results[("tmux", "has")],
               target=COLD_TARGET),
        Figure(workload="cold new-session", unit="ms",
               detail=(f"fresh CLI process creating a detached 200x50 session running cat, "
                       f"median of {calls} calls a run"),
               ai=results[("ai-session", "new")], tmux=results[("tmux", "new")]),
    ]
