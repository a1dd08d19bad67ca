"""Server responsiveness while one pane floods: ``has-session`` / ``send-keys`` round trips.

A session ``flood`` runs ``while :; do cat seq-file; done`` in a 200x50 pane for the whole
measurement; requests go to the idle ``keep`` session on the same server:

* over a connection that is already open (what issue 2's "answer within 50 ms at p99"
  is about): ai-session's socket protocol (``command`` request) against a tmux
  control-mode client (``has-session`` / ``send-keys`` lines, until ``%end``);
* from a cold process (``ai-session has-session`` / ``tmux has-session``), what a script
  or an agent tool pays per call while a pane floods.

``send-keys`` alternates ``x`` and ``BSpace`` into the keep pane's ``cat`` so its line
never grows. Each run yields a p50 and a p99; figures are medians over the runs.
"""

from __future__ import annotations

import shlex
import time
from collections.abc import Callable
from functools import partial

from .common import BenchContext, Figure, Series, Target, percentile
from .sides import SIZE_FLAGS, AiSessionSide, TmuxControl, TmuxSide, new_side
from .streams import write_seq

ABSOLUTE_TARGET = Target("absolute", 50.0)
RATIO_TARGET = Target("ratio", 3.0)
"""Issue 17: a request on an open connection within 3x of tmux's under a flood."""


def _wait_flooding(side: AiSessionSide | TmuxSide) -> None:
    deadline = time.monotonic() + 60
    while int(side.command("display-message", "-p", "-t", "flood", "#{history_size}")
              .strip() or 0) == 0:
        if time.monotonic() > deadline:
            raise RuntimeError(f"{side.label}: the flood pane never scrolled")
        time.sleep(0.05)


def _timed(action: Callable[[], object]) -> float:
    started = time.perf_counter()
    action()
    return time.perf_counter() - started


def _warm_samples(side: AiSessionSide | TmuxSide, requests: int) -> dict[str, list[float]]:
    samples: dict[str, list[float]] = {"has-session": [], "send-keys": []}
    keys = ("x", "BSpace")
    if isinstance(side, AiSessionSide):
        for index in range(requests):
            key = keys[index % 2]
            samples["has-session"].append(
                _timed(lambda: side.command("has-session", "-t", "keep")))
            samples["send-keys"].append(
                _timed(partial(side.command, "send-keys", "-t", "keep", key)))
        return samples
    control = TmuxControl(side, "keep")
    try:
        for index in range(requests):
            line = f"send-keys -t keep {keys[index % 2]}"
            samples["has-session"].append(
                _timed(lambda: control.command("has-session -t keep")))
            samples["send-keys"].append(_timed(partial(control.command, line)))
    finally:
        control.close()
    return samples


def _cold_samples(side: AiSessionSide | TmuxSide, count: int) -> list[float]:
    return [_timed(lambda: side.run_cli("has-session", "-t", "keep")) for _ in range(count)]


def run(ctx: BenchContext) -> list[Figure]:
    requests = 30 if ctx.quick else 150
    cold = 5 if ctx.quick else 15
    seq_file = write_seq(ctx.workdir / "resp-flood-seq.txt", 100_000 if ctx.quick else 500_000)
    flood_command = f"while :; do cat {shlex.quote(str(seq_file))}; done"
    warm: dict[str, list[dict[str, list[float]]]] = {}
    cold_runs: dict[str, list[list[float]]] = {}
    for label in ("ai-session", "tmux"):
        side = new_side(label, ctx)
        try:
            side.start()
            side.command("new-session", "-d", "-s", "flood", *SIZE_FLAGS, flood_command)
            _wait_flooding(side)
            runs: list[dict[str, list[float]]] = []

            def warm_once(index: int, side: AiSessionSide | TmuxSide = side,
                          runs: list[dict[str, list[float]]] = runs) -> list[float]:
                result = _warm_samples(side, requests)
                if index >= 0:
                    runs.append(result)
                return result["has-session"] + result["send-keys"]

            ctx.repeat_samples(f"requests under flood {label}", warm_once)
            warm[label] = runs
            def cold_once(index: int, side: AiSessionSide | TmuxSide = side) -> list[float]:
                return _cold_samples(side, cold)

            cold_runs[label] = ctx.repeat_samples(f"cold has-session under flood {label}",
                                                  cold_once)
        finally:
            side.stop()
    figures = []
    for verb in ("has-session", "send-keys"):
        for name, fraction in (("p50", 0.5), ("p99", 0.99)):
            def series(label: str, verb: str = verb, fraction: float = fraction) -> Series:
                return Series([percentile(run[verb], fraction) * 1000 for run in warm[label]])
            figures.append(Figure(
                workload=f"{verb} {name} under flood",
                detail=(f"round trip on an open connection to another session while a pane "
                        f"floods, {requests} requests a run (tmux: control mode)"),
                unit="ms", ai=series("ai-session"), tmux=series("tmux"),
                target=RATIO_TARGET if verb == "send-keys" else (
                    ABSOLUTE_TARGET if name == "p99" else None)))
    figures.append(Figure(
        workload="cold has-session under flood",
        detail=f"wall time of a fresh CLI process while a pane floods, {cold} calls a run",
        unit="ms",
        ai=Series([percentile(s, 0.5) * 1000 for s in cold_runs["ai-session"]]),
        tmux=Series([percentile(s, 0.5) * 1000 for s in cold_runs["tmux"]]),
        note="median of each run's calls"))
    return figures
