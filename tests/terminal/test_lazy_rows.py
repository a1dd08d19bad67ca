"""Rows rewritten whole from column 0 (full-screen redraws, blocks of coloured lines) are
kept as :class:`_LazyRow` and built only when read: whatever reads or writes them, and
whenever, the screen, cursor, styles and history are exactly those of building every row
at once."""

from __future__ import annotations

import random

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from test_emulator_fastpaths import sgr, state, streams, styled_line, words

from aisession_tui.terminal import screen_ops
from aisession_tui.terminal.emulator import Emulator
from aisession_tui.terminal.screen_ops import _LazyRow, _Row
from aisession_tui.terminal.stream_grammar import random_stream

_MAKE_LAZY = screen_ops.make_lazy


def _eager_make_lazy(row: _Row, pending: tuple, width: int) -> None:
    _MAKE_LAZY(row, pending, width)
    screen_ops.settled(row)


@pytest.fixture
def eager(monkeypatch: pytest.MonkeyPatch):
    """A context in which rows are built at once (the reference)."""
    class Eager:
        def __enter__(self) -> None:
            monkeypatch.setattr(screen_ops, "make_lazy", _eager_make_lazy)

        def __exit__(self, *exc: object) -> None:
            monkeypatch.setattr(screen_ops, "make_lazy", _MAKE_LAZY)
    return Eager()


def redraw_row(row: int, parts: list[str]) -> str:
    return f"\x1b[{row};1H{''.join(parts)}\x1b[0m\x1b[K"


redraws = st.lists(
    st.builds(redraw_row, st.integers(1, 8), st.lists(st.one_of(words, sgr), max_size=6)),
    min_size=1, max_size=20).map("".join)
lazy_streams = st.lists(st.one_of(redraws, styled_line.map(lambda line: line + "\r\n"),
                                  streams.map(lambda data: data.decode())),
                        max_size=6).map(lambda parts: "".join(parts).encode())
sizes = st.sampled_from([(10, 4), (20, 6), (80, 24), (7, 12), (2, 3)])


def feed_with_reads(emulator: Emulator, data: bytes, rng: random.Random) -> None:
    """Feed ``data`` in random pieces, reading random rows (which builds them) between."""
    position = 0
    while position < len(data):
        step = rng.choice([1, 3, 17, 64, 500, len(data)])
        emulator.feed(data[position:position + step])
        position += step
        for _ in range(rng.randrange(3)):
            y = rng.randrange(emulator.lines)
            choice = rng.randrange(4)
            if choice == 0:
                emulator.line_runs(y)
            elif choice == 1:
                emulator.line_text(y)
            elif choice == 2:
                emulator.terminal_state()
            else:
                emulator.capture("-", escapes=True)


@settings(max_examples=300, deadline=None, suppress_health_check=[
    HealthCheck.too_slow, HealthCheck.function_scoped_fixture])
@given(data=lazy_streams, size=sizes, limit=st.sampled_from([0, 3, 2000]),
       seed=st.integers(0, 1000))
def test_lazy_rows_read_like_rows_built_at_once(eager, data: bytes, size: tuple[int, int],
                                               limit: int, seed: int) -> None:
    with eager:
        reference = Emulator(*size, history_limit=limit)
        reference.feed(data)
        expected = state(reference)
    lazy = Emulator(*size, history_limit=limit)
    feed_with_reads(lazy, data, random.Random(seed))
    assert state(lazy) == expected


def test_grammar_streams_read_like_rows_built_at_once(eager) -> None:
    rng = random.Random(7)
    for _ in range(300):
        data = random_stream(rng)
        columns, lines = rng.choice([(80, 24), (13, 5), (37, 11), (20, 8), (64, 4)])
        with eager:
            reference = Emulator(columns, lines, history_limit=50)
            reference.feed(data)
            expected = state(reference)
        lazy = Emulator(columns, lines, history_limit=50)
        feed_with_reads(lazy, data, random.Random(rng.random()))
        assert state(lazy) == expected, data


def test_a_redraw_flood_leaves_rows_unbuilt_until_read() -> None:
    frame = "".join(redraw_row(y, [f"\x1b[38;5;{y}m{y:5d} proc", "\x1b[1m x"])
                    for y in range(1, 11))
    emulator = Emulator(40, 10)
    for _ in range(5):
        emulator.feed(frame.encode())
    buffer = emulator._screen.buffer
    assert all(type(buffer[y]) is _LazyRow for y in range(10))
    assert emulator.line_text(3) == "    4 proc x"
    assert emulator.display()[9] == "   10 proc x"
    assert all(type(buffer[y]) is _LazyRow for y in range(10))  # (text reads build none)
    assert emulator.line_runs(3)[0][0] == "    4 proc"
    assert type(buffer[3]) is _Row
    assert emulator.capture()[0] == "    1 proc x"


def test_a_coloured_flood_pushes_unbuilt_rows_to_history_as_lines() -> None:
    lines = [f"\x1b[3{n % 7}mline {n}\x1b[0m tail\r\n" for n in range(200)]
    emulator = Emulator(30, 10, history_limit=1000)
    for start in range(0, len(lines), 25):
        emulator.feed("".join(lines[start:start + 25]).encode())
    buffer = emulator._screen.buffer
    assert all(type(buffer[y]) is _LazyRow for y in range(9))
    hot = emulator._screen.history._hot
    assert len(hot) == 191
    # (no row, built or not, waits in history: the lines that fit left as StyledLines)
    assert not any(isinstance(item, dict) for item in hot)
    assert sum(type(item).__name__ == "StyledLine" for item in hot) == 174
    assert emulator.capture("-")[-2:] == ["line 199 tail", ""]
    assert emulator.capture("-", escapes=True)[-2] == "\x1b[33mline 199\x1b[39m tail"


reset_sgr = st.sampled_from(["\x1b[m", "\x1b[0m", "\x1b[0;1m", "\x1b[;31m", "\x1b[0;38;5;200m",
                             "\x1b[00m", "\x1b[0:1m", "\x1b[1;0m", "\x1b[0;48;5;3m"])
reset_rows = st.builds(
    lambda row, parts, reset, tail, after: (f"\x1b[{row};1H{''.join(parts)}{reset}{tail}"
                                            f"{after}"),
    st.integers(1, 8), st.lists(st.one_of(words, sgr), max_size=6), reset_sgr, words,
    st.sampled_from(["", "\x1b[K", "\x1b[2K", "\n", "\x1b[8;1H\n\n", "\x1b[3@", "\x1b[b"]))


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(rows=st.lists(st.one_of(reset_rows, streams.map(lambda data: data.decode())),
                     min_size=1, max_size=12).map("".join),
       size=sizes, limit=st.sampled_from([0, 3, 2000]))
def test_rows_ending_in_a_reset_read_like_bytewise_feeding(rows: str, size: tuple[int, int],
                                                          limit: int) -> None:
    """A row drawn from column 0 whose last SGR resets the style (its SGRs not read until
    the row is) gives the screen, cursor, style, REP character and history of feeding
    byte by byte, whatever the reset's form (or a form that is not one: 00, 0:1, 1;0)."""
    data = rows.encode()
    whole = Emulator(*size, history_limit=limit)
    whole.feed(data)
    bytewise = Emulator(*size, history_limit=limit)
    for byte in data:
        bytewise.feed(bytes([byte]))
    assert whole.display() == bytewise.display()  # (read unbuilt, see row_text)
    assert state(whole) == state(bytewise)
