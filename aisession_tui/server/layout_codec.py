"""Layout strings (tmux's layout-custom.c): ``#{window_layout}``'s text with its checksum,
and reading one back into a tree (checked, as ``select-layout`` with a custom layout).

Pure logic: no I/O, no imports beyond the standard library.
"""

from __future__ import annotations

import re

from .layout_tree import PANE_MINIMUM, Cell, Kind, LayoutError, new_leaf


def checksum(body: str) -> int:
    checksum = 0
    for char in body:
        checksum = (checksum >> 1) + ((checksum & 1) << 15)
        checksum = (checksum + ord(char)) & 0xFFFF
    return checksum


def dump_cell(cell: Cell) -> str:
    text = f"{cell.sx}x{cell.sy},{cell.xoff},{cell.yoff}"
    if cell.kind is Kind.PANE:
        return text if cell.pane is None else f"{text},{cell.pane}"
    opening, closing = ("{", "}") if cell.kind is Kind.LEFTRIGHT else ("[", "]")
    inner = ",".join(dump_cell(child) for child in cell.children)
    return f"{text}{opening}{inner}{closing}"


def with_checksum(body: str) -> str:
    return f"{checksum(body):04x},{body}"


class Parser:
    """Reads the body of a tmux layout string (layout_construct)."""

    _CELL = re.compile(r"(\d+)x(\d+),(\d+),(\d+)(?:,(\d+)(?!\d*x))?")

    def __init__(self, body: str) -> None:
        self.body = body
        self.position = 0

    def parse(self) -> Cell:
        cell = self._cell()
        if self.position != len(self.body):
            raise LayoutError("invalid layout")
        return cell

    def _cell(self) -> Cell:
        match = self._CELL.match(self.body, self.position)
        if match is None:
            raise LayoutError("invalid layout")
        self.position = match.end()
        sx, sy, xoff, yoff = (int(match.group(i)) for i in range(1, 5))
        pane = None if match.group(5) is None else int(match.group(5))
        following = self.body[self.position : self.position + 1]
        if following in ("{", "["):
            kind = Kind.LEFTRIGHT if following == "{" else Kind.TOPBOTTOM
            closing = "}" if following == "{" else "]"
            cell = Cell(kind, sx, sy)
            while True:
                self.position += 1
                cell.append(self._cell())
                if self.body[self.position : self.position + 1] != ",":
                    break
            if self.body[self.position : self.position + 1] != closing:
                raise LayoutError("invalid layout")
            self.position += 1
        elif following in (",", "}", "]", ""):
            cell = new_leaf(pane, sx, sy)
        else:
            raise LayoutError("invalid layout")
        cell.xoff, cell.yoff = xoff, yoff
        return cell


def parse_layout(text: str) -> Cell:
    """Validate the checksum and build a detached tree from a layout string."""
    match = re.match(r"([0-9a-fA-F]{4}),", text)
    if match is None:
        raise LayoutError(f"invalid layout: {text}")
    body = text[match.end() :]
    if int(match.group(1), 16) != checksum(body):
        raise LayoutError(f"invalid layout: {text}")
    try:
        return Parser(body).parse()
    except LayoutError:
        raise LayoutError(f"invalid layout: {text}") from None


def consistent(cell: Cell) -> bool:
    """Whether children exactly fill their containers (layout_check)."""
    if cell.kind is Kind.PANE:
        return True
    axis = cell.kind
    across = Kind.TOPBOTTOM if axis is Kind.LEFTRIGHT else Kind.LEFTRIGHT
    total = 0
    for child in cell.children:
        if child.size(across) != cell.size(across) or not consistent(child):
            return False
        total += child.size(axis) + 1
    return total - 1 == cell.size(axis)


def all_sizes_positive(cell: Cell) -> bool:
    if cell.sx < PANE_MINIMUM or cell.sy < PANE_MINIMUM:
        return False
    return all(all_sizes_positive(child) for child in cell.children)



def fix_root_size(root: Cell) -> None:
    """tmux corrects a root whose size disagrees with its children (layouts from
    old tmux versions): take the size from the children."""
    if root.kind is Kind.PANE:
        return
    axis = root.kind
    across = Kind.TOPBOTTOM if axis is Kind.LEFTRIGHT else Kind.LEFTRIGHT
    along = sum(child.size(axis) + 1 for child in root.children) - 1
    other = root.children[-1].size(across)
    root.set_size(axis, along)
    root.set_size(across, other)

