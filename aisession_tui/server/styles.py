"""tmux's style language, headless: colours, attributes and ``fg=...,bg=...,bold`` styles.

A colour is held as tmux holds it, an int: 0-7 the ANSI colours, 8 ``default``, 9
``terminal``, 90-97 the bright ones, ``COLOUR_256 | n`` for ``colourN`` and
``COLOUR_RGB | 0xRRGGBB`` for ``#rrggbb``; -1 is ``none`` (only a colour option can hold
it). Palette colours stay palette colours, so what is drawn follows the user's terminal
scheme; only ``#rrggbb`` and X11 names (``orange``, read from the system's rgb.txt when it
exists) are true colours.

A :class:`Style` is the result of applying style words on top of a base, as tmux's
``style_parse`` does: unknown words fail the whole string and leave nothing half applied.
:func:`split_style_runs` cuts a format's expansion at its ``#[...]`` directives.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from functools import lru_cache
from pathlib import Path

COLOUR_256 = 0x01000000
COLOUR_RGB = 0x02000000
DEFAULT_COLOUR = 8
TERMINAL_COLOUR = 9

_NAMED = ("black", "red", "green", "yellow", "blue", "magenta", "cyan", "white")
_NUMBERED = {str(n): n for n in range(8)} | {str(90 + n): 90 + n for n in range(8)}

ATTRIBUTES = ("acs", "bright", "dim", "underscore", "blink", "reverse", "hidden", "italics",
              "strikethrough", "double-underscore", "curly-underscore", "dotted-underscore",
              "dashed-underscore", "overline")
"""Attribute names in the order tmux prints them; bit ``1 << i`` is ``ATTRIBUTES[i]``."""
_ATTRIBUTE_BITS = {name: 1 << index for index, name in enumerate(ATTRIBUTES)}
_ATTRIBUTE_BITS["bold"] = _ATTRIBUTE_BITS["bright"]

RGB_FILE = Path("/usr/share/X11/rgb.txt")


@lru_cache(maxsize=1)
def _x11_colours() -> dict[str, int]:
    """X11 colour names (lower case, spaces removed) to RGB, from the system's rgb.txt."""
    names: dict[str, int] = {}
    try:
        text = RGB_FILE.read_text(encoding="utf-8", errors="replace")
    except OSError:
        return names
    for line in text.splitlines():
        parts = line.split(None, 3)
        if len(parts) == 4 and all(part.isdigit() for part in parts[:3]):
            red, green, blue = (int(part) for part in parts[:3])
            names.setdefault(parts[3].replace(" ", "").lower(), (red << 16) | (green << 8) | blue)
    return names


def parse_colour(text: str) -> int | None:
    """The colour ``text`` names, or None if tmux would say ``bad colour``."""
    lowered = text.lower()
    if len(text) == 7 and text[0] == "#" and all(c in "0123456789abcdefABCDEF" for c in text[1:]):
        return COLOUR_RGB | int(text[1:], 16)
    for prefix in ("colour", "color"):
        if lowered.startswith(prefix):
            digits = text[len(prefix):]
            if digits.isdigit() and 0 <= int(digits) <= 255:
                return COLOUR_256 | int(digits)
            return None
    if lowered == "default":
        return DEFAULT_COLOUR
    if lowered == "terminal":
        return TERMINAL_COLOUR
    if lowered in _NAMED:
        return _NAMED.index(lowered)
    if lowered.startswith("bright") and lowered[6:] in _NAMED:
        return 90 + _NAMED.index(lowered[6:])
    if text in _NUMBERED:
        return _NUMBERED[text]
    rgb = _x11_colours().get(lowered.replace(" ", ""))
    if rgb is None and lowered.startswith("grey"):
        rgb = _x11_colours().get("gray" + lowered[4:])
    return None if rgb is None else COLOUR_RGB | rgb


def run_colour(colour: int) -> int:
    """A colour in this module's encoding as a colour of a pane's runs
    (``aisession_tui.terminal.style``: a palette index, TRUECOLOR|rgb, or -1 default)."""
    if colour & COLOUR_RGB:
        return (1 << 24) | (colour & 0xFFFFFF)
    if colour & COLOUR_256:
        return colour & 0xFF
    if 0 <= colour <= 7:
        return colour
    if 90 <= colour <= 97:
        return colour - 90 + 8
    return -1


def colour_name(colour: int) -> str:
    """How tmux prints a colour (``red``, ``colour123``, ``#1e1e2e``, ``default``)."""
    if colour == -1:
        return "none"
    if colour & COLOUR_RGB:
        return f"#{colour & 0xFFFFFF:06x}"
    if colour & COLOUR_256:
        return f"colour{colour & 0xFF}"
    if 0 <= colour <= 7:
        return _NAMED[colour]
    if colour == DEFAULT_COLOUR:
        return "default"
    if colour == TERMINAL_COLOUR:
        return "terminal"
    if 90 <= colour <= 97:
        return "bright" + _NAMED[colour - 90]
    return "invalid"


_CUBE_LEVELS = (0x00, 0x5F, 0x87, 0xAF, 0xD7, 0xFF)
_SIXTEEN = (0x000000, 0x800000, 0x008000, 0x808000, 0x000080, 0x800080, 0x008080, 0xC0C0C0,
            0x808080, 0xFF0000, 0x00FF00, 0xFFFF00, 0x0000FF, 0xFF00FF, 0x00FFFF, 0xFFFFFF)
"""The xterm palette's first 16 colours, as tmux converts them to RGB."""


def palette_rgb(number: int) -> int:
    """The RGB value of xterm 256-colour palette entry ``number``."""
    if number < 16:
        return _SIXTEEN[number]
    if number < 232:
        cube = number - 16
        red, green, blue = cube // 36, cube // 6 % 6, cube % 6
        return (_CUBE_LEVELS[red] << 16) | (_CUBE_LEVELS[green] << 8) | _CUBE_LEVELS[blue]
    grey = 8 + 10 * (number - 232)
    return (grey << 16) | (grey << 8) | grey


def colour_to_rgb(colour: int | None) -> int | None:
    """A colour as RGB (tmux's ``colour_force_rgb``); None for ``default`` and the like."""
    if colour is None or colour < 0:
        return None
    if colour & COLOUR_RGB:
        return colour & 0xFFFFFF
    if colour & COLOUR_256:
        return palette_rgb(colour & 0xFF)
    if 0 <= colour <= 7:
        return palette_rgb(colour)
    if 90 <= colour <= 97:
        return palette_rgb(colour - 90 + 8)
    return None


def parse_attributes(text: str) -> int | None:
    """``bold,reverse`` (or ``|``/space separated) as a bit set; None if a name is unknown."""
    if not text or text[0] in " ,|" or text[-1] in " ,|":
        return None
    if text.lower() in ("default", "none"):
        return 0
    bits = 0
    for word in re.split(r"[ ,|]+", text):
        bit = _ATTRIBUTE_BITS.get(word.lower())
        if bit is None:
            return None
        bits |= bit
    return bits


def attributes_name(bits: int) -> str:
    """How tmux prints an attribute set (``bright,reverse``; ``none`` for no attribute)."""
    if not bits:
        return "none"
    return ",".join(name for index, name in enumerate(ATTRIBUTES) if bits & (1 << index))


class StyleError(ValueError):
    """A style string tmux would refuse (``invalid style: ...``)."""


_ALIGNS = ("left", "centre", "right", "absolute-centre")
_LISTS = ("on", "focus", "left-marker", "right-marker")


@dataclass(frozen=True)
class Style:
    """A parsed style: colours, attributes and the status-line directives tmux keeps with
    them (``align``, ``list``, ``range``, ``fill``, ``push-default``/``pop-default``)."""

    fg: int = DEFAULT_COLOUR
    bg: int = DEFAULT_COLOUR
    attributes: int = 0
    fill: int = DEFAULT_COLOUR
    align: str = ""
    list: str = ""
    range: str = ""
    default_change: str = ""
    """``push`` or ``pop`` for ``push-default``/``pop-default``, else empty."""
    ignore: bool = False

    def has(self, attribute: str) -> bool:
        """Whether an attribute (``bold``, ``reverse``, ...) is on."""
        return bool(self.attributes & _ATTRIBUTE_BITS[attribute])

    def colours_and_attributes(self) -> Style:
        """This style without its directives (what a cell is drawn with)."""
        return Style(fg=self.fg, bg=self.bg, attributes=self.attributes)


DEFAULT_STYLE = Style()


def parse_style(text: str, base: Style = DEFAULT_STYLE,
                current: Style | None = None) -> Style:
    """Apply the style words of ``text`` to ``current`` (default: ``base``); ``default``
    and ``fg=default`` go back to ``base``'s colours, as in tmux. Raises StyleError."""
    style = base if current is None else current
    for word in re.split(r"[ ,\n]+", text):
        if word:
            style = _apply_word(style, word, base, text)
    return style


def _apply_word(style: Style, word: str, base: Style, text: str) -> Style:
    lowered = word.lower()
    if lowered == "default":
        return replace(style, fg=base.fg, bg=base.bg, attributes=base.attributes)
    if lowered in ("ignore", "noignore"):
        return replace(style, ignore=lowered == "ignore")
    if lowered in ("push-default", "pop-default"):
        return replace(style, default_change=lowered[:-8])
    if lowered == "nolist":
        return replace(style, list="")
    if lowered.startswith("list="):
        if lowered[5:] not in _LISTS:
            raise StyleError(f"invalid style: {text}")
        return replace(style, list=lowered[5:])
    if lowered == "norange":
        return replace(style, range="")
    if len(word) > 6 and lowered.startswith("range="):
        return replace(style, range=_parse_range(word[6:], text, style.range))
    if lowered == "noalign":
        return replace(style, align="")
    if len(word) > 6 and lowered.startswith("align="):
        if lowered[6:] not in _ALIGNS:
            raise StyleError(f"invalid style: {text}")
        return replace(style, align=lowered[6:])
    if len(word) > 5 and lowered.startswith("fill="):
        colour = parse_colour(word[5:])
        if colour is None:
            raise StyleError(f"invalid style: {text}")
        return replace(style, fill=colour)
    if len(word) > 3 and lowered[1:3] == "g=":
        colour = parse_colour(word[3:])
        if colour is None or lowered[0] not in "fb":
            raise StyleError(f"invalid style: {text}")
        if lowered[0] == "f":
            return replace(style, fg=base.fg if colour == DEFAULT_COLOUR else colour)
        return replace(style, bg=base.bg if colour == DEFAULT_COLOUR else colour)
    if lowered == "none":
        return replace(style, attributes=0)
    if len(word) > 2 and lowered.startswith("no"):
        bits = parse_attributes(word[2:])
        if bits is None:
            raise StyleError(f"invalid style: {text}")
        return replace(style, attributes=style.attributes & ~bits)
    bits = parse_attributes(word)
    if bits is None:
        raise StyleError(f"invalid style: {text}")
    return replace(style, attributes=style.attributes | bits)


def _parse_range(value: str, text: str, current: str) -> str:
    kind, bar, argument = value.partition("|")
    kind = kind.lower()
    if bar and (not argument or not argument.isdigit()):
        raise StyleError(f"invalid style: {text}")
    if kind in ("left", "right"):
        if bar:
            raise StyleError(f"invalid style: {text}")
        return kind
    if kind == "window":
        if not bar:
            raise StyleError(f"invalid style: {text}")
        return f"window|{int(argument)}"
    return current  # tmux ignores an unknown range type


def style_to_string(style: Style) -> str:
    """How tmux prints a style (``fg=red,bg=colour4,bright``; ``default`` if nothing set)."""
    parts = []
    if style.list:
        parts.append(f"list={style.list}")
    if style.range:
        parts.append(f"range={style.range}")
    if style.align:
        parts.append(f"align={style.align}")
    if style.default_change:
        parts.append(f"{style.default_change}-default")
    if style.fill != DEFAULT_COLOUR:
        parts.append(f"fill={colour_name(style.fill)}")
    if style.fg != DEFAULT_COLOUR:
        parts.append(f"fg={colour_name(style.fg)}")
    if style.bg != DEFAULT_COLOUR:
        parts.append(f"bg={colour_name(style.bg)}")
    if style.attributes:
        parts.append(attributes_name(style.attributes))
    return ",".join(parts) or "default"


def is_valid_style(text: str) -> bool:
    """Whether tmux would accept ``text`` as a style option's value (a value holding
    ``#{`` is checked only when it is expanded, as in tmux)."""
    if "#{" in text:
        return True
    try:
        parse_style(text)
    except StyleError:
        return False
    return True


def split_style_runs(text: str) -> list[tuple[str | None, str]]:
    """Cut expanded format text at ``#[...]``: a list of (directive or None, text) pairs,
    in order. ``##`` is a literal ``#``; an unclosed ``#[`` is kept as text."""
    runs: list[tuple[str | None, str]] = []
    position = 0
    buffer: list[str] = []
    while position < len(text):
        if text.startswith("#[", position):
            end = text.find("]", position + 2)
            if end == -1:
                buffer.append(text[position:])
                break
            if buffer:
                runs.append((None, "".join(buffer)))
                buffer = []
            runs.append((text[position + 2:end], ""))
            position = end + 1
            continue
        if text.startswith("##", position):
            buffer.append("#")
            position += 2
            continue
        buffer.append(text[position])
        position += 1
    if buffer:
        runs.append((None, "".join(buffer)))
    return runs


def plain_text(text: str) -> str:
    """Expanded format text without its ``#[...]`` directives (``##`` as ``#``)."""
    return "".join(run for directive, run in split_style_runs(text) if directive is None)
