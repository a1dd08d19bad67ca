"""The compact cell style carried from the emulator to every client.

A styled run of text travels as ``[text, fg, bg, attrs]`` (JSON-friendly, cheap to hash):

* ``fg`` / ``bg``: ``DEFAULT`` (-1), a palette index 0-255, or ``TRUECOLOR | 0xRRGGBB``;
* ``attrs``: a bitmask of the ``BOLD`` ... ``STRIKE`` flags below, plus what only
  ``capture-pane -e`` and future renderers need: ``OVERLINE``, the underline style
  (``UNDERLINE`` stays set alongside ``UNDERLINE_DOUBLE`` ... ``UNDERLINE_DASHED`` so a
  client that knows plain underline only still underlines), ``FG_PALETTE`` / ``BG_PALETTE``
  (a colour 0-15 chosen as ``38;5;N`` / ``48;5;N`` rather than ``3x``/``9x``, which tmux
  writes back differently), and the underline colour in the bits from
  ``UNDERLINE_COLOUR_SHIFT`` up (``0`` none, else the colour + 1).

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
OVERLINE = 1 << 8
UNDERLINE_DOUBLE = 1 << 9
UNDERLINE_CURLY = 1 << 10
UNDERLINE_DOTTED = 1 << 11
UNDERLINE_DASHED = 1 << 12
UNDERLINE_STYLES = UNDERLINE_DOUBLE | UNDERLINE_CURLY | UNDERLINE_DOTTED | UNDERLINE_DASHED
FG_PALETTE = 1 << 13
BG_PALETTE = 1 << 14
CLEARED = 1 << 15
"""A blank left by an erase in a background colour: drawn in it, but like tmux's cleared
cells it is not text, so ``capture-pane -e`` leaves it out at a line's end."""
UNDERLINE_COLOUR_SHIFT = 16
UNDERLINE_COLOUR_MASK = ~((1 << UNDERLINE_COLOUR_SHIFT) - 1)


def underline_colour(attrs: int) -> int:
    """The underline colour carried in ``attrs`` (``DEFAULT`` when none)."""
    return (attrs >> UNDERLINE_COLOUR_SHIFT) - 1 if attrs >> UNDERLINE_COLOUR_SHIFT else DEFAULT


def with_underline_colour(attrs: int, colour: int) -> int:
    """``attrs`` carrying underline colour ``colour`` (``DEFAULT`` removes it)."""
    attrs &= ~UNDERLINE_COLOUR_MASK
    if colour != DEFAULT:
        attrs |= (colour + 1) << UNDERLINE_COLOUR_SHIFT
    return attrs

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
