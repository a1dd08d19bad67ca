"""The first frame of an attaching client, painted without Textual: the bytes that take a
terminal (in raw mode) to exactly the screen the client's renderer draws first.

A cold start waits for the renderer (Textual's import and the app's first build) before
anything is drawn; the server can draw that same screen at once from what it sends the
renderer anyway - the ``session`` notification and each visible pane's full ``screen`` -
and hand it to the thin client, which writes it until the renderer takes over and draws
the identical frame (:func:`paint_frame`).

Exact or nothing: every case the painter cannot draw cell for cell as the renderer does
gives None, and the caller waits for the renderer. What it draws:

* the status line from the session's options, laid out by the code the ``StatusBar``
  widget draws with (:mod:`aisession_tui.server.status_cells`): the window-list line or
  the user's ``status-format[0]``, the ``status 2``..``5`` lines, at the top or the bottom
  (``status-position``) or not at all (``status off``);
* the current window as the ``WindowView`` draws it: the separators between its panes in
  ``pane-border-style``/``pane-active-border-style`` with ``pane-border-indicators``, the
  panes' border status lines (``pane-border-status``, ``pane-border-format``), by the
  canvas's own rules (:mod:`aisession_tui.server.pane_borders`); the outside of a window
  smaller than the terminal; each visible pane's runs in the colours the renderer gives
  them (palette indexes stay indexes, ``3x``/``9x`` for 0-15 as Rich writes them; the
  pane's ``window-style`` colours for its default ones);
* the cursor where the renderer puts the terminal's cursor, in the active pane's cursor
  shape, or hidden (at the top left corner).

It declines a pane in a mode, characters whose width is not certain to be the same for
wcwidth, Rich and the terminal (:func:`char_cells`), and colours the renderer's colour
system would approximate.

Invariants: nothing here imports Textual or Rich; a frame is returned only when every cell
and the cursor are known to be the renderer's; rows end in ``ESC[K`` where the rest of the
row is default blanks, as the renderer's first frame does.
"""

from __future__ import annotations

import os
from collections.abc import Mapping, Sequence
from functools import lru_cache
from itertools import groupby, repeat
from operator import itemgetter
from typing import Any

from aisession_tui.protocol import messages
from aisession_tui.server.pane_borders import (
    active_border_cells,
    border_arrows,
    border_cells,
    border_titles,
    outside_cell,
    title_cells,
    title_extra,
)
from aisession_tui.server.status_cells import over, parse_or_default, status_layout
from aisession_tui.server.styles import ATTRIBUTES, DEFAULT_STYLE, run_colour
from aisession_tui.server.styles import Style as TmuxStyle
from aisession_tui.terminal import style as cell

COLOUR_SYSTEMS = ("standard", "256", "truecolor")
"""The renderer's colour systems (Rich's names) the painter can match."""

_WIDE_RANGES = ((0x3041, 0x3096), (0x30A1, 0x30FA), (0x4E00, 0x9FFF), (0xAC00, 0xD7A3),
                (0xFF01, 0xFF60))
"""Characters two cells wide for wcwidth, Rich and the terminal alike (CJK ideographs,
kana, hangul syllables, fullwidth forms)."""
_NARROW_RANGES = ((0x20, 0x7E), (0xA0, 0xAC), (0xAE, 0xFF), (0x2010, 0x2027),
                  (0x2030, 0x205E), (0x2190, 0x21FF), (0x2500, 0x259F), (0xFF61, 0xFF9F))
"""Characters one cell wide for all of them (ASCII, Latin-1, punctuation, arrows, box
drawing and blocks, halfwidth katakana)."""

_PANE_ATTRIBUTES = ((cell.BOLD, "1"), (cell.DIM, "2"), (cell.ITALIC, "3"),
                    (cell.UNDERLINE, "4"), (cell.REVERSE, "7"), (cell.HIDDEN, "8"),
                    (cell.STRIKE, "9"))
"""The pane attributes the renderer draws, with their SGR (not blink, overline or the
underline shapes: its pane styles do not carry them)."""
_STATUS_ATTRIBUTES = tuple((1 << ATTRIBUTES.index(name), code) for name, code in (
    ("bright", "1"), ("dim", "2"), ("italics", "3"), ("underscore", "4"), ("blink", "5"),
    ("reverse", "7"), ("hidden", "8"), ("strikethrough", "9"), ("overline", "53")))

Key = tuple[int, int, str]
"""A drawn cell's style: fg and bg as run colours (-1: the terminal's own) and its
attributes' SGR codes joined by ``;``."""


class Inexact(Exception):
    """The frame cannot be painted exactly as the renderer draws it."""


def char_cells(char: str) -> int:
    """Cells ``char`` takes, for a character whose width is the same for the server, the
    renderer and the terminal; raises :class:`Inexact` for any other."""
    code = ord(char)
    for start, end in _NARROW_RANGES:
        if start <= code <= end:
            return 1
    for start, end in _WIDE_RANGES:
        if start <= code <= end:
            return 2
    raise Inexact(f"a character of uncertain width: U+{code:04X}")


def colour_system(environ: Mapping[str, str],
                  renderer_environ: Mapping[str, str] | None = None) -> str | None:
    """The colour system the renderer's console takes from the client's environment
    ``environ`` (Rich's detection from ``TERM`` and ``COLORTERM``); None where the painter
    cannot match the renderer: no colours, ``NO_COLOR``, Textual's line filters
    (``TEXTUAL_FILTERS``), or a ``TEXTUAL_COLOR_SYSTEM`` the client sets - Textual reads
    that one and the filters when it is imported, in the renderers' zygote, whose
    environment is ``renderer_environ`` (default: this process's, which the zygote
    inherits): a value there decides."""
    own = os.environ if renderer_environ is None else renderer_environ
    if any("NO_COLOR" in env or env.get("TEXTUAL_FILTERS", "").strip()
           for env in (environ, own)):
        return None
    forced = own.get("TEXTUAL_COLOR_SYSTEM", "auto")
    if forced != "auto":
        return forced if forced in COLOUR_SYSTEMS else None
    if environ.get("TEXTUAL_COLOR_SYSTEM", "auto") != "auto":
        return None  # the renderer does not read it: declined rather than guessed
    if environ.get("COLORTERM", "").strip().lower() in ("truecolor", "24bit"):
        return "truecolor"
    term = environ.get("TERM", "").strip().lower()
    if term in ("dumb", "unknown"):
        return None
    suffix = term.rpartition("-")[2]
    return "256" if suffix in ("256color", "kitty") else "standard"


def _colour_sgr(colour: int, background: bool, system: str) -> str:
    """SGR parameters for a run colour as Rich writes it in ``system``."""
    if colour >= cell.TRUECOLOR:
        if system != "truecolor":
            raise Inexact("a true colour the renderer would approximate")
        red, green, blue = cell.rgb_components(colour)
        return f"{48 if background else 38};2;{red};{green};{blue}"
    index = colour & 0xFF
    if index < 8:
        return str((40 if background else 30) + index)
    if index < 16:
        return str((100 if background else 90) + index - 8)
    if system == "standard":
        raise Inexact("a 256-colour index the renderer would approximate")
    return f"{48 if background else 38};5;{index}"


@lru_cache(maxsize=1024)
def _sgr(key: Key, system: str) -> str:
    fg, bg, attributes = key
    codes = [attributes] if attributes else []
    if fg >= 0:
        codes.append(_colour_sgr(fg, False, system))
    if bg >= 0:
        codes.append(_colour_sgr(bg, True, system))
    return f"\x1b[0;{';'.join(codes)}m" if codes else "\x1b[0m"


def _status_key(style: TmuxStyle) -> Key:
    codes = ";".join(code for bit, code in _STATUS_ATTRIBUTES if style.attributes & bit)
    return run_colour(style.fg), run_colour(style.bg), codes


CONTINUED = ""
"""The grid entry right of a wide character (the character's second cell)."""
_BLANK = (" ", (-1, -1, ""))
"""A blank cell in the terminal's own colours."""


_PANE_KEYS: dict[tuple[int, int, int], Key] = {}
"""Each run style's :data:`Key`, made once."""


def _pane_key(fg: int, bg: int, attrs: int) -> Key:
    key = _PANE_KEYS.get((fg, bg, attrs))
    if key is None:
        codes = ";".join(code for bit, code in _PANE_ATTRIBUTES if attrs & bit)
        key = _PANE_KEYS[(fg, bg, attrs)] = (fg, bg, codes)
    return key


def _pane_row(runs: Sequence[Any], width: int, defaults: tuple[int, int]
              ) -> list[tuple[str, Key]]:
    """One pane row as grid entries, exactly ``width`` cells (a wide character is followed
    by a :data:`CONTINUED` entry)."""
    cells: list[tuple[str, Key]] = []
    for run in runs:
        text, fg, bg, attrs = str(run[0]), int(run[1]), int(run[2]), int(run[3])
        key = _pane_key(defaults[0] if fg < 0 else fg, defaults[1] if bg < 0 else bg, attrs)
        if text.isascii() and text.isprintable():
            cells.extend(zip(text, repeat(key)))
            continue
        for char in text:
            cells.append((char, key))
            if char_cells(char) == 2:
                cells.append((CONTINUED, key))
    if len(cells) != width:
        raise Inexact("a row whose cells are not the pane's width")
    return cells


def _status_row(cells: Sequence[tuple[str, TmuxStyle]]) -> list[tuple[str, Key]]:
    row: list[tuple[str, Key]] = []
    for char, style in cells:
        key = _status_key(style)
        row.append((char, key))
        if char_cells(char) == 2:
            row.append((CONTINUED, key))
    return row


def _row_bytes(y: int, cells: Sequence[tuple[str, Key]], system: str) -> str:
    """Row ``y`` positioned and drawn; trailing default blanks erased (``ESC[K``)."""
    end = len(cells)
    while end and cells[end - 1] == _BLANK:
        end -= 1
    parts = [f"\x1b[{y + 1};1H"]
    for key, group in groupby(cells[:end], key=itemgetter(1)):
        parts.append(_sgr(key, system))
        parts.append("".join(char for char, _ in group))  # (CONTINUED entries add nothing)
    parts.append("\x1b[0m")
    if end < len(cells):
        parts.append("\x1b[K")
    return "".join(parts)


def paint_frame(width: int, height: int, session: messages.SessionMessage,
                screens: Mapping[int, messages.ScreenMessage], *,
                colours: str = "256", agents: Sequence[tuple[str, str]] = (),
                alternate: bool = True) -> bytes | None:
    """The bytes that draw the renderer's first frame of ``session`` on a ``width`` x
    ``height`` terminal: the alternate screen, every row, then the cursor; None when the
    painter cannot be exact (see the module docstring; the caller then waits for the
    renderer). Never raises: a payload it cannot read is None too.

    ``screens``: the full ``screen`` notification of each visible pane of the current
    window, by pane id. ``colours``: the renderer's colour system (:func:`colour_system`
    of the client's environment). ``agents``: the bus agents' (name, state) the status
    line shows (the renderer learns them after its first frame: leave empty).
    ``alternate``: begin with the switch to the alternate screen (``ESC[?1049h``); a
    frame drawn over an earlier one leaves it out (a terminal may save the cursor and
    clear the screen again on each switch)."""
    frame = frame_or_reason(width, height, session, screens, colours=colours, agents=agents,
                            alternate=alternate)
    return frame if isinstance(frame, bytes) else None


def frame_or_reason(width: int, height: int, session: messages.SessionMessage,
                    screens: Mapping[int, messages.ScreenMessage], *, colours: str = "256",
                    agents: Sequence[tuple[str, str]] = (),
                    alternate: bool = True) -> bytes | str:
    """:func:`paint_frame`, saying why when it declines (a sentence instead of None)."""
    try:
        frame = _paint(width, height, session, screens, colours, agents)
    except Inexact as exc:
        return str(exc)
    except (KeyError, IndexError, TypeError, ValueError, AttributeError) as exc:
        return f"a payload the painter cannot read: {exc!r}"
    return frame if alternate else frame.removeprefix(ENTER)


ENTER = b"\x1b[?1049h"
"""The switch to the alternate screen a frame begins with."""


def _paint(width: int, height: int, session: messages.SessionMessage,
           screens: Mapping[int, messages.ScreenMessage], system: str,
           agents: Sequence[tuple[str, str]]) -> bytes:
    status = session.get("status")
    if system not in COLOUR_SYSTEMS:
        raise Inexact(f"colour system {system!r}")
    if status is None or width < 1 or height < 1:
        raise Inexact("no status payload, or no terminal")
    windows = session.get("windows", [])
    window = next((w for w in windows if w.get("active")), windows[0] if windows else None)
    if window is None:
        raise Inexact("no window")
    status_rows: list[list[tuple[str, Key]]] = []
    if status.get("status", "on") != "off":
        layout = status_layout(width, status, windows, session.get("name", ""), "", agents)
        status_rows = [_status_row(row) for row in layout.rows]
    top = status.get("position") == "top"
    area_top = len(status_rows) if top else 0
    area = _window_area(window, screens, width, height - len(status_rows))
    rows = status_rows + area if top else area + status_rows
    parts = ["\x1b[?1049h\x1b[?25l"]
    parts.extend(_row_bytes(y, row, system) for y, row in enumerate(rows))
    parts.append(_cursor(window, screens, area_top))
    return "".join(parts).encode()


def _window_area(window: messages.WindowInfo, screens: Mapping[int, messages.ScreenMessage],
                 width: int, height: int) -> list[list[tuple[str, Key]]]:
    """The window area's rows as the renderer's ``WindowView`` draws them: its border
    canvas (separators, the outside of a smaller window), the visible panes over it."""
    if height < 1:
        raise Inexact("no room for the window")
    panes = window.get("panes", [])
    visible = [pane for pane in panes if pane.get("visible", True)]
    if not visible:
        raise Inexact("no visible pane")
    status = str(window.get("border_status", "off"))
    titles = border_titles(window, visible)
    cells = border_cells(list(window.get("borders", [])), title_extra(titles))
    indicators = str(window.get("border_indicators", "colour"))
    active_cells = active_border_cells(panes, cells, status, indicators)
    arrows = border_arrows(panes, cells, status, indicators)
    styles = (str(window.get("border_style", "default")),
              str(window.get("active_border_style", "fg=green")))
    titled = title_cells(titles, cells, styles)
    window_size = (int(window["width"]), int(window["height"])) if "width" in window else None
    fill = str(window.get("fill_character", ""))
    normal, active = (_status_key(over(DEFAULT_STYLE, parse_or_default(style)))
                      for style in styles)
    marked = {y for _x, y in cells} | {y for _x, y in titled}
    columns, lines = window_size or (width, height)
    rows: list[list[tuple[str, Key]]] = []
    for y in range(height):
        if y not in marked and y < lines and width <= columns:
            rows.append([_BLANK] * width)  # nothing on this row but the panes
            continue
        row = []
        for x in range(width):
            title = titled.get((x, y))
            if title is not None:
                char, style, is_active = title
                if char_cells(char) != 1:
                    raise Inexact("a wide character on a pane's border status line")
                row.append((char, (active if is_active else normal) if style is None
                            else _status_key(over(DEFAULT_STYLE, style))))
                continue
            outside = outside_cell(window_size, cells, fill, x, y)
            if outside is not None:
                if char_cells(outside) != 1:
                    raise Inexact("a fill character that is not one cell wide")
                row.append((outside, normal))
                continue
            border = arrows.get((x, y)) or cells.get((x, y))
            if border is None:
                row.append(_BLANK)
            else:
                row.append((border, active if (x, y) in active_cells else normal))
        rows.append(row)
    for pane in visible:
        left, top, columns, lines = pane["x"], pane["y"], pane["width"], pane["height"]
        if left < 0 or top < 0 or left + columns > width or top + lines > height:
            raise Inexact("a pane reaching past the window area")
        if pane.get("mode"):
            raise Inexact(f"a pane in {pane.get('mode')}")
        screen = screens.get(pane["id"])
        if screen is None or (int(screen["columns"]), int(screen["lines"])) != (columns, lines):
            raise Inexact("no full screen of a pane at its size")
        defaults = (int(pane.get("fg", -1)), int(pane.get("bg", -1)))
        screen_rows = screen.get("rows", {})
        for y in range(lines):
            runs = screen_rows.get(str(y))
            if runs is None:
                raise Inexact(f"row {y} of a pane is missing")
            rows[top + y][left:left + columns] = _pane_row(runs, columns, defaults)
    return rows


def _cursor(window: messages.WindowInfo, screens: Mapping[int, messages.ScreenMessage],
            area_top: int) -> str:
    """The terminal's cursor as the renderer leaves it: on the active pane's cursor in its
    shape, or hidden (at the top left corner)."""
    pane = next((pane for pane in window.get("panes", [])
                 if pane.get("visible", True) and pane.get("active")), None)
    screen = screens.get(pane["id"]) if pane is not None else None
    if pane is not None and screen is not None and screen.get("cursor_visible", True):
        x, y = (int(value) for value in screen.get("cursor", [0, 0]))
        if 0 <= x < pane["width"] and 0 <= y < pane["height"]:
            shape = int(screen.get("cursor_shape", 0) or 0)
            return (f"\x1b[{area_top + pane['y'] + y + 1};{pane['x'] + x + 1}H"
                    f"\x1b[{shape} q\x1b[?25h")
    return "\x1b[1;1H"
