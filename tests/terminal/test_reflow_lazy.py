"""The older history re-wrapped on a worker thread (``reflow_worker``) gives what re-wrapping
everything at once gives: same captures with the history, same cursor, same history size,
after resize sequences where each width change comes before the previous re-wrap ended,
with output, height changes and clears in between."""

from __future__ import annotations

import random

import pytest

from aisession_tui.terminal import screen_ops
from aisession_tui.terminal.emulator import Emulator

WORDS = ["build", "ok", "中文", "漢字ひらがな", "e\u0301", "✓", "src/main.py:12", "x" * 30]


def _stream(seed: int, count: int) -> bytes:
    rng = random.Random(seed)
    lines = []
    for number in range(count):
        text = " ".join(rng.choice(WORDS) for _ in range(rng.choice([0, 1, 4, 12, 30])))
        if number % 3 == 0:
            text = f"\x1b[3{number % 8}m{text}\x1b[0m"
        lines.append(f"{number} {text}")
    return "\r\n".join(lines).encode()


STEPS: list[tuple[str, object]] = [
    ("resize", (37, 9)), ("resize", (90, 9)), ("feed", b"\r\nafter one\r\nafter two"),
    ("resize", (23, 12)), ("resize", (24, 12)), ("capture", None), ("resize", (61, 7)),
    ("resize", (61, 15)), ("resize", (8, 15)), ("feed", "\r\n中文中文中文中文中文".encode()),
    ("resize", (1, 15)), ("resize", (44, 10)), ("clear", None), ("feed", b"\r\nx\r\ny"),
    ("resize", (20, 10)),
]


def _run(lazy_rows: int, monkeypatch: pytest.MonkeyPatch, limit: int) -> list[object]:
    monkeypatch.setattr(screen_ops, "LAZY_REFLOW_ROWS", lazy_rows)
    emulator = Emulator(60, 10, history_limit=limit)
    emulator.feed(_stream(7, 1200))
    seen: list[object] = []
    for action, argument in STEPS:
        if action == "resize":
            emulator.resize(*argument)  # type: ignore[misc]
            seen.append((emulator.capture(), emulator.cursor_x, emulator.cursor_y))
        elif action == "feed":
            emulator.feed(argument)  # type: ignore[arg-type]
        elif action == "clear":
            emulator.clear_history()
        else:
            seen.append((emulator.history_size, emulator.capture("-", None),
                         emulator.capture("-", None, join_wrapped=True, escapes=True)))
    seen.append((emulator.history_size, emulator.capture("-", None)))
    return seen


@pytest.mark.parametrize("limit", [500, 3000])
def test_rewrap_on_a_worker_matches_rewrap_at_once(monkeypatch: pytest.MonkeyPatch,
                                                   limit: int) -> None:
    at_once = _run(10**9, monkeypatch, limit)
    on_worker = _run(0, monkeypatch, limit)
    assert on_worker == at_once


def test_a_screen_capture_does_not_need_the_whole_history(
        monkeypatch: pytest.MonkeyPatch) -> None:
    """Capturing the visible rows reads the screen only: it is right at once."""
    monkeypatch.setattr(screen_ops, "LAZY_REFLOW_ROWS", 0)
    emulator = Emulator(60, 10, history_limit=5000)
    emulator.feed(_stream(3, 3000))
    reference = Emulator(60, 10, history_limit=5000)
    reference.feed(_stream(3, 3000))
    monkeypatch.setattr(screen_ops, "LAZY_REFLOW_ROWS", 10**9)
    reference.resize(25, 10)
    monkeypatch.setattr(screen_ops, "LAZY_REFLOW_ROWS", 0)
    emulator.resize(25, 10)
    assert emulator.capture() == reference.capture()
    assert emulator.capture(0, 5, escapes=True) == reference.capture(0, 5, escapes=True)
    assert emulator.history_size == reference.history_size
    assert emulator.capture(-30, 2) == reference.capture(-30, 2)
