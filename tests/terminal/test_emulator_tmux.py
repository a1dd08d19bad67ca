"""The emulator against live tmux 3.3a: each minimal case of issue 15, and a seeded
differential fuzzer over the stream grammar (``aisession_tui.terminal.stream_grammar``).

Every stream is replayed in one private tmux server (``stty raw -echo; cat FILE`` in a
detached session of the stream's size) and in :class:`Emulator`; ``capture-pane -p``,
``capture-pane -p -e`` and the cursor (``#{cursor_x},#{cursor_y}``, where x = columns is
the pending-wrap position) must agree.
"""

from __future__ import annotations

import os
import random
from collections.abc import Iterator

import pytest

from aisession_tui.terminal.differential import Outcome, compare
from aisession_tui.terminal.emulator import Emulator
from aisession_tui.terminal.stream_grammar import SIZES, random_stream
from aisession_tui.terminal.tmux_differences import DECISIONS, Decision
from aisession_tui.terminal.tmux_oracle import TmuxOracle, tmux_binary

pytestmark = pytest.mark.skipif(tmux_binary() is None, reason="tmux is not installed")

# (name, bytes, columns, lines): tmux's result is the expected one.
CASES = [
    ("BCE: LF scrolls in a line in the background", b"a\r\nb\r\nc\x1b[44m\r\n\x1b[2Cd", 10, 3),
    ("BCE: SU", b"a\x1b[44m\x1b[2S\x1b[3;3Hd", 10, 3),
    ("BCE: SD", b"a\x1b[44m\x1b[2T\x1b[1;3Hd", 10, 3),
    ("BCE: IL", b"a\r\nb\x1b[44m\x1b[1;1H\x1b[L\x1b[2Cd", 10, 3),
    ("BCE: DL", b"a\r\nb\x1b[44m\x1b[1;1H\x1b[M\x1b[3;3Hd", 10, 3),
    ("BCE: LF in a scroll region", b"\x1b[1;2r\x1b[44m\x1b[2;1Hx\n\ny", 10, 3),
    ("BCE: RI in a scroll region", b"\x1b[2;3r\x1b[44m\x1b[2;1H\x1bM\x1b[2;3Hy", 10, 3),
    ("BCE: RI at the top", b"a\x1b[44m\x1b[1;1H\x1bM\x1b[1;3Hy", 10, 3),
    ("BCE: NEL", b"a\r\nb\r\nc\x1b[44m\x1bE\x1b[2Cd", 10, 3),
    ("BCE: ICH", b"abc\x1b[44m\x1b[1;1H\x1b[2@", 10, 3),
    ("BCE: EL to the end of the line", b"abc\x1b[44m\x1b[1;2H\x1b[K", 10, 3),
    ("BCE: autowrap under a colour set in the same line", b"\r\n\r\n\r\n00000000000\x1b[40m\r\nx", 10, 4),
    ("pending wrap kept by CUD, cleared to last column", b"\x1b[80GZ\x1b[Bf", 80, 24),
    ("pending wrap kept by CUU", b"\x1b[10GZ\x1b[Af", 10, 4),
    ("HT from pending wrap does nothing", b"\x1b[10GZ\tf", 10, 4),
    ("BS from pending wrap lands on last column", b"\x1b[10GZ\x08f", 10, 4),
    ("CUB from pending wrap", b"\x1b[10GZ\x1b[Df", 10, 4),
    ("DECAWM off: cursor stays on last column, DCH hits it", b"\x1b[?7l\x1b[10GZ\x1b[P", 10, 4),
    ("DECAWM off: ECH after overflowing text", b"\x1b[?7labcdefghijkl\x1b[X", 10, 4),
    ("DL keeps the cursor column", b"$\x1b[Mn", 80, 24),
    ("IL keeps the cursor column", b"12345\x1b[2Ln", 10, 4),
    ("combining mark kept as a sequence", "I\u0300x".encode(), 10, 4),
    ("REP repeats an ASCII char printed just before", b"ab\x1b[3bc", 10, 4),
    ("REP ignores a wide char", "中\x1b[3bc".encode(), 10, 4),
    ("REP never past the line end", b"abcdefgh\x1b[5b", 10, 4),
    ("REP forgets after CR", b"a\r\x1b[3b", 10, 4),
    ("REP forgets after a CSI", b"a\x1b[C\x1b[3b", 10, 4),
    ("REP forgets after SGR", b"b\x1b[1m\x1b[3b", 10, 4),
    ("REP does not repeat itself", b"b\x1b[3b\x1b[2b", 10, 4),
    ("REP forgets after BEL", b"b\x07\x1b[3b", 10, 4),
    ("capture -e writes only what changed", b"\x1b[31mRED\x1b[1mX\x1b[22mY\x1b[0mZ", 20, 4),
    ("38;5;N below 16 kept apart from 9x", (b"\x1b[38;5;9mA\x1b[91mB\x1b[38;5;200mC"
     b"\x1b[38;2;1;2;3mD"), 20, 4),
    ("48;5;N, 10x and colon RGB", b"\x1b[44mA\x1b[104mB\x1b[48;5;3mC\x1b[48:2::1:2:3mD", 20, 4),
    ("underline styles 4:2 to 4:5 and 21", (b"\x1b[4:3mA\x1b[4:0mB\x1b[21mC\x1b[4:2mD"
     b"\x1b[4:4mE\x1b[4:5mF\x1b[4mG"), 20, 4),
    ("underline colour 58;5;n and 58:2::r:g:b, 59", (b"\x1b[58;5;9mA\x1b[4mB"
     b"\x1b[58:2::9:8:7mC\x1b[59mD"), 20, 4),
    ("malformed SGR ignored: 5: 48;5; 38;2;1", (b"\x1b[5:mA\x1b[48;5;mB\x1b[38;2;1mC"
     b"\x1b[1;5:mD"), 20, 4),
    ("palette index missing or out of range resets the colour",
     b"\x1b[1;44m\x1b[48;5;mB\x1b[1;44m\x1b[48;5;300;3mC\x1b[0;1;31m\x1b[38;5mD", 20, 4),
    ("underline colour unchanged by a malformed 58",
     b"\x1b[58;5;9m\x1b[4mA\x1b[58;5;mB\x1b[58;5;9mC\x1b[59mD", 20, 4),
    ("short or out-of-range RGB read as plain parameters",
     b"\x1b[44m\x1b[48;2;1;2mF\x1b[44m\x1b[48;2;1;2;300mG", 20, 4),
    ("colon forms: 4: 4:7 ignored, 38:5 without index ignored",
     (b"\x1b[4:mA\x1b[4:7mB\x1b[4:1mC\x1b[38:5mD\x1b[38:5:300mE\x1b[31m"
     b"\x1b[38:2:1:2:3mF\x1b[38:2:1:2mG"), 20, 4),
    ("ESC 8 after a 1049 round trip restores DECSC's cursor",
     b"\x1b[2;3H\x1b7\x1b[3;5H\x1b[?1049h\x1b[?1049l\x1b[1;1H\x1b8X", 10, 4),
    ("ESC 7 in the alternate screen is seen by ESC 8 in the main one",
     b"\x1b[3;4H\x1b[?1049h\x1b7\x1b[?1049l\x1b8X", 10, 4),
    ("?1049l after ?47h keeps the cursor", b"ab\x1b[3;4H\x1b[?47h\x1b[?1049lX", 10, 4),
    ("RIS in the alternate screen stays in it", b"main\x1b[?1049halt\x1bcX", 10, 4),
    ("RIS in the alternate screen, then ?1049l", b"main\x1b[?1049halt\x1bcX\x1b[?1049lY", 10, 4),
    ("47 and 1047 round trips", b"\x1b[?47hA\x1b[?47l\x1b[?1047hB\x1b[?1047l", 10, 4),
    ("DECCOLM set clears, resets margins, homes", b"abc\x1b[2;2r\x1b[3;3H\x1b[?3hX", 10, 4),
    ("DECCOLM reset too", b"abc\x1b[3;3H\x1b[?3lX", 10, 4),
    ("DECALN homes, E's in the default style", b"\x1b[1;31m\x1b[2;3H\x1b#8X", 10, 4),
    ("CSI ;T scrolls down one", b"a\r\nb\r\nc\x1b[;T", 10, 4),
    ("CSI 2;T scrolls down two", b"a\r\nb\r\nc\x1b[2;T", 10, 4),
    ("ESC BS: BS runs, the next char ends the escape", b"ab\x1b\x08x", 10, 4),
    ("ESC BS D is an index", b"ab\x1b\x08Dx", 10, 4),
    ("ESC CR", b"ab\x1b\rx", 10, 4),
    ("ESC LF D", b"ab\x1b\nDx", 10, 4),
    ("ESC BEL", b"ab\x1b\x07x", 10, 4),
    ("ESC DEL D", b"ab\x1b\x7fDx", 10, 4),
    ("ESC then a UTF-8 char: ignored, next char ends it", "ab\x1béx".encode(), 10, 4),
    ("ESC CAN cancels", b"ab\x1b\x18x", 10, 4),
    ("ESC BS then CSI", b"ab\x1b\x08\x1b[2Cx", 10, 4),
    ("lines from SU/SD/IL/DL capture blank whatever the background", b"\x1b[44mab\x1b[2S\x1b[L\x1b[2;1H\x1b[M\x1b[T", 10, 4),
    ("overline 53/55, 6 blinks, 1:2 ignored", (b"\x1b[53mA\x1b[55mB\x1b[6mC\x1b[73mD"
     b"\x1b[1:2mE"), 20, 4),
    ("a wide char fills a 1-column pane, the cursor back at 0", "中".encode(), 1, 3),
    ("a wide char after a 1-column pending wrap: unseen, no scroll", "5CI中".encode(), 1, 3),
    ("a wide char then a narrow one in a 1-column pane", "\x1b[31m中ab".encode(), 1, 3),
    ("a wide char in a 1-column pane, then EL", "s中\x1b[0K".encode(), 1, 3),
    ("a wide char in a 1-column pane without autowrap is dropped", "\x1b[?7l中x".encode(), 1, 3),
    ("DECAWM off: a wide char that does not fit is dropped", "\x1b[?7lelsx\x1b[8b中".encode(),
     13, 5),
    ("DECAWM off: a wide char at the last column is dropped", "\x1b[?7l\x1b[10G中".encode(),
     10, 4),
    ("DECAWM off in a 1-column pane: x = 1 after a char, the next one dropped",
     b"\x1b[?7lxy", 1, 3),
    ("DECAWM off in 2 columns: the last column is overwritten", b"\x1b[?7lxyz", 2, 3),
    ("DECAWM off: a wide char filling 2 columns leaves x = 2", "\x1b[?7l中x\x1b[P".encode(),
     2, 3),
    ("capture -e: DCH makes the moved cells used (their codes, not their spaces)",
     b"\x1b[42;1me\x1b[8P", 20, 8),
    ("capture -e: DCH then a wide char", "\x1b[22;9m\x1b[8Pあ".encode(), 80, 24),
    ("capture -e: insert mode makes the line used", b"\x1b[91;9m\x1b[4h ", 13, 5),
    ("capture -e: ICH after an erase", b"\x1b[1mab\x1b[K\x1b[2@", 20, 4),
    ("capture -e: EL 2 forgets the used cells", b"\x1b[1mab\x1b[2@\x1b[2K", 20, 4),
    ("capture -e: DCH of the whole rest moves nothing", b"\x1b[1mab\x1b[30P", 20, 4),
    ("BS from column 0 goes up onto a wrapped line", b"Nt(O<%LY9G!^'W\r\x08f", 13, 5),
    ("BS from column 0 stays when the line above did not wrap", b"abc\r\n\x08f", 13, 5),
    ("EL 2 on the continuation unwraps the line above", b"abcdefghijklmn\x1b[2K\r\x08f",
     13, 5),
    ("EL 0 from column 1 keeps the line wrapped", (b"abcdefghijklmn\x1b[A\x1b[K\x1b[B"
     b"\r\x08f"), 13, 5),
    ("EL 0 from column 0 unwraps it", b"abcdefghijklmn\x1b[A\r\x1b[K\x1b[B\r\x08f", 13, 5),
    ("ED 0 unwraps the cursor line", b"abcdefghijklmn\x1b[A\x1b[5G\x1b[J\x1b[B\r\x08f",
     13, 5),
    ("EL 1 keeps the line wrapped", b"abcdefghijklmn\x1b[A\x1b[5G\x1b[1K\x1b[B\r\x08f",
     13, 5),
    ("REP does not repeat a character a combining mark joined", "I\u0301\x1b[b".encode(), 64, 4),
    ("a wide char written on a wide char's stub leaves a default cell",
     "\x1b[23;38;2;10;20;30m中\x08ｗ".encode(), 37, 11),
    ("a char written on a wide char's first half leaves a default cell",
     "\x1b[31m中z\x1b[1G\x1b[32mé".encode(), 10, 4),
    ("an ASCII char written on a wide char's first half", "\x1b[44m中z\rx".encode(), 10, 4),
    ("?1048l is ignored (no restore)", b"\n\x1b[?1048l>", 64, 4),
    ("?1048h then ?1048l is ignored", b"ab\x1b[?1048h\r\nc\x1b[?1048lX", 10, 4),
    ("REP after a dropped wide char repeats nothing", "\t\x1b[?7lelsx中\x1b[8b".encode(),
     13, 5),
    ("a combining mark at column 0 is dropped", b"ab\r\n\xcc\x88x", 10, 4),
    ("a combining mark at column 0 after CUD", b"\x1b[8B\xcc\x88", 20, 8),
    # capture-pane reads the cells tmux's grid has in use (cellused): written or moved
    # ones; an erase, with a colour or not, neither adds cells nor forgets them
    ("cellused: ECH in a colour past the written cells", b"\x1b[42m\x1b[12X", 13, 5),
    ("cellused: ED in a colour after text", b"\x1b[0;104;38:5:100mabc def\x1b[J", 64, 4),
    ("cellused: EL over written cells keeps them", b"\x1b[31mabcdef\x1b[1;3H\x1b[0m\x1b[K", 10, 3),
    ("cellused: ICH of the whole line moves nothing",
     b"\x1b[99@\x1b[38;5;196mabc defabc def", 80, 24),
    ("cellused: insert mode moves the line's cells", b"\x1b[4h\x1b[2;42mx\x1b[8P", 20, 8),
    ("cellused: ECH of the whole line empties it", b"ab\x1b[3G\x1b[31m$ \r\x1b[99X", 3, 3),
    ("BCE: DCH leaves cells in the background", b"abcdef\x1b[44m\x1b[1;3H\x1b[2P", 10, 3),
    ("BCE: DCH to the end of the line", b"$ $ $ xxx\x1b[?7l\t\x1b[27;9;42m$ \x1b[99P", 13, 5),
    ("IL keeps a pending wrap", b"0123456789\x1b[Lx", 10, 3),
    ("DL keeps a pending wrap", b"0123456789\x1b[Mx", 10, 3),
    ("DL keeps a pending wrap in a 1-column pane", b"lsls\x1b[1M", 1, 3),
    ("IL outside the scroll region moves the lines down to the screen's end",
     b"\x1b[2;5ro\xcc\x88\x1b[5L", 37, 11),
    ("DL outside the scroll region", b"a\r\nb\r\nc\x1b[2;3r\x1b[1;1H\x1b[M", 10, 4),
    ("CUP reads its first two parameters of three", b"ab\x1b[1;2;fX", 10, 3),
    ("DECSTBM: a 0 bottom is 1, a one-line region is ignored", b"=>\x1b[;0rhello", 20, 4),
    ("DECSTBM 0;0 is ignored", b"a\x1b[0;0rb", 10, 3),
    ("CSI u with parameters restores the cursor", b"ab:\x1b[1;2;u\xcc\x81", 20, 3),
    ("CSI s with parameters saves the cursor", b"ab\x1b[5sx\x1b[uy", 10, 3),
    ("REP after a CSI an ESC cut off", b"ab\x1b[12\x1b[b", 10, 3),
    ("REP after an unknown CSI", b"ab\x1b[5y\x1b[2b", 10, 3),
    ("a sub-parameter makes CUP invalid", b"ab\x1b[5:1H\x1b[2bc", 10, 3),
    ("an autowrap scrolls in a line in the default colours",
     b"x\r\ny\x1b[44mabcdefghijklmnop\tq", 13, 2),
    ("an autowrap of a wide character scrolls in a default line",
     "x\r\ny\x1b[48;2;1;2;3m中中中中中中中\tq".encode(), 13, 2),
    ("cellused: DCH of the whole line empties it",
     b"\x1b[7;38;5;196;1m\x1b#8\x1b[300P~/src~/src", 80, 24),
    ("cellused: DCH of the whole line in a colour", b"\x1b#8\x1b[48:2::1:2:3m\x1b[300P", 13, 5),
    ("RI keeps a pending wrap", b"a\r\n0123456789\x1bMx", 10, 3),
    ("RI keeps a pending wrap in a 1-column pane", "xx\x1bMｗ".encode(), 1, 3),
    ("RI above the scroll region goes up", b"a\r\nb\r\nc\r\nd\x1b[1;2r\x1b[4;5H\x1bM\x1bM\x1bMx", 10, 4),
    ("ASCII over a wide character's right half clears it (column 1 on)",
     "ab中\bO".encode(), 10, 2),
    ("a non-ASCII char over a wide character's right half clears it", "ab中\bé".encode(), 10, 2),
    ("a wide char over a wide character's right half", "ab中\b漢x".encode(), 10, 2),
    ("DCH from a wide character's right half leaves it whole in the grid",
     "漢字\b\x1b[300Pls".encode(), 37, 11),
    ("ED from a wide character's right half leaves it whole in the grid",
     "\x1b[?7l\x1b[31m1'(B})X[^fF.un:IoU)\bあ\x1b[J".encode(), 20, 8),
    ("insert mode on a wide character's right half keeps it",
     "\x1b[4h漢字\b=>=>".encode(), 37, 11),
    ("insert mode pushes a wide character off the line end",
     "\x1b[4h\tｗ\x1b[Tabc defabc defabc defあerror:".encode(), 37, 11),
    ("a wrapped row's moved cells are in use (capture -e carries the style)",
     "\x1b[@한\x1b[2;1;31;24m=>\x1b[8C中".encode(), 13, 5),
    ("1-column pane without autowrap: SGR then a char, then a combining mark",
     "\x1b[?7l\x1b[4;1;31mI\u20d7".encode(), 1, 3),
    ("?1049l outside the alternate screen clamps a pending wrap", "o\u0301\x1b[?1049l".encode(),
     1, 3),
    ("a wide char in a 1-column pane on a wrapped row", "    \x1b[2A한".encode(), 1, 3),
    ("a plain line over a wide character's first half leaves a default cell",
     "漢字\x1b[3Z/\r\n".encode(), 64, 4),
    ("DECSTBM homes to the screen's top-left even in origin mode", b"\x1b[?6h\x1b[5;rab", 20, 8),
    ("DECCOLM keeps the margins and homes in origin mode",
     b"\x1b[2;4r\x1b[?6h\x1b[?3lab\r\n\r\n\r\ncd", 10, 6),
    ("DECCOLM clears and homes, the region scrolls", b"\x1b[1;3r\x1b[?3h0123456789err\r\n\r\n\r\n",
     10, 8),
    ("ICH in a 1-column pane empties the line", b"\x1b[3mlsls\x1b\x08\x1b[0@", 1, 3),
    ("a combining mark joins an erased cell, which is then in use",
     b"\x1b[?7l\x1b[48:2::1:2:3;3m~/src~/src\x1b[99Ta\xcc\x81", 1, 3),
    ("non-ASCII inside a CSI is ignored, the CSI goes on", "ab\x1b[1;2;한u\u0301".encode(), 20, 3),
    ("ESC, a UTF-8 character, then P starts a DCS", "ab\x1bé" "Pq\x1b[31mx".encode(), 20, 3),
    ("a DCS goes on past an ESC that is not ST", b"ab\x1bPq#1\x1b[31mx\x1b\\cd", 20, 3),
    ("a DCS with a colon before its final is aborted by ESC", b"ab\x1bP1:\x1b[31mx", 20, 3),
    ("DECRC brings origin mode back, not autowrap", b"\x1b7\x1b[?7l\x1b8abc defabc defabc def",
     20, 8),
    ("SD unwraps the line it moves from the region's top (BS then stays)",
     b"=>\x1b[8`\x0c\x1b[T\x08", 1, 3),
    ("IL unwraps the cursor's line as it moves it", b"abcdefghijklmn\x1b[A\x1b[L\x1b[2B\x08",
     10, 4),
    ("DL unwraps the line above the cursor", b"x\r\nabcdefghijklmn\x1b[A\x1b[M\x1b[B\x08",
     10, 4),
    ("ASCII over a wide character's right half in column 0 leaves it in the grid",
     "中\bOwQ".encode(), 80, 24),
    ("a non-ASCII char over a wide character's right half in column 0 clears it",
     "中\bé".encode(), 80, 24),
    ("ASCII without autowrap over a wide character's right half in column 0 clears it",
     "\x1b[?7l中\bO".encode(), 80, 24),
    ("a wide char at a 1-column pane's pending wrap puts the row in use (capture -e)",
     "\x1b[39;4:3mQ\x1b[8d한".encode(), 1, 3),
    ("insert mode over a wide character's right half keeps the stub it moved",
     "\x1b[4h\x1b#8漢字\bOwQ0z3".encode(), 80, 24),
    ("DECALN keeps the lines' wrap (BS then climbs)",
     b"hellohellohello01234567890123456789hellohellohello\x1b#8\x0c\x08lsls", 37, 11),
    ("insert mode inserts cells in the default colours",
     "\x1b[3g\x1b[42m\x1b[?7l\x1b[4h\tabc defabc defabc def\x1b[?7h中".encode(), 37, 11),
    ("DL of every line below unwraps the line above (grid_clear_lines)",
     b"abc defabc def\x1b[H\x0b\x1b[8M\x08", 13, 5),
    ("IL of every line below unwraps the line above", b"abc defabc def\x1b[H\x0b\x1b[8L\x08",
     13, 5),
    ("DL in a region of every line below unwraps the line above",
     b"abc defabc def\x1b[3;5r\x1b[H\x0b\x1b[4M\x08", 13, 5),
    ("IL outside the region of every line below changes nothing",
     b"hellohello\x1b[3;5r\x1b[40L", 64, 4),
    ("a scroll without history of a 2-line region unwraps the line it moves up",
     b"\x1b[?1049h\x1b[3;1Habcdefghijklmn\x1b[2;3r\x1b[3;1H\n\x1b[3;1H\x08X", 10, 5),
    ("RI in a region unwraps the line above it",
     b"abcdefghijklmn\x1b[2;4r\x1b[2;1H\x1bM\x1b[3;1H\x08\x08x", 10, 5),
]


@pytest.fixture(scope="module")
def oracle() -> Iterator[TmuxOracle]:
    with TmuxOracle(f"emu-tmux-{os.getpid()}") as server:
        yield server


def describe(outcome: Outcome) -> str:
    return (f"{outcome.data!r} at {outcome.size}:\n ours {outcome.ours}\n tmux {outcome.theirs}")


@pytest.fixture(scope="module")
def case_outcomes(oracle: TmuxOracle) -> dict[str, Outcome]:
    outcomes = compare(oracle, [(data, columns, lines) for _n, data, columns, lines in CASES])
    return {name: outcome for (name, *_rest), outcome in zip(CASES, outcomes)}


@pytest.mark.parametrize("name", [case[0] for case in CASES])
def test_minimal_case_matches_tmux(case_outcomes: dict[str, Outcome], name: str) -> None:
    outcome = case_outcomes[name]
    assert outcome.identical, describe(outcome)


# (name, first read, second read, columns, lines): a sequence cut where the child's output
# was read in two; tmux parses the bytes as they come, so its result is the whole stream's.
SPLIT_CASES = [
    ("controls inside a CSI cut after them run once", b"ab\x1b[1;2;\x07\n", "한u".encode(),
     20, 4),
    ("REP after an ESC that ends a read", b"abc def\x1b", b"[bQ", 20, 3),
    ("an SGR cut in its parameters", b"ab\x1b[3", b"1mcd", 20, 3),
    ("a DCS cut inside an ESC that is not its ST", b"ab\x1bPq#1\x1b", b"[31mx\x1b\\cd", 20, 3),
    ("a UTF-8 character cut in two", "ab中".encode()[:3], "ab中x".encode()[3:], 20, 3),
]


def test_the_screen_shows_a_blank_for_a_wide_character_cut_in_the_grid() -> None:
    """What capture-pane reads (tmux's grid) and what the pane shows (the terminal under
    tmux clears a wide character whose right half is overwritten) differ there."""
    emulator = Emulator(20, 3)
    emulator.feed("中\bOwQ".encode())
    assert emulator.capture(None)[0] == "中OwQ"
    assert emulator.display()[0] == " OwQ"


@pytest.mark.parametrize("case", SPLIT_CASES, ids=[case[0] for case in SPLIT_CASES])
def test_a_sequence_cut_between_reads_matches_tmux(oracle: TmuxOracle, case: tuple) -> None:
    _name, first, second, columns, lines = case
    theirs = oracle.replay([(first + second, columns, lines)])[0]
    emulator = Emulator(columns, lines, history_limit=oracle.history_limit)
    emulator.feed(first)
    emulator.feed(second)
    cursor = emulator._screen.cursor
    assert (emulator.capture(None), emulator.capture(None, escapes=True),
            (cursor.x, cursor.y)) == (theirs.text, theirs.escaped, theirs.cursor)


# The differential fuzzer: seeded streams from the grammar, 100 per test. tmux is the
# oracle; these floors are the identical-stream counts measured when the fuzzer landed
# (a ratchet: raise them as the emulator gets closer, never lower them).
# seed: (same capture-pane -p, same capture-pane -p -e, same cursor)
FUZZ_FLOORS = {1: (100, 100, 100), 2: (100, 100, 100), 3: (100, 100, 100)}
FUZZ_STREAMS = 100


def fuzz_streams(seed: int) -> list[tuple[bytes, int, int]]:
    rng = random.Random(seed)
    return [(random_stream(rng), *rng.choice(SIZES)) for _ in range(FUZZ_STREAMS)]


@pytest.mark.parametrize("seed", sorted(FUZZ_FLOORS))
def test_fuzzed_streams_match_tmux(oracle: TmuxOracle, seed: int) -> None:
    outcomes = compare(oracle, fuzz_streams(seed))
    counts = (sum(o.same_text for o in outcomes), sum(o.same_escaped for o in outcomes),
              sum(o.same_cursor for o in outcomes))
    print(f"seed {seed}: identical text/attributes/cursor {counts} of {len(outcomes)}")
    failing = sorted((o for o in outcomes if not o.identical), key=lambda o: len(o.data))
    examples = "\n".join(describe(outcome) for outcome in failing[:3])
    floors = FUZZ_FLOORS[seed]
    assert all(count >= floor for count, floor in zip(counts, floors)), (
        f"fewer streams identical to tmux than before: {counts} < {floors}\n{examples}")


@pytest.mark.parametrize("decision", DECISIONS, ids=[d.name for d in DECISIONS])
def test_deliberate_differences_from_tmux(oracle: TmuxOracle, decision: Decision) -> None:
    """Each row of the decision table: tmux does what the row says, and we do otherwise."""
    outcome = compare(oracle, [(decision.data, 20, 4)])[0]
    assert outcome.theirs.text[0] == decision.tmux_line
    assert outcome.ours.text[0] == decision.our_line


# Reflow: (name, bytes, columns, lines, resizes); captures then include the history.
LONG_LINES = b"".join(bytes([97 + i]) * 30 + b"\r\n" for i in range(3)) + b"xy"
REFLOW_CASES = [
    ("narrowing wraps lines, widening joins them", LONG_LINES, 20, 5, ((10, 5), (25, 5))),
    ("blank rows below the cursor are kept", LONG_LINES, 20, 10, ((10, 10), (7, 10), (30, 10))),
    ("wide characters at the wrap point",
     "0123456789abcdefgh中文字\r\nline2 is here and long\x1b[1;15H".encode(), 20, 10,
     ((10, 10), (7, 10), (30, 10))),
    ("width and height together", LONG_LINES, 20, 5, ((11, 6), (30, 9), (9, 3))),
    ("history lines re-wrapped", b"".join(b"line %d " % n * 4 + b"\r\n" for n in range(40)),
     30, 6, ((13, 6), (45, 8), (30, 6))),
    ("colours survive the re-wrap", (b"\x1b[31mred red red red red \x1b[44mblue blue blue\x1b[0m"
     b"\r\nplain"), 20, 4, ((7, 4), (33, 4))),
    ("cursor in the middle of a wrapped line", b"abcdefghijklmnopqrstuvwxyz\x1b[1;5H", 10, 5,
     ((4, 5), (13, 5))),
    ("clear pushes the screen into history, which growing does not pull back",
     b"a\r\nb\r\nc\x1b[2J", 10, 4, ((8, 5), (8, 7))),
    ("RIS pushes the screen into history too", b"a\r\nb\r\nc\x1bc", 10, 4, ((8, 5), (8, 7))),
    ("alternate screen programs are resized, not reflowed",
     LONG_LINES + b"\x1b[?1049h" + b"x" * 30, 20, 5, ((10, 5), (25, 6))),
    ("back from the alternate screen after resizes",
     LONG_LINES + b"\x1b[?1049h" + b"x" * 30, 20, 5, ((10, 5),)),
]


@pytest.mark.parametrize("case", REFLOW_CASES, ids=[case[0] for case in REFLOW_CASES])
def test_reflow_matches_tmux(oracle: TmuxOracle, case: tuple) -> None:
    _name, data, columns, lines, resizes = case
    outcome = compare(oracle, [(data, columns, lines)], resizes=resizes)[0]
    assert outcome.identical, describe(outcome)


# seed: the resizes applied, and the identical streams after them (text, -e, cursor; history
# included) as a ratchet
REFLOW_FUZZ_RESIZES = {4: ((11, 6), (30, 9)), 5: ((50, 6),), 6: ((9, 12), (20, 8))}
REFLOW_FUZZ_COUNTS = {4: (72, 68, 82), 5: (83, 80, 95), 6: (79, 66, 91)}


@pytest.mark.parametrize("seed", sorted(REFLOW_FUZZ_RESIZES))
def test_fuzzed_streams_after_resizes_match_tmux(oracle: TmuxOracle, seed: int) -> None:
    rng = random.Random(seed)
    streams = [(random_stream(rng), *rng.choice(SIZES[:4])) for _ in range(FUZZ_STREAMS)]
    outcomes = compare(oracle, streams, resizes=REFLOW_FUZZ_RESIZES[seed])
    counts = (sum(o.same_text for o in outcomes), sum(o.same_escaped for o in outcomes),
              sum(o.same_cursor for o in outcomes))
    print(f"seed {seed} after resizes: identical text/attributes/cursor {counts}")
    failing = sorted((o for o in outcomes if not o.identical), key=lambda o: len(o.data))
    floors = REFLOW_FUZZ_COUNTS[seed]
    assert all(count >= floor for count, floor in zip(counts, floors)), (
        f"fewer streams identical to tmux after resizes: {counts} < {floors}\n"
        + "\n".join(describe(outcome) for outcome in failing[:3]))
