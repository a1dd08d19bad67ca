"""display-menu's menu, cell for cell as tmux 3.3a draws it (``menu.c``,
``screen_write_menu``) and placed as its ``-x``/``-y`` place it (``cmd-display-menu.c``).

:func:`menu_lines` lays the menu out: each item's name (a format) trimmed to the terminal's
width less four, with ``>`` where it was cut and its key right-aligned as ``(key)`` when
the key fits; the box is four cells wider than the widest item or the title and two lines
taller than the items. :func:`menu_place` turns ``-x``/``-y`` (``C`` centre, ``R``/``P``
the target pane's right/left edge or bottom, ``W`` the window's status-line entry, ``S``
the status line, ``M`` the mouse, or a number) into the box's top-left cell.
:class:`MenuBox` draws it over the window: single lines, the title in the top border, a
separator as a line joined to the sides, a disabled item (a name starting with ``-``) dim,
the chosen item in ``mode-style``; :meth:`MenuBox.mouse_event` drives it with the mouse as
tmux's ``menu_key_cb`` does.

The box's cells are its own (tmux clears them); nothing of the panes shows through.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

from rich.cells import cell_len
from rich.segment import Segment
from rich.style import Style
from textual.strip import Strip
from textual.widget import Widget

from aisession_tui.server.styles import DEFAULT_STYLE, parse_style
from aisession_tui.server.styles import Style as TmuxStyle
from aisession_tui.terminal.mouse_reports import RawMouse, buttons, is_drag, is_release, is_wheel
from aisession_tui.widgets.tmux_styles import format_cells, rich_style

_DIRECTIVE = re.compile(r"#\[[^\]]*\]")


def visible_width(text: str) -> int:
    """Cells a format's text takes (its ``#[...]`` directives take none)."""
    return cell_len(_DIRECTIVE.sub("", text).replace("##", "#"))


def _trim(text: str, width: int) -> str:
    """``text`` cut to ``width`` visible cells, directives kept (tmux's format_trim_right)."""
    out, used, position = [], 0, 0
    while position < len(text):
        match = _DIRECTIVE.match(text, position)
        if match:
            out.append(match.group())
            position = match.end()
            continue
        size = cell_len(text[position])
        if used + size > width:
            break
        out.append(text[position])
        used += size
        position += 1
    return "".join(out)


@dataclass
class MenuLayout:
    """A laid-out menu: ``width`` is the items' area; ``items`` the drawn names (None for
    a separator), each with whether it is disabled."""

    title: str
    width: int
    items: list[tuple[str, bool] | None]

    @property
    def size(self) -> tuple[int, int]:
        """The box's columns and lines."""
        return self.width + 4, len(self.items) + 2


def menu_lines(title: str, items: list[dict[str, object] | None], columns: int) -> MenuLayout:
    """Lay out the menu for a terminal ``columns`` wide."""
    width = visible_width(title)
    drawn: list[tuple[str, bool] | None] = []
    for item in items:
        if item is None:
            drawn.append(None)
            continue
        name, key = str(item["name"]), item.get("key")
        room = columns - 4
        length = visible_width(name)
        shown_key = str(key) if key and not name.startswith("-") else None
        if shown_key is not None:
            key_length = len(shown_key) + 3
            if key_length <= room // 4:
                room -= key_length
            elif key_length >= room or length >= room - key_length:
                shown_key = None
        suffix = ""
        if length > room:
            room -= 1
            suffix = ">"
        text = _trim(name, room) + suffix
        if shown_key is not None:
            text += f"#[default] #[align=right]({shown_key})"
        disabled = text.startswith("-")
        width = max(width, visible_width(text) - (1 if disabled else 0))
        drawn.append((text[1:] if disabled else text, disabled))
    return MenuLayout(title, width, drawn)


def _number(text: str) -> int:
    match = re.match(r"\s*[-+]?\d+", text)
    return int(match.group()) if match else 0


def menu_place(x: str, y: str, size: tuple[int, int], terminal: tuple[int, int], *,
               status_top: bool, status_lines: int, window_x: int | None,
               pane: list[int], mouse: tuple[int, int] | None = None) -> tuple[int, int] | None:
    """The box's top-left cell on the terminal, or None when it does not fit."""
    w, h = size
    columns, lines = terminal
    if w > columns or h > lines:
        return None
    top = status_lines if status_top else 0
    pane_x, pane_y, pane_w, pane_h = pane
    centre_y = (lines - 1) // 2 + h // 2
    xs = {"C": max(0, (columns - 1) // 2 - w // 2), "R": max(0, pane_x + pane_w - w),
          "P": pane_x, "M": max(0, mouse[0] - w // 2) if mouse else 0,
          "W": window_x if window_x is not None else 0}
    if status_lines:
        window_y = 1 + h if status_top else lines - status_lines
        status_y = status_lines + h if status_top else lines - status_lines
    else:
        window_y = status_y = 0
    ys = {"C": centre_y if centre_y < lines else lines - h,
          "P": top + pane_y + pane_h, "S": status_y,
          "M": min(lines - 1, mouse[1] + h) if mouse else 0,
          "W": window_y if window_x is not None else 0}
    px = xs[x] if x in xs else _number(x)
    px = columns - w if px + w >= columns else max(0, px)
    py = ys[y] if y in ys else _number(y)
    py = 0 if py < h else py - h
    py = lines - h if py + h >= lines else max(0, py)
    return min(px, columns - w), min(py, lines - h)


class MenuBox(Widget):
    """The menu over the window (absolutely placed by the app)."""

    DEFAULT_CSS = """
    MenuBox {
        position: absolute;
        overlay: screen;
        constrain: none none;
    }
    """

    def __init__(self, layout: MenuLayout, choice_style: str, *, place: tuple[int, int] = (0, 0),
                 mouse: bool = False, stay_open: bool = False) -> None:
        super().__init__()
        self.menu_layout = layout
        self.choice = -1 if mouse else next((index for index, item in enumerate(layout.items)
                                             if item is not None and not item[1]), -1)
        """The chosen item: the first enabled one at first without a mouse, none when
        the mouse opened the menu (tmux's ``MENU_NOMOUSE``)."""
        self.choice_style = choice_style
        self.place = place
        """The box's top-left terminal cell."""
        self.mouse_driven = mouse
        """The mouse opened it: the mouse drives it (else a button press closes it)."""
        self.stay_open = stay_open
        self.on_choose: Callable[[], object] = lambda: None
        """Runs the chosen item (set by whoever shows the menu)."""
        self.on_close: Callable[[], object] = lambda: None
        self.styles.width, self.styles.height = layout.size

    def mouse_event(self, raw: RawMouse) -> None:
        """tmux 3.3a's ``menu_key_cb`` for a mouse report: with a mouse-opened menu the
        pointer over an item chooses it (hover, or a drag with the button held), a
        release on the items runs the chosen one, a release elsewhere closes the menu
        (with ``-O``: a press elsewhere closes it, a press or release on it runs); a menu
        opened from the keyboard closes on any button but the first."""
        if not self.mouse_driven:
            if is_drag(raw.sgr_b) and is_release(raw.sgr_b):
                return  # (tmux asks the terminal for no such motion for this menu)
            if buttons(raw.b) != 0:
                self.on_close()
            return
        px, py = self.place
        count = len(self.menu_layout.items)
        if (raw.x < px or raw.x > px + 4 + self.menu_layout.width or raw.y < py + 1
                or raw.y > py + count):
            if not self.stay_open:
                if is_release(raw.b):
                    self.on_close()
                    return
            elif not is_release(raw.b) and not is_wheel(raw.b) and not is_drag(raw.b):
                self.on_close()
                return
            if self.choice != -1:
                self.choice = -1
                self.refresh()
            return
        if not self.stay_open:
            if is_release(raw.b):
                self.on_choose()
                return
        elif not is_wheel(raw.b) and not is_drag(raw.b):
            self.on_choose()
            return
        choice = raw.y - (py + 1)
        if choice != self.choice:
            self.choice = choice
            self.refresh()

    def render_line(self, y: int) -> Strip:
        width, height = self.menu_layout.size
        line = Style()
        if y == 0 or y == height - 1:
            left, right = ("┌", "┐") if y == 0 else ("└", "┘")
            cells = [(left, line)] + [("─", line)] * (width - 2) + [(right, line)]
            if y == 0 and self.menu_layout.title:
                for column, char, style in format_cells(self.menu_layout.title, width - 4,
                                                        DEFAULT_STYLE):
                    if 2 + column < width - 2:
                        cells[2 + column] = (char, rich_style(style))
            return _strip(cells)
        item = self.menu_layout.items[y - 1]
        if item is None:
            return _strip([("├", line)] + [("─", line)] * (width - 2) + [("┤", line)])
        text, disabled = item
        start: TmuxStyle = DEFAULT_STYLE
        if y - 1 == self.choice and not disabled:
            start = parse_style(self.choice_style)
        area = [(" ", rich_style(start))] * self.menu_layout.width  # (not dim: tmux dims
        if disabled:                                                 # the text only)
            start = parse_style("dim")
        for column, char, style in format_cells(text, self.menu_layout.width, start):
            if column < len(area):
                area[column] = (char, rich_style(style))
        return _strip([("│", line), (" ", line)] + area + [(" ", line), ("│", line)])

    def move(self, step: int) -> None:
        """Up (-1) or down (+1) to the next item that is not a separator or disabled, as
        tmux's menu does (wrapping; from nothing chosen, Down is the first)."""
        count = len(self.menu_layout.items)
        start = 0 if self.choice == -1 else self.choice
        choice = self.choice
        while True:
            if step < 0:
                choice = count - 1 if choice in (-1, 0) else choice - 1
            else:
                choice = 0 if choice in (-1, count - 1) else choice + 1
            item = self.menu_layout.items[choice]
            if (item is not None and not item[1]) or choice == start:
                break
        self.choice = choice
        self.refresh()


def _strip(cells: list[tuple[str, Style]]) -> Strip:
    return Strip([Segment(char, style) for char, style in cells if char]).simplify()
