"""The preview box under a chooser, cell for cell as tmux 3.3a draws it (mode-tree.c's
``mode_tree_draw``, window-tree.c's ``window_tree_draw_session`` / ``_window``,
screen-write.c's ``screen_write_preview``).

:func:`preview_cells` lays out the box: a single-line frame, `` NAME (sort: ORDER) `` in
its top border (with ``(filter: active)`` or ``(filter: no matches)`` when a filter is
set), and inside it, from the third column and second line, either the lines of one item
(a pane's screen around its cursor, a buffer's text) or several panes side by side (a
session's windows, a window's panes), each with its label boxed at its centre in
``display-panes-colour`` (``display-panes-active-colour`` for the current one),
separated by vertical lines, with ``<`` / ``>`` columns when not all fit.
:class:`ChooserPreview` draws those cells.

Invariant: every row holds exactly ``width`` cells; the box is drawn only when tmux draws it
(both sizes over 4).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from rich.segment import Segment
from rich.style import Style
from textual.strip import Strip
from textual.widget import Widget

from aisession_tui.server.styles import DEFAULT_STYLE
from aisession_tui.server.styles import Style as TmuxStyle
from aisession_tui.widgets.tmux_styles import parse_or_default, rich_style

Cell = tuple[str, TmuxStyle]
REVERSE = parse_or_default("reverse")


@dataclass
class PaneShot:
    """What a preview shows of one pane: its visible lines, its size, its cursor (None
    when hidden), and the label drawn over it (empty: none) in ``colour``."""

    lines: list[str]
    columns: int
    rows: int
    cursor: tuple[int, int] | None = None
    label: str = ""
    colour: str = "blue"
    short_label: str = ""
    """The label when ``label`` is wider than the column (a window's `` N ``)."""


@dataclass
class PreviewContent:
    """The box's title (the item's name and the sort order) and what it holds: ``shots``
    side by side (a session or a window), one ``single`` shot, or ``text`` lines (a
    buffer)."""

    title: str
    filter_state: str = ""
    """"" without a filter, else ``active`` or ``no matches``."""
    shots: list[PaneShot] = field(default_factory=list)
    current: int = 0
    """Which of ``shots`` is the current window or the active pane."""
    single: PaneShot | None = None
    text: list[str] = field(default_factory=list)
    labels_in_share: bool = False
    """Labels centre in each column's share (a window's panes), not its drawn width."""
    wrap: bool = False
    """``text`` lines wrap at spaces as tmux's ``screen_write_text`` (customize-mode's
    descriptions), instead of being cut at the box (a buffer's lines)."""
    samples: dict[int, tuple[str, TmuxStyle]] = field(default_factory=dict)
    """Text drawn in its own style after ``text``'s line N (a colour or style option's
    ``EXAMPLE``)."""


class Canvas:
    """A grid of cells to draw into (clipped at its edges)."""

    def __init__(self, width: int, height: int) -> None:
        self.width, self.height = width, height
        self.cells: list[list[Cell]] = [[(" ", DEFAULT_STYLE)] * width for _ in range(height)]

    def put(self, x: int, y: int, text: str, style: TmuxStyle = DEFAULT_STYLE,
            limit: int | None = None) -> None:
        for offset, char in enumerate(text if limit is None else text[:max(0, limit)]):
            if 0 <= x + offset < self.width and 0 <= y < self.height:
                self.cells[y][x + offset] = (char, style)

    def box(self, x: int, y: int, width: int, height: int) -> None:
        self.put(x, y, "┌" + "─" * (width - 2) + "┐")
        for row in range(y + 1, y + height - 1):
            self.put(x, row, "│")
            self.put(x + width - 1, row, "│")
        self.put(x, y + height - 1, "└" + "─" * (width - 2) + "┘")

    def vline(self, x: int, y: int, height: int) -> None:
        for row in range(y, y + height):
            self.put(x, row, "│")


def draw_shot(canvas: Canvas, shot: PaneShot, x: int, y: int, nx: int, ny: int) -> None:
    """``screen_write_preview``: the ``nx`` x ``ny`` part of the pane around its cursor
    (the top left without one), the cursor cell reversed."""
    px = py = 0
    if shot.cursor is not None:
        cx, cy = shot.cursor
        px = 0 if cx < nx // 3 else cx - nx // 3
        if px + nx > shot.columns:
            px = 0 if nx > shot.columns else shot.columns - nx
        py = 0 if cy < ny // 3 else cy - ny // 3
        if py + ny > shot.rows:
            py = 0 if ny > shot.rows else shot.rows - ny
    for row in range(min(ny, max(0, shot.rows - py))):
        line = shot.lines[py + row] if py + row < len(shot.lines) else ""
        part = line[px:px + min(nx, shot.columns - px)]
        canvas.put(x, y + row, part.ljust(min(nx, shot.columns - px)))
    if shot.cursor is not None:
        cx, cy = shot.cursor
        line = shot.lines[cy] if cy < len(shot.lines) else ""
        char = line[cx] if cx < len(line) else " "
        canvas.put(x + cx - px, y + cy - py, char, REVERSE)


def draw_label(canvas: Canvas, x: int, y: int, sx: int, sy: int, colour: str,
               label: str) -> None:
    """``window_tree_draw_label``: ``label`` at the centre, boxed when there is room."""
    size = len(label)
    if sx == 0 or sy == 1 or size > sx:
        return
    ox, oy = (sx - size + 1) // 2, (sy + 1) // 2
    if ox > 1 and ox + size < sx - 1 and sy >= 3:
        canvas.box(x + ox - 1, y + oy - 1, size + 2, 3)
    canvas.put(x + ox, y + oy, label, parse_or_default(f"fg={colour}"))


def draw_side_by_side(canvas: Canvas, shots: list[PaneShot], current: int, x: int, y: int,
                      sx: int, sy: int, labels_in_share: bool) -> None:
    """A session's windows or a window's panes in columns (``window_tree_draw_session``
    / ``_window``, scrolled to show the current one); ``labels_in_share``: the label is
    centred in the column's share (panes) rather than its drawn width (windows)."""
    total = len(shots)
    if total == 0:
        return
    visible = max(1, sx // 24) if sx // total < 24 else total
    if current < visible:
        start, end = 0, visible
    elif current >= total - visible:
        start, end = total - visible, total
    else:
        start = current - visible // 2
        end = start + visible
    left, right = start != 0, end != total
    if ((left and right) and sx <= 6) or ((left or right) and sx <= 3):
        left = right = False
    room = sx - 6 if left and right else sx - 3 if left or right else sx
    each = room // visible
    remaining = room - visible * each
    if each == 0:
        return
    if left:
        canvas.vline(x + 2, y, sy)
        canvas.put(x, y + sy // 2, "<")
    if right:
        canvas.vline(x + sx - 3, y, sy)
        canvas.put(x + sx - 1, y + sy // 2, ">")
    for column, index in enumerate(range(start, end)):
        shot = shots[index]
        offset = (3 if left else 0) + column * each
        width = each + remaining if index == end - 1 else each - 1
        draw_shot(canvas, shot, x + offset, y, width, sy)
        label = shot.label if len(shot.label) <= width or not shot.short_label else shot.short_label
        draw_label(canvas, x + offset, y, each if labels_in_share else width, sy, shot.colour,
                   label)
        if index != end - 1:
            canvas.vline(x + offset + width, y, sy)


def preview_cells(content: PreviewContent, width: int, height: int) -> list[list[Cell]]:
    """The box's rows (``height`` rows of ``width`` cells)."""
    canvas = Canvas(width, height)
    if width <= 4 or height <= 4:
        return canvas.cells
    canvas.box(0, 0, width, height)
    text = f" {content.title}"
    if width - 2 >= len(text):
        if content.filter_state and width - 2 >= len(text) + 10 + len("no matches") + 2:
            text += f" (filter: {content.filter_state}) "
        else:
            text += " "
        canvas.put(1, 0, text)
    sx, sy = width - 4, height - 2
    if content.single is not None:
        draw_shot(canvas, content.single, 2, 1, sx, sy)
    elif content.shots:
        draw_side_by_side(canvas, content.shots, content.current, 2, 1, sx, sy,
                          content.labels_in_share)
    elif content.wrap:
        draw_text(canvas, content, 2, 1, sx, sy)
    else:
        for row, line in enumerate(content.text[:sy]):
            canvas.put(2, 1 + row, line, limit=sx)
    return canvas.cells


def wrap_line(text: str, width: int) -> list[str]:
    """``screen_write_text``'s lines for ``text`` in ``width`` columns: each as much as
    fits, broken after the last space that fits when a word would be cut (a word longer
    than the line is cut), the space it breaks at dropped."""
    if width <= 0:
        return []
    lines: list[str] = []
    start = 0
    while True:
        end = min(len(text), start + width)
        if end == len(text):
            lines.append(text[start:end])
            return lines
        if text[end] == " ":
            lines.append(text[start:end])
            start = end + 1
        else:
            space = text.rfind(" ", start + 1, end + 1)
            if space > start:
                lines.append(text[start:space])
                start = space + 1
            else:
                lines.append(text[start:end])
                start = end
        if start >= len(text):
            return lines


def draw_text(canvas: Canvas, content: PreviewContent, x: int, y: int, sx: int,
              sy: int) -> None:
    """``content.text`` wrapped in ``sx`` columns from (``x``, ``y``), each line's sample
    after it in its style, clipped at ``sy`` rows."""
    row = 0
    for index, line in enumerate(content.text):
        sample, style = content.samples.get(index, ("", DEFAULT_STYLE))
        pieces = wrap_line(line + sample, sx) if line + sample else [""]
        for piece_index, piece in enumerate(pieces):
            if row >= sy:
                return
            canvas.put(x, y + row, piece)
            if sample and piece_index == len(pieces) - 1:
                start = max(0, len(piece) - len(sample))
                canvas.put(x + start, y + row, piece[start:], style)
            row += 1


class ChooserPreview(Widget):
    """The preview box, drawn in the terminal's own colours as tmux draws it."""

    DEFAULT_CSS = """
    ChooserPreview {
        width: 1fr;
        height: 1fr;
        background: ansi_default;
        color: ansi_default;
    }
    """

    def __init__(self) -> None:
        super().__init__(id="choose-tree-preview")
        self.content: PreviewContent | None = None
        self.drawn: tuple[int, int, list[list[Cell]]] | None = None
        """The cells last laid out, with the size they were laid out for."""

    def show(self, content: PreviewContent) -> None:
        self.content = content
        self.drawn = None
        self.refresh()

    def rows(self) -> list[list[Cell]]:
        """The box's cells at the widget's size (laid out again when the size changed)."""
        width, height = self.size
        if self.content is None:
            return []
        if self.drawn is None or self.drawn[:2] != (width, height):
            self.drawn = (width, height, preview_cells(self.content, width, height))
        return self.drawn[2]

    @property
    def text_lines(self) -> list[str]:
        """The box's rows as plain text (what a test or a screen reader reads)."""
        return ["".join(char for char, _ in row) for row in self.rows()]

    def on_resize(self) -> None:
        """The tree above decides the split again (``ChooseTree.fit``)."""
        from aisession_tui.widgets.overlays import ChooseTree

        for sibling in self.parent.children if isinstance(self.parent, Widget) else ():
            if isinstance(sibling, ChooseTree):
                sibling.fit()

    def render_line(self, y: int) -> Strip:
        width = self.size.width
        rows = self.rows()
        if y >= len(rows):
            return Strip.blank(width, Style())
        return Strip([Segment(char, rich_style(style)) for char, style in rows[y]])
