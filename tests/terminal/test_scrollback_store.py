"""The compact scrollback: limits, block compression, random access, memory."""

from __future__ import annotations

import tracemalloc

from aisession_tui.terminal.emulator import Emulator
from aisession_tui.terminal.scrollback import Scrollback


def line(number: int) -> tuple:
    return (((f"line {number}", -1, -1, 0),), number % 3 == 0)


def test_append_trim_and_index_across_blocks() -> None:
    history = Scrollback(1000, block_lines=16, hot_budget=1000)
    for number in range(5000):
        history.append(line(number))
    assert len(history) == 1000
    assert history.compressed_bytes > 0
    assert history.line(0) == line(4000)
    assert history.line(999) == line(4999)
    assert history.lines(10, 40) == [line(n) for n in range(4010, 4040)]
    assert history.lines(-5, 3) == [line(n) for n in range(4000, 4003)]


def test_extend_longer_than_limit_keeps_newest() -> None:
    history = Scrollback(100, block_lines=8, hot_budget=100)
    history.extend(line(n) for n in range(50))
    history.extend(line(n) for n in range(50, 1000))
    assert len(history) == 100
    assert [history.line(i) for i in range(100)] == [line(n) for n in range(900, 1000)]


def test_lowering_limit_trims_oldest_and_zero_disables() -> None:
    history = Scrollback(500, block_lines=8, hot_budget=100)
    history.extend(line(n) for n in range(500))
    history.limit = 37
    assert len(history) == 37
    assert history.line(0) == line(463)
    history.limit = 0
    assert len(history) == 0
    history.append(line(1))
    assert len(history) == 0


def test_pop_newest_reaches_into_blocks() -> None:
    history = Scrollback(300, block_lines=8, hot_budget=100)
    history.extend(line(n) for n in range(300))
    popped = history.pop_newest(50)
    assert popped == [line(n) for n in range(250, 300)]
    assert len(history) == 250
    assert history.line(249) == line(249)
    history.clear()
    assert len(history) == 0 and history.pop_newest(3) == []


def test_raw_items_are_encoded_lazily() -> None:
    encoded: list[int] = []

    def encode(item):
        if type(item) is tuple:
            return item
        encoded.append(item)
        return line(item)

    history = Scrollback(10, encode=encode, weigh=lambda item: 10, block_lines=4, hot_budget=1000)
    for number in range(1000):
        history.append(number)
    assert encoded == []  # trimmed while hot: never encoded
    assert history.line(0) == line(990)
    assert encoded == [990]


def test_ten_thousand_coloured_lines_stay_small() -> None:
    colours = [31, 32, 33, 34, 35, 36, 91, 92, 93, 94]
    words = ["alpha", "beta", "gamma", "delta", "epsilon", "zeta", "eta", "theta", "iota"]
    rows = []
    for number in range(10_000):
        parts = []
        used = 0
        index = number
        while used < 200:
            word = f"{words[index % len(words)]}{index % 1000}"[:200 - used].ljust(min(12, 200 - used))
            parts.append(f"\x1b[{colours[index % len(colours)]}m{word}")
            used += len(word)
            index += 7
        rows.append("".join(parts) + "\x1b[0m\r\n")
    data = "".join(rows).encode()
    tracemalloc.start()
    try:
        before = tracemalloc.take_snapshot()
        emulator = Emulator(200, 50, history_limit=10_000)
        for start in range(0, len(data), 65536):
            emulator.feed(data[start:start + 65536])
        after = tracemalloc.take_snapshot()
    finally:
        tracemalloc.stop()
    assert emulator.history_size == 10_000 - 49
    used = sum(stat.size_diff for stat in after.compare_to(before, "filename"))
    print(f"emulator with {emulator.history_size} coloured 200-column history lines: "
          f"{used / 1e6:.2f} MB")
    assert used < 5_000_000
    oldest = emulator.history_runs(0)
    assert sum(len(text) for text, *_ in oldest) == 200
    assert {fg for _text, fg, _bg, _attrs in oldest} <= {1, 2, 3, 4, 5, 6, 9, 10, 11, 12}
    assert "".join(text for text, *_ in oldest).startswith(f"{words[0]}0")


def test_limit_holds_after_every_append_with_blocks() -> None:
    history = Scrollback(100, block_lines=8, hot_budget=2000)
    for number in range(1000):
        history.append(line(number))
        assert len(history) <= 100
    assert history.line(0) == line(900) and history.line(99) == line(999)
