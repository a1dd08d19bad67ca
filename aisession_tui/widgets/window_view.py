"""WindowView: the current window's panes at the geometry the server gives, with borders.

The server owns the layout (``session`` notification: each pane's ``x, y, width,
height`` and the window's ``borders`` as ``(x, y, length, vertical)`` runs). This
container only places one ``PaneView`` per visible pane (absolute offsets inside the
window area) over a ``BorderCanvas`` that draws tmux's 1-cell separators in
``pane-active-border-style`` or ``pane-border-style``, with ``pane-border-indicators``
arrows, by tmux's rules (:mod:`~aisession_tui.server.pane_borders`). When the window's
``border_status`` is ``top`` or ``bottom`` (tmux's ``pane-border-status``), each pane's
``border_title`` (its ``pane-border-format``, expanded by the server, ``#[...]`` kept) is
drawn on the line just above or below the pane: a separator, or the row the server took
from panes on the window's edge.

Invariants: there is exactly one PaneView per visible pane of the current window, keyed by
pane id, and the canvas always covers the whole window area; display-panes' marks are on
the pane views only while it shows them. The canvas keeps its rows as strips until the
borders or their styles change and hands them to the compositor directly (see
``PaneView.render_lines``); the WindowView itself is ``BLANK``: the canvas covers it."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from rich.segment import Segment
from rich.style import Style
from textual.containers import Container
from textual.geometry import Region
from textual.strip import Strip
from textual.widget import Widget

from aisession_tui.server.pane_borders import (
    active_border_cells,
    border_arrows,
    border_cells,
    border_titles,
    outside_cell,
    title_cells,
    title_extra,
)
from aisession_tui.widgets.clock_face import option_colour
from aisession_tui.widgets.pane_numbers import number_marks
from aisession_tui.widgets.pane_view import PaneView
from aisession_tui.widgets.tmux_styles import parse_or_default, rich_style

if TYPE_CHECKING:
    from aisession_tui.protocol.messages import PaneInfo, WindowInfo
    from aisession_tui.server.styles import Style as TmuxStyle

DEFAULT_BORDER_STYLE = "default"
DEFAULT_ACTIVE_BORDER_STYLE = "fg=green"
"""tmux's default border styles (the active one as expanded outside modes and
``synchronize-panes``), until the server sends the window's."""


def border_style(value: str, background: Style) -> Style:
    """A border style option as a Rich style: the option's colours (palette colours stay
    palette colours); a ``default`` colour is ``background``'s."""
    return background + rich_style(parse_or_default(value))


class BorderCanvas(Widget):
    """The separators between panes."""

    DEFAULT_CSS = """
    BorderCanvas {
        position: absolute;
        width: 100%;
        height: 100%;
        background: $background;
        color: $pane-border;
    }
    """

    def __init__(self) -> None:
        super().__init__()
        self._strips: dict[int, Strip] = {}
        self.cells: dict[tuple[int, int], str] = {}
        self.active_cells: set[tuple[int, int]] = set()
        """The border cells drawn in ``pane-active-border-style`` (tmux's rule,
        `~aisession_tui.server.pane_borders.active_border_cells`)."""
        self.title_cells: dict[tuple[int, int], tuple[str, TmuxStyle | None, bool]] = {}
        """Pane border status lines: (char, its format style or None for the line, drawn in
        the active pane's border style) per cell."""
        self.arrows: dict[tuple[int, int], str] = {}
        """``pane-border-indicators arrows``: the arrow drawn in a border cell instead of
        its box character (:func:`~aisession_tui.server.pane_borders.border_arrows`)."""
        self.marked_rows: set[int] = set()
        """Rows with a border, arrow or title cell: every other row is blank."""
        self._row_base: Style | None = None
        """:meth:`row_base` while :meth:`render_lines` renders rows."""
        self.border_styles = (DEFAULT_BORDER_STYLE, DEFAULT_ACTIVE_BORDER_STYLE)
        """The window's ``pane-border-style`` and ``pane-active-border-style``, expanded."""
        self.window_size: tuple[int, int] | None = None
        """The window's width and height: past them, the area a larger client shows
        outside the window (``outside_cell``)."""
        self.fill_character = ""
        """The window's ``fill-character`` (empty: tmux's ``·``)."""

    def set_borders(self, segments: list[Any], panes: list[PaneInfo], status: str = "off",
                    indicators: str = "colour",
                    titles: list[tuple[int, int, int, str, bool]] | None = None) -> None:
        """Replace the border runs, the panes they part (for colours and arrows), and the
        pane status lines as (x, y, width, format text, active) lines: from two cells into
        the pane's width less four, the text drawn over the line in the pane's border style
        (``#[...]`` on top), as tmux 3.3a draws them."""
        self.cells = border_cells(segments, title_extra(titles or []))
        self.active_cells = active_border_cells(panes, self.cells, status, indicators)
        self.arrows = border_arrows(panes, self.cells, status, indicators)
        self.title_cells = title_cells(titles or [], self.cells, self.border_styles)
        self.marked_rows = {y for cells in (self.cells, self.arrows, self.title_cells)
                            for _x, y in cells}
        self._strips.clear()
        self.refresh()

    def notify_style_update(self) -> None:
        super().notify_style_update()
        self._strips.clear()

    def render_lines(self, crop: Region) -> list[Strip]:
        """The rows of ``crop``, cached and already through the app's line filters."""
        width = self.size.width
        strips = []
        background = None
        for y in crop.line_range:
            strip = self._strips.get(y)
            if strip is None or strip.cell_length != width:
                if background is None:  # both walk the ancestors: once per call, not a row
                    background = self.background_colors[1]
                    self._row_base = self.row_base()
                strip = self.render_line(y)
                for line_filter in self.app.get_line_filters():
                    strip = strip.apply_filter(line_filter, background)
                self._strips[y] = strip
            strips.append(strip)
        self._row_base = None
        if crop.column_span != (0, width):
            first, last = crop.column_span
            strips = [strip.crop(first, last) for strip in strips]
        return strips

    def outside_cell(self, x: int, y: int) -> str | None:
        """What tmux draws at (x, y) past a window smaller than the client, or None inside
        the window: the window's right and bottom edges as one border line (joined to the
        separators that reach them), the rest ``fill-character`` or a middle dot (tmux's
        ``screen_redraw_check_cell``). All of it is in ``pane-border-style``."""
        return outside_cell(self.window_size, self.cells, self.fill_character, x, y)

    def has_outside_cells(self, y: int, width: int) -> bool:
        """Whether row ``y`` of a canvas ``width`` wide reaches past the window
        (:meth:`outside_cell`)."""
        if self.window_size is None:
            return False
        columns, lines = self.window_size
        return y >= lines or width > columns

    def row_base(self) -> Style:
        """The style of a blank cell."""
        if getattr(self.app, "uses_terminal_colours", False):
            return Style()  # the terminal's default background, as in the panes
        return self.rich_style

    def render_line(self, y: int) -> Strip:
        width = self.size.width
        base = self.row_base() if self._row_base is None else self._row_base
        if y not in self.marked_rows and not self.has_outside_cells(y, width):
            return Strip([Segment(" " * width, base)], width)  # one run, not a cell each
        normal = border_style(self.border_styles[0], base)
        active = border_style(self.border_styles[1], base)
        segments = []
        for x in range(width):
            title = self.title_cells.get((x, y))
            if title is not None:
                char, style, is_active = title
                if char:
                    line_style = active if is_active else normal
                    segments.append(Segment(char, line_style if style is None
                                            else base + rich_style(style)))
                continue
            outside = self.outside_cell(x, y)
            if outside is not None:
                segments.append(Segment(outside, normal))
                continue
            border = self.arrows.get((x, y)) or self.cells.get((x, y))
            if border is None:
                segments.append(Segment(" ", base))
            else:
                segments.append(Segment(border, active if (x, y) in self.active_cells else normal))
        return Strip(segments).simplify()


class WindowView(Container):
    """The current window: pane views over a border canvas."""

    BLANK = True

    DEFAULT_CSS = """
    WindowView {
        width: 1fr;
        height: 1fr;
        background: $background;
    }
    """

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.canvas = BorderCanvas()
        self.panes: dict[int, PaneView] = {}
        self.window: WindowInfo | dict[str, Any] = {}
        """The window shown (from a ``session`` notification; empty before the first)."""
        self.numbers_shown = False
        self.number_colours = ("blue", "red")
        """The display-panes colours shown (redrawn with them when the layout changes)."""

    def compose(self):  # type: ignore[no-untyped-def]
        yield self.canvas

    def apply_window(self, window: WindowInfo) -> None:
        """Place the panes of ``window`` (one entry of a ``session`` notification)."""
        self.window = window
        visible = [pane for pane in window.get("panes", []) if pane.get("visible", True)]
        wanted = {pane["id"] for pane in visible}
        for pane_id in list(self.panes):
            if pane_id not in wanted:
                self.panes.pop(pane_id).remove()
        for pane in visible:
            view = self.panes.get(pane["id"])
            if view is None:
                view = PaneView(pane["id"], id=f"pane-{pane['id']}")
                self.panes[pane["id"]] = view
                self.mount(view)
            view.styles.offset = (pane["x"], pane["y"])
            view.styles.width = pane["width"]
            view.styles.height = pane["height"]
            view.set_active(bool(pane.get("active")))
            view.set_default_colours((int(pane.get("fg", -1)), int(pane.get("bg", -1))))
        self.canvas.border_styles = (
            str(window.get("border_style", DEFAULT_BORDER_STYLE)),
            str(window.get("active_border_style", DEFAULT_ACTIVE_BORDER_STYLE)))
        self.canvas.window_size = (int(window.get("width", 0)), int(window.get("height", 0))) \
            if "width" in window else None
        self.canvas.fill_character = str(window.get("fill_character", ""))
        self.canvas.set_borders(list(window.get("borders", [])), window.get("panes", []),
                                window.get("border_status", "off"),
                                window.get("border_indicators", "colour"),
                                border_titles(window, visible))
        if self.numbers_shown:
            self.show_numbers(*self.number_colours)

    def active_pane(self) -> PaneView | None:
        """The view of the window's active pane."""
        for pane in self.window.get("panes", []):
            if pane.get("active"):
                return self.panes.get(pane["id"])
        return None

    def pane_info(self, pane_id: int) -> PaneInfo | None:
        """The server's description of a pane of this window."""
        return next((p for p in self.window.get("panes", []) if p["id"] == pane_id), None)

    def pane_at(self, x: int, y: int) -> PaneInfo | None:
        """The pane covering cell (x, y) of the window area."""
        for pane in self.window.get("panes", []):
            if (pane.get("visible", True) and pane["x"] <= x < pane["x"] + pane["width"]
                    and pane["y"] <= y < pane["y"] + pane["height"]):
                return pane
        return None

    def show_numbers(self, colour: str = "blue", active_colour: str = "red") -> None:
        """display-panes: each visible pane's index and size drawn over it in
        ``display-panes-colour`` (the active pane's in ``display-panes-active-colour``),
        as tmux draws them (:mod:`~aisession_tui.widgets.pane_numbers`)."""
        self.numbers_shown = True
        self.number_colours = (colour, active_colour)
        colours = option_colour(colour), option_colour(active_colour)
        for pane in self.window.get("panes", []):
            view = self.panes.get(pane["id"])
            if view is not None and pane.get("visible", True):
                view.set_marks(number_marks(int(pane["index"]), pane["width"], pane["height"],
                                            colours[bool(pane.get("active"))]))

    def hide_numbers(self) -> None:
        """Remove the display-panes marks."""
        self.numbers_shown = False
        for view in self.panes.values():
            view.set_marks({})
