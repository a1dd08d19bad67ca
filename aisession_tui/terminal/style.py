"""The compact cell style carried from the emulator to every client.

A styled run of text travels as ``[text, fg, bg, attrs]`` (JSON-friendly, cheap to hash):

* ``fg`` / ``bg``: ``DEFAULT`` (-1), a palette index 0-255, or ``TRUECOLOR | 0xRRGGBB``;
* ``attrs``: a bitmask of the ``BOLD`` ... ``STRIKE`` flags below.

Invariant: the cells of one row's runs add up to the screen's width (a wide character
counts two cells and its stub cell is not sent).
"""

from __future__ import annotations

DEFAULT = -1
TRUECOLOR = 1 << 24

BOLD = 1
DIM = 2
ITALIC = 4
UNDERLINE = 8
BLINK = 16
REVERSE = 32
HIDDEN = 64
STRIKE = 128

Run = tuple[str, int, int, int]
"""(text, fg, bg, attrs)."""


def rgb(red: int, green: int, blue: int) -> int:
    """Encode a truecolor value."""
    return TRUECOLOR | (red << 16) | (green << 8) | blue


def is_truecolor(colour: int) -> bool:
    """True when ``colour`` carries an RGB value rather than a palette index."""
    return colour >= TRUECOLOR


def rgb_components(colour: int) -> tuple[int, int, int]:
    """Split a truecolor value into (red, green, blue)."""
    value = colour & 0xFFFFFF
    return (value >> 16) & 0xFF, (value >> 8) & 0xFF, value & 0xFF
