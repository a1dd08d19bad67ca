"""``Emulator.capture_later`` and ``Scrollback.frozen``: a capture taken now and formatted
later (on another thread) shows the pane as it was when taken, while the emulator goes on
scrolling, trimming and compressing its history."""

from __future__ import annotations

import threading

from aisession_tui.terminal.emulator import Emulator


def _feed(emulator: Emulator, first: int, last: int) -> None:
    emulator.feed("".join(f"line {n} \x1b[31mred\x1b[0m {'x' * (n % 90)}\r\n"
                          for n in range(first, last)).encode())


def test_a_capture_taken_now_and_formatted_later_shows_the_pane_as_it_was() -> None:
    emulator = Emulator(40, 8, history_limit=3000)
    _feed(emulator, 0, 5000)  # wrapped lines, compressed blocks, trimmed history
    expected = {(escapes, joined): emulator.capture("-", None, escapes=escapes,
                                                    join_wrapped=joined)
                for escapes in (False, True) for joined in (False, True)}
    later = {key: emulator.capture_later("-", None, escapes=key[0], join_wrapped=key[1])
             for key in expected}
    _feed(emulator, 5000, 9000)  # the live history moves on: old blocks are dropped
    emulator.feed(b"\x1b[2J\x1b[3J")
    results: dict[tuple[bool, bool], list[str]] = {}
    worker = threading.Thread(target=lambda: results.update(
        {key: render() for key, render in later.items()}))
    worker.start()
    worker.join(60)
    assert results == expected
    assert any(line.startswith("line 4999 ") for line in results[(False, True)])
    assert emulator.capture("-", None) != expected[(False, False)]


def test_a_frozen_history_keeps_its_lines_while_the_live_one_is_cleared() -> None:
    emulator = Emulator(20, 4, history_limit=500)
    _feed(emulator, 0, 800)
    history = emulator._screen.history  # noqa: SLF001 - the scrollback under test
    view = history.frozen()
    before = view.lines(0, len(view))
    history.clear()
    _feed(emulator, 800, 820)
    assert len(history) < len(view) <= 500
    assert view.lines(0, len(view)) == before
