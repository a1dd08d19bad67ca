"""The status line's layout, headless: cells of (character, style) per status row.

Owns where everything on tmux's status line goes - ``status-left`` cut to its length, the
window list placed by ``status-justify`` (``<``/``>`` where windows are cut off, the
current one kept in view), agents and ``status-right`` against the right edge, and a
``status-format`` line's ``#[align=...]`` sections - for the two code paths that draw it:
the client's ``StatusBar`` widget (which turns the cells into Rich text) and the server's
first-frame painter (:mod:`aisession_tui.server.first_frame`, which turns them into SGR).

Cells: one entry per character, ``(char, style)``; a wide character is one entry that
takes two cells (:func:`char_width`, wcwidth's width as the terminal package uses it).
A :class:`CellText` holds cells whose style may be None (the line's base style); a
finished line (:func:`finish`) has every style resolved against the base as the widget
draws them: a run's colour wins where it is a colour, the base's where it is ``default``,
attributes add up (``nobold`` in a run does not take away the base's bold).

Invariants: a finished line is exactly ``width`` cells wide; every layout rule here is the
one the widget draws (the widget has no layout of its own); nothing here imports Rich or
Textual.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from typing import TYPE_CHECKING

from aisession_tui.server.styles import (
    ATTRIBUTES,
    DEFAULT_STYLE,
    Style,
    StyleError,
    parse_style,
    run_colour,
    split_style_runs,
)

from ..terminal.widths import wcwidth

if TYPE_CHECKING:
    from aisession_tui.protocol.messages import StatusLine, WindowInfo

DEFAULT_STATUS_STYLE = "bg=green,fg=black"
"""tmux's default ``status-style`` (until the server sends the session's)."""

DRAWN_ATTRIBUTES = sum(1 << ATTRIBUTES.index(name) for name in (
    "bright", "dim", "italics", "underscore", "blink", "reverse", "hidden", "strikethrough",
    "overline"))
"""The attributes a status cell is drawn with (the others, ``acs`` and the underline
shapes, are not drawn on the status line)."""

AGENT_STYLES = {"busy": Style(attributes=1 << ATTRIBUTES.index("bright")),
                "waiting": Style(attributes=(1 << ATTRIBUTES.index("bright"))
                                 | (1 << ATTRIBUTES.index("reverse"))),
                "offline": Style(attributes=1 << ATTRIBUTES.index("dim"))}
"""How an agent's state is drawn (busy bold, waiting bold reversed, offline dimmed)."""

Cell = tuple[str, Style]
"""A finished cell: its character and the style it is drawn in."""


@lru_cache(maxsize=4096)
def char_width(char: str) -> int:
    """Cells ``char`` takes (0 for a control or combining character)."""
    return max(0, wcwidth(char))


def text_width(text: str) -> int:
    """Cells ``text`` takes."""
    if text.isascii():
        return len(text)
    return sum(char_width(char) for char in text)


def parse_or_default(text: str, base: Style = DEFAULT_STYLE) -> Style:
    """A tmux style string on top of ``base``; ``base`` itself if it does not parse."""
    try:
        return parse_style(text, current=base)
    except StyleError:
        return base


def drawn_colour(colour: int) -> bool:
    """Whether ``colour`` is a colour to draw (``default``, ``terminal`` and ``none``
    leave the one underneath: no run colour)."""
    return run_colour(colour) >= 0


def over(base: Style, style: Style | None) -> Style:
    """``style`` drawn on ``base``: its colours where it has them, both's attributes."""
    if style is None:
        style = base
    return Style(fg=style.fg if drawn_colour(style.fg) else base.fg,
                 bg=style.bg if drawn_colour(style.bg) else base.bg,
                 attributes=(base.attributes | style.attributes) & DRAWN_ATTRIBUTES)


@dataclass
class CellText:
    """A line being laid out: characters with their style (None: the line's base)."""

    cells: list[tuple[str, Style | None]] = field(default_factory=list)
    width: int = 0
    """Cells taken (the sum of the characters' widths)."""

    def append(self, text: str, style: Style | None = None) -> CellText:
        """Add ``text`` in ``style``."""
        self.cells.extend((char, style) for char in text)
        self.width += text_width(text)
        return self

    def extend(self, other: CellText) -> CellText:
        """Add the cells of ``other``."""
        self.cells.extend(other.cells)
        self.width += other.width
        return self

    def copy(self) -> CellText:
        return CellText(list(self.cells), self.width)

    def __add__(self, other: CellText) -> CellText:
        return self.copy().extend(other)

    def slice(self, start: int, end: int | None = None) -> CellText:
        """Characters ``start`` to ``end`` (indexes of characters, not of cells)."""
        cells = self.cells[start:end]
        return CellText(cells, sum(char_width(char) for char, _ in cells))

    def truncate(self, limit: int, *, pad: bool = False) -> CellText:
        """At most ``limit`` cells (a wide character cut in two becomes a blank in its
        style); with ``pad``, blanks in the base style up to ``limit`` when shorter."""
        length = self.width
        if length > limit:
            kept: list[tuple[str, Style | None]] = []
            used = 0
            for char, style in self.cells:
                size = char_width(char)
                if used + size > limit:
                    if used < limit:  # a wide character across the edge
                        kept.append((" ", style))
                        used += 1
                    break
                kept.append((char, style))
                used += size
            self.cells, self.width = kept, used
        if pad and length < limit:
            self.append(" " * (limit - length))
        return self


def finish(line: CellText, base: Style) -> list[Cell]:
    """The cells of ``line`` in the styles they are drawn in, on ``base``."""
    resolved: dict[Style | None, Style] = {}
    cells = []
    for char, style in line.cells:
        drawn = resolved.get(style)
        if drawn is None:
            drawn = resolved[style] = over(base, style)
        cells.append((char, drawn))
    return cells


def styled_runs(source: str, start: Style) -> Iterator[tuple[str, Style, str]]:
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


def styled_cells(source: str, start: Style) -> CellText:
    """Expanded format text with its ``#[...]`` directives applied, as tmux draws it:
    each directive changes the current style; ``default`` goes back to ``start`` (or
    what ``push-default`` set)."""
    text = CellText()
    for _align, style, run in styled_runs(source, start):
        text.append(run, style)
    return text


def format_line(source: str, width: int, start: Style) -> CellText:
    """One status line from expanded ``status-format`` text, placed as tmux's
    ``format_draw`` places its sections: ``#[align=left]`` text from the left edge,
    ``right`` against the right edge, ``centre`` centred between them and
    ``absolute-centre`` centred on the whole line. (List markers and ranges are not
    drawn: the window list line is drawn from the options themselves.) Base: ``start``."""
    sections = {name: CellText() for name in ("left", "centre", "right", "absolute-centre")}
    for align, style, run in styled_runs(source, start):
        sections[align].append(run, style)
    left, right = sections["left"], sections["right"]
    left.truncate(width)
    right.truncate(max(0, width - left.width))
    middle_room = width - left.width - right.width
    centre = sections["centre"]
    centre.truncate(max(0, middle_room))
    line = CellText().extend(left)
    line.append(" " * (middle_room // 2 - centre.width // 2))  # as tmux's format_draw
    line.extend(centre)
    line.append(" " * (width - line.width - right.width))
    line.extend(right)
    absolute = sections["absolute-centre"]
    if absolute.width:
        absolute.truncate(width)
        at = (width - absolute.width) // 2
        line = line.slice(0, at) + absolute + line.slice(at + absolute.width)  # (as drawn)
    return line.truncate(width, pad=True)


def format_cells(source: str, width: int, start: Style) -> list[tuple[int, str, Style]]:
    """(column, character, style) of each cell ``source`` draws in a ``width``-cell line,
    placed as :func:`format_line` places its sections; cells it leaves alone (between
    the sections) are not listed, as tmux's ``format_draw`` leaves what is under them."""
    sections: dict[str, list[tuple[str, Style]]] = {
        name: [] for name in ("left", "centre", "right", "absolute-centre")}
    for align, style, run in styled_runs(source, start):
        sections[align].extend((char, style) for char in run)

    def fit(cells: list[tuple[str, Style]], room: int) -> list[tuple[str, Style]]:
        kept, used = [], 0
        for char, style in cells:
            size = char_width(char)
            if used + size > room:
                break
            kept.append((char, style))
            used += size
        return kept

    def length(cells: list[tuple[str, Style]]) -> int:
        return sum(char_width(char) for char, _ in cells)

    left = fit(sections["left"], width)
    right = fit(sections["right"], width - length(left))
    middle = width - length(left) - length(right)
    centre = fit(sections["centre"], middle)
    absolute = fit(sections["absolute-centre"], width)
    placed: list[tuple[int, str, Style]] = []
    for column, cells in ((0, left), (length(left) + middle // 2 - length(centre) // 2, centre),
                          (width - length(right), right),
                          ((width - length(absolute)) // 2, absolute)):
        for char, style in cells:
            placed.append((column, char, style))
            column += char_width(char)
    return placed


# ------------------------------------------------------------------ the window list line
def window_list(tabs: Sequence[tuple[CellText, int, bool]], separator: CellText,
                room: int) -> tuple[CellText, list[tuple[int, int, int]]]:
    """The window labels joined by ``separator`` within ``room`` cells, the current one
    kept in view (``<`` / ``>`` mark windows cut off, as tmux's list markers); with the
    (start, end, index) span of each label shown."""
    first = 0
    current = next((position for position, (_, _, active) in enumerate(tabs) if active), 0)

    def joined(start: int) -> tuple[CellText, list[tuple[int, int, int]]]:
        text, spans = CellText(), []
        if start:
            text.append("<")
        for position, (label, index, _) in enumerate(tabs[start:], start=start):
            if position > start:
                text.extend(separator)
            spans.append((text.width, text.width + label.width, index))
            text.extend(label)
        return text, spans

    text, spans = joined(first)
    while text.width > room and first < current:
        first += 1
        text, spans = joined(first)
    if text.width > room:
        text.truncate(max(0, room - 1))
        if room:
            text.append(">")
        spans = [(start, min(end, room), index) for start, end, index in spans if start < room]
    return text, spans


def agents_text(agents: Sequence[tuple[str, str]], room: int) -> CellText:
    """``frontend:busy backend:idle`` within ``room`` cells (``+N`` for the rest)."""
    text = CellText()
    for index, (name, state) in enumerate(agents):
        entry = f"{name}:{state}"
        rest = len(agents) - index - 1
        more = f" +{rest}" if rest else ""
        needed = (1 if text.width else 0) + len(entry)
        if text.width + needed + len(more) > room:
            missing = len(agents) - index
            if text.width + len(f" +{missing}") <= room:
                text.append(f"{' ' if text.width else ''}+{missing}")
            break
        if text.width:
            text.append(" ")
        text.append(entry, AGENT_STYLES.get(state))
    return text


def with_right(text: CellText, right: CellText, width: int,
               agents: Sequence[tuple[str, str]] = ()) -> CellText:
    """``text`` padded, then the agents and ``right`` against the right edge, the whole
    exactly ``width`` cells."""
    shown = agents_text(agents, width - text.width - right.width - 2)
    if right.width or shown.width:
        tail = shown + (CellText().append(" ") + right if right.width and shown.width
                        else right)
        gap = width - text.width - tail.width
        if gap >= 0:
            text.append(" " * gap)
            text.extend(tail)
    return text.truncate(width, pad=True)


@dataclass
class StatusLayout:
    """A status line laid out: its rows of finished cells and where its parts went."""

    rows: list[list[Cell]]
    tab_spans: list[tuple[int, int, int]]
    """(start, end, window index) of each window entry drawn on the first row."""
    left_end: int = 0
    """Where ``status-left`` ends."""
    right_start: int | None = None
    """Where ``status-right`` starts (None: the built-in line, which has none of its own)."""
    base: Style = DEFAULT_STYLE
    """The line's base style (``status-style``), which every cell's style includes."""


def current_window(windows: Iterable[WindowInfo]) -> int | None:
    """The index of the session's current window (None: none is)."""
    for window in windows:
        if window.get("active"):
            return int(window["index"])
    return None


def options_line(width: int, status: StatusLine, current: int | None,
                 agents: Sequence[tuple[str, str]] = ()) -> tuple[CellText, StatusLayout]:
    """The first line as the session's options describe it (``status_line.status_payload``):
    ``status-left``, the window list placed by ``status-justify``, ``status-right``, every
    colour the options'; the line unfinished (base: ``status-style``) and its layout
    (``rows`` left empty)."""
    base = parse_or_default(status.get("style", DEFAULT_STATUS_STYLE))

    def draw(source: str, style_text: str, limit: int | None = None) -> CellText:
        drawn = styled_cells(source, parse_or_default(style_text, base))
        if limit is not None and drawn.width > limit:
            drawn.truncate(limit)
        return drawn

    text = draw(status.get("left", ""), status.get("left_style", "default"),
                int(status.get("left_length", 10)))
    right = draw(status.get("right", ""), status.get("right_style", "default"),
                 int(status.get("right_length", 40)))
    left_end, right_start = text.width, width - right.width
    tabs = [(draw(window.get("text", ""), window.get("style", "default")),
             int(window["index"]), window["index"] == current)
            for window in status.get("windows", [])]
    separator = draw(status.get("separator", " "), "default")
    room = max(0, width - text.width - right.width)
    listing, spans = window_list(tabs, separator, room)
    justify = status.get("justify", "left")
    if justify in ("centre", "absolute-centre"):
        middle = (width - listing.width) // 2 if justify == "absolute-centre" else \
            text.width + (room - listing.width) // 2
        pad = max(0, middle - text.width)
    elif justify == "right":
        pad = max(0, room - listing.width)
    else:
        pad = 0
    text.append(" " * pad)
    offset = text.width
    tab_spans = [(offset + start, offset + end, index) for start, end, index in spans]
    text.extend(listing)
    layout = StatusLayout([], tab_spans, left_end, right_start, base)
    return with_right(text, right, width, agents), layout


def status_layout(width: int, status: StatusLine | None, windows: Sequence[WindowInfo],
                  session_name: str = "", right: str = "",
                  agents: Sequence[tuple[str, str]] = ()) -> StatusLayout:
    """Every row of the status line ``width`` cells wide: from the session's options
    (``status``: the first line from ``status-format[0]`` when the user set it, else from
    the options; then the ``status 2``..``5`` lines), or without them tmux's built-in line
    (``[name] 0:bash* ...`` and ``right``) in tmux's default ``status-style``."""
    if status is None:
        base = parse_or_default(DEFAULT_STATUS_STYLE)
        text = CellText().append(f"[{session_name}] ")
        spans = []
        for window in windows:
            label = f"{window['index']}:{window['name']}{window.get('flags', '') or ' '}"
            start = text.width
            text.append(label)
            spans.append((start, text.width, int(window["index"])))
            text.append(" ")
        line = with_right(text, CellText().append(right), width, agents)
        return StatusLayout([finish(line, base)], spans, 0, None, base)
    base = parse_or_default(status.get("style", DEFAULT_STATUS_STYLE))
    first = status.get("first")
    if first is not None:
        layout = StatusLayout([finish(format_line(str(first), width, base), base)], [],
                              base=base)
    else:
        line, layout = options_line(width, status, current_window(windows), agents)
        layout.rows.append(finish(line, base))
    for extra in status.get("lines", []):
        layout.rows.append(finish(format_line(str(extra), width, base), base))
    return layout
