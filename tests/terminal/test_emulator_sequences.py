"""Escape sequences the pane emulator must get right, one test per pyte 0.8.2 pitfall."""

from __future__ import annotations

import random

import pytest

from aisession_tui.terminal.emulator import Emulator
from aisession_tui.terminal.style import (
    BOLD,
    CLEARED,
    DEFAULT,
    DIM,
    REVERSE,
    UNDERLINE,
    UNDERLINE_CURLY,
    rgb,
    with_underline_colour,
)


def make(columns: int = 20, lines: int = 5, **kwargs) -> Emulator:
    return Emulator(columns, lines, **kwargs)


def style_of(emulator: Emulator, row: int, text: str) -> tuple[int, int, int]:
    for run_text, fg, bg, attrs in emulator.line_runs(row):
        if text in run_text:
            return fg, bg, attrs
    raise AssertionError(f"{text!r} not in row {row}: {emulator.line_runs(row)}")


@pytest.mark.parametrize("sequence", [b"\x1b[?4m", b"\x1b[>4;2m", b"\x1b[?996n", b"\x1b[?1001r",
                                      b"\x1b[>4;m", b"\x1b[0%m", b"\x1b[?u", b"\x1b[=5u"])
def test_private_and_intermediate_sequences_are_ignored(sequence: bytes) -> None:
    emulator = make()
    emulator.feed(b"a" + sequence + b"bc\r\nnext")
    assert emulator.display()[:2] == ["abc", "next"]
    assert style_of(emulator, 0, "abc") == (DEFAULT, DEFAULT, 0)


def test_modify_other_keys_is_not_underline() -> None:
    emulator = make()
    emulator.feed(b"\x1b[>4;2mtext")
    assert style_of(emulator, 0, "text")[2] & UNDERLINE == 0


@pytest.mark.parametrize("sequence, expected", [
    (b"\x1b[38:2::10:20:30m", (rgb(10, 20, 30), DEFAULT, 0)),
    (b"\x1b[38:2:10:20:30m", (rgb(10, 20, 30), DEFAULT, 0)),
    (b"\x1b[48:5:196m", (DEFAULT, 196, 0)),
    (b"\x1b[38;5;100;48;2;1;2;3m", (100, rgb(1, 2, 3), 0)),
    (b"\x1b[4:3m", (DEFAULT, DEFAULT, UNDERLINE | UNDERLINE_CURLY)),
    (b"\x1b[1;2;7m", (DEFAULT, DEFAULT, BOLD | DIM | REVERSE)),
    (b"\x1b[1;2m\x1b[22m", (DEFAULT, DEFAULT, 0)),
    (b"\x1b[58:2::1:2:3;31m", (1, DEFAULT, with_underline_colour(0, rgb(1, 2, 3)))),
])
def test_sgr_forms(sequence: bytes, expected: tuple[int, int, int]) -> None:
    emulator = make()
    emulator.feed(sequence + b"X")
    assert emulator.display()[0] == "X"
    assert style_of(emulator, 0, "X") == expected


@pytest.mark.parametrize("code, fg, bg", [
    (33, 3, DEFAULT), (93, 11, DEFAULT), (43, DEFAULT, 3), (103, DEFAULT, 11),
    (105, DEFAULT, 13), (95, 13, DEFAULT), (37, 7, DEFAULT), (90, 8, DEFAULT), (107, DEFAULT, 15),
])
def test_colour_names_map_to_palette_indexes(code: int, fg: int, bg: int) -> None:
    emulator = make()
    emulator.feed(b"\x1b[%dmX" % code)
    assert style_of(emulator, 0, "X") == (fg, bg, 0)


def test_256_colour_low_indexes_stay_indexes() -> None:
    emulator = make()
    emulator.feed(b"\x1b[38;5;1mA\x1b[38;5;16mB\x1b[38;5;231mC\x1b[38;2;255;255;255mD")
    assert style_of(emulator, 0, "A")[0] == 1
    assert style_of(emulator, 0, "B")[0] == 16
    assert style_of(emulator, 0, "C")[0] == 231
    assert style_of(emulator, 0, "D")[0] == rgb(255, 255, 255)


@pytest.mark.parametrize("mode", [47, 1047, 1049])
def test_alternate_screen_restores_main_and_keeps_history_clean(mode: int) -> None:
    emulator = make(10, 3)
    emulator.feed(b"one\r\ntwo\r\nthree")
    before = emulator.display()
    runs_before = [emulator.line_runs(row) for row in range(3)]
    emulator.feed(b"\x1b[?%dh" % mode)
    assert emulator.alternate_screen
    emulator.feed(b"\x1b[H\x1b[2J" + b"".join(b"alt %d\r\n" % n for n in range(20)))
    assert "one" not in emulator.display()
    assert emulator.history_size == 0
    emulator.feed(b"\x1b[?%dl" % mode)
    assert not emulator.alternate_screen
    assert emulator.display() == before
    assert [emulator.line_runs(row) for row in range(3)] == runs_before
    assert emulator.history_size == 0


def test_1049_saves_and_restores_cursor() -> None:
    emulator = make(10, 4)
    emulator.feed(b"ab\r\ncd")
    emulator.feed(b"\x1b[?1049h")
    assert emulator.display() == ["", "", "", ""]
    emulator.feed(b"\x1b[4;8Hx")
    emulator.feed(b"\x1b[?1049l")
    assert (emulator.cursor_x, emulator.cursor_y) == (2, 1)


def test_device_attribute_and_status_replies() -> None:
    replies: list[bytes] = []
    emulator = make(on_reply=replies.append)
    emulator.feed(b"\x1b[3;5H\x1b[c\x1b[0c\x1b[>c\x1b[5n\x1b[6n")
    assert replies[0] == replies[1]
    assert replies[0].startswith(b"\x1b[?") and replies[0].endswith(b"c")
    assert replies[2].startswith(b"\x1b[>") and replies[2].endswith(b"c")
    assert replies[3:] == [b"\x1b[0n", b"\x1b[3;5R"]


def test_reply_callback_error_does_not_break_feed() -> None:
    def explode(_data: bytes) -> None:
        raise RuntimeError("client gone")

    emulator = make(on_reply=explode)
    emulator.feed(b"\x1b[6nstill here")
    assert emulator.display()[0] == "still here"


def test_resize_clamps_cursor_and_keeps_content() -> None:
    emulator = make(20, 5)
    emulator.feed(b"0123456789012345678901234")
    emulator.feed(b"\x1b[5;20H")
    emulator.resize(10, 3)
    assert emulator.columns == 10 and emulator.lines == 3
    assert emulator.cursor_x <= 9 and emulator.cursor_y <= 2
    emulator.feed(b"Z")
    assert all(len(line) <= 10 for line in emulator.display())
    for row in range(3):
        assert sum(len(text) for text, *_ in emulator.line_runs(row)) == 10


def test_resize_shrink_pushes_top_rows_to_history_and_grow_pulls_them_back() -> None:
    emulator = make(10, 5)
    emulator.feed(b"a\r\nb\r\nc\r\nd\r\ne")
    emulator.resize(10, 3)
    assert emulator.display() == ["c", "d", "e"]
    assert emulator.capture("-") == ["a", "b", "c", "d", "e"]
    assert emulator.history_size == 2
    emulator.resize(10, 5)
    assert emulator.display() == ["a", "b", "c", "d", "e"]
    assert emulator.history_size == 0
    assert emulator.cursor_y == 4


def test_resize_shrink_drops_rows_below_cursor_first() -> None:
    emulator = make(10, 5)
    emulator.feed(b"prompt$ ")
    emulator.resize(10, 2)
    assert emulator.display() == ["prompt$", ""]
    assert emulator.history_size == 0


def test_wide_characters_take_two_cells_and_wrap_whole() -> None:
    emulator = make(5, 3)
    emulator.feed("abcd中x".encode())
    assert emulator.display()[:2] == ["abcd", "中x"]
    assert emulator.capture(join_wrapped=True)[0] == "abcd中x"
    for row in range(3):
        runs = emulator.line_runs(row)
        assert sum(2 if text_char == "中" else 1 for text, *_ in runs for text_char in text) == 5


def test_combining_characters_join_the_previous_cell() -> None:
    emulator = make(10, 2)
    emulator.feed("e\u0301x".encode())
    emulator.feed("😀".encode() + "\ufe0f".encode() + b"!")
    assert emulator.display()[0] == "e\u0301x😀\ufe0f!"  # kept as sequences, like tmux
    assert emulator.cursor_x == 5


def test_multibyte_split_across_feeds() -> None:
    emulator = make()
    data = "héllo 中文 😀".encode()
    for byte in data:
        emulator.feed(bytes([byte]))
    assert emulator.display()[0] == "héllo 中文 😀"


def test_dec_line_drawing_in_utf8_mode() -> None:
    emulator = make()
    emulator.feed(b"\x1b(0lqqk\x1b(B x \x0e\x1b)0x\x0f")
    assert emulator.display()[0] == "┌──┐ x │"


def test_title_cursor_shape_and_visibility() -> None:
    emulator = make()
    emulator.feed(b"\x1b]0;first\x07\x1b]2;second title\x1b\\")
    assert emulator.title == "second title"
    emulator.feed(b"\x1b]2;split")
    emulator.feed(b" title\x07after")
    assert emulator.title == "split title"
    assert emulator.display()[0] == "after"
    emulator.feed(b"\x1b[5 q\x1b[?25l")
    assert emulator.cursor_shape == 5 and not emulator.cursor_visible
    emulator.feed(b"\x1b[?25h\x1b[0 q")
    assert emulator.cursor_shape == 0 and emulator.cursor_visible


def test_input_modes() -> None:
    emulator = make()
    emulator.feed(b"\x1b[?1h\x1b=\x1b[?2004h\x1b[?1000h\x1b[?1003h\x1b[?1006h\x1b[?1004h")
    assert emulator.app_cursor_keys and emulator.app_keypad and emulator.bracketed_paste
    assert emulator.mouse_mode == 1003 and emulator.mouse_sgr and emulator.focus_events
    emulator.feed(b"\x1b[?1000l")
    assert emulator.mouse_mode == 0
    emulator.feed(b"\x1b[?1l\x1b>\x1b[?2004l\x1b[?1006l\x1b[?1004l")
    assert not (emulator.app_cursor_keys or emulator.app_keypad or emulator.bracketed_paste
                or emulator.mouse_sgr or emulator.focus_events)


def test_take_dirty_tracks_content_and_cursor() -> None:
    emulator = make(10, 5)
    emulator.take_dirty()
    assert emulator.take_dirty() == set()
    emulator.feed(b"\x1b[3;1H")
    assert emulator.take_dirty() == {0, 2}
    emulator.feed(b"x")
    assert emulator.take_dirty() == {2}
    emulator.feed(b"\x1b[5;1H\n")
    assert emulator.take_dirty() == {0, 1, 2, 3, 4}


def test_history_scrolls_with_limit_and_capture_ranges() -> None:
    emulator = make(10, 3, history_limit=5)
    emulator.feed(b"".join(b"l%d\r\n" % n for n in range(10)))
    assert emulator.history_size == 5
    assert emulator.display() == ["l8", "l9", ""]
    assert emulator.capture("-", -1) == ["l3", "l4", "l5", "l6", "l7"]
    assert emulator.capture(-2, 0) == ["l6", "l7", "l8"]
    assert emulator.history_runs(0)[0] == ("l3", DEFAULT, DEFAULT, 0)
    assert sum(len(text) for text, *_ in emulator.history_runs(0)) == 10
    emulator.history_limit = 2
    assert emulator.capture("-", -1) == ["l6", "l7"]
    emulator.clear_history()
    assert emulator.history_size == 0


def test_scroll_region_feeds_history_as_tmux() -> None:
    """tmux 3.3a puts a scroll region's top row into the history too (its
    grid_scroll_history_region); capture-pane -S - there shows these rows."""
    emulator = make(10, 4)
    emulator.feed(b"\x1b[2;3r\x1b[3;1H" + b"x\n" * 5)
    assert emulator.history_size == 5
    assert emulator.capture("-") == ["", "x", " x", "  x", "   x", "", "    x", "", ""]


def test_capture_escapes_keep_colours() -> None:
    emulator = make(20, 2)
    emulator.feed(b"\x1b[1;31mred\x1b[0m plain \x1b[48;5;200mbg\x1b[m")
    line = emulator.capture(0, 0, escapes=True)[0]
    # byte for byte what tmux 3.3a's capture-pane -e writes for the same input
    assert line == "\x1b[1m\x1b[31mred\x1b[0m\x1b[39m\x1b[49m plain \x1b[48;5;200mbg"


def test_ed3_clears_history_only() -> None:
    emulator = make(10, 2)
    emulator.feed(b"a\r\nb\r\nc")
    assert emulator.history_size == 1
    emulator.feed(b"\x1b[3J")
    assert emulator.history_size == 0
    assert emulator.display() == ["b", "c"]


def test_erase_uses_background_only() -> None:
    emulator = make(6, 2)
    emulator.feed(b"\x1b[4;44m\x1b[2K")
    assert emulator.line_runs(0) == [("      ", DEFAULT, 4, CLEARED)]


def test_rep_repeats_last_character() -> None:
    emulator = make()
    emulator.feed(b"-\x1b[4b|")
    assert emulator.display()[0] == "-----|"


def test_reset_clears_screen_and_modes() -> None:
    emulator = make()
    emulator.feed(b"\x1b[?1049h\x1b[?1hxyz\x1b]2;t\x07")
    emulator.reset()
    assert emulator.display() == [""] * 5
    assert not emulator.alternate_screen and not emulator.app_cursor_keys and emulator.title == ""


def test_feed_never_raises_on_garbage() -> None:
    generator = random.Random(1234)
    alphabet = [b"\x1b", b"[", b"]", b"?", b">", b";", b":", b"1", b"9", b"m", b"H", b"h",
                b"J", b"\x07", b"\x9b", b"P", b"\\", b"\r", b"\n", b"\x08", b"\xff", b"\xe4",
                b"x", b"(", b"0", b"#", b"8", b"c", b"n", b"r", b"b", b"99999", b"@", b"L"]
    for seed in range(200):
        emulator = make(8, 4, history_limit=10)
        emulator.feed(b"".join(generator.choice(alphabet) for _ in range(300)))
        # (two STs first: after its final character a DCS runs to ST whatever else
        # comes, CAN included, as tmux reads it)
        emulator.feed(b"\x1b\\\x1b\\\x18\x1b[0m\x1b[?1049l\x1b(B\x0f\x1b[H\x1b[2Jok")
        assert emulator.display()[0].endswith("ok"), seed
        assert 0 <= emulator.cursor_x < 8 and 0 <= emulator.cursor_y < 4
        for row in range(4):
            assert sum(2 if ord(ch) > 0x1100 else 1 for text, *_ in emulator.line_runs(row)
                       for ch in text) >= 0


def test_rest_of_chunk_survives_a_bad_sequence() -> None:
    emulator = make()
    emulator.feed(b"\x1b[99999999999999999999L\x1b[1;2;3;4;5;6;7;8;9;10;11;12;13;14;15rok")
    assert "ok" in emulator.display()[0]


def test_cursor_outside_scroll_region_moves_like_xterm() -> None:
    emulator = make(10, 10)
    emulator.feed(b"\x1b[3;5r\x1b[8;1H\n")
    assert emulator.cursor_y == 8
    emulator.feed(b"\x1b[1;1H\x1b[B")
    assert emulator.cursor_y == 1
    emulator.feed(b"\x1b[4;1H\x1b[9A")
    assert emulator.cursor_y == 2
    emulator.feed(b"\x1b[9B")
    assert emulator.cursor_y == 4


@pytest.mark.parametrize(("data", "expected"), [
    (b"0\x1b[M", ["", "", ""]),                       # the next line was never written
    (b"0\x1b[49m\x1b[J\x1b[0M", ["", "", ""]),        # ... or erased (and so absent)
    (b"a\r\nb\r\nc\x1b[H\x1b[2M", ["c", "", ""]),
    (b"a\r\n\r\nc\x1b[H\x1b[M", ["", "c", ""]),       # a blank line moves up as blank
])
def test_delete_lines_moves_blank_lines_up_too(data: bytes, expected: list[str]) -> None:
    """DL as xterm and tmux do it (tmux: ``printf '0\\033[M'`` leaves the row empty);
    pyte 0.8.2 kept a line when the one below it had never been written."""
    emulator = make(10, 3)
    emulator.feed(data)
    assert emulator.display() == expected


def test_an_unfinished_dcs_is_given_up_after_five_seconds(monkeypatch: pytest.MonkeyPatch
                                                          ) -> None:
    """tmux's input timer: a string sequence still open 5 s after it began no longer
    swallows what comes next; before that it does, across feeds."""
    from aisession_tui.terminal import parser

    now = [1000.0]
    monkeypatch.setattr(parser.time, "monotonic", lambda: now[0])
    emulator = make(20, 3)
    emulator.feed(b"ab\x1bPq#1")
    now[0] += 3
    emulator.feed(b"\x1b[31mxy")
    assert emulator.display()[0] == "ab"
    now[0] += 3  # 6 s after the DCS began
    emulator.feed(b"cd")
    assert emulator.display()[0] == "abcd"


def test_grammar_streams_cut_between_reads_give_the_same_screen() -> None:
    """Seeded grammar streams (the tmux fuzzer's) fed whole and cut at two random points:
    a sequence cut between reads is completed by the next one, never run twice."""
    from aisession_tui.terminal.stream_grammar import SIZES, random_stream

    rng = random.Random(15)

    def result(emulator: Emulator) -> tuple[list[str], list[str], tuple[int, int]]:
        cursor = emulator._screen.cursor
        return (emulator.capture(None), emulator.capture(None, escapes=True),
                (cursor.x, cursor.y))

    for _ in range(300):
        data = random_stream(rng)
        columns, lines = rng.choice(SIZES)
        whole = make(columns, lines)
        whole.feed(data)
        cuts = sorted(rng.randrange(len(data) + 1) for _ in range(2))
        parts = make(columns, lines)
        for start, end in zip([0, *cuts], [*cuts, len(data)]):
            parts.feed(data[start:end])
        assert result(parts) == result(whole), (data, cuts, columns, lines)
