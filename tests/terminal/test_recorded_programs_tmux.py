"""Recorded program streams (``tests/fixtures/terminal/*.bin``, recorder ``record.py``)
replayed in :class:`Emulator` and in live tmux 3.3a, whose screen is the expected one.

Every stream is compared whole (the shell's screen after the program quit) and, when it
leaves the alternate screen, also cut just before its last ``?1049l`` (the program's own
screen). Text (``capture-pane -p``), attributes (``-p -e``) and the cursor must agree,
except for the differences listed in ``KNOWN_DIFFERENCES`` with their reason. All the
streams are replayed in one tmux server for the module (one batch).
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from aisession_tui.terminal.differential import Outcome, compare
from aisession_tui.terminal.tmux_oracle import TmuxOracle, tmux_binary

pytestmark = pytest.mark.skipif(tmux_binary() is None, reason="tmux is not installed")

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "terminal"
LEAVE_ALTERNATE = b"\x1b[?1049l"

# stream id -> why ai-session's screen differs from tmux's (text, attributes or cursor).
KNOWN_DIFFERENCES: dict[str, str] = {
    # differs: test_sgr draws "abcdefghijklm" in the DEC line-drawing set (ESC ( 0); tmux
    # keeps the ASCII bytes under its charset attribute (capture -p shows the letters, -e
    # wraps them in SO/SI), ai-session stores the box characters users see. A deliberate
    # decision: tmux_differences.DECISIONS, "DEC line drawing ...".
    "ncurses-test_sgr": "DEC line drawing stored as box characters",
}

# Minimal forms of what the recordings showed, compared in the same batch.
MINIMAL_CASES: dict[str, tuple[bytes, int, int]] = {
    # dialog leaves the alternate screen twice; tmux's screen_alternate_off restores the
    # cursor (and its style) saved by the last ?1049h even outside the alternate screen
    "?1049l outside the alternate screen restores the ?1049h cursor":
        (b"\x1b[2;3H\x1b[?1049h\x1b[?1049l\x1b[4;5H\x1b[?1049lX", 10, 6),
    "?1049l with nothing saved keeps the cursor": (b"\x1b[2;3H\x1b[?1049lX", 10, 6),
    "?1049l restores the saved style": (b"\x1b[2;3H\x1b[31m\x1b[?1049h\x1b[0m\x1b[?1049l"
                                         b"\x1b[4;5H\x1b[0m\x1b[?1049lX", 10, 6),
    "the ?1049h cursor survives RIS":
        (b"\x1b[2;3H\x1b[?1049h\x1b[?1049l\x1bc\x1b[4;5H\x1b[?1049lX", 10, 6),
    "?47 does not touch the ?1049h cursor":
        (b"\x1b[2;3H\x1b[?1049h\x1b[?1049l\x1b[4;5H\x1b[?47h\x1b[?47l\x1b[?1049lX", 10, 6),
    "?1049l leaving a ?1047 alternate screen restores the ?1049h cursor":
        (b"\x1b[2;3H\x1b[?1049h\x1b[?1049l\x1b[4;5H\x1b[?1047h\x1b[?1049lX", 10, 6),
}


def size_of(name: str) -> tuple[int, int]:
    """``(columns, lines)`` from a ``-COLSxLINES`` name suffix (record.py's rule), else 80x24."""
    base, dash, suffix = name.rpartition("-")
    columns, _x, lines = suffix.partition("x")
    if base and dash and columns.isdigit() and lines.isdigit():
        return int(columns), int(lines)
    return 80, 24


def recorded_streams() -> dict[str, tuple[bytes, int, int]]:
    streams: dict[str, tuple[bytes, int, int]] = {}
    for path in sorted(FIXTURES.glob("*.bin")):
        data = path.read_bytes()
        columns, lines = size_of(path.stem)
        streams[path.stem] = (data, columns, lines)
        cut = data.rfind(LEAVE_ALTERNATE)
        if cut > 0:
            streams[f"{path.stem}@program"] = (data[:cut], columns, lines)
    return streams


STREAMS = {**recorded_streams(), **MINIMAL_CASES}


def test_enough_recordings_and_small() -> None:
    paths = list(FIXTURES.glob("*.bin"))
    assert len(paths) >= 90
    assert all(path.stat().st_size < 200_000 for path in paths)
    assert sum(path.stat().st_size for path in paths) < 3_000_000


@pytest.fixture(scope="module")
def outcomes() -> dict[str, Outcome]:
    with TmuxOracle(f"recorded-{os.getpid()}") as oracle:
        results = compare(oracle, list(STREAMS.values()))
    return dict(zip(STREAMS, results))


def describe(outcome: Outcome) -> str:
    lines = [f"size {outcome.size}, cursor ours {outcome.ours.cursor} tmux {outcome.theirs.cursor}"]
    for row, (ours, theirs) in enumerate(zip(outcome.ours.escaped, outcome.theirs.escaped)):
        if ours != theirs:
            lines.append(f"row {row}:\n ours {ours!r}\n tmux {theirs!r}")
    return "\n".join(lines[:6])


@pytest.mark.parametrize("name", sorted(set(STREAMS) - set(MINIMAL_CASES)))
def test_recorded_stream_matches_tmux(outcomes: dict[str, Outcome], name: str) -> None:
    outcome = outcomes[name]
    if name in KNOWN_DIFFERENCES:
        # a listed difference must still be there (drop it from the list once fixed)
        assert not outcome.identical, f"{name} now matches tmux: remove it from KNOWN_DIFFERENCES"
        return
    assert outcome.identical, describe(outcome)


def test_known_differences_name_real_streams() -> None:
    assert set(KNOWN_DIFFERENCES) <= set(STREAMS)


@pytest.mark.parametrize("name", sorted(MINIMAL_CASES))
def test_minimal_case_matches_tmux(outcomes: dict[str, Outcome], name: str) -> None:
    assert outcomes[name].identical, describe(outcomes[name])
