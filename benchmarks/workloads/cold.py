"""Cold start only: ``new-session -s att`` with no server running, to the final frame.

The attach workload's cold start (:func:`.attach._cold_runs`: a 200x51 PTY, a fresh
``AI_SESSION_HOME`` per start, ``kill-server`` after each) without its attach runs, so it
can be measured on its own and often (``--only cold``): ai-session through the thin
client (the default) and tmux, side by side; the frames drawn before the final one; and
the CPU time of the process started in the terminal up to the final frame
(``/proc/PID/schedstat``: the CLI's own cost, its server's and renderer's not counted).
"""

from __future__ import annotations

from .attach import ATTACH_TARGET, SESSION, _cold_runs
from .common import BenchContext, Figure, Series


def run(ctx: BenchContext) -> list[Figure]:
    results: dict[str, tuple[Series, Series, Series]] = {}
    for label in ("ai-session", "tmux"):
        cpu: list[float] = []
        times, frames = _cold_runs(ctx, label, True, cpu)
        results[label] = (times, frames, Series(cpu))
    ai, tmux = results["ai-session"], results["tmux"]
    return [
        Figure(workload="cold new-session to final frame (cold only)", unit="ms",
               detail=f"`new-session -s {SESSION}` with no server running, started in a PTY "
                      f"until the session is on screen, one start a run",
               ai=ai[0], tmux=tmux[0], target=ATTACH_TARGET),
        Figure(workload="cold new-session: frames before it", unit="frames",
               detail="screens other than the previous and the final one that stayed "
                      ">= 10 ms", ai=ai[1], tmux=tmux[1]),
        Figure(workload="cold new-session: CPU of the process started", unit="ms",
               detail="CPU time of the process started in the terminal (the CLI; tmux's "
                      "client) up to the final frame (/proc/PID/schedstat)",
               ai=ai[2], tmux=tmux[2]),
    ]
