"""Which pane each border cell belongs to, its colour and its arrow, as tmux 3.3a decides
them (``screen-redraw.c``).

A border cell belongs to the first visible pane, starting at the active pane and going on in
the window's pane order, whose border it is on (:func:`pane_border`).

**Colour** (:func:`active_border_cells`): tmux styles a pane's border cells once per redraw,
at the first of them in reading order: all of them take ``pane-active-border-style`` if that
cell is on the active pane's border, else ``pane-border-style``.

**Arrows** (``pane-border-indicators arrows`` or ``both``, :func:`border_arrows`): a cell
gets an arrow when it is on the active pane's border and it is either
- a horizontal line (or a ``┬`` below which the active pane is, a ``┴`` above it) in the
  column just right of its pane's left edge, or
- a vertical line (or a ``├`` right of which the active pane is, a ``┤`` left of it) in the
  row just below its pane's top edge.
The arrow points from the border into the active pane: ``→`` on its left border, ``←`` on
its right, ``↓`` above it, ``↑`` below it.

With ``both`` (and ``colour``), a window of exactly two panes side by side or stacked splits
their one separator in halves (tmux's two-pane rule, as the border colours do).

**Characters** (:func:`border_cells`): the separators' runs (and the panes' border status
lines, ``pane-border-status``: :func:`border_titles`, :func:`title_cells`) joined into
box-drawing characters at their crossings; past a window smaller than the client's area
(:func:`outside_cell`), the window's right and bottom edges and ``fill-character``.

Pure data, headless: the client's ``BorderCanvas`` and the server's first-frame painter
(:mod:`aisession_tui.server.first_frame`) both draw from it.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from aisession_tui.server.status_cells import format_cells, parse_or_default

if TYPE_CHECKING:
    from aisession_tui.protocol.messages import PaneInfo, WindowInfo
    from aisession_tui.server.styles import Style

TitleLine = tuple[int, int, int, str, bool]
"""A pane's border status line: (x, y, width, format text, drawn for the active pane)."""
TitleCell = tuple[str, "Style | None", bool]
"""A cell of a border status line: its character, its format style (None: the line's
border style) and whether the line is the active pane's."""

INSIDE, OUTSIDE, LEFT, RIGHT, TOP, BOTTOM = range(6)
"""Where a cell is relative to a pane (tmux's ``screen_redraw_border_type``)."""

ARROWS = {LEFT: "→", RIGHT: "←", TOP: "↓", BOTTOM: "↑"}
"""The arrow on each border of the active pane, pointing into it."""

Pane = Any
"""A ``PaneInfo`` (``x``, ``y``, ``width``, ``height``, ``active``, ``visible``)."""


_UP, _DOWN, _LEFT, _RIGHT = 1, 2, 4, 8
_BOX = {
    _UP | _DOWN: "│", _LEFT | _RIGHT: "─", _UP: "│", _DOWN: "│", _LEFT: "─", _RIGHT: "─",
    _DOWN | _RIGHT: "┌", _DOWN | _LEFT: "┐", _UP | _RIGHT: "└", _UP | _LEFT: "┘",
    _UP | _DOWN | _RIGHT: "├", _UP | _DOWN | _LEFT: "┤", _LEFT | _RIGHT | _DOWN: "┬",
    _LEFT | _RIGHT | _UP: "┴", _UP | _DOWN | _LEFT | _RIGHT: "┼",
}


def border_cells(segments: Sequence[Sequence[Any]],
                 extra: set[tuple[int, int]] | None = None) -> dict[tuple[int, int], str]:
    """Box-drawing character per border cell, joining the runs ``(x, y, length,
    vertical)`` (and the ``extra`` cells, the pane status lines) at their crossings."""
    present: set[tuple[int, int]] = set(extra or ())
    for x, y, length, vertical in segments:
        for step in range(length):
            present.add((x, y + step) if vertical else (x + step, y))
    chars: dict[tuple[int, int], str] = {}
    for x, y in present:
        mask = ((_UP if (x, y - 1) in present else 0) | (_DOWN if (x, y + 1) in present else 0)
                | (_LEFT if (x - 1, y) in present else 0)
                | (_RIGHT if (x + 1, y) in present else 0))
        chars[(x, y)] = _BOX.get(mask, "│")
    return chars


def outside_cell(window_size: tuple[int, int] | None, cells: dict[tuple[int, int], str],
                 fill_character: str, x: int, y: int) -> str | None:
    """What tmux draws at (x, y) past a window of ``window_size`` smaller than the client,
    or None inside the window: the window's right and bottom edges as one border line
    (joined to the separators ``cells`` that reach them), the rest ``fill_character`` or a
    middle dot (tmux's ``screen_redraw_check_cell``). All of it is in
    ``pane-border-style``."""
    if window_size is None:
        return None
    width, height = window_size
    if x < width and y < height:
        return None
    if x > width or y > height:
        return fill_character[:1] or "·"
    if x == width and y == height:
        return "┘"
    if x == width:
        return "┤" if (x - 1, y) in cells else "│"
    return "┴" if (x, y - 1) in cells else "─"


def border_titles(window: WindowInfo, visible: Sequence[PaneInfo]) -> list[TitleLine]:
    """Each pane's border status line, if the window has them: the row above the pane
    (``top``) or below it (``bottom``), from the cell left of the pane to the cell right of
    it (tmux's border cells of that row)."""
    status = window.get("border_status", "off")
    if status not in ("top", "bottom"):
        return []
    lines = []
    for pane in visible:
        row = pane["y"] - 1 if status == "top" else pane["y"] + pane["height"]
        lines.append((pane["x"], row, pane["width"], str(pane.get("border_title", "")),
                      bool(pane.get("active"))))
    return lines


def title_extra(titles: Sequence[TitleLine]) -> set[tuple[int, int]]:
    """The border cells the status lines add (joined with the separators' by
    :func:`border_cells`)."""
    return {(x + offset, y) for x, y, width, _text, _active in titles
            for offset in range(-1, width + 1) if x + offset >= 0 and y >= 0}


def title_cells(titles: Sequence[TitleLine], cells: dict[tuple[int, int], str],
                border_styles: tuple[str, str]) -> dict[tuple[int, int], TitleCell]:
    """The status lines' cells as tmux 3.3a draws them: from two cells into the pane's
    width less four, the text (``#[...]`` on top of the line's border style,
    ``border_styles``: normal and active) over the line."""
    drawn: dict[tuple[int, int], TitleCell] = {}
    for x, y, width, text, is_active in titles:
        if width < 4:
            continue
        for offset in range(width - 4):
            cell = (x + 2 + offset, y)
            drawn[cell] = (cells.get(cell, "─"), None, is_active)
        start = parse_or_default(border_styles[is_active])
        for offset, char, style in format_cells(text, width - 4, start):
            drawn[(x + 2 + offset, y)] = (char, style, is_active)
    return drawn


def two_panes(panes: Sequence[Pane], vertical: bool) -> bool:
    """Exactly two panes, the second right of the first (``vertical`` separator) or below
    it (horizontal separator)."""
    if len(panes) != 2:
        return False
    return bool(panes[1]["x"] != 0 if vertical else panes[1]["y"] != 0)


def pane_border(pane: Pane, x: int, y: int, panes: Sequence[Pane], status: str,
                split: bool) -> int:
    """Where cell (x, y) is relative to ``pane``: INSIDE, on one of its borders, or OUTSIDE
    (``status``: ``pane-border-status``; ``split``: the two-pane rule applies)."""
    left, top, width, height = pane["x"], pane["y"], pane["width"], pane["height"]
    right, bottom = left + width, top + height
    if left <= x < right and top <= y < bottom:
        return INSIDE
    if status == "off" and split and two_panes(panes, True):
        if left == 0 and x == width and y <= height // 2:
            return RIGHT
        if left != 0 and x == left - 1 and y > height // 2:
            return LEFT
    elif (top == 0 or y >= top - 1) and y <= bottom:
        if left != 0 and x == left - 1:
            return LEFT
        if x == right:
            return RIGHT
    spans = (left == 0 or x >= left - 1) and x <= right
    if status == "off":
        if split and two_panes(panes, False):
            if top == 0 and y == height and x <= width // 2:
                return BOTTOM
            if top != 0 and y == top - 1 and x > width // 2:
                return TOP
        elif spans:
            if top != 0 and y == top - 1:
                return TOP
            if y == bottom:
                return BOTTOM
    elif spans and status == "top" and top != 0 and y == top - 1:
        return TOP
    elif spans and status == "bottom" and y == bottom:
        return BOTTOM
    return OUTSIDE


def _owners(panes: Sequence[Pane], cells: dict[tuple[int, int], str], status: str,
            split: bool) -> dict[tuple[int, int], Pane]:
    """The pane each border cell belongs to (none for a cell on no visible pane's border)."""
    visible = [pane for pane in panes if pane.get("visible", True)]
    active = next((pane for pane in visible if pane.get("active")), None)
    if active is None:
        return {}
    start = visible.index(active)
    order = visible[start:] + visible[:start]
    owners: dict[tuple[int, int], Pane] = {}
    for x, y in cells:
        owner = next((pane for pane in order
                      if pane_border(pane, x, y, panes, status, split) not in (INSIDE, OUTSIDE)),
                     None)
        if owner is not None:
            owners[(x, y)] = owner
    return owners


def active_border_cells(panes: Sequence[Pane], cells: dict[tuple[int, int], str],
                        status: str, indicators: str) -> set[tuple[int, int]]:
    """The border cells drawn in ``pane-active-border-style``: every cell of a pane whose
    first cell in reading order is on the active pane's border."""
    active = next((pane for pane in panes if pane.get("visible", True) and pane.get("active")),
                  None)
    if active is None:
        return set()
    split = indicators in ("colour", "both")
    owners = _owners(panes, cells, status, split)
    decided: dict[int, bool] = {}
    for x, y in sorted(owners, key=lambda cell: (cell[1], cell[0])):
        owner = owners[(x, y)]
        if owner["id"] not in decided:
            decided[owner["id"]] = pane_border(active, x, y, panes, status, split) not in (
                INSIDE, OUTSIDE)
    return {cell for cell, owner in owners.items() if decided[owner["id"]]}


def border_arrows(panes: Sequence[Pane], cells: dict[tuple[int, int], str], status: str,
                  indicators: str) -> dict[tuple[int, int], str]:
    """The arrow to draw instead of the box character, per border cell (``cells``: the
    separators' characters by cell); none unless ``indicators`` is ``arrows`` or ``both``."""
    if indicators not in ("arrows", "both"):
        return {}
    active = next((pane for pane in panes if pane.get("visible", True) and pane.get("active")),
                  None)
    if active is None:
        return {}
    split = indicators == "both"
    arrows: dict[tuple[int, int], str] = {}
    for (x, y), owner in _owners(panes, cells, status, split).items():
        border = pane_border(active, x, y, panes, status, split)
        if border in (INSIDE, OUTSIDE):
            continue
        char = cells[(x, y)]
        across = x == owner["x"] + 1 and (
            char == "─" or (char == "┬" and border == BOTTOM) or (char == "┴" and border == TOP))
        down = y == owner["y"] + 1 and (
            char == "│" or (char == "├" and border == RIGHT) or (char == "┤" and border == LEFT))
        if across or down:
            arrows[(x, y)] = ARROWS[border]
    return arrows
