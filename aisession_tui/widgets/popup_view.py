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
from textual.strip import Strip
from textual.widget import Widget

from aisession_tui.widgets.pane_view import StyleCache, build_strip

BOX_CHARACTERS: dict[str, str] = {
    # top-left, horizontal, top-right, vertical, bottom-left, bottom-right
    "single": "┌─┐│└┘",
    "double": "╔═╗║╚╝",
    "heavy": "┏━┓┃┗┛",
    "simple": "+-+|++",
    "rounded": "╭─╮│╰╯",
    "padded": "      ",
}


def border_rows(width: int, height: int, lines: str, title: str) -> tuple[str, str, str]:
    """(top edge, the side character, bottom edge) of a ``width`` x ``height`` box."""
    chars = BOX_CHARACTERS.get(lines, BOX_CHARACTERS["single"])
    top_left, across, top_right, side, bottom_left, bottom_right = (
        chars[0], chars[1], chars[2], chars[3], chars[4], chars[5])
    inner = max(0, width - 2)
    top = across * inner
    if title:
        shown = title[: max(0, inner - 1)]
        top = (top[:1] + shown + top[1 + len(shown):])[:inner]
    return top_left + top + top_right, side, bottom_left + across * inner + bottom_right


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
        super().__init__(id="popup")
        self.params: dict[str, Any] = {}
        self.rows: list[list[Any]] = []
        self._styles: StyleCache | None = None

    def apply(self, params: dict[str, Any]) -> None:
        """A ``popup`` message: place the box and take the changed rows."""
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
        """Colours resolved as the panes resolve them."""
        if self._styles is None:
            foreground = Color.parse(self.styles.color.hex)
            background = Color.parse(self.styles.background.hex)
            self._styles = StyleCache(
                foreground, background, background, foreground,
                terminal_colours=bool(getattr(self.app, "uses_terminal_colours", False)))
        return self._styles

    def render_line(self, y: int) -> Strip:
        params = self.params
        width = int(params.get("width", self.size.width))
        height = int(params.get("height", self.size.height))
        styles = self.style_cache()
        base = styles.base
        border = bool(params.get("border", True))
        if not border:
            runs = self.rows[y] if 0 <= y < len(self.rows) else []
            return build_strip(runs, styles, width)
        top, side, bottom = border_rows(width, height, str(params.get("border_lines", "")),
                                        str(params.get("title", "")))
        if y == 0:
            return Strip([Segment(top, base)]).adjust_cell_length(width, base)
        if y == height - 1:
            return Strip([Segment(bottom, base)]).adjust_cell_length(width, base)
        row = y - 1
        runs = self.rows[row] if 0 <= row < len(self.rows) else []
        cursor = params.get("cursor") or [-1, -1]
        cursor_x = int(cursor[0]) if params.get("cursor_visible") and cursor[1] == row else -1
        inner = build_strip(runs, styles, max(1, width - 2), cursor_x)
        edge = Segment(side, base)
        return Strip([edge, *inner, edge]).adjust_cell_length(width, base)

