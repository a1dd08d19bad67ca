"""The popup overlay (``display-popup``): the popup's screen in a box over the panes.

The server owns the popup (``server/popups.py``) and sends ``popup`` messages; this widget
keeps the rows it was sent and draws them inside the border tmux 3.3a draws for
``popup-border-lines`` (``-b``; none with ``-B``), the ``-T`` title two cells in on the top
edge. It sits on the screen's overlay at the popup's cells (``x``/``y`` count from the
terminal's top-left corner, as tmux's do), above the panes and the status line.
"""

from __future__ import annotations

from typing import Any

from rich.color import Color
from rich.segment import Segment
from rich.style import Style
from textual.strip import Strip
from textual.widget import Widget

from aisession_tui.server.styles import DEFAULT_STYLE, run_colour
from aisession_tui.server.styles import Style as TmuxStyle
from aisession_tui.widgets.pane_view import StyleCache, build_strip
from aisession_tui.widgets.tmux_styles import format_cells, parse_or_default, rich_style

BOX_CHARACTERS: dict[str, str] = {
    # top-left, horizontal, top-right, vertical, bottom-left, bottom-right
    "single": "┌─┐│└┘",
    "double": "╔═╗║╚╝",
    "heavy": "┏━┓┃┗┛",
    "simple": "+-+|++",
    "rounded": "╭─╮│╰╯",
    "padded": "      ",
}


def border_cells(width: int, height: int, lines: str, title: str, border: TmuxStyle
                 ) -> tuple[list[tuple[str, TmuxStyle]], str, list[tuple[str, TmuxStyle]]]:
    """(top edge cells, the side character, bottom edge cells) of a ``width`` x ``height``
    box, as tmux's screen_write_box draws it: the top edge in ``border``, then the title (a
    format: its ``#[...]`` start from ``border``) drawn from the third cell, at most
    ``width - 4`` cells of it."""
    chars = BOX_CHARACTERS.get(lines, BOX_CHARACTERS["single"])
    inner = max(0, width - 2)
    top = [(chars[0], border)] + [(chars[1], border)] * inner + [(chars[2], border)]
    if title and width > 4:
        for column, char, style in format_cells(title, width - 4, border):
            if 2 + column < width:
                top[2 + column] = (char, style)
    bottom = [(chars[4], border)] + [(chars[1], border)] * inner + [(chars[5], border)]
    return top[:width], chars[3], bottom[:width]


def written_cells(runs: list[Any]) -> int:
    """Cells of a row up to its last one that is not a blank in default colours."""
    total = trailing = 0
    for text, fg, bg, attrs in runs:
        size = len(text) if text.isascii() else Segment(text).cell_length
        total += size
        if fg != -1 or bg != -1 or attrs:
            trailing = 0
        elif not text.strip(" "):
            trailing += size
        else:
            trailing = len(text) - len(text.rstrip(" "))
    return total - trailing


def allocated_cells(used: int, width: int) -> int:
    """How many cells of a popup row take the popup's foreground as well as its
    background: tmux copies a row's allocated cells, and its grid allocates a line a
    quarter, then half, then all of the width at a time (grid_expand_line); the cells
    after them are drawn cleared, in the background alone."""
    if used <= 0:
        return 0
    for tier in (width // 4, width // 2, width):
        if used <= tier:
            return tier
    return used


class PopupView(Widget):
    """One client's popup: border plus the popup terminal's rows."""

    DEFAULT_CSS = """
    PopupView {
        overlay: screen;
        position: absolute;
        background: $background;
        color: $foreground;
    }
    """

    def __init__(self) -> None:
        super().__init__(classes="popup")
        self.params: dict[str, Any] = {}
        self.rows: list[list[Any]] = []
        self._styles: StyleCache | None = None
        self._blank = Style()
        self.closing = False
        """Set once the server closed the popup (the widget is being removed)."""

    def apply(self, params: dict[str, Any]) -> None:
        """A ``popup`` message: place the box and take the changed rows."""
        if params.get("style") != self.params.get("style"):
            self._styles = None
        self.params = params
        columns, lines = int(params.get("columns", 1)), int(params.get("lines", 1))
        if params.get("full") or len(self.rows) != lines:
            self.rows = [[] for _ in range(lines)]
        for key, runs in (params.get("rows") or {}).items():
            row = int(key)
            if 0 <= row < lines:
                self.rows[row] = [tuple(run) for run in runs]
        self.styles.offset = (int(params.get("x", 0)), int(params.get("y", 0)))
        self.styles.width = int(params.get("width", columns))
        self.styles.height = int(params.get("height", lines))
        self.refresh()

    def style_cache(self) -> StyleCache:
        """Colours resolved as the panes resolve them, a default colour taking
        ``popup-style``'s (``-s``)."""
        if self._styles is None:
            foreground = Color.parse(self.styles.color.hex)
            background = Color.parse(self.styles.background.hex)
            inside = parse_or_default(str(self.params.get("style") or "default"))
            self._styles = StyleCache(
                foreground, background, background, foreground,
                terminal_colours=bool(getattr(self.app, "uses_terminal_colours", False)),
                defaults=(run_colour(inside.fg), run_colour(inside.bg)))
            # Cells the popup's command never wrote: tmux clears them in the popup's
            # background only (the foreground stays the terminal's).
            self._blank = self._styles.base + rich_style(TmuxStyle(bg=inside.bg))
        return self._styles

    def _border_style(self) -> TmuxStyle:
        """``popup-border-style`` (``-S``): colours only, as tmux draws the border."""
        return parse_or_default(str(self.params.get("border_style") or "default"),
                                DEFAULT_STYLE)

    def _cells(self, cells: list[tuple[str, TmuxStyle]], base: Style) -> list[Segment]:
        return [Segment(char, base + rich_style(style)) for char, style in cells]

    def _content(self, row: int, width: int) -> list[Segment]:
        """Row ``row`` of the popup's screen, ``width`` cells: what the command wrote in
        its colours, the rest blank in the popup's background. (The cursor is the
        terminal's, placed by the app; headless runs draw it in the cell.)"""
        styles = self.style_cache()
        runs = self.rows[row] if 0 <= row < len(self.rows) else []
        used = written_cells(runs)
        cursor_x = -1
        params = self.params
        cursor = params.get("cursor") or [-1, -1]
        if (params.get("cursor_visible") and cursor[1] == row
                and not getattr(self.app, "uses_terminal_cursor", False)):
            cursor_x = int(cursor[0])
        written = build_strip(runs, styles, min(width, max(allocated_cells(used, width),
                                                          cursor_x + 1)), cursor_x)
        return [*written, Segment(" " * max(0, width - written.cell_length), self._blank)]

    def terminal_cursor(self) -> tuple[int, int]:
        """The popup's cursor on the terminal ((-1, -1): hidden), as tmux's popup_mode_cb
        places it: inside the border."""
        params = self.params
        cursor = params.get("cursor") or [-1, -1]
        if not params.get("cursor_visible") or int(cursor[0]) < 0:
            return -1, -1
        edge = 1 if params.get("border", True) else 0
        return (int(params.get("x", 0)) + edge + int(cursor[0]),
                int(params.get("y", 0)) + edge + int(cursor[1]))

    def render_line(self, y: int) -> Strip:
        params = self.params
        width = int(params.get("width", self.size.width))
        height = int(params.get("height", self.size.height))
        styles = self.style_cache()
        base = styles.base
        if not params.get("border", True):
            return Strip(self._content(y, width)).adjust_cell_length(width, self._blank)
        border = self._border_style()
        top, side, bottom = border_cells(width, height, str(params.get("border_lines", "")),
                                         str(params.get("title", "")), border)
        if y == 0:
            return Strip(self._cells(top, base)).adjust_cell_length(width, base)
        if y == height - 1:
            return Strip(self._cells(bottom, base)).adjust_cell_length(width, base)
        edge = Segment(side, base + rich_style(border))
        inner = self._content(y - 1, max(1, width - 2))
        return Strip([edge, *inner, edge]).adjust_cell_length(width, base)
