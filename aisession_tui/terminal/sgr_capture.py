"""SGR escapes for ``capture-pane -e``, written as tmux 3.3a writes them.

tmux compares each cell's style with the previous cell's (across lines too) and writes
only the difference: if an attribute went away, ``0`` first and then every attribute now
set (one ``CSI ... m``); then the foreground, then the background, each in its own
``CSI ... m`` and only when it changed (or after a ``0``). Default colours are ``39`` and
``49``; bright colours ``9x`` / ``10x``; the 256-colour palette ``38;5;N``; RGB
``38;2;R;G;B``; then the underline colour (``58;5;N`` / ``58;2;R;G;B``) when one is set.
Underline styles are ``4:2`` to ``4:5`` and overline tmux's own ``5:3`` (it writes every
code from 10 up as ``tens:units``). :func:`escaped_line` applies that to one line's runs.
"""

from __future__ import annotations

from .style import (
    BG_PALETTE,
    BLINK,
    BOLD,
    CLEARED,
    DEFAULT,
    DIM,
    FG_PALETTE,
    HIDDEN,
    ITALIC,
    OVERLINE,
    REVERSE,
    STRIKE,
    TRUECOLOR,
    UNDERLINE,
    UNDERLINE_CURLY,
    UNDERLINE_DASHED,
    UNDERLINE_DOTTED,
    UNDERLINE_DOUBLE,
    UNDERLINE_STYLES,
    Run,
    rgb_components,
    underline_colour,
)
from .widths import wcwidth

Style = tuple[int, int, int]
"""(fg, bg, attrs)"""
PLAIN: Style = (DEFAULT, DEFAULT, 0)
_STYLED_UNDERLINES = ((UNDERLINE_DOUBLE, "4:2"), (UNDERLINE_CURLY, "4:3"),
                      (UNDERLINE_DOTTED, "4:4"), (UNDERLINE_DASHED, "4:5"))


def _codes(attrs: int) -> list[str]:
    """tmux's attribute codes for ``attrs``, in its order (a styled underline is not
    also a plain one)."""
    codes = [code for flag, code in ((BOLD, "1"), (DIM, "2"), (ITALIC, "3")) if attrs & flag]
    if attrs & UNDERLINE and not attrs & UNDERLINE_STYLES:
        codes.append("4")
    codes += [code for flag, code in ((BLINK, "5"), (REVERSE, "7"), (HIDDEN, "8"),
                                      (STRIKE, "9")) if attrs & flag]
    codes += [code for flag, code in _STYLED_UNDERLINES if attrs & flag]
    if attrs & OVERLINE:
        codes.append("5:3")
    return codes


def _colour(colour: int, palette: bool, base: int, bright: int, extended: int,
            default: int) -> list[int]:
    if colour == DEFAULT:
        return [default]
    if colour >= TRUECOLOR:
        return [extended, 2, *rgb_components(colour)]
    if palette or colour >= 16:
        return [extended, 5, colour]
    if colour < 8:
        return [base + colour]
    return [bright + colour - 8]


def _underline_codes(attrs: int) -> list[int]:
    colour = underline_colour(attrs)
    if colour == DEFAULT:
        return []
    if colour >= TRUECOLOR:
        return [58, 2, *rgb_components(colour)]
    return [58, 5, colour]


def transition(last: Style, new: Style) -> str:
    """The escapes that take the terminal from style ``last`` to ``new``."""
    if last == new:
        return ""
    out = []
    old_codes = _codes(last[2])
    new_codes = _codes(new[2])
    old_underline = _underline_codes(last[2])
    new_underline = _underline_codes(new[2])
    codes: list[str] = []
    if any(code not in new_codes for code in old_codes) or (old_underline and not new_underline):
        codes.append("0")
        old_codes = []
    codes += [code for code in new_codes if code not in old_codes]
    if codes:
        out.append("\x1b[" + ";".join(codes) + "m")
    reset = bool(codes) and codes[0] == "0"
    for index, palette, (base, bright, extended, default) in (
            (0, FG_PALETTE, (30, 90, 38, 39)), (1, BG_PALETTE, (40, 100, 48, 49))):
        new_colour = _colour(new[index], bool(new[2] & palette), base, bright, extended, default)
        old_colour = _colour(last[index], bool(last[2] & palette), base, bright, extended,
                             default)
        if new_colour != old_colour or reset:
            out.append("\x1b[" + ";".join(map(str, new_colour)) + "m")
    if new_underline and (new_underline != old_underline or reset):
        out.append("\x1b[" + ";".join(map(str, new_underline)) + "m")
    return "".join(out)


def escaped_line(runs: list[Run] | tuple[Run, ...], last: Style, keep_trailing: bool,
                 used: int | None = None) -> tuple[str, Style]:
    """One line with tmux's escapes, starting from style ``last``; returns the text and
    the style in force at its end; trailing spaces are trimmed unless ``keep_trailing``
    (a wrapped line being joined). A screen row's ``used`` cells (tmux's cellused, see
    ``row_used``) are the cells written: only those are read, blanks included (their
    escapes stay, their spaces are trimmed). Without it (a history line), trailing blanks
    of the default style are taken as cells tmux never wrote and trailing blanks an erase
    left in a background colour as cells tmux cleared: nothing is emitted for either."""
    runs = list(runs)
    if used is not None:
        runs = _first_cells(runs, used)
    while used is None and runs and (runs[-1][1:] == PLAIN or runs[-1][3] & CLEARED) and not runs[-1][0].strip(" "):
        runs.pop()
    parts = []
    for text, fg, bg, attrs in runs:
        style = (fg, bg, attrs)
        parts.append(transition(last, style))
        last = style
        parts.append(text)
    line = "".join(parts)
    return (line if keep_trailing else line.rstrip(" ")), last


def _first_cells(runs: list[Run], count: int) -> list[Run]:
    """The runs cut after ``count`` cells (a wide character that starts in them is
    kept: in a 1-column pane it is all there is)."""
    kept: list[Run] = []
    for run in runs:
        width = _cells(run)
        if width <= count:
            kept.append(run)
            count -= width
            continue
        text, fg, bg, attrs = run
        start = 0  # a character starting in the used cells is kept whole
        for index, char in enumerate(text):
            width = 1 if char.isascii() else max(0, wcwidth(char))
            if width and start >= count:
                text = text[:index]
                break
            start += width
        if text:
            kept.append((text, fg, bg, attrs))
        break
    return kept


def _cells(run: Run) -> int:
    """How many cells a run covers."""
    text = run[0]
    return len(text) if text.isascii() else sum(max(0, wcwidth(char)) for char in text)
