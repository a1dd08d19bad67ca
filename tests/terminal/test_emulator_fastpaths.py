"""The styled fast paths (SGR + ASCII text segments drawn in one go, blocks of SGR-coloured
CR LF lines scrolled into history as runs without building cells) give exactly the screen,
cursor, style and history of the general token-by-token path, and of stock pyte."""

from __future__ import annotations

from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st
from test_emulator_equivalence import assert_same_as_stock

from aisession_tui.terminal.emulator import Emulator

words = st.text(alphabet=st.characters(min_codepoint=0x20, max_codepoint=0x7E), max_size=30)
sgr = st.lists(
    st.one_of(st.sampled_from(["", "0", "1", "2", "4", "7", "22", "39", "49"]),
              st.integers(30, 37).map(str), st.integers(40, 47).map(str),
              st.integers(16, 255).map(lambda n: f"38;5;{n}")),
    max_size=3).map(lambda codes: f"\x1b[{';'.join(codes)}m")
styled_line = st.lists(st.one_of(words, sgr), max_size=8).map("".join)
styled_block = st.lists(styled_line, min_size=1, max_size=30).map(
    lambda lines: "".join(f"{line}\r\n" for line in lines))
others = st.sampled_from(["\r", "\n", "\b", "\t", "\x1b[2;3H", "\x1b[K", "\x1b[3;8r",
                          "\x1b[r", "\x1b[4h", "\x1b[4l", "\x1b(0", "\x1b(B", "\x1b[?7l",
                          "\x1b[?7h", "\x1b[?1049h", "\x1b[?1049l", "\x1b[1;5H"])
streams = st.lists(st.one_of(styled_block, styled_block, styled_line, words, sgr, others),
                   max_size=40).map(lambda parts: "".join(parts).encode())
stock_streams = st.lists(st.one_of(styled_block, styled_block, styled_line, sgr,
                                   st.sampled_from(["\r\n", "\x1b[2;3H", "\x1b[49m\x1b[K"])),
                         max_size=40).map(lambda parts: "".join(parts).encode())
sizes = st.sampled_from([(10, 4), (20, 6), (80, 24), (7, 12)])


def state(emulator: Emulator) -> tuple:
    screen = emulator._screen
    return (
        [emulator.line_runs(y) for y in range(emulator.lines)],
        [emulator.history_runs(i) for i in range(emulator.history_size)],
        emulator.capture("-", join_wrapped=True),
        (screen.cursor.x, screen.cursor.y, screen.cursor.attrs, screen.last_char),
    )


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=streams, size=sizes, limit=st.sampled_from([0, 3, 50, 2000]))
def test_fast_paths_match_bytewise_feeding(data: bytes, size: tuple[int, int],
                                           limit: int) -> None:
    whole = Emulator(*size, history_limit=limit)
    whole.feed(data)
    bytewise = Emulator(*size, history_limit=limit)
    for byte in data:
        bytewise.feed(bytes([byte]))
    assert state(whole) == state(bytewise)


@settings(max_examples=120, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=stock_streams, size=sizes, chunk=st.sampled_from([1, 64, 100000]))
@example(data=b"\r\n\r\n\r\n000000000\x1b[40m00\x1b[m\r\n", size=(10, 4), chunk=64)  # BCE at a wrap
def test_styled_lines_same_screen_as_stock_pyte(data: bytes, size: tuple[int, int],
                                                chunk: int) -> None:
    assert_same_as_stock(data, *size, chunk)


def test_coloured_log_flood_history_matches_line_by_line() -> None:
    lines = [f"\x1b[2m12:00:{n % 60:02d}\x1b[0m \x1b[1;3{n % 7}mLEVEL\x1b[0m "
             f"\x1b[36mworker.{n % 5}\x1b[0m: batch {n}{' ' * (n % 4)}\r\n" for n in range(3000)]
    data = "".join(lines).encode()
    whole = Emulator(60, 20, history_limit=500)
    for start in range(0, len(data), 65536):
        whole.feed(data[start:start + 65536])
    line_by_line = Emulator(60, 20, history_limit=500)
    for line in lines:  # CR and LF as separate controls: no block of lines
        line_by_line.feed(line[:-1].encode())
        line_by_line.feed(b"\n")
    assert whole.history_size == line_by_line.history_size == 481  # tmux's 10% collection
    assert state(whole) == state(line_by_line)
    assert whole.capture("-")[-2] == "12:00:59 LEVEL worker.4: batch 2999"


def test_rows_changed_after_a_block_scroll_off_as_changed() -> None:
    block = "".join(f"\x1b[3{n % 7}mline {n}\x1b[0m tail\r\n" for n in range(30)).encode()
    edits = b"\x1b[2;1HX\x1b[3;4H\x1b[K\x1b[4;1H\x1b[1P\x1b[5;2H\x1b[2@\x1b[24;1H"
    more = "".join(f"\x1b[1mmore {n}\r\n" for n in range(30)).encode()
    whole = Emulator(20, 24)
    whole.feed(block + edits + more)
    bytewise = Emulator(20, 24)
    for byte in block + edits + more:
        bytewise.feed(bytes([byte]))
    assert state(whole) == state(bytewise)
    assert whole.capture("-")[8:12] == ["Xine 8 tail", "lin", "ine 10 tail", "l  ine 11 tail"]


def test_capture_joins_an_empty_wrapped_row() -> None:
    emulator = Emulator(10, 4, history_limit=0)
    emulator.feed(b"0000000000\n0")  # LF keeps the pending wrap: row 1 wraps empty
    assert emulator.capture("-", join_wrapped=True) == ["0000000000", "0", ""]


def test_coloured_flood_history_stays_lazy_and_reflows_like_line_by_line() -> None:
    """A coloured flood's history lines are kept as they came (never encoded while only
    trimmed), and read back, re-wrapped by a resize, exactly as lines drawn one by one."""
    lines = [f"\x1b[2m12:{n % 60:02d}\x1b[0m \x1b[1;3{n % 7}mLVL\x1b[0m \x1b[36mw.{n}\x1b[0m "
             f"{'x' * (n % 30)}\r\n" for n in range(4000)]
    data = "".join(lines).encode()
    whole = Emulator(50, 10, history_limit=300)
    for start in range(0, len(data), 16384):
        whole.feed(data[start:start + 16384])
    hot = whole._screen.history._hot
    assert not whole._screen.history._blocks
    assert sum(type(item).__name__ == "StyledLine" for item in hot) > len(hot) - 10
    line_by_line = Emulator(50, 10, history_limit=300)
    for line in lines:
        line_by_line.feed(line[:-1].encode())
        line_by_line.feed(b"\n")
    assert state(whole) == state(line_by_line)
    for emulator in (whole, line_by_line):
        emulator.resize(23, 10)
        emulator.resize(71, 12)
    assert state(whole) == state(line_by_line)
