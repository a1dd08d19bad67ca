"""How the side panels write times, durations, numbers and the token gauge.

:class:`TimeFormat` is the one hook for everything time-dependent a panel shows (clock
times of messages and commands, command durations): the app passes the local one, tests
pass :data:`FIXED_TIMES` so snapshots never depend on the time zone or the machine's
speed. Pure functions: no widget state.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass

from rich.text import Text

GAUGE_WIDTH = 20
"""Cells of the token gauge bar."""


def local_clock(epoch: float) -> str:
    """``HH:MM:SS`` in local time."""
    return time.strftime("%H:%M:%S", time.localtime(epoch))


def human_duration(milliseconds: float) -> str:
    """``850ms``, ``2.4s``, ``3m05s``."""
    if milliseconds < 1000:
        return f"{milliseconds:.0f}ms"
    seconds = milliseconds / 1000
    if seconds < 60:
        return f"{seconds:.1f}s"
    minutes, rest = divmod(int(seconds), 60)
    return f"{minutes}m{rest:02d}s"


@dataclass(frozen=True)
class TimeFormat:
    """Clock times and durations as the panels print them."""

    clock: Callable[[float], str] = local_clock
    duration: Callable[[float], str] = human_duration


FIXED_TIMES = TimeFormat(clock=lambda epoch: "12:00:00", duration=lambda ms: "0.1s")
"""For snapshots: every time and duration prints the same."""


def percent(part: float, whole: float) -> str:
    """``42%`` (``n/a`` of nothing)."""
    return f"{100 * part / whole:.0f}%" if whole else "n/a"


def gauge(used: int, budget: int, threshold: float, width: int = GAUGE_WIDTH) -> Text:
    """``[██████░░░░░░]`` filled by ``used / budget``: green up to the compaction
    threshold, yellow above it, red when over the budget."""
    share = used / budget if budget else 0.0
    filled = min(width, max(1 if used else 0, round(share * width)))
    if share > 1:
        style = "bold red"
    elif share > threshold:
        style = "bold yellow"
    else:
        style = "bold green"
    text = Text("[")
    text.append("█" * filled, style=style)
    text.append("░" * (width - filled), style="dim")
    text.append("]")
    return text


def short_lines(text: str, limit: int) -> tuple[list[str], int]:
    """The first ``limit`` non-empty-trailing lines of ``text`` and how many were left out."""
    lines = text.rstrip("\n").splitlines() or [""]
    return lines[:limit], max(0, len(lines) - limit)
