"""Render and update cost of a dense 200x50 frame (ai-session only: no tmux figure).

Frames are real ones: successive full frames of the ``redraw`` stream (256 colours, ~13
runs a row) fed through the pane emulator, taken as the wire rows (``line_runs`` through a
JSON round trip, exactly what a client receives). Each repetition renders a different
frame or row, so Rich's per-string cell-width cache does not flatter the figure (it would
if one row were rendered over and over).

* ``TUI render full frame``: ``render_frame_offscreen(rows, 200, styles)`` from
  ``aisession_tui/widgets/pane_view.py`` = ``PaneView.render_line`` for all 50 rows
  (Strip of Segments, Rich ``Style`` per run from the widget's warm style cache);
* ``TUI render one line``: ``build_strip`` for one changed row (what ``render_line`` does
  for a dirty row). Neither includes Textual's compositor or the write to the terminal;
* ``server encode full frame`` / ``one line``: ``line_runs`` for the rows plus
  ``protocol.encode`` of the ``screen`` notification (the server's per-flush cost),
  and ``client decode full frame``: ``decode_body`` of that frame.

Each run times many repetitions and keeps the mean per repetition (in milliseconds: the
median would hide the slow calls, e.g. cache evictions, that a frame of 50 rows does pay).
"""

from __future__ import annotations

import json
import statistics
import time
from collections.abc import Callable
from typing import Any

from rich.color import Color

from aisession_tui import protocol
from aisession_tui.terminal.emulator import Emulator
from aisession_tui.widgets.pane_view import StyleCache, build_strip, render_frame_offscreen

from .common import BenchContext, Figure
from .sides import COLUMNS, LINES
from .streams import redraw_stream


def _mean_ms(action: Callable[[int], object], repetitions: int) -> float:
    started = time.perf_counter()
    for index in range(repetitions):
        action(index)
    return (time.perf_counter() - started) / repetitions * 1000


def _frames(count: int) -> tuple[Emulator, list[list[list[Any]]]]:
    """``count`` successive frames as wire rows, and the emulator left on the last one."""
    emulator = Emulator(COLUMNS, LINES)
    frames = []
    for chunk in redraw_stream(count * 16_000).split(b"\x1b[H")[1:count + 1]:
        emulator.feed(b"\x1b[H" + chunk)
        frames.append(json.loads(json.dumps([emulator.line_runs(row)
                                             for row in range(LINES)])))
    return emulator, frames


def _screen(emulator: Emulator, rows: range) -> dict[str, Any]:
    return {"jsonrpc": "2.0", "method": "screen", "params": {
        "pane": 0, "full": len(rows) == LINES, "columns": COLUMNS, "lines": LINES,
        "rows": {str(row): emulator.line_runs(row) for row in rows},
        "cursor": [emulator.cursor_x, emulator.cursor_y]}}


def run(ctx: BenchContext) -> list[Figure]:
    repetitions = 20 if ctx.quick else 60
    emulator, frames = _frames(repetitions)
    rows = [row for frame in frames for row in frame]
    runs_per_row = statistics.mean(len(row) for row in rows)
    styles = StyleCache(Color.parse("#e5e5e5"), Color.parse("#000000"),
                        Color.parse("#000000"), Color.parse("#cdcd00"))
    render_frame_offscreen(frames[0], COLUMNS, styles)
    full_frame = protocol.encode(_screen(emulator, range(LINES)))
    body = full_frame[protocol.HEADER.size:]
    middle = LINES // 2
    cases: list[tuple[str, str, Callable[[int], object], int]] = [
        ("TUI render full frame",
         (f"render_frame_offscreen: 50 rows x 200 cells, {runs_per_row:.0f} runs a row, "
          "warm style cache"),
         lambda index: render_frame_offscreen(frames[index % len(frames)], COLUMNS, styles),
         repetitions),
        ("TUI render one line", "build_strip of one dense changed row",
         lambda index: build_strip(rows[index % len(rows)], styles, COLUMNS), len(rows)),
        ("server encode full frame",
         f"line_runs of 50 rows + protocol.encode ({len(full_frame) / 1024:.0f} KiB frame)",
         lambda index: protocol.encode(_screen(emulator, range(LINES))), repetitions),
        ("server encode one line", "line_runs of one row + protocol.encode",
         lambda index: protocol.encode(_screen(emulator, range(middle, middle + 1))),
         repetitions * 10),
        ("client decode full frame", "protocol.decode_body of the full frame",
         lambda index: protocol.decode_body(body), repetitions),
    ]
    figures = []
    for name, detail, action, count in cases:
        def once(index: int, action: Callable[[int], object] = action,
                 count: int = count) -> float:
            return _mean_ms(action, count)

        series = ctx.repeat(name, once)
        figures.append(Figure(workload=name, detail=detail, unit="ms", ai=series,
                              note="no tmux equivalent; absolute"))
    return figures
