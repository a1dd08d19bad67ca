"""A grammar of plausible terminal output, for differential fuzzing against tmux.

``random_stream(rng)`` builds one byte stream from a seeded :class:`random.Random`: text
(ASCII, wide and combining characters), C0 controls, cursor motions, erases, insert and
delete, scroll regions, modes (autowrap, insert, origin, alternate screens), SGR (plain,
256-colour, truecolour, colon forms, underline styles, malformed ones), saved cursors,
tab stops, REP, DECALN, and malformed or truncated sequences. ``SIZES`` are the pane
sizes streams are replayed at, odd ones included.

Left out: queries that make the terminal answer (DA, DSR; the answer would go to the
program's input, not to the screen) and DEC line drawing, where ai-session differs from
tmux on purpose (:mod:`.tmux_differences`).
"""

from __future__ import annotations

import random

SIZES = [(80, 24), (13, 5), (37, 11), (20, 8), (1, 3), (64, 4)]

_WORDS = ["hello", "ls", "$ ", "error:", "x", "abc def", "0123456789", "~/src", "  ", "=>"]
_WIDE = ["中", "あ", "한", "漢字", "ｗ"]
_COMBINING = ["\u0301", "\u0300", "\u0308", "\u20d7"]
_SGR_PIECES = ["0", "1", "2", "3", "4", "5", "7", "8", "9", "21", "22", "23", "24", "27",
               "31", "42", "39", "49", "91", "104", "38;5;196", "48;5;22", "38;2;10;20;30",
               "48:2::1:2:3", "38:5:100", "4:3", "4:0", "58;5;9", "58:2::9:8:7", "5:",
               "48;5;", "38;2;1", "", "1;31", "0;44"]


def _number(rng: random.Random) -> str:
    return rng.choice(["", "", "0", "1", "2", "3", "5", "8", "12", "40", "99", "300"])


def _csi(rng: random.Random) -> str:
    final = rng.choice("ABCDEFGHdfJKXP@LMSTrbgIZ`ae")
    if final in "Hf":
        return f"\x1b[{_number(rng)};{_number(rng)}{final}"
    if final == "r":
        return rng.choice(["\x1b[r", f"\x1b[{_number(rng)};{_number(rng)}r"])
    if final == "T" and rng.random() < 0.2:
        return "\x1b[;T"
    return f"\x1b[{_number(rng)}{final}"


def _mode(rng: random.Random) -> str:
    number = rng.choice(["?7", "?7", "4", "?6", "?1049", "?47", "?1047", "?25", "?3", "?1048"])
    return f"\x1b[{number}{rng.choice('hl')}"


def _sgr(rng: random.Random) -> str:
    return "\x1b[" + ";".join(rng.choice(_SGR_PIECES) for _ in range(rng.randint(1, 3))) + "m"


def _text(rng: random.Random) -> str:
    roll = rng.random()
    if roll < 0.5:
        return rng.choice(_WORDS) * rng.randint(1, 3)
    if roll < 0.7:
        return rng.choice(_WIDE)
    if roll < 0.85:
        return rng.choice("aeIou") + rng.choice(_COMBINING)
    return "".join(chr(rng.randint(0x21, 0x7E)) for _ in range(rng.randint(1, 30)))


def _escape(rng: random.Random) -> str:
    return "\x1b" + rng.choice(["7", "8", "D", "E", "M", "H", "#8", "c", "(B", "=", ">"])


def _control(rng: random.Random) -> str:
    return rng.choice(["\r\n", "\r\n", "\n", "\r", "\b", "\t", "\x0b", "\x0c", "\x07"])


def _malformed(rng: random.Random) -> str:
    return rng.choice(["\x1b[12", "\x1b[?", "\x1b", "\x1b[1;2;", "\x1b\x08", "\x1b\r",
                       "\x1bé", "\x1b[5\x08C", "\x1b[1\x1b[2m", "\x1b]0;title\x07",
                       "\x1b]2;unterminated", "\x1bP1$q\x1b\\", "\x1b[>c"[:0] + "\x1b[!p"])


_PRODUCTIONS = [(_text, 40), (_control, 15), (_csi, 18), (_sgr, 10), (_mode, 5),
                (_escape, 5), (_malformed, 3)]
_FUNCTIONS = [function for function, _weight in _PRODUCTIONS]
_WEIGHTS = [weight for _function, weight in _PRODUCTIONS]


def random_pieces(rng: random.Random, length: int | None = None) -> list[str]:
    """The ``length`` (default 5 to 60) grammar productions of one stream, in order (the
    fuzzer's minimiser removes whole productions)."""
    count = length if length is not None else rng.randint(5, 60)
    return [rng.choices(_FUNCTIONS, _WEIGHTS)[0](rng) for _ in range(count)]


def random_stream(rng: random.Random, length: int | None = None) -> bytes:
    """One stream of ``length`` (default 5 to 60) grammar productions, UTF-8 encoded."""
    return "".join(random_pieces(rng, length)).encode()
