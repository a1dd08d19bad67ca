"""tmux styles drawn by the client: a style string or ``#[...]`` text as Rich styles.

The layout of status-line text (sections, widths, cuts) is headless, in
:mod:`aisession_tui.server.status_cells`; this module only turns its styles and cells into
Rich ones (and re-exports what the widgets import from here).

Palette colours stay palette colours (``colour123`` reaches the terminal as index 123, so
the user's terminal scheme decides how it looks); ``default`` is no colour (the terminal's
own). Every colour drawn is the option's: there is no theme colour in between.
"""

from __future__ import annotations

from collections.abc import Iterable

from rich.color import Color
from rich.style import Style
from rich.text import Text

from aisession_tui.server.status_cells import (
    finish,
    format_cells,
    format_line,
    parse_or_default,
    styled_runs,
)
from aisession_tui.server.styles import COLOUR_256, COLOUR_RGB
from aisession_tui.server.styles import Style as TmuxStyle

__all__ = ["cells_text", "draw_format_line", "format_cells", "parse_or_default", "rich_colour",
           "rich_style", "styled_runs"]


def rich_colour(colour: int) -> Color | None:
    """A tmux colour as a Rich one: palette colours stay palette colours (the terminal's
    scheme decides how they look); ``default`` and ``terminal`` are None."""
    if colour & COLOUR_RGB:
        value = colour & 0xFFFFFF
        return Color.from_rgb(value >> 16, (value >> 8) & 0xFF, value & 0xFF)
    if colour & COLOUR_256:
        return Color.from_ansi(colour & 0xFF)
    if 0 <= colour <= 7:
        return Color.from_ansi(colour)
    if 90 <= colour <= 97:
        return Color.from_ansi(colour - 90 + 8)
    return None


def rich_style(style: TmuxStyle) -> Style:
    """A tmux style as a Rich style."""
    return Style(color=rich_colour(style.fg), bgcolor=rich_colour(style.bg), bold=style.has("bright") or None,
                 dim=style.has("dim") or None, italic=style.has("italics") or None,
                 underline=style.has("underscore") or None, blink=style.has("blink") or None,
                 reverse=style.has("reverse") or None, conceal=style.has("hidden") or None,
                 strike=style.has("strikethrough") or None,
                 overline=style.has("overline") or None)


def cells_text(cells: Iterable[tuple[str, TmuxStyle]], base: TmuxStyle | None = None) -> Text:
    """Finished status cells (:mod:`aisession_tui.server.status_cells`) as Rich text, one
    span per run of one style (``base``: the text's own style)."""
    text = Text(style=rich_style(base) if base is not None else "")
    run: list[str] = []
    current: TmuxStyle | None = None
    for char, style in cells:
        if style != current and run:
            text.append("".join(run), style=rich_style(current) if current else None)
            run = []
        current = style
        run.append(char)
    if run:
        text.append("".join(run), style=rich_style(current) if current else None)
    return text


def draw_format_line(source: str, width: int, start: TmuxStyle) -> Text:
    """One status line from expanded ``status-format`` text, laid out by
    :func:`~aisession_tui.server.status_cells.format_line`."""
    return cells_text(finish(format_line(source, width, start), start), start)
