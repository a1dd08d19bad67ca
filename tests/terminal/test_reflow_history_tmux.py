"""Reflow keeps and re-wraps the history as tmux 3.3a does, history-limit included.

tmux re-wraps the whole history on a width change and keeps every row, past the
``history-limit`` too; the next lines that scroll in then drop the oldest tenth of the limit
at a time (grid_collect_history). Each case is replayed in a live tmux with a small
``history-limit`` and in the emulator, then resized; ``capture-pane -p -S -``,
``capture-pane -p -e -S -``, ``capture-pane -p -J -S -`` and the cursor must agree.
"""

from __future__ import annotations

import os
import random
from collections.abc import Iterator

import pytest

from aisession_tui.terminal import screen_ops
from aisession_tui.terminal.differential import Outcome, compare
from aisession_tui.terminal.scrollback import Scrollback
from aisession_tui.terminal.tmux_oracle import TmuxOracle, tmux_binary

LIMIT = 60
WORDS = ["build", "ok", "error:", "中文", "漢字ひらがな", "한국어", "x", "=>", "src/main.py:12",
         "ｗｉｄｅ", "e\u0301", "✓"]


def mixed_lines(rng: random.Random, count: int) -> bytes:
    """``count`` lines of mixed length (blank, short, several rows), some coloured, with
    wide characters at every offset so some fall on a wrap point at any width."""
    lines = []
    for number in range(count):
        text = " ".join(rng.choice(WORDS) for _ in range(rng.choice([0, 1, 3, 8, 15])))
        text = "ab"[: number % 3] + text
        if number % 4 == 0:
            text = f"\x1b[3{number % 8}m{text}\x1b[0m"
        lines.append(f"{number} {text}")
    return "\r\n".join(lines).encode()


RNG = random.Random(15)
MIXED = mixed_lines(RNG, 150)
WIDE_AT_WRAP = "".join(f"{'.' * (n % 7)}中文字漢字ひらがなカタカナ한국어中文字{n}\r\n"
                       for n in range(90)).encode() + "tail 中".encode()

CASES = [
    ("narrow, wide, narrow with a full history", MIXED, 30, 8, ((12, 8), (45, 8), (20, 8))),
    ("wide characters at the wrap point", WIDE_AT_WRAP, 20, 6,
     ((11, 6), (7, 6), (30, 6), (9, 6))),
    ("widths and heights together", MIXED, 30, 8, ((15, 4), (40, 12), (10, 5))),
    ("narrowing far past the limit, then back", MIXED, 40, 6, ((5, 6), (80, 6))),
    ("a history shorter than the limit", mixed_lines(random.Random(3), 25), 25, 5,
     ((9, 5), (50, 5), (14, 5))),
]

pytestmark = pytest.mark.skipif(tmux_binary() is None, reason="tmux is not installed")


@pytest.fixture(scope="module")
def oracle() -> Iterator[TmuxOracle]:
    with TmuxOracle(f"reflow-history-{os.getpid()}", history_limit=LIMIT) as server:
        yield server


def describe(outcome: Outcome) -> str:
    ours, theirs = outcome.ours, outcome.theirs
    lines = [f"{outcome.data[:80]!r}... at {outcome.size}: cursor {ours.cursor} (tmux "
             f"{theirs.cursor}), rows {len(ours.text)} (tmux {len(theirs.text)})"]
    for label, mine, tmux in (("text", ours.text, theirs.text),
                              ("escaped", ours.escaped, theirs.escaped),
                              ("joined", ours.joined, theirs.joined)):
        for index, (a, b) in enumerate(zip(mine, tmux)):
            if a != b:
                lines.append(f" first {label} difference, row {index}: {a!r} / tmux {b!r}")
                break
    return "\n".join(lines)


@pytest.mark.parametrize("lazy", [False, True], ids=["at once", "older rows on a worker"])
@pytest.mark.parametrize("case", CASES, ids=[case[0] for case in CASES])
def test_history_reflows_as_in_tmux(oracle: TmuxOracle, case: tuple, lazy: bool,
                                    monkeypatch: pytest.MonkeyPatch) -> None:
    if lazy:  # every history re-wraps its older rows on a worker thread
        monkeypatch.setattr(screen_ops, "LAZY_REFLOW_ROWS", 0)
    _name, data, columns, lines, resizes = case
    outcome = compare(oracle, [(data, columns, lines)], resizes=resizes)[0]
    assert outcome.theirs.text, "tmux captured nothing"
    assert outcome.identical, describe(outcome)


@pytest.mark.xfail(strict=True, reason="known difference: when a join takes whole rows of a "
                   "wrapped line and the first character of its last row does not fit (a wide "
                   "character in the last free cell), tmux 3.3a's grid_reflow_join clears the "
                   "wrap flag and cuts the line in two; here it stays one line. tmux's cursor "
                   "then moves up one logical line per cut above it (grid_unwrap_position "
                   "counts lines of the new grid). The cut depends on the rows of each width "
                   "passed through, which the worker re-wrap skips, so it is not emulated")
def test_tmux_cuts_a_line_whose_last_row_starts_with_a_wide_character(
        oracle: TmuxOracle) -> None:
    outcome = compare(oracle, [(MIXED, 30, 8)], resizes=((15, 4), (40, 12), (10, 5), (33, 7)))[0]
    assert outcome.identical, describe(outcome)


REGION_CASES = [
    (b"a\r\nb\r\nc\r\nd\r\ne\x1b[2;4r\x1b[4;1H\n\n", 20, 5),
    (b"\x1b[2;3r\x1b[3;1H" + b"x\n" * 5, 10, 4),
    (b"top\r\n\x1b[1;3r" + b"".join(b"\x1b[3;1Hline %d\n" % n for n in range(70)), 12, 5),
    (b"\x1b[2;5r\x1b[5;1H" + b"".join(b"row %d " % n * 3 + b"\n\r" for n in range(20))
     + b"\x1b[3S", 9, 6),
]


def test_scroll_regions_feed_the_history_as_in_tmux(oracle: TmuxOracle) -> None:
    """tmux puts the top row of any scroll region into the history when it scrolls, the
    full history's collection included; then a reflow re-wraps those rows too."""
    for outcome in compare(oracle, REGION_CASES, history=True):
        assert outcome.identical, describe(outcome)
    for outcome in compare(oracle, REGION_CASES, resizes=((7, 5), (23, 6))):
        assert outcome.identical, describe(outcome)


@pytest.mark.parametrize("lazy", [False, True], ids=["at once", "older rows on a worker"])
def test_lines_scrolling_in_after_a_reflow_past_the_limit(
        oracle: TmuxOracle, lazy: bool, monkeypatch: pytest.MonkeyPatch) -> None:
    """Narrowing leaves more rows than the limit; each later line drops a tenth of it."""
    if lazy:
        monkeypatch.setattr(screen_ops, "LAZY_REFLOW_ROWS", 0)
    after = "".join(f"\r\nafter {n} 中文 {'z' * (n % 9)}" for n in range(23)).encode()
    streams = [(MIXED, 30, 8), (WIDE_AT_WRAP, 20, 6)]
    outcomes = compare(oracle, streams, resizes=((9, 8),), after=after)
    for outcome in outcomes:
        assert outcome.identical, describe(outcome)


# identical streams of the 12 (a ratchet: raise it, never lower it); the others differ by
# the wrap flag tmux's join clears (see the xfail above)
SEEDED_FLOOR = 11


def test_seeded_streams_after_resize_sequences(oracle: TmuxOracle) -> None:
    rng = random.Random(1515)
    sequences = [((13, 7), (41, 7), (17, 7)), ((60, 5), (8, 9), (25, 6))]
    outcomes = []
    for resizes in sequences:
        streams = [(mixed_lines(rng, rng.randint(20, 120)), rng.choice([20, 31, 48]),
                    rng.choice([4, 7, 10])) for _ in range(6)]
        outcomes += compare(oracle, streams, resizes=resizes)
    different = [outcome for outcome in outcomes if not outcome.identical]
    assert len(outcomes) - len(different) >= SEEDED_FLOOR, "\n".join(map(describe, different))
    assert all(outcome.same_text and outcome.same_escaped for outcome in outcomes), (
        "\n".join(map(describe, different)))


def _collected_one_by_one(size: int, count: int, limit: int) -> int:
    for _ in range(count):
        if size and size >= limit:
            size -= min(max(1, limit // 10), size)
        size += 1
    return size


@pytest.mark.parametrize("limit", [1, 7, 10, 25, 100, 2000])
def test_collected_size_is_tmux_one_scroll_at_a_time(limit: int) -> None:
    """``collected_size`` (the closed form the block scrolls use) gives what scrolling one
    line at a time gives, from histories under, at and over the limit."""
    rng = random.Random(limit)
    for _ in range(300):
        size = rng.choice([0, limit // 2, limit - 1, limit, limit + 1, limit * 3,
                           rng.randint(0, limit * 4)])
        count = rng.choice([0, 1, 2, limit // 10 + 1, limit, rng.randint(0, limit * 5)])
        history = Scrollback(limit, block_lines=8, hot_budget=200)
        history.extend([(((str(n), 0, 0, 0),), False) for n in range(size)], scrolled=False)
        assert len(history) == size
        expected = _collected_one_by_one(size, count, limit)
        assert history.collected_size(count) == expected, (size, count)
        one_by_one = Scrollback(limit, block_lines=8, hot_budget=200)
        one_by_one.extend(history.lines(0, size), scrolled=False)
        new = [(((f"new {n}", 0, 0, 0),), False) for n in range(count)]
        for line in new:
            one_by_one.append(line)
        kept = min(count, expected)
        history.extend(new[count - kept:], count=count)  # the dropped ones left out
        assert len(history) == len(one_by_one) == expected
        assert history.lines(0, expected) == one_by_one.lines(0, expected)
