"""The preset layouts (tmux's layout-set.c): even-horizontal, even-vertical,
main-horizontal, main-vertical and tiled, each built as a new tree for a window's panes.

Pure logic: no I/O, no imports beyond the standard library.
"""

from __future__ import annotations

from typing import Protocol

from .layout_tree import PANE_MINIMUM, Cell, Kind, adjust, fix_offsets, new_leaf, spread

PRESETS: tuple[str, ...] = (
    "even-horizontal",
    "even-vertical",
    "main-horizontal",
    "main-vertical",
    "tiled",
)

DEFAULT_MAIN_PANE_WIDTH = "80"
DEFAULT_MAIN_PANE_HEIGHT = "24"
DEFAULT_OTHER_PANE_WIDTH = "0"
DEFAULT_OTHER_PANE_HEIGHT = "0"


class MainPaneOptions(Protocol):
    """The ``main-pane-*`` / ``other-pane-*`` options a main layout reads (a ``Layout``)."""

    main_pane_width: int | str
    main_pane_height: int | str
    other_pane_width: int | str
    other_pane_height: int | str


def option_value(value: int | str, maximum: int, current: int) -> int | None:
    """A main-pane-width style option: N or N% of ``current``; None when out of
    0..maximum or malformed (args_string_percentage)."""
    text = str(value)
    try:
        if text.endswith("%"):
            percent = int(text[:-1])
            if not 0 <= percent <= 100:
                return None
            number = current * percent // 100
        else:
            number = int(text)
    except ValueError:
        return None
    return number if 0 <= number <= maximum else None



def build(index: int, panes: list[int], width: int, height: int,
          options: MainPaneOptions) -> Cell:
    """The tree of preset ``PRESETS[index]`` for ``panes`` in a ``width`` x ``height``
    window, offsets set."""
    builders = (
        lambda: even(panes, Kind.LEFTRIGHT, width, height),
        lambda: even(panes, Kind.TOPBOTTOM, width, height),
        lambda: main(panes, Kind.TOPBOTTOM, width, height, options),
        lambda: main(panes, Kind.LEFTRIGHT, width, height, options),
        lambda: tiled(panes, width, height),
    )
    root = builders[index]()
    fix_offsets(root)
    return root


def even(panes: list[int], axis: Kind, window_width: int, window_height: int) -> Cell:
    """even-horizontal (``axis`` left-right) or even-vertical (top-bottom)."""
    needed = len(panes) * (PANE_MINIMUM + 1) - 1
    if axis is Kind.LEFTRIGHT:
        root = Cell(axis, max(needed, window_width), window_height)
    else:
        root = Cell(axis, window_width, max(needed, window_height))
    for pane in panes:
        root.append(new_leaf(pane, window_width, window_height))
    spread(root)
    return root


def main(panes: list[int], main_axis: Kind, window_width: int, window_height: int,
         options: MainPaneOptions) -> Cell:
    """main-horizontal (main pane on top: ``main_axis`` top-bottom) or
    main-vertical (main pane left: left-right)."""
    others = len(panes) - 1
    if main_axis is Kind.TOPBOTTOM:
        along, across = window_height - 1, window_width
        main_option, other_option, fallback = (
            options.main_pane_height,
            options.other_pane_height,
            24,
        )
    else:
        along, across = window_width - 1, window_height
        main_option, other_option, fallback = (
            options.main_pane_width,
            options.other_pane_width,
            80,
        )
    main_size = option_value(main_option, along, along)
    if main_size is None:
        main_size = fallback
    if main_size + PANE_MINIMUM >= along:
        main_size = PANE_MINIMUM if along <= PANE_MINIMUM * 2 else along - PANE_MINIMUM
        other_size = PANE_MINIMUM
    else:
        other_size = option_value(other_option, along, along) or 0
        if other_size == 0 or along - other_size < main_size:
            other_size = along - main_size
        else:
            main_size = along - other_size
    across = max(others * (PANE_MINIMUM + 1) - 1, across)
    stack_axis = Kind.LEFTRIGHT if main_axis is Kind.TOPBOTTOM else Kind.TOPBOTTOM

    def sized(cell: Cell, along_size: int) -> Cell:
        cell.set_size(main_axis, along_size)
        cell.set_size(stack_axis, across)
        return cell

    root = sized(Cell(main_axis, 0, 0), main_size + other_size + 1)
    root.append(sized(new_leaf(panes[0], 0, 0), main_size))
    if others == 1:
        root.append(sized(new_leaf(panes[1], 0, 0), other_size))
        return root
    stack = sized(Cell(stack_axis, 0, 0), other_size)
    root.append(stack)
    for pane in panes[1:]:
        child = new_leaf(pane, 0, 0)
        child.set_size(main_axis, other_size)
        child.set_size(stack_axis, PANE_MINIMUM)
        stack.append(child)
    spread(stack)
    return root


def tiled(panes: list[int], window_width: int, window_height: int) -> Cell:
    """tiled: rows and columns as even as tmux makes them."""
    count = len(panes)
    rows = columns = 1
    while rows * columns < count:
        rows += 1
        if rows * columns < count:
            columns += 1
    width = max((window_width - (columns - 1)) // columns, PANE_MINIMUM)
    height = max((window_height - (rows - 1)) // rows, PANE_MINIMUM)
    root = Cell(
        Kind.TOPBOTTOM,
        max((width + 1) * columns - 1, window_width),
        max((height + 1) * rows - 1, window_height),
    )
    remaining = list(panes)
    for row_index in range(rows):
        if not remaining:
            break
        if count - row_index * columns == 1 or columns == 1:
            root.append(new_leaf(remaining.pop(0), window_width, height))
            continue
        row = Cell(Kind.LEFTRIGHT, window_width, height)
        root.append(row)
        placed = remaining[:columns]
        del remaining[:columns]
        for pane in placed:
            row.append(new_leaf(pane, width, height))
        used = len(placed) * (width + 1) - 1
        if window_width > used:
            adjust(row.children[-1], Kind.LEFTRIGHT, window_width - used)
    used = rows * height + rows - 1
    if window_height > used:
        adjust(root.children[-1], Kind.TOPBOTTOM, window_height - used)
    return root
