"""Server memory: resident set size of the server process (``VmRSS``), three states.

Each state is built on a fresh server (pane processes are not counted, only the server):

* ``1 pane``: the server with its idle ``keep`` session (``cat``);
* ``100 idle panes``: 99 more windows running ``cat`` in that session; "per idle pane" is
  the difference of the two divided by 99 (what a pane costs beyond the server's base),
  run by run;
* ``20 x N lines``: ``history-limit`` set to N (10,000) first (``set-option -g``), then 20
  windows each ``cat`` N+50 distinct 200-character lines (:func:`.streams.write_scrollback`)
  and keep running; measured once every pane signalled the end of its ``cat`` and shows the
  end marker. ``history_size`` of every pane is recorded in the JSON to prove the history
  really holds N lines on both sides.

RSS is read after a short settle (the server has nothing left to do), as the median of
three reads, and no sooner than :data:`STEADY` after the server started: ai-session's
first resurrection snapshot (2 s after start) loads what snapshots need (redaction, zstd,
``malloc_trim``), which a server started with fewer imports (issue 17) no longer loads at
start; read before it, "1 pane" would leave that out and "per idle pane" would charge it to
the 99 panes. No warm-up run: each run is a fresh server.
"""

from __future__ import annotations

import shlex
import statistics
import time

from .common import BenchContext, Figure, Series, Target
from .sides import AiSessionSide, TmuxSide, new_side, rss_mb
from .streams import end_marker, write_scrollback

SCROLLBACK_TARGET = Target("ratio", 0.5)
PER_PANE_TARGET = Target("ratio", 2.0)
"""Issue 17: an idle pane costs the server under 2x what it costs tmux."""
SETTLE = 0.5
STEADY = 3.0
"""Seconds after a server's start before its RSS is read (both sides alike)."""


def _settled_rss(pid: int) -> float:
    reads = []
    for _ in range(3):
        time.sleep(SETTLE / 3)
        reads.append(rss_mb(pid))
    return statistics.median(reads)


def _idle_panes(side: AiSessionSide | TmuxSide, count: int) -> None:
    for _ in range(count - 1):
        side.command("new-window", "-d", "-t", "keep", "cat")


def _scrollback_panes(side: AiSessionSide | TmuxSide, panes: int, history: int,
                      text_file: str) -> list[int]:
    side.command("set-option", "-g", "history-limit", str(history))
    waiters = []
    for index in range(panes):
        channel = f"filled-{index}"
        waiters.append(side.waiter(channel))
        side.command("new-window", "-d", "-t", "keep", "-n", f"fill{index}",
                     f"cat {shlex.quote(text_file)}; {side.shell_cli()} wait-for -S "
                     f"{channel}; exec cat")
    for waiter in waiters:
        waiter.wait(timeout=900.0)
    marker = end_marker("scrollback")
    deadline = time.monotonic() + 120
    for index in range(panes):
        while marker not in side.command("capture-pane", "-p", "-t", f"keep:fill{index}"):
            if time.monotonic() > deadline:
                raise RuntimeError(f"{side.label}: pane fill{index} never showed its end")
            time.sleep(0.05)
    listed = side.command("list-panes", "-a", "-F", "#{window_name} #{history_size}")
    return [int(size) for name, size in (line.split() for line in listed.splitlines())
            if name.startswith("fill")]


def run(ctx: BenchContext) -> list[Figure]:
    idle_panes = 20 if ctx.quick else 100
    panes, history = (4, 1000) if ctx.quick else (20, 10_000)
    runs = 1 if ctx.quick else min(ctx.runs, 3)
    text_file = str(write_scrollback(ctx.workdir / "scrollback.txt", history + 50))
    values: dict[tuple[str, str], list[float]] = {}
    history_sizes: dict[str, list[list[int]]] = {"ai-session": [], "tmux": []}
    for run_index in range(runs):
        for label in ("ai-session", "tmux"):
            for state in ("one", "idle", "scrollback"):
                side = new_side(label, ctx)
                try:
                    side.start()
                    started = time.monotonic()
                    if state == "idle":
                        _idle_panes(side, idle_panes)
                    elif state == "scrollback":
                        history_sizes[label].append(
                            _scrollback_panes(side, panes, history, text_file))
                    time.sleep(max(0.0, started + STEADY - time.monotonic()))
                    value = _settled_rss(side.pid)
                finally:
                    side.stop()
                ctx.log(f"memory {state} {label}: run {run_index + 1}/{runs} = {value:.1f} MB")
                values.setdefault((label, state), []).append(value)
    lines_label = f"{panes} x {history:,} lines"
    per_pane = {label: Series([(many - one) * 1024 / (idle_panes - 1) for one, many in zip(
        values[(label, "one")], values[(label, "idle")], strict=True)])
        for label in ("ai-session", "tmux")}
    figures = [Figure(workload="memory per idle pane", unit="KB",
                      detail=(f"server RSS of {idle_panes} idle panes minus that of 1, "
                              f"divided by {idle_panes - 1}"),
                      ai=per_pane["ai-session"], tmux=per_pane["tmux"],
                      target=PER_PANE_TARGET)]
    for state, name, detail in (
            ("one", "memory 1 pane", "server RSS, one idle pane"),
            ("idle", f"memory {idle_panes} idle panes",
             f"server RSS, {idle_panes} panes running cat"),
            ("scrollback", f"memory {lines_label}",
             (f"server RSS, {panes} panes each holding {history:,} lines of 200 chars "
              "of history (+ a full screen)"))):
        ai = Series(values[("ai-session", state)])
        tmux = Series(values[("tmux", state)])
        extra: dict[str, object] = {}
        note = ""
        if state == "scrollback":
            extra = {"history_sizes": history_sizes}
            held = {label: statistics.median(size for sizes in runs_sizes for size in sizes)
                    for label, runs_sizes in history_sizes.items()}
            note = (f"lines held per pane: ai-session {held['ai-session']:.0f}, tmux "
                    f"{held['tmux']:.0f} (tmux drops the oldest 10% when it hits the limit)")
        figures.append(Figure(workload=name, detail=detail, unit="MB", ai=ai, tmux=tmux,
                              target=SCROLLBACK_TARGET if state == "scrollback" else None,
                              note=note, extra=extra))
    return figures
