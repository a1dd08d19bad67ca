"""PaneView: one pane's screen drawn with Textual's Line API.

The widget mirrors the server's ``screen`` notifications (see
``aisession_tui.protocol.messages``): a list of rows, each a list of runs
``[text, fg, bg, attrs]`` (``aisession_tui.terminal.style``), plus the cursor and the
terminal modes the child set. It never parses terminal output itself.

Invariants:
* ``render_line(y)`` returns a ``Strip`` exactly ``size.width`` cells wide;
* a Rich ``Style`` is built once per ``(fg, bg, attrs, selected)`` and cached; the cache
  is dropped only when the widget's default colours or ``mode-style`` change;
* an update refreshes only the regions of rows that changed (plus the rows the cursor
  left and entered) with ``refresh(Region)``, never the whole widget;
* ``render_lines`` hands the compositor the cached strips directly, already passed through
  the app's line filters: a pane has no padding, border or opacity, so Textual's per-line
  styling pass would only repeat work on every frame (most of a frame's cost under a flood);
* when ``copy_mode`` is set, the rows come from it (history + frozen screen) instead of
  the live screen, and the live screen keeps updating underneath;
* the child's cursor is the terminal's own cursor (its shape and blinking as the child set
  them, where an IME or a screen reader expects it) when the app says
  ``uses_terminal_cursor``; otherwise (headless: tests, snapshots) the cell under it is
  drawn reversed, or underlined for the underline shapes.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from rich.color import Color
from rich.segment import Segment
from rich.style import Style
from textual.geometry import Region
from textual.strip import Strip
from textual.widget import Widget

from aisession_tui.terminal import style as cell

if TYPE_CHECKING:
    from aisession_tui.protocol.messages import ScreenMessage
    from aisession_tui.widgets.clock_face import ClockFace
    from aisession_tui.widgets.copy_mode import CopyMode
    from aisession_tui.widgets.pane_numbers import Mark

Run = list[Any]
"""``[text, fg, bg, attrs]`` as it arrives on the wire."""

CURSOR_BAR_SHAPES = frozenset({5, 6})
CURSOR_UNDERLINE_SHAPES = frozenset({3, 4})


def _colour(value: int, default: Color) -> Color:
    if value < 0:
        return default
    if value >= cell.TRUECOLOR:
        red, green, blue = cell.rgb_components(value)
        return Color.from_rgb(red, green, blue)
    return Color.from_ansi(value & 0xFF)


class StyleCache:
    """Rich styles per ``(fg, bg, attrs, highlight)``, resolved against default colours.

    Two ways to resolve the child's colours:

    * ``terminal_colours`` (a real terminal, as tmux does): palette indexes go out as
      indexes and the default colours as the terminal's own defaults, so the user's
      palette, default background (even a transparent one) and reverse video look exactly
      as they do outside the multiplexer;
    * otherwise (headless runs: tests and SVG snapshots) default colours are concrete (the
      theme's foreground and background), so the output is the same everywhere.
    """

    def __init__(self, foreground: Color, background: Color, highlight_fg: Color,
                 highlight_bg: Color, *, terminal_colours: bool = False,
                 defaults: tuple[int, int] = (-1, -1)) -> None:
        self.defaults = defaults
        """The colours a cell with default colours takes (``window-style``; -1: none)."""
        self.foreground = foreground
        self.background = background
        self.highlight_fg = highlight_fg
        self.highlight_bg = highlight_bg
        self.terminal_colours = terminal_colours
        self._styles: dict[tuple[int, int, int, bool], Style] = {}
        self.base = Style() if terminal_colours else Style(color=foreground, bgcolor=background)

    def get(self, fg: int, bg: int, attrs: int, highlight: bool = False) -> Style:
        """The style of a run; ``highlight`` draws it as a copy-mode selection."""
        key = (fg, bg, attrs, highlight)
        found = self._styles.get(key)
        if found is not None:
            return found
        if fg < 0:
            fg = self.defaults[0]
        if bg < 0:
            bg = self.defaults[1]
        if highlight:
            colour, background = self.highlight_fg, self.highlight_bg
        elif self.terminal_colours:
            built = Style(color=None if fg < 0 else _colour(fg, self.foreground),
                          bgcolor=None if bg < 0 else _colour(bg, self.background),
                          bold=bool(attrs & cell.BOLD), dim=bool(attrs & cell.DIM),
                          italic=bool(attrs & cell.ITALIC),
                          underline=bool(attrs & cell.UNDERLINE),
                          strike=bool(attrs & cell.STRIKE),
                          reverse=bool(attrs & cell.REVERSE),
                          conceal=bool(attrs & cell.HIDDEN))
            self._styles[key] = built
            return built
        else:
            colour = _colour(fg, self.foreground)
            background = _colour(bg, self.background)
            if attrs & cell.REVERSE:
                colour, background = background, colour
            if attrs & cell.HIDDEN:
                colour = background
        built = Style(color=colour, bgcolor=background, bold=bool(attrs & cell.BOLD),
                      dim=bool(attrs & cell.DIM), italic=bool(attrs & cell.ITALIC),
                      underline=bool(attrs & cell.UNDERLINE),
                      strike=bool(attrs & cell.STRIKE))
        self._styles[key] = built
        return built


class PaneView(Widget):
    """The live screen of one pane."""

    DEFAULT_CSS = """
    PaneView {
        position: absolute;
        background: $background;
        color: $foreground;
    }
    """

    can_focus = False

    def __init__(self, pane_id: int, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.pane_id = pane_id
        self.columns = 0
        self.lines = 0
        self.rows: list[list[Run]] = []
        self.cursor = (0, 0)
        self.cursor_visible = True
        self.cursor_shape = 0
        self.modes: dict[str, Any] = {}
        self.title = ""
        self.dead = False
        self.active = False
        """Whether this is the window's active pane (only it shows the cursor)."""
        self.copy_mode: CopyMode | None = None
        self.default_colours = (-1, -1)
        """The pane's default (fg, bg) from ``window-style``/``window-active-style``
        (run colours; -1: the terminal's own)."""
        self.face: ClockFace | None = None
        """Clock mode's face, drawn instead of the screen while the server has the pane in
        clock mode (:mod:`aisession_tui.client.clock_mode`)."""
        self.face_shown = ""
        """The time the face showed when last drawn."""
        self.marks: dict[int, list[Mark]] = {}
        """display-panes' marks over the pane, by row (:mod:`~aisession_tui.widgets.pane_numbers`)."""
        self._styles: StyleCache | None = None
        self._strips: dict[int, Strip] = {}
        self._filter_background: Any = None
        """The background the app's line filters blend against (set with the styles)."""
        self._draws_cursor = True
        """Whether the cursor is drawn as a cell (set with the styles: the app says once
        whether the terminal's own cursor is used instead)."""

    # ------------------------------------------------------------------ model
    def apply_screen(self, message: ScreenMessage) -> None:
        """Apply one ``screen`` notification and refresh what it changed."""
        columns, lines = int(message["columns"]), int(message["lines"])
        full = bool(message.get("full")) or (columns, lines) != (self.columns, self.lines)
        if (columns, lines) != (self.columns, self.lines):
            self.columns, self.lines = columns, lines
            self.rows = [[] for _ in range(lines)]
        changed: set[int] = set()
        for key, runs in message.get("rows", {}).items():
            row = int(key)
            if 0 <= row < lines:
                self.rows[row] = runs
                changed.add(row)
        old_cursor = self.cursor
        x, y = message.get("cursor", [0, 0])
        self.cursor = (int(x), int(y))
        cursor_changed = (old_cursor != self.cursor
                          or self.cursor_visible != bool(message.get("cursor_visible", True))
                          or self.cursor_shape != int(message.get("cursor_shape", 0) or 0))
        self.cursor_visible = bool(message.get("cursor_visible", True))
        self.cursor_shape = int(message.get("cursor_shape", 0) or 0)
        self.modes = message.get("modes", self.modes) or {}
        self.title = message.get("title") or ""
        self.dead = bool(message.get("dead", False))
        if self.copy_mode is not None:
            return
        if full:
            self._strips.clear()
            self.refresh()
            return
        if cursor_changed:
            changed.update((old_cursor[1], self.cursor[1]))
        self.refresh_rows(changed)

    def refresh_rows(self, rows: set[int]) -> None:
        """Drop cached strips of ``rows`` and repaint only those rows (one region per run
        of adjacent rows: a scrolling screen is one region, not one per line)."""
        if not rows:
            return
        width = self.size.width
        regions = []
        start = previous = -2
        for row in sorted(rows):
            self._strips.pop(row, None)
            if row != previous + 1:
                if start >= 0:
                    regions.append(Region(0, start, width, previous - start + 1))
                start = row
            previous = row
        regions.append(Region(0, start, width, previous - start + 1))
        self.refresh(*regions)

    def set_default_colours(self, colours: tuple[int, int]) -> None:
        """The pane's ``window-style``/``window-active-style`` colours changed."""
        if colours != self.default_colours:
            self.default_colours = colours
            self._styles = None
            self.repaint()

    def set_active(self, active: bool) -> None:
        """Mark this pane active (draws the cursor) or not."""
        if active != self.active:
            self.active = active
            self.refresh_rows({self.cursor[1]})

    def repaint(self) -> None:
        """Drop every cached strip and repaint (copy mode entered, left or moved)."""
        self._strips.clear()
        self.refresh()

    # ---------------------------------------------------------------- drawing
    def notify_style_update(self) -> None:
        super().notify_style_update()
        self._styles = None
        self._strips.clear()

    def style_cache(self) -> StyleCache:
        """The style cache for the current theme colours."""
        if self._styles is None:
            foreground = Color.parse(self.styles.color.hex)
            background = Color.parse(self.styles.background.hex)
            fg, bg = self.mode_style()  # the session's mode-style, as tmux draws it
            highlight_fg = _colour(fg, foreground)
            highlight_bg = _colour(bg, background)
            self._styles = StyleCache(
                foreground, background, highlight_fg, highlight_bg,
                terminal_colours=bool(getattr(self.app, "uses_terminal_colours", False)),
                defaults=self.default_colours)
            self._filter_background = self.background_colors[1]
            self._draws_cursor = not getattr(self.app, "uses_terminal_cursor", False)
        return self._styles

    def mode_style(self) -> tuple[int, int]:
        """The session's ``mode-style`` colours as run colours (tmux's default until the
        server sends it)."""
        status = getattr(getattr(self.app, "status", None), "status", None) or {}
        text = status.get("mode_style") or "bg=yellow,fg=black"
        from aisession_tui.server.styles import run_colour
        from aisession_tui.widgets.tmux_styles import parse_or_default

        style = parse_or_default(str(text))
        return run_colour(style.fg), run_colour(style.bg)

    def render_lines(self, crop: Region) -> list[Strip]:
        """The rows of ``crop`` for the compositor, straight from the strip cache (the
        active pane also has the app place the terminal's cursor for this frame)."""
        if self.active:
            sync = getattr(self.app, "sync_terminal_cursor", None)
            if sync is not None:
                sync()
        width = self.size.width
        row_strip = self.row_strip
        strips = [row_strip(y, width) for y in crop.line_range]
        if crop.column_span != (0, width):
            first, last = crop.column_span
            strips = [strip.crop(first, last) for strip in strips]
        return strips

    def render_line(self, y: int) -> Strip:
        return self.row_strip(y, self.size.width)

    def set_marks(self, marks: dict[int, list[Mark]]) -> None:
        """Draw display-panes' ``marks`` over the pane (``{}``: none)."""
        if marks != self.marks:
            self.marks = marks
            self.repaint()

    def row_strip(self, y: int, width: int) -> Strip:
        """Row ``y`` drawn ``width`` cells wide, through the app's line filters, with
        display-panes' marks over it."""
        strip = self._screen_strip(y, width)
        marks = self.marks.get(y)
        if not marks:
            return strip
        styles = self.style_cache()
        for x, text, fg, bg in marks:
            if x >= width:
                continue
            mark = self._filtered(Strip([Segment(text, styles.get(fg, bg, 0))]))
            end = min(width, x + mark.cell_length)
            strip = Strip.join([strip.crop(0, x), mark.crop(0, end - x), strip.crop(end, width)])
        return strip

    def _screen_strip(self, y: int, width: int) -> Strip:
        """Row ``y`` of what the pane shows: its screen, copy mode or clock face."""
        styles = self.style_cache()
        if self.face is not None:
            self.face_shown = self.face.shows()
            rows = self.face.rows(self.columns, self.lines)
            return self._filtered(build_strip(rows[y] if 0 <= y < len(rows) else [],
                                              styles, width))
        if self.copy_mode is not None:
            return self._filtered(self.copy_mode.render_row(self, y, width))
        cached = self._strips.get(y)
        if cached is not None and cached.cell_length == width:
            return cached
        runs = self.rows[y] if 0 <= y < len(self.rows) else []
        cursor_x = -1
        if self._draws_cursor and self.active and self.cursor_visible and y == self.cursor[1]:
            cursor_x = self.cursor[0]
        strip = self._filtered(build_strip(runs, styles, width, cursor_x, self.cursor_shape))
        self._strips[y] = strip
        return strip

    def _filtered(self, strip: Strip) -> Strip:
        for line_filter in self.app.get_line_filters():
            strip = strip.apply_filter(line_filter, self._filter_background)
        return strip


def build_strip(runs: list[Run], styles: StyleCache, width: int, cursor_x: int = -1,
                cursor_shape: int = 0) -> Strip:
    """One row as a ``Strip`` of ``width`` cells; ``cursor_x`` >= 0 draws the cursor there."""
    segments: list[Segment] = []
    position = 0
    for text, fg, bg, attrs in runs:
        if not text:
            continue
        length = len(text)
        if cursor_x >= 0 and position <= cursor_x < position + length and text.isascii():
            offset = cursor_x - position
            before, under, after = text[:offset], text[offset], text[offset + 1:]
            style = styles.get(fg, bg, attrs)
            if before:
                segments.append(Segment(before, style))
            segments.append(Segment(under, cursor_style(styles, fg, bg, attrs, cursor_shape)))
            if after:
                segments.append(Segment(after, style))
            cursor_x = -2
        else:
            segments.append(Segment(text, styles.get(fg, bg, attrs)))
        position += length if text.isascii() else Segment(text).cell_length
    if cursor_x >= position:
        pad = cursor_x - position
        if pad:
            segments.append(Segment(" " * pad, styles.base))
        segments.append(Segment(" ", cursor_style(styles, cell.DEFAULT, cell.DEFAULT, 0,
                                                  cursor_shape)))
    return Strip(segments).adjust_cell_length(width, styles.base)


def cursor_style(styles: StyleCache, fg: int, bg: int, attrs: int, shape: int) -> Style:
    """The style of the cell under the cursor: underline for shapes 3/4, else reverse."""
    if shape in CURSOR_UNDERLINE_SHAPES:
        return styles.get(fg, bg, attrs | cell.UNDERLINE)
    return styles.get(fg, bg, attrs ^ cell.REVERSE)


def render_frame_offscreen(rows: list[list[Run]], width: int,
                           styles: StyleCache | None = None) -> list[Strip]:
    """Render a whole frame without an app: the cost of ``render_line`` for every row.

    For benchmarks: ``render_frame_offscreen(rows, 200)`` with 50 dense rows measures what
    a full repaint of a 200x50 pane costs (style lookups and strip building).
    """
    cache = styles or StyleCache(Color.parse("#e5e5e5"), Color.parse("#000000"),
                                 Color.parse("#000000"), Color.parse("#cdcd00"))
    return [build_strip(runs, cache, width) for runs in rows]
