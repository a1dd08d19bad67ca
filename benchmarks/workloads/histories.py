"""Server responsiveness while long histories keep changing: request round trips.

A session ``hist`` holds windows whose panes first print a long history (``history-limit``
raised to match), then print one short line every 0.3 s, forever. Nothing floods: this is
a server with several long-running programs, each with a long scrollback. Requests go to
the idle ``keep`` session over a connection that is already open (ai-session's socket
protocol; tmux: a control-mode client), one every 20 ms, so a run spans several of
ai-session's resurrection snapshots (every 2 s while output changes).

What it shows is the loop's longest pauses: p99 and the maximum of each run. tmux keeps
no snapshot, so its figures are what a request costs with nothing else to do.
"""

from __future__ import annotations

import time

from .common import BenchContext, Figure, Series, percentile
from .sides import SIZE_FLAGS, AiSessionSide, TmuxControl, TmuxSide, new_side

GAP = 0.02
"""Seconds between requests."""


def _print_then_trickle(lines: int) -> str:
    return (f"seq -f 'history line %g of a long-running program' 1 {lines}; "
            "while :; do date; sleep 0.3; done")


def _wait_histories(side: AiSessionSide | TmuxSide, panes: int, lines: int) -> None:
    deadline = time.monotonic() + 120
    while True:
        sizes = side.command("list-panes", "-s", "-t", "hist", "-F", "#{history_size}").split()
        if len(sizes) == panes and all(int(size) >= lines - 60 for size in sizes):
            return
        if time.monotonic() > deadline:
            raise RuntimeError(f"{side.label}: the histories never filled ({sizes})")
        time.sleep(0.1)


def _samples(side: AiSessionSide | TmuxSide, requests: int) -> list[float]:
    samples: list[float] = []
    if isinstance(side, AiSessionSide):
        def ask() -> object:
            return side.command("display-message", "-p", "-t", "keep", "#{pane_id}")
    else:
        control = TmuxControl(side, "keep")

        def ask() -> object:
            return control.command("display-message -p -t keep '#{pane_id}'")
    try:
        for _ in range(requests):
            started = time.perf_counter()
            ask()
            samples.append(time.perf_counter() - started)
            time.sleep(GAP)
    finally:
        if not isinstance(side, AiSessionSide):
            control.close()
    return samples


def run(ctx: BenchContext) -> list[Figure]:
    panes = 2 if ctx.quick else 4
    lines = 2_000 if ctx.quick else 10_000
    requests = 150 if ctx.quick else 500
    runs: dict[str, list[list[float]]] = {}
    for label in ("ai-session", "tmux"):
        side = new_side(label, ctx)
        try:
            side.start()
            side.command("set-option", "-g", "history-limit", str(lines + 100))
            side.command("new-session", "-d", "-s", "hist", *SIZE_FLAGS,
                         _print_then_trickle(lines))
            for _ in range(panes - 1):
                side.command("new-window", "-d", "-t", "hist", _print_then_trickle(lines))
            _wait_histories(side, panes, lines)

            def once(index: int, side: AiSessionSide | TmuxSide = side) -> list[float]:
                return _samples(side, requests)

            runs[label] = ctx.repeat_samples(f"requests beside long histories {label}", once)
        finally:
            side.stop()
    detail = (f"display-message round trip on an open connection, one every "
              f"{GAP * 1000:g} ms, while {panes} panes of {lines:,} history lines each "
              f"print a line every 0.3 s ({requests} requests a run; tmux: control mode)")
    return [Figure(workload=f"requests beside long histories {name}", detail=detail,
                   unit="ms",
                   ai=Series([pick(run) * 1000 for run in runs["ai-session"]]),
                   tmux=Series([pick(run) * 1000 for run in runs["tmux"]]))
            for name, pick in (("p99", lambda run: percentile(run, 0.99)),
                               ("max", max))]
