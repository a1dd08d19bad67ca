"""Keystroke echo latency, p50 and p99: a key sent until its echo reaches a watching client.

The pane runs ``cat`` in a 200x50 session named ``echo``; the echo comes from the PTY's
line discipline (canonical mode, ECHO/ECHOE), so both multiplexers see the same bytes:
``x`` echoes ``x``, DEL (the erase character) echoes ``\\b \\b``. Keys alternate ``x`` and
DEL so the line never grows, one every :data:`KEY_GAP` seconds at most (typing speed
with key repeat; ai-session coalesces updates to ~60 Hz with a leading-edge flush, so keys
sent back to back would measure the frame interval instead of the echo path).

* ai-session: an attached protocol client (:func:`aisession_tui.cli.async_client.open_client`)
  sends ``input {pane, data}``; the sample ends when a ``screen`` notification for the
  pane shows the cursor where the echo puts it (column 1 after ``x``, 0 after DEL).
* tmux: a control-mode client (``tmux -C attach -t echo``) writes ``send-keys -t %N x``
  (or ``BSpace``); the sample ends at the ``%output %N`` line carrying the echo.

Measured idle, then while a pane of another session on the same server floods
(``while :; do cat seq-file; done``). Each run yields a p50 and a p99 of its samples;
the figure is the median of those over the measured runs.
"""

from __future__ import annotations

import asyncio
import shlex
import time
from typing import Any

from aisession_tui.cli.async_client import open_client

from .common import BenchContext, Figure, Series, Target, percentile
from .sides import COLUMNS, LINES, SIZE_FLAGS, AiSessionSide, TmuxControl, TmuxSide, new_side
from .streams import write_seq

ECHO_TARGET = Target("ratio", 3.0)
KEY_TIMEOUT = 30.0
KEY_GAP = 0.03


async def _ai_samples(side: AiSessionSide, pane_id: int, keys: int) -> list[float]:
    changed = asyncio.Event()
    state: dict[str, Any] = {"cursor": None}

    def on_notification(method: str, params: dict[str, Any]) -> None:
        if method == "screen" and params.get("pane") == pane_id:
            state["cursor"] = tuple(params.get("cursor", (0, 0)))
            changed.set()

    async def until_cursor_x(column: int) -> None:
        while state["cursor"] is None or state["cursor"][0] != column:
            changed.clear()
            await asyncio.wait_for(changed.wait(), KEY_TIMEOUT)

    client = await open_client(side.socket, on_notification=on_notification)
    try:
        await client.request("attach", {"target": "echo", "columns": COLUMNS, "lines": LINES})
        await until_cursor_x(0)
        samples = []
        for index in range(keys):
            data, column = ("x", 1) if index % 2 == 0 else ("\x7f", 0)
            await asyncio.sleep(KEY_GAP)
            changed.clear()
            started = time.perf_counter()
            client.send_nowait("input", {"pane": pane_id, "data": data})
            await until_cursor_x(column)
            samples.append(time.perf_counter() - started)
        return samples
    finally:
        await client.close()


def _tmux_samples(side: TmuxSide, pane: str, keys: int) -> list[float]:
    control = TmuxControl(side, "echo")
    try:
        samples = []
        for index in range(keys):
            key, echo = ("x", "x") if index % 2 == 0 else ("BSpace", "\\010")
            time.sleep(KEY_GAP)
            started = time.perf_counter()
            control.write(f"send-keys -t {pane} {key}")
            control.wait_output(pane, echo, KEY_TIMEOUT)
            samples.append(time.perf_counter() - started)
        return samples
    finally:
        control.close()


def _samples(side: AiSessionSide | TmuxSide, keys: int) -> list[float]:
    pane = side.pane_id("echo")
    if isinstance(side, AiSessionSide):
        return asyncio.run(_ai_samples(side, int(pane.lstrip("%")), keys))
    return _tmux_samples(side, pane, keys)


def run(ctx: BenchContext) -> list[Figure]:
    keys = 30 if ctx.quick else 100
    seq_file = write_seq(ctx.workdir / "echo-flood-seq.txt", 100_000 if ctx.quick else 500_000)
    flood_command = f"while :; do cat {shlex.quote(str(seq_file))}; done"
    per_run: dict[tuple[str, str], list[list[float]]] = {}
    for label in ("ai-session", "tmux"):
        side = new_side(label, ctx)
        try:
            side.start()
            side.command("new-session", "-d", "-s", "echo", *SIZE_FLAGS, "cat")

            def once(index: int, side: AiSessionSide | TmuxSide = side) -> list[float]:
                return _samples(side, keys)

            per_run[(label, "idle")] = ctx.repeat_samples(f"echo idle {label}", once)
            side.command("new-session", "-d", "-s", "flood", *SIZE_FLAGS, flood_command)
            per_run[(label, "flood")] = ctx.repeat_samples(f"echo under flood {label}", once)
            side.command("kill-session", "-t", "flood")
        finally:
            side.stop()
    figures = []
    for condition, detail in (("idle", "idle server"),
                              ("flood", "another session's pane floods")):
        for name, fraction in (("p50", 0.5), ("p99", 0.99)):
            def series(label: str, condition: str = condition,
                       fraction: float = fraction) -> Series:
                return Series([percentile(samples, fraction) * 1000
                               for samples in per_run[(label, condition)]])
            figures.append(Figure(
                workload=f"echo {name} {condition}",
                detail=f"keystroke to echo in a watching client, {keys} keys a run, {detail}",
                unit="ms", ai=series("ai-session"), tmux=series("tmux"),
                target=ECHO_TARGET if name == "p99" else None))
    return figures
