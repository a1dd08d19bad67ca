"""tmux styles drawn by the client: a style string or ``#[...]`` text as Rich styles.

Palette colours stay palette colours (``colour123`` reaches the terminal as index 123, so
the user's terminal scheme decides how it looks); ``default`` is no colour (the terminal's
own). Every colour drawn is the option's: there is no theme colour in between.
"""

from __future__ import annotations

from collections.abc import Iterator

from rich.cells import cell_len
from rich.color import Color
from rich.style import Style
from rich.text import Text

from aisession_tui.server.styles import (
    COLOUR_256,
    COLOUR_RGB,
    DEFAULT_STYLE,
    StyleError,
    parse_style,
    split_style_runs,
)
from aisession_tui.server.styles import Style as TmuxStyle


def parse_or_default(text: str, base: TmuxStyle = DEFAULT_STYLE) -> TmuxStyle:
    """A tmux style string on top of ``base``; ``base`` itself if it does not parse."""
    try:
        return parse_style(text, current=base)
    except StyleError:
        return base


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


def styled_text(source: str, start: TmuxStyle) -> Text:
    """Expanded format text with its ``#[...]`` directives applied, as tmux draws it:
    each directive changes the current style; ``default`` goes back to ``start`` (or
    what ``push-default`` set)."""
    text = Text()
    for _align, style, run in styled_runs(source, start):
        text.append(run, style=rich_style(style))
    return text


def styled_runs(source: str, start: TmuxStyle) -> Iterator[tuple[str, TmuxStyle, str]]:
    """The text runs of ``source`` with the alignment and style each is drawn in: every
    ``#[...]`` changes the current style (a bad one is skipped), ``default`` goes back to
    ``start`` or to what ``push-default`` set."""
    align = "left"
    default = current = start
    for directive, run in split_style_runs(source):
        if directive is not None:
            try:
                changed = parse_style(directive, base=default, current=current)
            except StyleError:
                continue
            if changed.default_change == "push":
                default = changed.colours_and_attributes()
            elif changed.default_change == "pop":
                default = start
            align = changed.align or align
            current = changed.colours_and_attributes()
        elif run:
            yield align, current, run


def draw_format_line(source: str, width: int, start: TmuxStyle) -> Text:
    """One status line from expanded ``status-format`` text, placed as tmux's
    ``format_draw`` places its sections: ``#[align=left]`` text from the left edge,
    ``right`` against the right edge, ``centre`` centred between them and
    ``absolute-centre`` centred on the whole line. (List markers and ranges are not
    drawn: the window list line is drawn from the options themselves.)"""
    sections = {name: Text() for name in ("left", "centre", "right", "absolute-centre")}
    for align, style, run in styled_runs(source, start):
        sections[align].append(run, style=rich_style(style))
    left, right = sections["left"], sections["right"]
    left.truncate(width)
    right.truncate(max(0, width - left.cell_len))
    middle_room = width - left.cell_len - right.cell_len
    centre = sections["centre"]
    centre.truncate(max(0, middle_room))
    line = Text(style=rich_style(start))
    line.append_text(left)
    line.append(" " * (middle_room // 2 - centre.cell_len // 2))  # as tmux's format_draw
    line.append_text(centre)
    line.append(" " * (width - line.cell_len - right.cell_len))
    line.append_text(right)
    absolute = sections["absolute-centre"]
    if absolute.cell_len:
        absolute.truncate(width)
        at = (width - absolute.cell_len) // 2
        line = line[:at] + absolute + line[at + absolute.cell_len:]
    line.truncate(width, pad=True)
    return line


def format_cells(source: str, width: int, start: TmuxStyle
                 ) -> list[tuple[int, str, TmuxStyle]]:
    """(column, character, style) of each cell ``source`` draws in a ``width``-cell line,
    placed as :func:`draw_format_line` places its sections; cells it leaves alone (between
    the sections) are not listed, as tmux's ``format_draw`` leaves what is under them."""
    sections: dict[str, list[tuple[str, TmuxStyle]]] = {
        name: [] for name in ("left", "centre", "right", "absolute-centre")}
    for align, style, run in styled_runs(source, start):
        sections[align].extend((char, style) for char in run)

    def fit(cells: list[tuple[str, TmuxStyle]], room: int) -> list[tuple[str, TmuxStyle]]:
        kept, used = [], 0
        for char, style in cells:
            size = cell_len(char)
            if used + size > room:
                break
            kept.append((char, style))
            used += size
        return kept

    def length(cells: list[tuple[str, TmuxStyle]]) -> int:
        return sum(cell_len(char) for char, _ in cells)

    left = fit(sections["left"], width)
    right = fit(sections["right"], width - length(left))
    middle = width - length(left) - length(right)
    centre = fit(sections["centre"], middle)
    absolute = fit(sections["absolute-centre"], width)
    placed: list[tuple[int, str, TmuxStyle]] = []
    for column, cells in ((0, left), (length(left) + middle // 2 - length(centre) // 2, centre),
                          (width - length(right), right),
                          ((width - length(absolute)) // 2, absolute)):
        for char, style in cells:
            placed.append((column, char, style))
            column += cell_len(char)
    return placed
