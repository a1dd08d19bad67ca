"""Flood throughput: how long a 200x50 pane takes to swallow a big ``cat``.

For each stream (``seq``, ``sgr-log``, ``redraw``; :mod:`.streams`) and each multiplexer:
a server with an idle ``keep`` session is started once; each run creates a detached
session whose pane runs ``cat FILE; CLI wait-for -S CHANNEL; exec cat`` and the time is
taken from just before the session is created until the waiter on ``CHANNEL`` returns,
i.e. until the producer has written its last byte into the PTY and signalled. Then the
pane's screen is checked (``capture-pane``) until it shows the stream's end marker; the
extra time that takes is kept as ``settle`` in the JSON (a multiplexer that reads fast
but parses later would show it there). The session is then killed.

Bias to know about: the signal is sent by a cold CLI process inside the pane; for
ai-session that is a Python start (see the cold round-trip figure), for tmux ~1 ms.
Sessions are created over the cheap command channel (:mod:`.sides`), not a cold CLI.
"""

from __future__ import annotations

import shlex
import time
from pathlib import Path

from .common import BenchContext, Figure, Series, Target
from .sides import SIZE_FLAGS, AiSessionSide, TmuxSide, new_side
from .streams import end_marker, write_redraw, write_seq, write_sgr_log

FLOOD_TARGET = Target("ratio", 4.0)
SETTLE_TIMEOUT = 120.0


def _streams(ctx: BenchContext) -> list[tuple[str, str, Path]]:
    seq_count = 200_000 if ctx.quick else 3_000_000
    size = (1 << 20) if ctx.quick else (8 << 20)
    return [
        ("seq", f"seq 1 {seq_count}", write_seq(ctx.workdir / "seq.txt", seq_count)),
        ("sgr-log", "coloured log lines", write_sgr_log(ctx.workdir / "sgr.log", size)),
        ("redraw", "full-screen redraws", write_redraw(ctx.workdir / "redraw.bin", size)),
    ]


def _flood_once(side: AiSessionSide | TmuxSide, kind: str, path: Path, index: int,
                settles: list[float]) -> float:
    channel = f"flood-{kind}-{index + 100}"
    session = f"flood-{kind}-{index + 100}"
    pane_command = (f"cat {shlex.quote(str(path))}; {side.shell_cli()} wait-for -S "
                    f"{channel}; exec cat")
    waiter = side.waiter(channel)
    started = time.perf_counter()
    side.command("new-session", "-d", "-s", session, *SIZE_FLAGS, pane_command)
    waiter.wait(timeout=600.0)
    elapsed = time.perf_counter() - started
    marker = end_marker(kind)
    deadline = time.monotonic() + SETTLE_TIMEOUT
    while marker not in side.command("capture-pane", "-p", "-t", session):
        if time.monotonic() > deadline:
            raise RuntimeError(f"{side.label}: {kind} end marker never reached the screen")
        time.sleep(0.01)
    if index >= 0:
        settles.append(time.perf_counter() - started - elapsed)
    side.command("kill-session", "-t", session)
    return elapsed


def run(ctx: BenchContext) -> list[Figure]:
    streams = _streams(ctx)
    results: dict[tuple[str, str], tuple[Series, list[float]]] = {}
    for label in ("ai-session", "tmux"):
        side = new_side(label, ctx)
        try:
            side.start()
            for kind, _, path in streams:
                settles: list[float] = []

                def once(index: int, side: AiSessionSide | TmuxSide = side, kind: str = kind,
                         path: Path = path, settles: list[float] = settles) -> float:
                    return _flood_once(side, kind, path, index, settles)

                series = ctx.repeat(f"flood {kind} {label}", once)
                results[(label, kind)] = (series, settles)
        finally:
            side.stop()
    figures = []
    for kind, detail, path in streams:
        megabytes = path.stat().st_size / 1e6
        ai, ai_settle = results[("ai-session", kind)]
        tmux, tmux_settle = results[("tmux", kind)]
        figures.append(Figure(
            workload=f"flood {kind}", detail=f"{detail}, {megabytes:.1f} MB, time to finish",
            unit="s", ai=ai, tmux=tmux, target=FLOOD_TARGET,
            note=(f"ai-session {megabytes / ai.median:.1f} MB/s, "
                  f"tmux {megabytes / tmux.median:.1f} MB/s"),
            extra={"megabytes": megabytes,
                   "settle_s": {"ai_session": ai_settle, "tmux": tmux_settle}}))
    return figures
