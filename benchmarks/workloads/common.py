"""Figures, statistics, the run context and the cleanup registry shared by every workload.

Invariants:
* a :class:`Figure` holds raw per-run values (:class:`Series`); the median, min and max are
  derived from them, never stored separately, so the table and the JSON cannot disagree;
* a ratio is always ``ai-session median / tmux median`` ("x times tmux's time/memory"),
  so lower is better for every workload in this suite;
* every process or server a workload starts is registered with :class:`Cleanup` before it
  can fail, and :meth:`Cleanup.run_all` (called by the runner in ``finally`` and by
  ``atexit``) stops each of them exactly once, newest first.
"""

from __future__ import annotations

import atexit
import math
import statistics
import sys
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any


@dataclass
class Series:
    """One figure's values, one per measured run (warm-up runs are not in here)."""

    values: list[float]

    @property
    def median(self) -> float:
        return statistics.median(self.values)

    @property
    def low(self) -> float:
        return min(self.values)

    @property
    def high(self) -> float:
        return max(self.values)

    def to_json(self) -> dict[str, Any]:
        return {"median": self.median, "min": self.low, "max": self.high,
                "runs": list(self.values)}


@dataclass
class Target:
    """A goal: ``ratio`` (ai-session/tmux <= limit) or ``absolute`` (median < limit)."""

    kind: str
    limit: float

    def describe(self, unit: str) -> str:
        if self.kind == "ratio":
            return f"<= {self.limit:g}x"
        return f"< {self.limit:g} {unit}"


KEY_TO_SCREEN_TARGETS = {"idle": Target("absolute", 16.0), "flood": Target("absolute", 48.0)}
"""The TUI issue's goals for a keystroke's echo at p99: one 60 Hz frame on an idle pane, at
most three while another pane of the window floods."""


@dataclass
class Figure:
    """One row of the table: a workload measured on ai-session and (when it applies) tmux."""

    workload: str
    detail: str
    unit: str
    ai: Series | None
    tmux: Series | None = None
    target: Target | None = None
    note: str = ""
    extra: dict[str, Any] = field(default_factory=dict)

    @property
    def ratio(self) -> float | None:
        if self.ai is None or self.tmux is None or self.tmux.median <= 0:
            return None
        return self.ai.median / self.tmux.median

    @property
    def met(self) -> bool | None:
        if self.target is None or self.ai is None:
            return None
        if self.target.kind == "ratio":
            ratio = self.ratio
            return None if ratio is None else ratio <= self.target.limit
        return self.ai.median < self.target.limit

    def to_json(self) -> dict[str, Any]:
        return {
            "workload": self.workload, "detail": self.detail, "unit": self.unit,
            "ai_session": self.ai.to_json() if self.ai else None,
            "tmux": self.tmux.to_json() if self.tmux else None,
            "ratio": self.ratio,
            "target": ({"kind": self.target.kind, "limit": self.target.limit,
                        "text": self.target.describe(self.unit)} if self.target else None),
            "met": self.met, "note": self.note, "extra": self.extra,
        }


def percentile(samples: Sequence[float], fraction: float) -> float:
    """The nearest-rank percentile (``fraction`` in 0..1) of ``samples``."""
    ordered = sorted(samples)
    rank = max(1, math.ceil(fraction * len(ordered)))
    return ordered[rank - 1]


class Cleanup:
    """Stops registered resources newest first; each callback runs at most once."""

    def __init__(self) -> None:
        self._callbacks: list[tuple[str, Callable[[], None]]] = []
        atexit.register(self.run_all)

    def add(self, label: str, callback: Callable[[], None]) -> Callable[[], None]:
        """Register ``callback``; returns a function that runs and unregisters it now."""
        entry = (label, callback)
        self._callbacks.append(entry)

        def run_now() -> None:
            if entry in self._callbacks:
                self._callbacks.remove(entry)
                _safely(label, callback)

        return run_now

    def run_all(self) -> None:
        while self._callbacks:
            label, callback = self._callbacks.pop()
            _safely(label, callback)


def _safely(label: str, callback: Callable[[], None]) -> None:
    try:
        callback()
    except Exception as exc:  # noqa: BLE001 - cleanup goes on with the next resource
        print(f"cleanup of {label} failed: {exc}", file=sys.stderr)


@dataclass
class BenchContext:
    """What every workload gets: sizes, repetitions, a scratch directory, cleanup."""

    quick: bool
    workdir: Path
    cleanup: Cleanup
    runs: int
    warmups: int
    verbose: bool = True
    started: float = field(default_factory=time.monotonic)

    def log(self, text: str) -> None:
        if self.verbose:
            elapsed = time.monotonic() - self.started
            print(f"[{elapsed:6.1f}s] {text}", file=sys.stderr, flush=True)

    def repeat(self, label: str, once: Callable[[int], float]) -> Series:
        """Warm up, then run ``once(index)`` ``runs`` times and keep the measured values."""
        for index in range(self.warmups):
            self.log(f"{label}: warm-up {index + 1}")
            once(-1 - index)
        values = []
        for index in range(self.runs):
            value = once(index)
            self.log(f"{label}: run {index + 1}/{self.runs} = {value:.4g}")
            values.append(value)
        return Series(values)

    def repeat_samples(self, label: str,
                       once: Callable[[int], list[float]]) -> list[list[float]]:
        """Like :meth:`repeat` for runs that each yield many samples (latencies)."""
        for index in range(self.warmups):
            self.log(f"{label}: warm-up {index + 1}")
            once(-1 - index)
        runs = []
        for index in range(self.runs):
            samples = once(index)
            self.log(f"{label}: run {index + 1}/{self.runs}: {len(samples)} samples, "
                     f"p50 {percentile(samples, 0.5) * 1000:.2f} ms, "
                     f"p99 {percentile(samples, 0.99) * 1000:.2f} ms")
            runs.append(samples)
        return runs
