"""Window layout tree: the geometry of the panes of one window, like tmux 3.3a.

Owns: the tree of cells of a window (a leaf holds a pane id, the N of ``%N``; a
container lays its children out left-right or top-bottom), every operation that
changes it (split, remove, window resize, pane resize, presets, swap, rotate, zoom,
custom layout strings) and the queries the server and the UI need (pane geometry,
neighbours, the pane under a cell, border segments, the ``#{window_layout}``
string).

The arithmetic follows tmux 3.3a's layout.c, layout-set.c and layout-custom.c so
that the same sequence of operations gives the same ``#{pane_left}``,
``#{pane_top}``, ``#{pane_width}``, ``#{pane_height}`` and ``#{window_layout}`` as
tmux (checked against a live tmux in tests/server/test_layout_tmux_oracle.py).
``pane-border-status`` is taken as ``off``. One deliberate divergence: a full-size
split (``-f``) that tmux would turn into zero, negative or wrapped pane sizes (after
which tmux often crashes) is refused with "no space for new pane".

Invariants (after every public method returns):
- panes are separated by exactly one border cell: the children of a left-right
  container have the container's height and their widths plus one border each sum
  to the container's width plus one (likewise top-bottom), so the leaves tile the
  window with no overlap;
- the window size (``width``, ``height``) is the size of the root cell; like tmux,
  the window can end up larger than requested when the panes cannot shrink further
  or when a preset needs more room. The last requested size (``__init__`` or
  ``resize``) is remembered and every change that alters sizes is followed by a
  re-fit to it, as tmux's recalculate_sizes does after each client command for a
  window with a known size (``window-size manual`` or an attached client);
- the pane order (``panes()``) is the depth-first order of the leaves, which is
  tmux's pane index order;
- ``zoomed`` is either None or a pane of the window; zoom only changes what
  ``geometry()``, ``pane_at()`` and ``border_segments()`` report, the tree keeps
  the unzoomed layout (``to_string()`` is tmux's ``#{window_layout}``, which is
  also the unzoomed one). As in tmux, every change except a window resize
  unzooms first.

This module is the facade (:class:`Layout`); the pieces follow tmux's files:
:mod:`.layout_tree` the cells and their arithmetic (layout.c), :mod:`.layout_presets` the
preset layouts (layout-set.c), :mod:`.layout_codec` the layout strings (layout-custom.c).

Pure logic: no I/O, no imports beyond the standard library and those modules.
"""

from __future__ import annotations

from collections.abc import Sequence

from .layout_codec import all_sizes_positive as _all_sizes_positive
from .layout_codec import consistent as _consistent
from .layout_codec import dump_cell as _dump_cell
from .layout_codec import fix_root_size as _fix_root_size
from .layout_codec import parse_layout as _parse_layout
from .layout_codec import with_checksum as _with_checksum
from .layout_presets import (
    DEFAULT_MAIN_PANE_HEIGHT,
    DEFAULT_MAIN_PANE_WIDTH,
    DEFAULT_OTHER_PANE_HEIGHT,
    DEFAULT_OTHER_PANE_WIDTH,
    PRESETS,
)
from .layout_presets import build as _build_preset_tree
from .layout_tree import PANE_MINIMUM, WINDOW_MAXIMUM, WINDOW_MINIMUM, LayoutError, PaneGeometry
from .layout_tree import Cell as _Cell
from .layout_tree import Kind as _Kind
from .layout_tree import adjust as _adjust
from .layout_tree import clone as _clone
from .layout_tree import destroy as _destroy
from .layout_tree import fits as _fits
from .layout_tree import fix_offsets as _fix_offsets
from .layout_tree import new_leaf as _leaf
from .layout_tree import resize_children as _resize_children
from .layout_tree import shrinkable as _shrinkable
from .layout_tree import siblings as _siblings
from .layout_tree import spread as _spread

__all__ = [
    "DEFAULT_MAIN_PANE_HEIGHT", "DEFAULT_MAIN_PANE_WIDTH", "DEFAULT_OTHER_PANE_HEIGHT",
    "DEFAULT_OTHER_PANE_WIDTH", "PANE_MINIMUM", "PRESETS", "WINDOW_MAXIMUM", "WINDOW_MINIMUM",
    "Layout", "LayoutError", "PaneGeometry",
]

_DIRECTIONS = ("L", "R", "U", "D")


class Layout:
    """The layout of one window. See the module docstring for the invariants."""

    def __init__(self, width: int, height: int, pane_id: int) -> None:
        if width < WINDOW_MINIMUM or height < WINDOW_MINIMUM:
            raise LayoutError(f"window too small: {width}x{height}")
        self._root = _leaf(pane_id, min(width, WINDOW_MAXIMUM), min(height, WINDOW_MAXIMUM))
        self.zoomed: int | None = None
        self._requested_size = (self._root.sx, self._root.sy)
        self._last_preset = -1
        self.main_pane_width: int | str = DEFAULT_MAIN_PANE_WIDTH
        self.main_pane_height: int | str = DEFAULT_MAIN_PANE_HEIGHT
        self.other_pane_width: int | str = DEFAULT_OTHER_PANE_WIDTH
        self.other_pane_height: int | str = DEFAULT_OTHER_PANE_HEIGHT

    # ----------------------------------------------------------------- queries

    @property
    def width(self) -> int:
        return self._root.sx

    @property
    def height(self) -> int:
        return self._root.sy

    def panes(self) -> list[int]:
        """Pane ids in tmux pane index order."""
        return [self._pane_of(leaf) for leaf in self._root.leaves()]

    def geometry(self) -> dict[int, PaneGeometry]:
        """Visible panes: only the zoomed one (filling the window) when zoomed."""
        if self.zoomed is not None:
            return {self.zoomed: PaneGeometry(0, 0, self.width, self.height)}
        return self._tiled_geometry()

    def pane_at(self, x: int, y: int) -> int | None:
        """The visible pane covering cell (x, y); None on a border or outside."""
        for pane, box in self.geometry().items():
            if box.x <= x < box.x + box.width and box.y <= y < box.y + box.height:
                return pane
        return None

    def neighbour(self, pane: int, direction: str, recent: Sequence[int] = ()) -> int | None:
        """The pane ``select-pane -L/-R/-U/-D`` moves to from ``pane``.

        Like tmux: the unzoomed layout is used, the search wraps around the window
        edge, and candidates are the panes across the adjacent border overlapping
        ``pane``'s span (touching its border counts). tmux picks the most recently
        active candidate: pass ``recent`` (most recent first) to do the same;
        candidates absent from it rank after those in it, ties go to the first in
        pane index order. None when nothing is adjacent.
        """
        if direction not in _DIRECTIONS:
            raise LayoutError(f"unknown direction: {direction}")
        boxes = self._tiled_geometry()
        if pane not in boxes:
            raise LayoutError(f"can't find pane: %{pane}")
        me = boxes[pane]
        candidates: list[int] = []
        for other, box in boxes.items():
            if other != pane and self._adjacent(me, box, direction):
                candidates.append(other)
        if not candidates:
            return None
        rank = {pane_id: index for index, pane_id in enumerate(recent)}
        return min(candidates, key=lambda candidate: rank.get(candidate, len(rank)))

    def _adjacent(self, me: PaneGeometry, other: PaneGeometry, direction: str) -> bool:
        if direction in ("U", "D"):
            if direction == "U":
                edge = me.y if me.y != 0 else self.height + 1
                touches = other.y + other.height + 1 == edge
            else:
                edge = me.y + me.height + 1
                if edge >= self.height:
                    edge = 0
                touches = other.y == edge
            low, high = me.x, me.x + me.width
            start, end = other.x, other.x + other.width - 1
        else:
            if direction == "L":
                edge = me.x if me.x != 0 else self.width + 1
                touches = other.x + other.width + 1 == edge
            else:
                edge = me.x + me.width + 1
                if edge >= self.width:
                    edge = 0
                touches = other.x == edge
            low, high = me.y, me.y + me.height
            start, end = other.y, other.y + other.height - 1
        if not touches:
            return False
        return (start < low and end > high) or low <= start <= high or low <= end <= high

    def border_segments(self) -> list[tuple[int, int, int, bool]]:
        """(x, y, length, vertical) runs of border cells between visible panes;
        a vertical run goes down from (x, y), a horizontal one right. Runs of an
        outer container cross the inner ones, so junction cells appear once."""
        if self.zoomed is not None:
            return []
        segments: list[tuple[int, int, int, bool]] = []
        self._collect_borders(self._root, segments)
        return segments

    def _collect_borders(self, cell: _Cell, segments: list[tuple[int, int, int, bool]]) -> None:
        for child in cell.children[:-1]:
            if cell.kind is _Kind.LEFTRIGHT:
                segments.append((child.xoff + child.sx, cell.yoff, cell.sy, True))
            else:
                segments.append((cell.xoff, child.yoff + child.sy, cell.sx, False))
        for child in cell.children:
            self._collect_borders(child, segments)

    def to_string(self) -> str:
        """tmux's ``#{window_layout}``: the unzoomed layout with its checksum."""
        return _with_checksum(_dump_cell(self._root))

    def visible_string(self) -> str:
        """tmux's ``#{window_visible_layout}``: the zoomed pane alone when zoomed."""
        if self.zoomed is None:
            return self.to_string()
        return _with_checksum(f"{self.width}x{self.height},0,0,{self.zoomed}")

    # ----------------------------------------------------------------- parsing

    @classmethod
    def from_string(cls, text: str) -> Layout:
        """A layout from a tmux layout string, keeping the pane ids it names."""
        root = _parse_layout(text)
        _fix_root_size(root)
        if not _consistent(root):
            raise LayoutError(f"size mismatch after applying layout: {text}")
        panes = [leaf.pane for leaf in root.leaves()]
        if any(pane is None for pane in panes) or len(set(panes)) != len(panes):
            raise LayoutError(f"layout needs one distinct pane id per cell: {text}")
        layout = cls(1, 1, 0)
        layout._root = root
        layout._requested_size = (root.sx, root.sy)
        _fix_offsets(root)
        return layout

    def apply_string(self, text: str) -> None:
        """``select-layout`` with a custom layout string: the window's panes fill
        the cells in pane index order (the ids in the string are ignored); spare
        cells are removed bottom-right first, as tmux does."""
        root = _parse_layout(text)
        panes = self.panes()
        cells = sum(1 for _ in root.leaves())
        if len(panes) > cells:
            raise LayoutError(f"have {len(panes)} panes but need {cells}: {text}")
        while cells > len(panes):
            bottom_right = root
            while bottom_right.kind is not _Kind.PANE:
                bottom_right = bottom_right.children[-1]
            root = _destroy(bottom_right, root)
            cells -= 1
        _fix_root_size(root)
        if not _consistent(root):
            raise LayoutError(f"size mismatch after applying layout: {text}")
        for leaf, pane in zip(root.leaves(), panes):
            leaf.pane = pane
        self.zoomed = None
        self._root = root
        _fix_offsets(root)
        self._refit()

    # ----------------------------------------------------------------- changes

    def split(
        self,
        target: int,
        new_pane: int,
        *,
        horizontal: bool,
        size: int | None = None,
        percent: int | None = None,
        before: bool = False,
        full: bool = False,
    ) -> None:
        """``split-window [-h|-v] [-l N|-l N%|-p N] [-b] [-f] -t target``."""
        target_leaf = self._leaf(target)
        if new_pane in self.panes():
            raise LayoutError(f"pane already in the layout: %{new_pane}")
        if size is not None and percent is not None:
            raise LayoutError("size and percentage are exclusive")
        if (size is not None and size < 0) or (percent is not None and percent < 0):
            raise LayoutError("size too small")
        axis = _Kind.LEFTRIGHT if horizontal else _Kind.TOPBOTTOM
        requested = -1
        if size is not None:
            requested = size
        elif percent is not None:
            if full or self.zoomed == target:
                base = self._root.size(axis)
            else:
                base = target_leaf.size(axis)
            requested = base * percent // 100
        self.zoomed = None
        saved_root = _clone(self._root)
        new_cell = self._split_cell(target_leaf, axis, requested, before=before, full=full)
        if new_cell is None:
            raise LayoutError("no space for new pane")
        if full and not (_consistent(self._root) and _all_sizes_positive(self._root)):
            # tmux 3.3a builds broken layouts here (zero, negative or wrapped sizes)
            # and often crashes afterwards; refuse the split instead.
            self._root = saved_root
            raise LayoutError("no space for new pane")
        new_cell.pane = new_pane
        _fix_offsets(self._root)
        self._refit()

    def _split_cell(
        self, leaf: _Cell, axis: _Kind, requested: int, *, before: bool, full: bool
    ) -> _Cell | None:
        """layout_split_pane: the new (empty) leaf, or None when it does not fit."""
        cell = self._root if full else leaf
        sx, sy, xoff, yoff = cell.sx, cell.sy, cell.xoff, cell.yoff
        if axis is _Kind.LEFTRIGHT and sx < PANE_MINIMUM * 2 + 1:
            return None
        if axis is _Kind.TOPBOTTOM and sy < PANE_MINIMUM * 2 + 1:
            return None
        saved = cell.size(axis)
        if requested < 0:
            second = (saved + 1) // 2 - 1
        elif before:
            second = saved - requested - 1
            if second < 0:  # unsigned wrap in tmux: clamps to the maximum below
                second = saved
        else:
            second = requested
        if second < PANE_MINIMUM:
            second = PANE_MINIMUM
        elif second > saved - 2:
            second = saved - 2
        first = saved - 1 - second
        kept = second if before else first
        if full and not _fits(cell, axis, kept):
            return None

        new_cell = _leaf(None, 0, 0)
        resized_first = False
        if cell.parent is not None and cell.parent.kind is axis:
            siblings = _siblings(cell)
            new_cell.parent = cell.parent
            index = siblings.index(cell)
            siblings.insert(index if before else index + 1, new_cell)
        elif full and cell.parent is None and cell.kind is axis:
            cell.set_size(axis, kept)
            _resize_children(cell)
            cell.set_size(axis, saved)
            resized_first = True
            if axis is _Kind.LEFTRIGHT:
                new_cell.sx, new_cell.sy = saved - 1 - kept, sy
            else:
                new_cell.sx, new_cell.sy = sx, saved - 1 - kept
            new_cell.parent = cell
            if before:
                cell.children.insert(0, new_cell)
            else:
                cell.children.append(new_cell)
        else:
            container = _Cell(axis, sx, sy, parent=cell.parent)
            container.xoff, container.yoff = xoff, yoff
            if cell.parent is None:
                self._root = container
            else:
                grand = cell.parent.children
                grand[grand.index(cell)] = container
            container.append(cell)
            if before:
                container.children.insert(0, new_cell)
                new_cell.parent = container
            else:
                container.append(new_cell)

        if not resized_first:
            left_or_top, right_or_bottom = (new_cell, cell) if before else (cell, new_cell)
            if axis is _Kind.LEFTRIGHT:
                left_or_top.sx, left_or_top.sy = first, sy
                right_or_bottom.sx, right_or_bottom.sy = second, sy
            else:
                left_or_top.sx, left_or_top.sy = sx, first
                right_or_bottom.sx, right_or_bottom.sy = sx, second
            if full:
                _resize_children(cell)
        return new_cell

    def remove(self, pane: int) -> None:
        """``kill-pane``: the space goes to the previous sibling (next for a first
        child). The last pane cannot be removed: the window goes with it."""
        leaf = self._leaf(pane)
        if leaf is self._root:
            raise LayoutError("cannot remove the last pane of a window")
        self.zoomed = None
        self._root = _destroy(leaf, self._root)
        _fix_offsets(self._root)
        self._refit()

    def resize(self, width: int, height: int) -> None:
        """Window resize (layout_resize): grow or shrink panes evenly; the window
        stays larger than asked when the panes are at their minimum. The size is
        remembered as the requested size (see the module docstring)."""
        width = min(max(width, WINDOW_MINIMUM), WINDOW_MAXIMUM)
        height = min(max(height, WINDOW_MINIMUM), WINDOW_MAXIMUM)
        self._requested_size = (width, height)
        self._refit()

    def _refit(self) -> None:
        """Bring the window as close to the requested size as the panes allow
        (tmux re-fits after every client command through recalculate_sizes)."""
        for axis, wanted in zip((_Kind.LEFTRIGHT, _Kind.TOPBOTTOM), self._requested_size):
            current = self._root.size(axis)
            limit = _shrinkable(self._root, axis)
            change = max(wanted - current, -limit)
            if limit == 0:
                change = 0 if wanted <= current else wanted - current
            if change != 0:
                _adjust(self._root, axis, change)
        _fix_offsets(self._root)

    def resize_pane(self, pane: int, direction: str, amount: int) -> None:
        """``resize-pane -L/-R/-U/-D amount``."""
        if direction not in _DIRECTIONS:
            raise LayoutError(f"unknown direction: {direction}")
        if amount < 1:
            raise LayoutError("adjustment too small")
        leaf = self._leaf(pane)
        self.zoomed = None
        axis = _Kind.LEFTRIGHT if direction in ("L", "R") else _Kind.TOPBOTTOM
        change = -amount if direction in ("L", "U") else amount
        self._resize_leaf(leaf, axis, change)
        _fix_offsets(self._root)
        self._refit()

    def resize_pane_to(
        self, pane: int, width: int | None = None, height: int | None = None
    ) -> None:
        """``resize-pane -x width -y height`` (percentages are the caller's:
        tmux takes N% of the window size)."""
        leaf = self._leaf(pane)
        if (width is not None and width < 0) or (height is not None and height < 0):
            raise LayoutError("size too small")
        self.zoomed = None
        for axis, wanted in ((_Kind.LEFTRIGHT, width), (_Kind.TOPBOTTOM, height)):
            if wanted is None:
                continue
            cell, parent = self._ancestor_split(leaf, axis)
            if parent is None:
                continue
            current = cell.size(axis)
            last = cell is parent.children[-1]
            change = current - wanted if last else wanted - current
            self._resize_leaf(leaf, axis, change)
        _fix_offsets(self._root)
        self._refit()
        self._refit()

    @staticmethod
    def _ancestor_split(leaf: _Cell, axis: _Kind) -> tuple[_Cell, _Cell | None]:
        """The ancestor of ``leaf`` (or itself) whose parent splits along ``axis``."""
        cell = leaf
        while cell.parent is not None and cell.parent.kind is not axis:
            cell = cell.parent
        return cell, cell.parent

    def _resize_leaf(self, leaf: _Cell, axis: _Kind, change: int) -> None:
        """layout_resize_pane with opposite=1: move the border after the pane (the
        one before it for a last cell) by ``change``."""
        cell, parent = self._ancestor_split(leaf, axis)
        if parent is None:
            return
        if cell is parent.children[-1]:
            cell = parent.children[-2]
        needed = change
        while needed != 0:
            if change > 0:
                moved = self._grow(cell, axis, needed)
                needed -= moved
            else:
                moved = self._shrink(cell, axis, needed)
                needed += moved
            if moved == 0:
                break

    @staticmethod
    def _grow(cell: _Cell, axis: _Kind, needed: int) -> int:
        siblings = _siblings(cell)
        index = siblings.index(cell)
        donor: _Cell | None = None
        room = 0
        for candidate in [*siblings[index + 1 :], *reversed(siblings[:index])]:
            room = _shrinkable(candidate, axis)
            if room > 0:
                donor = candidate
                break
        if donor is None:
            return 0
        room = min(room, needed)
        _adjust(cell, axis, room)
        _adjust(donor, axis, -room)
        return room

    @staticmethod
    def _shrink(cell: _Cell, axis: _Kind, needed: int) -> int:
        siblings = _siblings(cell)
        index = siblings.index(cell)
        donor: _Cell | None = None
        room = 0
        for candidate in reversed(siblings[: index + 1]):
            room = _shrinkable(candidate, axis)
            if room != 0:
                donor = candidate
                break
        if donor is None or index + 1 >= len(siblings):
            return 0
        room = min(room, -needed)
        _adjust(siblings[index + 1], axis, room)
        _adjust(donor, axis, -room)
        return room

    def spread_out(self, pane: int) -> None:
        """``select-layout -E``: even out the cells of the nearest ancestor of
        ``pane`` that is not already even. When the even size is below what a
        nested cell needs, tmux 3.3a loops forever; here nothing changes."""
        parent = self._leaf(pane).parent
        self.zoomed = None
        saved_root = _clone(self._root)
        while parent is not None:
            if _spread(parent):
                if not (_consistent(self._root) and _all_sizes_positive(self._root)):
                    self._root = saved_root
                    return
                _fix_offsets(self._root)
                self._refit()
                return
            parent = parent.parent

    def swap(self, a: int, b: int) -> None:
        """``swap-pane -s a -t b``: the panes exchange places (and indexes)."""
        first, second = self._leaf(a), self._leaf(b)
        self.zoomed = None
        first.pane, second.pane = b, a

    def replace_pane(self, old: int, new: int) -> None:
        """Pane ``new`` (from another window) takes ``old``'s cell: cross-window
        ``swap-pane``. Like every change but a resize, it unzooms."""
        leaf = self._leaf(old)
        if new in self.panes():
            raise LayoutError(f"pane %{new} is already in this layout")
        self.zoomed = None
        leaf.pane = new

    def rotate(self, *, reverse: bool = False) -> None:
        """``rotate-window`` (-U, prefix C-o): every pane moves to the previous
        place, the first to the last; ``reverse`` is -D (prefix M-o)."""
        leaves = list(self._root.leaves())
        panes = [leaf.pane for leaf in leaves]
        panes = panes[-1:] + panes[:-1] if reverse else panes[1:] + panes[:1]
        self.zoomed = None
        for leaf, pane in zip(leaves, panes):
            leaf.pane = pane

    def toggle_zoom(self, pane: int) -> None:
        """``resize-pane -Z``: unzoom if zoomed, else zoom ``pane`` (a window
        with a single pane does not zoom)."""
        self._leaf(pane)
        if self.zoomed is not None:
            self.zoomed = None
        elif self._root.kind is not _Kind.PANE:
            self.zoomed = pane

    # ----------------------------------------------------------------- presets

    def select_preset(self, name: str) -> None:
        """``select-layout NAME``; NAME may be any unambiguous prefix, as in tmux."""
        matches = [index for index, preset in enumerate(PRESETS) if preset.startswith(name)]
        if len(matches) != 1:
            raise LayoutError(f"invalid layout: {name}")
        self._apply_preset(matches[0])

    def reapply_preset(self) -> bool:
        """The last preset again (``select-layout`` with no name, tmux's
        ``w->lastlayout``); False, changing nothing, when no preset was applied yet."""
        if self._last_preset == -1:
            return False
        self._apply_preset(self._last_preset)
        return True

    def next_preset(self) -> str:
        """``next-layout`` (prefix Space)."""
        index = 0 if self._last_preset == -1 else (self._last_preset + 1) % len(PRESETS)
        self._apply_preset(index)
        return PRESETS[index]

    def previous_preset(self) -> str:
        """``previous-layout`` (prefix M-Space)."""
        if self._last_preset <= 0:
            index = len(PRESETS) - 1
        else:
            index = self._last_preset - 1
        self._apply_preset(index)
        return PRESETS[index]

    def _apply_preset(self, index: int) -> None:
        self.zoomed = None
        self._last_preset = index
        panes = self.panes()
        if len(panes) > 1:
            self._root = self._build_preset(index, panes)
        self._refit()

    def _build_preset(self, index: int, panes: list[int]) -> _Cell:
        return _build_preset_tree(index, panes, self.width, self.height, self)

    # ----------------------------------------------------------------- helpers

    def _tiled_geometry(self) -> dict[int, PaneGeometry]:
        return {
            self._pane_of(leaf): PaneGeometry(leaf.xoff, leaf.yoff, leaf.sx, leaf.sy)
            for leaf in self._root.leaves()
        }

    def _leaf(self, pane: int) -> _Cell:
        for leaf in self._root.leaves():
            if leaf.pane == pane:
                return leaf
        raise LayoutError(f"can't find pane: %{pane}")

    @staticmethod
    def _pane_of(leaf: _Cell) -> int:
        assert leaf.pane is not None
        return leaf.pane
