"""The VT emulator of one pane, behind a small API: :class:`Emulator`, used by the server
and the TUI.

It is a facade over two modules that follow tmux's files: :mod:`.parser` (input.c) turns
the child's bytes into screen operations, and :mod:`.screen_ops` (screen-write.c) holds
:class:`~.screen_ops.PaneScreen`, pyte 0.8.2's ``Screen`` fixed and made fast, with the
cell grid. The invariants of the cells, rows and history are in :mod:`.screen_ops`; the
parser's (``feed`` never raises, split sequences complete) in :mod:`.parser`.
"""

from __future__ import annotations

import codecs
from collections.abc import Callable, Sequence
from functools import cache
from itertools import repeat
from typing import TYPE_CHECKING

from pyte import modes
from pyte.screens import Margins, wcwidth

from .parser import InputParser
from .screen_ops import (
    BLANK,
    PRIMARY_DA_REPLY,
    SECONDARY_DA_REPLY,
    Cell,
    PaneScreen,
    TerminalState,
    _cell_width,
    apply_sgr,
    grid_width,
    history_line_from_row,
    history_weight,
    row_runs,
    row_text,
    row_used,
    sgr_sequence,
)
from .sgr_capture import PLAIN, _first_cells, escaped_line
from .style import CLEARED, DEFAULT, REVERSE, Run

if TYPE_CHECKING:
    from .scrollback import Scrollback

__all__ = ["BLANK", "PRIMARY_DA_REPLY", "SECONDARY_DA_REPLY", "Cell", "Emulator", "PaneScreen",
           "TerminalState", "apply_sgr", "history_line_from_row", "history_weight", "row_runs",
           "sgr_sequence"]


class Emulator(InputParser):
    """One pane's terminal: feed it the child's bytes, read rows, cursor and modes."""

    def __init__(self, columns: int, lines: int, *, history_limit: int = 2000,
                 on_reply: Callable[[bytes], None] | None = None) -> None:
        self._on_reply = on_reply
        self._screen = PaneScreen(columns, lines, history_limit=history_limit,
                                  reply=self._send_reply)
        self._decoder = codecs.getincrementaldecoder("utf-8")("replace")
        self._pending = ""
        self._resume: str | None = None
        self._skipping_string = False
        self._pending_since: float | None = None
        self._carried_since: float | None = None
        self._last_cursor: tuple[int, int, bool] = (-1, -1, False)

    # -- size -----------------------------------------------------------------------------

    @property
    def columns(self) -> int:
        return self._screen.columns

    @property
    def lines(self) -> int:
        return self._screen.lines

    def resize(self, columns: int, lines: int) -> None:
        self._screen.resize(lines, columns)

    def reset(self) -> None:
        """Full reset of the screen (the main one: unlike RIS, this leaves the alternate
        screen), modes and parser; history is kept."""
        self._screen.leave_alternate(restore_cursor=False)
        self._screen.reset()
        self._decoder.reset()
        self._pending = ""
        self._resume = None
        self._skipping_string = False
        self._pending_since = None
        self._carried_since = None

    # -- rows -----------------------------------------------------------------------------

    def take_dirty(self) -> set[int]:
        screen = self._screen
        dirty = screen.dirty
        cursor = screen.cursor
        position = (cursor.x, cursor.y, cursor.hidden)
        if position != self._last_cursor:
            dirty.add(self._last_cursor[1])
            dirty.add(cursor.y)
            self._last_cursor = position
        lines = screen.lines
        rows = {y for y in dirty if 0 <= y < lines}
        dirty.clear()
        return rows

    def line_runs(self, row: int) -> list[Run]:
        screen = self._screen
        runs = row_runs(screen.buffer.get(row), screen.columns)
        if screen.reverse_video:
            runs = [(text, fg, bg, attrs ^ REVERSE) for text, fg, bg, attrs in runs]
        return runs

    def line_text(self, row: int) -> str:
        screen = self._screen
        return row_text(screen.buffer.get(row), screen.columns).rstrip(" ")

    def display(self) -> list[str]:
        return [self.line_text(y) for y in range(self._screen.lines)]

    # -- cursor and modes -----------------------------------------------------------------

    @property
    def bells(self) -> int:
        """How many BELs the child has rung so far."""
        return self._screen.bells

    @property
    def cursor_x(self) -> int:
        return min(self._screen.cursor.x, self._screen.columns - 1)

    @property
    def cursor_y(self) -> int:
        return self._screen.cursor.y

    @property
    def cursor_visible(self) -> bool:
        return not self._screen.cursor.hidden

    @property
    def cursor_shape(self) -> int:
        return self._screen.cursor_shape

    @property
    def app_cursor_keys(self) -> bool:
        return self._screen.app_cursor_keys

    @property
    def app_keypad(self) -> bool:
        return self._screen.app_keypad

    @property
    def bracketed_paste(self) -> bool:
        return self._screen.bracketed_paste

    @property
    def mouse_mode(self) -> int:
        return self._screen.mouse_mode

    @property
    def mouse_sgr(self) -> bool:
        return self._screen.mouse_sgr

    @property
    def focus_events(self) -> bool:
        return self._screen.focus_events

    @property
    def alternate_screen(self) -> bool:
        return self._screen.main_screen is not None

    @property
    def title(self) -> str:
        return self._screen.title

    def terminal_state(self) -> TerminalState:
        """Modes and positions tmux shows as format variables (``scroll_region_upper``,
        ``insert_flag``, ``pane_tabs``, ``cursor_character``, ``alternate_saved_x``...)."""
        screen = self._screen
        top, bottom = screen.margins or Margins(0, screen.lines - 1)
        row = screen.buffer.get(screen.cursor.y)
        cell = row.get(min(screen.cursor.x, screen.columns - 1)) if row else None
        saved = screen.main_screen[1] if screen.main_screen is not None else None
        return TerminalState(
            scroll_upper=top, scroll_lower=bottom, insert=modes.IRM in screen.mode,
            origin=modes.DECOM in screen.mode, wrap=modes.DECAWM in screen.mode,
            tab_stops=tuple(sorted(stop for stop in screen.tabstops if stop < screen.columns)),
            cursor_character=cell.data if cell is not None and cell.data else " ",
            alternate_saved=(saved.x, saved.y) if saved is not None else None)

    # -- history --------------------------------------------------------------------------

    @property
    def history_size(self) -> int:
        return len(self._screen.history)

    @property
    def history_limit(self) -> int:
        return self._screen.history.limit

    @history_limit.setter
    def history_limit(self, value: int) -> None:
        self._screen.history.limit = value

    def history_runs(self, index: int) -> list[Run]:
        """History line ``index`` (0 = oldest) as runs padded or cut to the screen width."""
        runs, _wrapped = self._screen.history.line(index)
        return _fit_runs(runs, self._screen.columns)

    def take_rename(self) -> str | None:
        """The name the last ``ESC k name ESC \\`` asked for since the last call (None:
        none); the server applies it when ``allow-rename`` is on."""
        name, self._screen.rename = self._screen.rename, None
        return name

    def take_focus_asked(self) -> bool:
        """Whether focus reports were turned on since the last call."""
        asked, self._screen.focus_asked = self._screen.focus_asked, False
        return asked

    def take_selections(self) -> list[str]:
        """The OSC 52 bodies (``c;BASE64``) received since the last call; the server stores
        them as paste buffers when ``set-clipboard`` is on."""
        taken, self._screen.selections = self._screen.selections, []
        return taken

    def clear_history(self) -> None:
        self._screen.clear_history()

    @property
    def pending_input(self) -> str:
        """The unfinished escape sequence the parser holds until more input comes (tmux's
        ``input_pending``: ``capture-pane -P``), "" in the ground state."""
        return self._pending

    def capture(self, start: int | str | None = None, end: int | str | None = None, *,
                escapes: bool = False, join_wrapped: bool = False, trim: bool = True,
                saved_screen: bool = False) -> list[str]:
        """Lines like ``tmux capture-pane -p``: 0 = first visible row, negative = history.
        ``trim=False`` (``-N``, and ``-J``): each line's written cells, trailing blanks
        included (tmux's cellused). ``saved_screen`` (``-a``): the main screen saved
        behind the alternate screen, with no history (call only when
        :attr:`alternate_screen`)."""
        return self.capture_later(start, end, escapes=escapes, join_wrapped=join_wrapped,
                                  trim=trim, saved_screen=saved_screen)()

    def capture_later(self, start: int | str | None = None, end: int | str | None = None, *,
                      escapes: bool = False, join_wrapped: bool = False, trim: bool = True,
                      saved_screen: bool = False) -> Callable[[], list[str]]:
        """:meth:`capture` in two halves: the screen rows and the history's current lines
        are taken now (the history as a frozen view that shares its compressed blocks), and
        the returned function decodes and formats them when called, on any thread, while
        this emulator goes on changing. Resurrection snapshots use it to keep a long
        history's decoding off the event loop."""
        screen = self._screen
        buffer = screen.buffer
        if saved_screen and screen.main_screen is not None:
            buffer = screen.main_screen[0]
        reads_history = not saved_screen and (
            start == "-" or (start is not None and int(start) < 0)
            or (end not in ("-", None) and int(end) < 0))
        # (only then wait for a history re-wrap still under way)
        history_size = len(screen.history) if reads_history else 0
        last = screen.lines - 1
        first_line = -history_size if start == "-" else (0 if start is None else int(start))
        last_line = last if end in ("-", None) else int(end)
        first_line = max(-history_size, min(first_line, last))
        last_line = max(-history_size, min(last_line, last))
        if last_line < first_line:
            first_line, last_line = last_line, first_line
        rows: list[tuple[list[Run] | tuple[Run, ...], bool]] = []
        extents: list[int] = []
        """The screen rows' extents, in ``rows``' order (cells capture -e reads, see
        _Row)."""
        for y in range(max(0, first_line), last_line + 1):
            row = buffer.get(y)
            extents.append(grid_width(row, row_used(row)) if row is not None else 0)
            if screen.columns == 1 and row and row.get(0, BLANK).data[:1] > "\x7f":
                # a wide character fills a 1-column pane (tmux shows it whole), on a
                # wrapped row too
                cell = row[0]
                rows.append(([(cell.data, cell.fg, cell.bg, cell.attrs)], row.wrapped))
            elif row is not None and row.wrapped:
                # a wrapped row ends at its last written cell (a wide character that did
                # not fit leaves the final cell unwritten; that is not a space to join)
                # (or at the last cell ICH, DCH or insert mode moved: tmux's cellused)
                end = max(max(row, default=-1) + 1, row.extent)
                rows.append((row_runs(row, min(end, screen.columns), grid=True), True))
            elif not row:  # no cells: one shared blank row (a snapshot takes every pane's)
                rows.append(_blank_row(screen.columns))
            else:
                rows.append((row_runs(row, screen.columns, grid=True), False))
        # the screen's last rows without cells are counted, not kept (format_rows adds them)
        blank = _blank_row(screen.columns)
        blank_tail = 0
        while rows and rows[-1] is blank and not extents[-1]:
            rows.pop()
            extents.pop()
            blank_tail += 1
        history = screen.history.frozen() if first_line < 0 else None
        return _Capture(rows or (), extents or (), blank, blank_tail, history,
                        (history_size + first_line, history_size + min(last_line, -1) + 1),
                        # under the alternate screen the history is not re-wrapped: cut it
                        screen.columns if screen.main_screen is not None else 0,
                        escapes, join_wrapped, trim)


class _Capture:
    """What :meth:`Emulator.capture_later` took; called, it formats the lines (on any
    thread). One object, not a closure: a snapshot holds one per pane until the store's
    writer gets to it (a closure and its cells were ~550 bytes, this is ~170)."""

    __slots__ = ("rows", "extents", "blank", "blank_tail", "history", "history_range",
                 "fit_to", "escapes", "join_wrapped", "trim")

    def __init__(self, rows: Sequence[tuple[list[Run] | tuple[Run, ...], bool]],
                 extents: Sequence[int], blank: tuple[tuple[Run, ...], bool],
                 blank_tail: int, history: Scrollback | None,
                 history_range: tuple[int, int], fit_to: int, escapes: bool,
                 join_wrapped: bool, trim: bool) -> None:
        self.rows = rows
        """The screen's rows but its trailing blank ones, which ``blank_tail`` counts."""
        self.extents = extents
        """The extents of ``rows`` (cells capture -e reads, see _Row)."""
        self.blank = blank
        self.blank_tail = blank_tail
        self.history = history
        """A frozen view of the history (None: no history lines are read)."""
        self.history_range = history_range
        self.fit_to = fit_to
        """Columns to cut or pad the history lines to (0: as they are)."""
        self.escapes = escapes
        self.join_wrapped = join_wrapped
        self.trim = trim

    def __call__(self) -> list[str]:
        rows, extents, blank_tail = self.rows, self.extents, self.blank_tail
        lines: list[tuple[list[Run] | tuple[Run, ...], bool]] = [
            *rows, *repeat(self.blank, blank_tail)]
        shift = 0
        if self.history is not None:
            old: list[tuple[list[Run] | tuple[Run, ...], bool]] = list(
                self.history.lines(*self.history_range))
            if self.fit_to:
                # a wrapped line is not padded: -J joins it to the next one as it is
                pad = self.trim
                old = [(_fit_runs(runs, self.fit_to, pad=pad and not wrapped), wrapped)
                       for runs, wrapped in old]
            lines = [*old, *lines]
            shift = len(old)
        return _format_lines(lines, {index + shift: extent for index, extent in
                                     enumerate([*extents, *repeat(0, blank_tail)])},
                             escapes=self.escapes, join_wrapped=self.join_wrapped,
                             trim=self.trim)


@cache
def _blank_row(columns: int) -> tuple[tuple[Run, ...], bool]:
    """A captured row without cells, ``columns`` wide (what :func:`row_runs` makes of
    it), shared: rows are read only once captured."""
    return tuple(row_runs(None, columns, grid=True)), False


def _format_lines(rows: list[tuple[list[Run] | tuple[Run, ...], bool]],
                  extents: dict[int, int], *, escapes: bool, join_wrapped: bool,
                  trim: bool = True) -> list[str]:
    """Captured rows as text, the way ``capture-pane -p`` (``-e``, ``-J``, ``-N``) prints
    them: trailing blanks trimmed unless ``trim`` is off or a wrapped line is joined."""
    output: list[str] = []
    joined = ""
    style = PLAIN  # tmux carries the last cell's style from line to line
    for index, (runs, wrapped) in enumerate(rows):
        join = join_wrapped and wrapped
        keep_trailing = join or not trim
        if escapes:
            text, style = escaped_line(runs, style, keep_trailing, extents.get(index))
        elif keep_trailing and not join:
            text = written_text(runs, extents.get(index))
        else:
            text = "".join(run[0] for run in runs)
            if not keep_trailing:
                text = text.rstrip(" ")
        if join:
            joined += text
            continue
        output.append(joined + text)
        joined = ""
    if joined:
        output.append(joined.rstrip(" ") if trim and not escapes else joined)
    return output


def written_text(runs: list[Run] | tuple[Run, ...], used: int | None) -> str:
    """A line's written cells as text, trailing blanks kept (tmux's untrimmed capture): a
    screen row's ``used`` cells; a history line without its trailing blank runs of the
    default style or cleared by an erase (cells tmux never wrote, as ``escaped_line``)."""
    kept = list(runs)
    if used is not None:
        kept = _first_cells(kept, used)
    while used is None and kept and (kept[-1][1:] == PLAIN or kept[-1][3] & CLEARED) \
            and not kept[-1][0].strip(" "):
        kept.pop()
    return "".join(run[0] for run in kept)


def _fit_runs(runs: tuple[Run, ...] | list[Run], columns: int, *, pad: bool = True
              ) -> list[Run]:
    """Pad (default blanks, unless not ``pad``) or cut ``runs`` to ``columns`` cells."""
    fitted: list[Run] = []
    used = 0
    for text, fg, bg, attrs in runs:
        width = _cell_width(text)
        if used + width > columns:
            kept = ""
            for char in text:
                char_width = max(0, wcwidth(char))
                if used + char_width > columns:
                    break
                kept += char
                used += char_width
            if kept:
                fitted.append((kept, fg, bg, attrs))
            break
        fitted.append((text, fg, bg, attrs))
        used += width
    if used < columns and pad:
        fitted.append((" " * (columns - used), DEFAULT, DEFAULT, 0))
    return fitted
