"""SGR escapes for ``capture-pane -e``, written as tmux 3.3a writes them.

tmux compares each cell's style with the previous cell's (across lines too) and writes
only the difference: if an attribute went away, ``0`` first and then every attribute now
set (one ``CSI ... m``); then the foreground, then the background, each in its own
``CSI ... m`` and only when it changed (or after a ``0``). Default colours are ``39`` and
``49``; bright colours ``9x`` / ``10x``; the 256-colour palette ``38;5;N``; RGB
``38;2;R;G;B``. :func:`escaped_line` applies that to one line's runs.
"""

from __future__ import annotations

from .style import (
    BLINK,
    BOLD,
    DEFAULT,
    DIM,
    HIDDEN,
    ITALIC,
    REVERSE,
    STRIKE,
    TRUECOLOR,
    UNDERLINE,
    Run,
    rgb_components,
)

Style = tuple[int, int, int]
"""(fg, bg, attrs)"""
PLAIN: Style = (DEFAULT, DEFAULT, 0)
_ATTRIBUTES = ((BOLD, 1), (DIM, 2), (ITALIC, 3), (UNDERLINE, 4), (BLINK, 5), (REVERSE, 7),
               (HIDDEN, 8), (STRIKE, 9))


def _colour(colour: int, base: int, bright: int, extended: int, default: int) -> list[int]:
    if colour == DEFAULT:
        return [default]
    if colour >= TRUECOLOR:
        return [extended, 2, *rgb_components(colour)]
    if colour < 8:
        return [base + colour]
    if colour < 16:
        return [bright + colour - 8]
    return [extended, 5, colour]


def transition(last: Style, new: Style) -> str:
    """The escapes that take the terminal from style ``last`` to ``new``."""
    if last == new:
        return ""
    out = []
    codes: list[int] = []
    last_attrs = last[2]
    if any(last_attrs & flag and not new[2] & flag for flag, _ in _ATTRIBUTES):
        codes.append(0)
        last_attrs = 0
    codes += [code for flag, code in _ATTRIBUTES if new[2] & flag and not last_attrs & flag]
    if codes:
        out.append("\x1b[" + ";".join(map(str, codes)) + "m")
    reset = bool(codes) and codes[0] == 0
    for index, (base, bright, extended, default) in enumerate(((30, 90, 38, 39),
                                                               (40, 100, 48, 49))):
        new_codes = _colour(new[index], base, bright, extended, default)
        old_codes = _colour(last[index], base, bright, extended, default)
        if new_codes != old_codes or reset:
            out.append("\x1b[" + ";".join(map(str, new_codes)) + "m")
    return "".join(out)


def escaped_line(runs: list[Run] | tuple[Run, ...], last: Style, keep_trailing: bool
                 ) -> tuple[str, Style]:
    """One line with tmux's escapes, starting from style ``last``; returns the text and
    the style in force at its end. Trailing blanks of the default style are cells tmux
    never wrote (nothing is emitted for them); trailing spaces are trimmed unless
    ``keep_trailing`` (a wrapped line being joined)."""
    runs = list(runs)
    while runs and runs[-1][1:] == PLAIN and not runs[-1][0].strip(" "):
        runs.pop()
    parts = []
    for text, fg, bg, attrs in runs:
        style = (fg, bg, attrs)
        parts.append(transition(last, style))
        last = style
        parts.append(text)
    line = "".join(parts)
    return (line if keep_trailing else line.rstrip(" ")), last
