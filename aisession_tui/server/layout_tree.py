"""The layout tree (tmux's layout.c): cells, and the arithmetic that splits, sizes and
removes them.

Owns :class:`Cell` (a leaf holds a pane id, a container lays its children out left-right
or top-bottom), :class:`PaneGeometry`, :class:`LayoutError` and the size limits. The
invariants every operation keeps are the module docstring of
:mod:`aisession_tui.server.layout` (the facade the rest of the server uses).

Pure logic: no I/O, no imports beyond the standard library.
"""

from __future__ import annotations

import enum
from collections.abc import Iterator
from dataclasses import dataclass

PANE_MINIMUM = 1
WINDOW_MINIMUM = 1
WINDOW_MAXIMUM = 10000


class LayoutError(Exception):
    """An operation the layout refuses, with tmux's wording where tmux has one."""


@dataclass
class PaneGeometry:
    """Where a pane sits in its window, in cells, borders excluded."""

    x: int
    y: int
    width: int
    height: int


class Kind(enum.Enum):
    LEFTRIGHT = "leftright"
    TOPBOTTOM = "topbottom"
    PANE = "pane"


class Cell:
    """One node of the tree: a pane leaf or a left-right / top-bottom container."""

    __slots__ = ("children", "kind", "pane", "parent", "sx", "sy", "xoff", "yoff")

    def __init__(
        self,
        kind: Kind,
        sx: int,
        sy: int,
        *,
        pane: int | None = None,
        parent: Cell | None = None,
    ) -> None:
        self.kind = kind
        self.parent = parent
        self.children: list[Cell] = []
        self.sx = sx
        self.sy = sy
        self.xoff = 0
        self.yoff = 0
        self.pane = pane

    def size(self, axis: Kind) -> int:
        return self.sx if axis is Kind.LEFTRIGHT else self.sy

    def add_size(self, axis: Kind, change: int) -> None:
        if axis is Kind.LEFTRIGHT:
            self.sx += change
        else:
            self.sy += change

    def set_size(self, axis: Kind, value: int) -> None:
        if axis is Kind.LEFTRIGHT:
            self.sx = value
        else:
            self.sy = value

    def append(self, child: Cell) -> None:
        child.parent = self
        self.children.append(child)

    def leaves(self) -> Iterator[Cell]:
        if self.kind is Kind.PANE:
            yield self
            return
        for child in self.children:
            yield from child.leaves()


def new_leaf(pane: int | None, sx: int, sy: int) -> Cell:
    return Cell(Kind.PANE, sx, sy, pane=pane)


def siblings(cell: Cell) -> list[Cell]:
    assert cell.parent is not None
    return cell.parent.children


def fix_offsets(root: Cell) -> None:
    """Recompute every offset from the sizes, the root at 0,0 (layout_fix_offsets)."""
    root.xoff = 0
    root.yoff = 0
    fix_child_offsets(root)


def fix_child_offsets(cell: Cell) -> None:
    position = cell.xoff if cell.kind is Kind.LEFTRIGHT else cell.yoff
    for child in cell.children:
        if cell.kind is Kind.LEFTRIGHT:
            child.xoff, child.yoff = position, cell.yoff
            position += child.sx + 1
        else:
            child.xoff, child.yoff = cell.xoff, position
            position += child.sy + 1
        fix_child_offsets(child)


def shrinkable(cell: Cell, axis: Kind) -> int:
    """How many cells ``cell`` can lose along ``axis`` (layout_resize_check)."""
    if cell.kind is Kind.PANE:
        return max(cell.size(axis) - PANE_MINIMUM, 0)
    if cell.kind is axis:
        return sum(shrinkable(child, axis) for child in cell.children)
    return min(shrinkable(child, axis) for child in cell.children)


def adjust(cell: Cell, axis: Kind, change: int) -> None:
    """Grow or shrink a cell and its subtree, spreading one cell at a time over
    children in the same direction (layout_resize_adjust). ``change`` must already
    be bounded by ``shrinkable``; tmux would spin forever otherwise, here the
    leftover is dropped."""
    cell.add_size(axis, change)
    if cell.kind is Kind.PANE:
        return
    if cell.kind is not axis:
        for child in cell.children:
            adjust(child, axis, change)
        return
    while change != 0:
        progressed = False
        for child in cell.children:
            if change == 0:
                break
            if change > 0:
                adjust(child, axis, 1)
                change -= 1
                progressed = True
            elif shrinkable(child, axis) > 0:
                adjust(child, axis, -1)
                change += 1
                progressed = True
        if not progressed:
            break


def destroy(cell: Cell, root: Cell) -> Cell:
    """Remove a leaf, giving its space to the previous sibling (the next one for a
    first child) and collapsing a parent left with one child. Returns the root."""
    parent = cell.parent
    assert parent is not None
    index = parent.children.index(cell)
    other = parent.children[1] if index == 0 else parent.children[index - 1]
    adjust(other, parent.kind, cell.size(parent.kind) + 1)
    parent.children.remove(cell)
    cell.parent = None
    if len(parent.children) != 1:
        return root
    only = parent.children[0]
    grandparent = parent.parent
    only.parent = grandparent
    if grandparent is None:
        only.xoff = only.yoff = 0
        return only
    grandparent.children[grandparent.children.index(parent)] = only
    return root


def new_child_size(
    previous: int, cell: Cell, axis: Kind, size: int, count_left: int, size_left: int
) -> int:
    """Proportional size of ``cell`` when its parent changes from ``previous`` to
    ``size`` (layout_new_pane_size), keeping room for the cells after it."""
    if count_left == 1:
        return size_left
    available = shrinkable(cell, axis)
    minimum = (PANE_MINIMUM + 1) * (count_left - 1)
    current = cell.size(axis)
    minimum = max(minimum, current - available)
    new_size = current * size // previous
    # tmux computes the maximum unsigned: when it would be negative it wraps and
    # never limits.
    if size_left >= minimum:
        new_size = min(new_size, size_left - minimum)
    return max(new_size, PANE_MINIMUM)


def fits(cell: Cell, axis: Kind, size: int) -> bool:
    """Whether ``cell`` and its subtree can be resized to ``size`` along ``axis``
    (layout_set_size_check)."""
    if cell.kind is Kind.PANE:
        return size >= PANE_MINIMUM
    if cell.kind is not axis:
        return all(
            fits(child, axis, size) for child in cell.children if child.kind is not Kind.PANE
        )
    count = len(cell.children)
    available = size
    if available < count * 2 - 1:
        return False
    previous = cell.size(axis)
    for index, child in enumerate(cell.children):
        new_size = new_child_size(previous, child, axis, size, count - index, available)
        needed = new_size if index == count - 1 else new_size + 1
        if needed > available:
            return False
        available -= needed
        if not fits(child, axis, new_size):
            return False
    return True


def resize_children(cell: Cell) -> None:
    """Fit the children of ``cell`` into its current size proportionally
    (layout_resize_child_cells)."""
    if cell.kind is Kind.PANE:
        return
    axis = cell.kind
    count = len(cell.children)
    previous = sum(child.size(axis) for child in cell.children) + count - 1
    available = cell.size(axis)
    for index, child in enumerate(cell.children):
        if axis is Kind.TOPBOTTOM:
            child.sx = cell.sx
            child.xoff = cell.xoff
        else:
            child.sy = cell.sy
        new_size = new_child_size(previous, child, axis, cell.size(axis), count - index, available)
        child.set_size(axis, new_size)
        available -= new_size + 1
        resize_children(child)


def spread(parent: Cell) -> bool:
    """Make the children of ``parent`` equal (layout_spread_cell); True if any
    size changed."""
    number = len(parent.children)
    if number <= 1 or parent.kind is Kind.PANE:
        return False
    axis = parent.kind
    size = parent.size(axis)
    if size < number - 1:
        return False
    each = (size - (number - 1)) // number
    if each == 0:
        return False
    changed = False
    for index, child in enumerate(parent.children):
        if index == number - 1:
            each = size - (each + 1) * (number - 1)
        change = each - child.size(axis)
        adjust(child, axis, change)
        changed = changed or change != 0
    return changed



def clone(cell: Cell, parent: Cell | None = None) -> Cell:
    copy = Cell(cell.kind, cell.sx, cell.sy, pane=cell.pane, parent=parent)
    copy.xoff, copy.yoff = cell.xoff, cell.yoff
    copy.children = [clone(child, copy) for child in cell.children]
    return copy

