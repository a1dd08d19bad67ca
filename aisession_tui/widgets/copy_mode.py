"""Copy mode: a frozen view of one pane's history plus screen, with a cursor and selection.

``CopyMode`` is the model tmux calls window-copy: entering it takes the pane's history
(from the server's ``history`` request) and the screen rows as they were, so output that
arrives later does not move what the user is reading. Positions are in cells: ``line`` is
an index into ``lines`` (0 = oldest history line), ``column`` a cell column.

Invariants: ``0 <= top <= max_top``, the cursor stays on a line that exists and inside the
view (moving it scrolls), and ``selection_text`` returns exactly the cells between the
mark and the cursor - or the end ``stop-selection`` fixed - (whole rows for line
selection, a column range for a rectangle), with trailing blanks of each row removed as
tmux does.

A ``select-word`` or ``select-line`` makes words or lines the selection's unit (tmux's
``selflag``): until ``begin-selection`` or another command resets it, a move of the cursor
(a mouse drag, :meth:`CopyMode.start_drag` begun on the selected word or line, or a key)
extends the selection by whole words or lines from the first one, as tmux's
``window_copy_synchronize_cursor`` does. Rows are lines here (a wrapped row does not join
the next one in a word).

Jumps (``f F t T ; ,`` in vi) stay on the cursor's line like tmux's; ``jump-again`` and
``jump-reverse`` repeat the last one. Words are runs of word characters (``next-word``,
``select-word``), WORDs runs of non-blanks (``next-space``). ``set-mark`` keeps a position
that ``jump-to-mark`` swaps with the cursor, apart from the selection.

Searches are tmux's: case-insensitive when the pattern has no capital, a forward search
leaves the cursor just after the match and a backward one on its first character, and
every match of the last search is highlighted (the one at the cursor in its own colour)
until a search fails or is emptied. An incremental search (``search-*-incremental``, run
by ``command-prompt -i`` on every change of the prompt with a ``=``/``-``/``+`` prefix for
"text changed", "previous", "next") searches from where its session began whenever the
text changes; ``end_incremental`` closes the session, going back there on cancel.

Copy commands answer the app with what to do (see ``run``); the copy-pipe family also
names a shell command through ``pipe_command``.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from rich.segment import Segment
from textual.strip import Strip

from aisession_tui.terminal import style as cell

if TYPE_CHECKING:
    from aisession_tui.widgets.pane_view import PaneView

Run = list[Any]
JUMPS = {"jump-forward": "jump-backward", "jump-backward": "jump-forward",
         "jump-to-forward": "jump-to-backward", "jump-to-backward": "jump-to-forward"}
"""Each jump command and its reverse (``jump-reverse``)."""
BRACKETS = {"(": ")", "[": "]", "{": "}", ")": "(", "]": "[", "}": "{"}
COPY_OUTCOMES = {
    "copy-selection": "copy", "copy-selection-no-clear": "copy-keep",
    "copy-selection-and-cancel": "copy-cancel",
    "copy-pipe": "copy", "copy-pipe-no-clear": "copy-keep",
    "copy-pipe-and-cancel": "copy-cancel",
    "append-selection": "copy", "append-selection-and-cancel": "copy-cancel",
}
"""What the app does after each copy command that takes the selection as it is."""
LINE_COPIES = ("copy-line", "copy-pipe-line")
END_OF_LINE_COPIES = ("copy-end-of-line", "copy-pipe-end-of-line")
PIPES = frozenset({"copy-pipe", "copy-pipe-no-clear", "copy-pipe-and-cancel",
                   "copy-pipe-line", "copy-pipe-line-and-cancel", "copy-pipe-end-of-line",
                   "copy-pipe-end-of-line-and-cancel"})
"""Copy commands that also pipe the selection to a shell command."""
SELECTION_COMMANDS = frozenset({
    "begin-selection", "clear-selection", "select-line", "select-word", "rectangle-toggle",
    "rectangle-on", "rectangle-off", "other-end", "stop-selection", "set-mark",
    "toggle-position"})
"""The commands of ``CopyMode.run``'s table that do not move the selection's end."""
INCREMENTAL = ("search-forward-incremental", "search-backward-incremental")
MATCH_COLOURS = ((0, 6), (0, 5))
"""(fg, bg) palette colours of a search match and of the match at the cursor (tmux's
``copy-mode-match-style`` and ``copy-mode-current-match-style``: black on cyan, on magenta)."""


def pipe_command(command: str, args: tuple[str, ...]) -> str | None:
    """The shell command a copy command pipes its selection to: its first argument, ``""``
    when it has none (the ``copy-command`` option decides), None when it does not pipe."""
    if command not in PIPES:
        return None
    return args[0] if args else ""


DEFAULT_WORD_SEPARATORS = "!\"#$%&'()*+,-./:;<=>?@[\\]^`{|}~"
"""tmux's default ``word-separators``: printable ASCII punctuation but ``_``."""


def word_pattern(separators: str) -> str:
    """tmux's words for ``word-separators``: runs of characters that are neither blank
    nor separators, and runs of separators (``next-word`` stops at both)."""
    separators = "".join(char for char in separators if not char.isspace())
    if not separators:
        return r"\S+"
    escaped = re.escape(separators)
    return rf"[^\s{escaped}]+|[{escaped}]+"


def compile_search(pattern: str, *, regex: bool) -> re.Pattern[str]:
    """``pattern`` as tmux searches it: case-insensitive when it has no capital letter, a
    broken regular expression taken as plain text."""
    flags = 0 if any(char.isupper() for char in pattern) else re.IGNORECASE
    try:
        return re.compile(pattern if regex else re.escape(pattern), flags)
    except re.error:
        return re.compile(re.escape(pattern), flags)


def line_cells(runs: list[Run]) -> list[tuple[str, int, int, int]]:
    """A row as one ``(char, fg, bg, attrs)`` per cell; a wide char's stub cell is ``""``."""
    cells: list[tuple[str, int, int, int]] = []
    for text, fg, bg, attrs in runs:
        for char in text:
            cells.append((char, fg, bg, attrs))
            if not char.isascii() and Segment(char).cell_length == 2:
                cells.append(("", fg, bg, attrs))
    return cells


def cells_text(cells: list[tuple[str, int, int, int]]) -> str:
    """The characters of ``cells`` (stubs vanish)."""
    return "".join(c[0] for c in cells)


class CopyMode:
    """The copy-mode state of one pane."""

    def __init__(self, history: list[list[Run]], screen: list[list[Run]], width: int,
                 height: int, cursor: tuple[int, int]) -> None:
        self.history_size = len(history)
        self.lines: list[list[Run]] = [*history, *screen]
        self.width = width
        self.height = height
        self.top = self.max_top
        self.line = min(len(self.lines) - 1, self.history_size + cursor[1]) if self.lines else 0
        self.column = cursor[0]
        self._last_end = 0
        """The end of the line the cursor last left while not at its end (tmux's lastsx)."""
        self._last_column = 0
        """The column the cursor had there, which vertical moves go back to (tmux's
        lastcx)."""
        self.mark: tuple[int, int] | None = None
        self.word_pattern = word_pattern(DEFAULT_WORD_SEPARATORS)
        """What a word is (``word-separators``, see :func:`word_pattern`)."""
        self.separators = DEFAULT_WORD_SEPARATORS
        """``word-separators`` itself, for tmux's word moves of a word selection."""
        self.select_unit = "char"
        """What the selection grows by when the cursor moves: ``char``, ``word`` (after
        ``select-word``) or ``line`` (after ``select-line``); tmux's selflag."""
        self._unit_origin = (0, 0)
        """(line, column) the word or line selection began at (tmux's dy, dx)."""
        self._unit_first: tuple[tuple[int, int], tuple[int, int]] = ((0, 0), (0, 0))
        """Start and end of the first word or line selected (tmux's selr and endselr)."""
        self._unit_end: tuple[int, int] | None = None
        """Where a word selection ends now, apart from the cursor (tmux's endsel)."""
        self.rectangle = False
        self.line_select = False
        self.last_search: tuple[str, bool] | None = None
        """(pattern, backward) of the last search, for ``search-again``."""
        self.last_search_regex = True
        """Whether the last search was a regular expression (not ``-text``)."""
        self.marks: re.Pattern[str] | None = None
        """The search whose matches are highlighted (None: no highlight)."""
        self._marked: dict[int, list[tuple[int, int]]] = {}
        self.current_match: tuple[int, int, int] | None = None
        """(line, start, end) of the match the last search moved to."""
        self.incremental_start: tuple[int, int, int] | None = None
        """(line, column, top) where the current incremental search began."""
        self.last_jump: tuple[str, str] | None = None
        """(jump command, character) of the last jump, for ``jump-again``."""
        self.selection_end: tuple[int, int] | None = None
        """Where ``stop-selection`` fixed the selection's end (None: it follows the cursor)."""
        self.saved_mark: tuple[int, int] | None = None
        """``set-mark``'s position."""
        self.show_position = True
        self.exclusive_end = False
        """Emacs keys: the selection stops before its last cell (the cursor's), as tmux's."""
        self._cells: dict[int, list[tuple[str, int, int, int]]] = {}
        self._texts: dict[int, str] = {}

    def set_word_separators(self, separators: str) -> None:
        """The session's ``word-separators``."""
        self.separators = separators
        self.word_pattern = word_pattern(separators)

    def take_position(self, old: CopyMode) -> None:
        """Keep ``old``'s cursor, scroll and selection (``refresh-from-pane``)."""
        self.top = min(old.top, self.max_top)
        self.line, self.column = old.line, old.column
        self.mark, self.rectangle, self.line_select = old.mark, old.rectangle, old.line_select
        self.last_search, self.last_jump = old.last_search, old.last_jump
        self.last_search_regex = old.last_search_regex
        self.marks, self.current_match = old.marks, old.current_match
        self._follow_cursor()

    # --------------------------------------------------------------- geometry
    @property
    def max_top(self) -> int:
        """The top line when scrolled to the bottom."""
        return max(0, len(self.lines) - self.height)

    def cells(self, line: int) -> list[tuple[str, int, int, int]]:
        """Cells of ``line`` (cached)."""
        found = self._cells.get(line)
        if found is None:
            found = line_cells(self.lines[line]) if 0 <= line < len(self.lines) else []
            self._cells[line] = found
        return found

    def text(self, line: int) -> str:
        """Plain text of ``line`` without trailing blanks (cached)."""
        found = self._texts.get(line)
        if found is None:
            runs = self.lines[line] if 0 <= line < len(self.lines) else []
            found = "".join(run[0] for run in runs).rstrip()
            self._texts[line] = found
        return found

    def _follow_cursor(self) -> None:
        self.line = max(0, min(self.line, len(self.lines) - 1))
        if self.line < self.top:
            self.top = self.line
        elif self.line >= self.top + self.height:
            self.top = self.line - self.height + 1
        self.top = max(0, min(self.top, self.max_top))

    def _scroll(self, amount: int) -> None:
        """``scroll-up`` / ``scroll-down``: the view moves a line, the cursor keeps its
        screen row (so it reaches another line) and goes back to its remembered column
        (tmux's window_copy_cursor_up/down with scroll_only)."""
        self._vertical(amount, scroll_only=True)

    def _page(self, amount: int) -> None:
        """Move the view by ``amount`` rows keeping the cursor's row on the screen; where
        the history ends, the cursor moves on by ``amount`` instead, and down only to the
        last row (tmux's pageup1 and pagedown). The cursor goes back to its remembered
        column, then to the end of its line by the end-of-line rule."""
        end = self._line_end(self.line)
        if self.column != end:
            self._last_column, self._last_end = self.column, end
        self.column = self._last_column
        row = self.line - self.top
        top = self.top + amount
        if not 0 <= top <= self.max_top:
            top = max(0, min(top, self.max_top))
            row = max(0, min(row + amount, self.height - 1))
        self.top = top
        self.line = max(0, min(top + row, len(self.lines) - 1))
        if self.mark is None or not self.rectangle:
            self._end_of_line_rule()

    def _move_line(self, amount: int) -> None:
        """``cursor-up`` / ``cursor-down``: a line up or down, scrolling at the view's
        edge."""
        self._vertical(amount, scroll_only=False)

    def _vertical(self, amount: int, *, scroll_only: bool) -> None:
        """tmux's window_copy_cursor_up/down. Off a rectangle selection, the column the
        cursor leaves (with its line's end) is remembered unless it is at that end, and
        the cursor goes back to it; then the end-of-line rule: a cursor at or past the
        remembered end, or past the end of the line it reaches, goes to that end. The view
        scrolls, the cursor keeping its screen row, for ``scroll_only`` or at the edge."""
        free_column = self.mark is None or not self.rectangle
        end = self._line_end(self.line)
        if free_column and self.column != end:
            self._last_column, self._last_end = self.column, end
        row = self.line - self.top
        edge = 0 if amount < 0 else self.height - 1
        if scroll_only or row == edge:
            self.top = max(0, min(self.top + amount, self.max_top))
            self.line = max(0, min(self.top + row, len(self.lines) - 1))
        else:
            self.line += amount
            self._follow_cursor()
        if free_column:
            self.column = self._last_column
            self._end_of_line_rule()

    def _end_of_line_rule(self) -> None:
        end = self._line_end(self.line)
        if (self.column >= self._last_end and self.column != end) or self.column > end:
            self.column = end

    def _line_end(self, line: int) -> int:
        """The cell after the line's last non-blank one (tmux's window_copy_find_length)."""
        cells = self.cells(line)
        end = len(cells)
        while end and cells[end - 1][0] in (" ", ""):
            end -= 1
        return end

    # ---------------------------------------------------------------- commands
    def run(self, command: str, args: tuple[str, ...] = ()) -> str | None:
        """Run a copy-mode command (tmux's ``send-keys -X``); returns a follow-up for the
        app: ``"copy"``, ``"copy-cancel"``, ``"cancel"``, or None."""
        page = self.height - 2 if self.height > 2 else 1
        half = max(1, self.height // 2)
        simple: dict[str, Callable[[], object]] = {
            "cursor-up": lambda: self._move_line(-1),
            "cursor-down": lambda: self._move_line(1),
            "cursor-left": self._cursor_left,
            "cursor-right": self._cursor_right,
            "scroll-up": lambda: self._scroll(-1),
            "scroll-down": lambda: self._scroll(1),
            "page-up": lambda: self._page(-page),
            "page-down": lambda: self._page(page),
            "halfpage-up": lambda: self._page(-half),
            "halfpage-down": lambda: self._page(half),
            "history-top": self._history_top,
            "history-bottom": self._history_bottom,
            "start-of-line": lambda: self._set_column(0),
            "end-of-line": self._end_of_line,
            "back-to-indentation": self._back_to_indentation,
            "top-line": lambda: self._goto_screen_line(0),
            "middle-line": lambda: self._goto_screen_line((self.height - 1) // 2),
            "bottom-line": lambda: self._goto_screen_line(self.height - 1),
            "next-word": lambda: self._word(1, self.word_pattern),
            "previous-word": lambda: self._word(-1, self.word_pattern),
            "next-word-end": lambda: self._word_end(self.word_pattern),
            "next-space": lambda: self._word(1, r"\S+"),
            "previous-space": lambda: self._word(-1, r"\S+"),
            "next-space-end": lambda: self._word_end(r"\S+"),
            "begin-selection": self._begin_selection,
            "clear-selection": self._clear_selection,
            "select-line": self._select_line,
            "rectangle-toggle": lambda: setattr(self, "rectangle", not self.rectangle),
            "rectangle-on": lambda: setattr(self, "rectangle", True),
            "rectangle-off": lambda: setattr(self, "rectangle", False),
            "other-end": self._other_end,
            "search-again": lambda: self._search_again(False),
            "search-reverse": lambda: self._search_again(True),
            "toggle-position": lambda: setattr(self, "show_position", not self.show_position),
            "jump-again": lambda: self._jump_again(reverse=False),
            "jump-reverse": lambda: self._jump_again(reverse=True),
            "select-word": self._select_word,
            "stop-selection": self._stop_selection,
            "set-mark": lambda: setattr(self, "saved_mark", (self.line, self.column)),
            "jump-to-mark": self._jump_to_mark,
            "next-paragraph": lambda: self._paragraph(1),
            "previous-paragraph": lambda: self._paragraph(-1),
            "next-matching-bracket": lambda: self._matching_bracket(forward=True),
            "previous-matching-bracket": lambda: self._matching_bracket(forward=False),
        }
        if command not in INCREMENTAL:
            self.incremental_start = None
        if command in simple:
            simple[command]()
            if command not in SELECTION_COMMANDS:
                self.extend_selection()
            return None
        if command in COPY_OUTCOMES:
            return COPY_OUTCOMES[command]
        base = command.removesuffix("-and-cancel")
        if base in LINE_COPIES or base in END_OF_LINE_COPIES:
            if base in LINE_COPIES:
                self._select_line()
            else:
                self.mark = (self.line, self.column)
                self.line_select = False
            self.select_unit = "char"
            end = max(self.column, len(self.text(self.line)) - 1)
            self.selection_end = (self.line, end)
            return "copy-cancel" if command != base else "copy"
        if command == "cancel":
            return "cancel"
        if command.endswith("-and-cancel"):
            self.run(command[: -len("-and-cancel")])
            return "cancel" if self.top >= self.max_top else None
        if command in INCREMENTAL and args:
            self.incremental_search(args[0], backward="backward" in command)
            return None
        if command in ("search-forward", "search-forward-text", "search-backward",
                       "search-backward-text") and args:
            self.search(args[0], backward="backward" in command,
                        regex="text" not in command)
            return None
        if command in JUMPS and args and args[0]:
            self.last_jump = (command, args[0][0])
            self.jump(command, args[0][0])
            return None
        if command == "goto-line" and args:
            try:
                target = int(args[0])
            except ValueError:
                return None
            self.line = max(0, self.history_size - target)
            self._follow_cursor()
        return None

    def _cursor_left(self) -> None:
        """A cell left (off a wide character's right half first); from column 0, to the
        end of the line above, scrolling there as a ``scroll-up`` does (tmux's
        window_copy_cursor_left and window_copy_acquire_cursor_up)."""
        cells = self.cells(self.line)
        column = min(self.column, len(cells))
        while 0 < column < len(cells) and cells[column][0] == "":
            column -= 1
        if column == 0 and self.line > 0:
            line = self.line - 1
            while line < self.top:
                self._vertical(-1, scroll_only=True)
            self.line, self.column = line, self._line_end(line)
        else:
            self.column = max(0, column - 1)

    def _cursor_right(self) -> None:
        """A cell right, up to the cell after the line's end (the pane's width in a
        rectangle selection), skipping a wide character's right half; from there, to the
        start of the next line, scrolling there as a ``scroll-down`` does (tmux's
        window_copy_cursor_right and window_copy_acquire_cursor_down)."""
        end = self.width if self.mark is not None and self.rectangle else self._line_end(self.line)
        if self.column >= end and self.line < len(self.lines) - 1:
            line = self.line + 1
            while line >= self.top + self.height:
                self._vertical(1, scroll_only=True)
            self.line, self.column = line, 0
        elif self.column < end:
            cells = self.cells(self.line)
            column = self.column + 1
            while column < min(end, len(cells)) and cells[column][0] == "":
                column += 1
            self.column = column

    def _set_column(self, column: int) -> None:
        self.column = max(0, min(column, self.width - 1))

    def _end_of_line(self) -> None:
        """After the last character with emacs keys (tmux's), else on it (what a vi
        selection copies is the same)."""
        length = len(self.text(self.line))
        self._set_column(length if self.exclusive_end else max(0, length - 1))

    def _history_top(self) -> None:
        self.top = 0
        self.line = 0
        self.column = 0

    def _history_bottom(self) -> None:
        self.line = len(self.lines) - 1
        self.top = self.max_top
        self.column = max(0, len(self.text(self.line)) - 1)

    def _back_to_indentation(self) -> None:
        text = self.text(self.line)
        self.column = len(text) - len(text.lstrip())

    def _goto_screen_line(self, offset: int) -> None:
        self.line = min(len(self.lines) - 1, self.top + offset)
        self.column = 0
        self._follow_cursor()

    def _word(self, direction: int, pattern: str) -> None:
        line, column = self.line, self.column
        while 0 <= line < len(self.lines):
            starts = [m.start() for m in re.finditer(pattern, self.text(line))]
            if direction > 0:
                found = [s for s in starts if s > column]
                if found:
                    self.line, self.column = line, found[0]
                    self._follow_cursor()
                    return
                line, column = line + 1, -1
            else:
                found = [s for s in starts if s < column]
                if found:
                    self.line, self.column = line, found[-1]
                    self._follow_cursor()
                    return
                line, column = line - 1, 1 << 30

    def _word_end(self, pattern: str) -> None:
        line, column = self.line, self.column
        while line < len(self.lines):
            # emacs keys (exclusive_end) stop just after the word, vi keys on its last char
            shift = 0 if self.exclusive_end else 1
            ends = [m.end() - shift for m in re.finditer(pattern, self.text(line))]
            found = [e for e in ends if e > column]
            if found:
                self.line, self.column = line, found[0]
                self._follow_cursor()
                return
            line, column = line + 1, -1

    # ------------------------------------------------------------------- jumps
    def jump(self, command: str, char: str) -> bool:
        """Move along the cursor's line to ``char`` (``jump-forward``: onto the next one,
        ``jump-to-forward``: just before it, and the backward pair); False if absent."""
        text = cells_text(self.cells(self.line))
        column = self.column
        if command == "jump-forward":
            found = text.find(char, column + 1)
        elif command == "jump-to-forward":
            found = text.find(char, column + 2)
            found = found - 1 if found >= 0 else -1
        elif command == "jump-backward":
            found = text.rfind(char, 0, max(0, column))
        else:
            found = text.rfind(char, 0, max(0, column - 1))
            found = found + 1 if found >= 0 else -1
        if found < 0:
            return False
        self.column = found
        return True

    def _jump_again(self, *, reverse: bool) -> None:
        if self.last_jump is None:
            return
        command, char = self.last_jump
        if reverse:
            command = JUMPS[command]
        self.jump(command, char)

    # --------------------------------------------------------------- selection
    def _begin_selection(self) -> None:
        self.mark = (self.line, self.column)
        self.line_select = False
        self.selection_end = None
        self.select_unit = "char"

    def _clear_selection(self) -> None:
        self.mark = None
        self.line_select = False
        self.selection_end = None
        self.select_unit = "char"

    def clear_selection(self) -> None:
        """Drop the selection (after a copy that does not keep it)."""
        self._clear_selection()

    def _select_line(self) -> None:
        """tmux's select-line: the cursor's line, and lines the unit of the selection."""
        self._unit_origin = (self.line, self.column)
        self.mark = (self.line, 0)
        self.line_select = True
        self.selection_end = None
        self.select_unit = "line"
        self._unit_first = (self.mark, (self.line, self._line_end(self.line)))

    def _select_word(self) -> None:
        """tmux's select-word: from the start of the word at the cursor (the previous one
        from a blank) to its end, where the cursor goes - on its last character, or just
        after it with emacs keys, whose selection stops before the cursor (tmux's
        next-word-end in each mode); a one-character word followed by a blank keeps the
        cursor on it. Words become the unit of the selection."""
        origin = (self.line, self.column)
        self.line, self.column = self._previous_word_position(*origin)
        start = (self.line, self.column)
        self.mark = start
        if self.column >= self._line_end(self.line) or not self._blank(
                self.line, self.column + 1):
            self.line, self.column = self._next_word_end_position(self.line, self.column)
        self._follow_cursor()
        end = (self.line, self.column)
        if origin[0] > end[0]:
            origin = end
        elif origin[1] > end[1]:
            origin = (origin[0], end[1])
        self._unit_origin, self._unit_first, self._unit_end = origin, (start, end), end
        self.line_select = False
        self.rectangle = False
        self.selection_end = None
        self.select_unit = "word"

    def start_drag(self) -> None:
        """A drag begins at the cursor (tmux's window_copy_start_drag): on the word or line
        a ``select-word`` / ``select-line`` chose, the selection keeps growing by words
        or lines from it (the cursor to the start of its word, or of its line); anywhere
        else a new selection begins there."""
        first_start, first_end = self._unit_first
        if self.line != first_start[0] or not first_start[1] <= self.column <= first_end[1]:
            self.select_unit = "char"
        if self.select_unit == "word":
            self.line, self.column = self._previous_word_position(self.line, self.column)
        elif self.select_unit == "line":
            self.column = 0
        else:
            self._begin_selection()

    def extend_selection(self) -> None:
        """After the cursor moved, a word selection takes in whole words from its first
        one to the cursor's (tmux's window_copy_synchronize_cursor_end, SEL_WORD); a line
        selection covers whole lines already (``line_select``)."""
        if self.mark is None or self.select_unit != "word" or self.selection_end is not None:
            return
        line, column = self.line, self.column
        if self._unit_origin > (line, column):  # right to left
            self.mark = self._previous_word_position(line, column)
            self._unit_end = self._unit_first[1]
        else:
            if column >= self._line_end(line) or not self._blank(line, column + 1):
                line, column = self._next_word_end_position(line, column)
            self.mark = self._unit_first[0]
            self._unit_end = (line, column)

    # tmux's grid_reader word moves, a row being a line (no wrapped rows)
    def _cell(self, line: int, column: int) -> str:
        cells = self.cells(line)
        return cells[column][0] if 0 <= column < len(cells) else " "

    def _blank(self, line: int, column: int) -> bool:
        return self._cell(line, column) == " "

    def _separator(self, line: int, column: int) -> bool:
        char = self._cell(line, column)
        return char != "" and char in self.separators

    def _previous_word_position(self, line: int, column: int) -> tuple[int, int]:
        """Where the word at (line, column) begins, or the word before a blank
        (grid_reader_cursor_previous_word, not already on a word's start)."""
        if self._blank(line, column):
            while True:
                if column > 0:
                    column -= 1
                    if not self._blank(line, column):
                        break
                elif line == 0:
                    return line, column
                else:
                    line -= 1
                    column = self._line_end(line)
        letters = not self._separator(line, column)
        while column > 0:
            if self._blank(line, column - 1) or letters == self._separator(line, column - 1):
                break
            column -= 1
        return line, column

    def _next_word_end_position(self, line: int, column: int) -> tuple[int, int]:
        """Where the next word ends from (line, column): just after it with emacs keys,
        on its last character with vi keys (window_copy_cursor_next_word_end_pos)."""
        vi = not self.exclusive_end
        if vi and not self._blank(line, column) and column < self._line_end(line):
            column += 1
            while column < self._line_end(line) and self._cell(line, column) == "":
                column += 1
        last = len(self.lines) - 1
        end = self._line_end(line)

        def inside() -> bool:  # grid_reader_handle_wrap
            nonlocal line, column, end
            while column > end:
                if line >= last:
                    return False
                line, column = line + 1, 0
                end = self._line_end(line)
            return True

        while inside():
            if self._blank(line, column):
                column += 1
                continue
            separators = self._separator(line, column)
            column += 1
            while inside() and not self._blank(line, column) and (
                    self._separator(line, column) == separators):
                column += 1
            break
        if vi:  # grid_reader_cursor_left, wrapping
            while column > 0 and self._cell(line, column) == "":
                column -= 1
            if column == 0 and line > 0:
                line, column = line - 1, self._line_end(line - 1)
            elif column > 0:
                column -= 1
        return line, column

    def _stop_selection(self) -> None:
        if self.mark is not None:
            self.selection_end = self.selection_end_point()
            self.select_unit = "char"

    def selection_end_point(self) -> tuple[int, int]:
        """Where the selection ends: fixed by ``stop-selection``, where a word selection
        reaches, or the cursor."""
        if self.selection_end is not None:
            return self.selection_end
        if self.select_unit == "word" and self._unit_end is not None:
            return self._unit_end
        return (self.line, self.column)

    def _jump_to_mark(self) -> None:
        if self.saved_mark is not None:
            self.saved_mark, (self.line, self.column) = (self.line, self.column), \
                self.saved_mark
            self._follow_cursor()

    # ---------------------------------------------------------- paragraphs, brackets
    def _paragraph(self, direction: int) -> None:
        """To the next (previous) blank line after a non-blank one, as vi's ``}`` / ``{``."""
        line = self.line
        last = len(self.lines) - 1
        while 0 <= line + direction <= last and not self.text(line + direction):
            line += direction
        while 0 <= line + direction <= last and self.text(line + direction):
            line += direction
        if 0 <= line + direction <= last:
            line += direction
        self.line, self.column = line, 0
        self._follow_cursor()

    def _matching_bracket(self, *, forward: bool) -> None:
        """From the bracket under the cursor (else the nearest one on the line, looking
        forward or backward) to its partner, across lines."""
        text = self.text(self.line)
        column = self.column
        while 0 <= column < len(text) and text[column] not in BRACKETS:
            column += 1 if forward else -1
        if not 0 <= column < len(text):
            return
        bracket = text[column]
        partner = BRACKETS[bracket]
        step = 1 if bracket in "([{" else -1
        depth = 0
        line = self.line
        while 0 <= line < len(self.lines):
            row = self.text(line)
            while 0 <= column < len(row):
                if row[column] == bracket:
                    depth += 1
                elif row[column] == partner:
                    depth -= 1
                    if depth == 0:
                        self.line, self.column = line, column
                        self._follow_cursor()
                        return
                column += step
            line += step
            if 0 <= line < len(self.lines):
                column = 0 if step > 0 else len(self.text(line)) - 1

    def cursor_word(self) -> str:
        """The word under the cursor (``#{copy_cursor_word}``)."""
        for match in re.finditer(r"\S+", self.text(self.line)):
            if match.start() <= self.column < match.end():
                return match.group()
        return ""

    def cursor_line(self) -> str:
        """The cursor's line (``#{copy_cursor_line}``) as the view shows it: tmux reads
        it from its copy-mode screen, so on the top row it ends with the position
        indicator, over whatever the line had there."""
        text = self.text(self.line)
        label = self.position_label()
        if self.line != self.top or not label:
            return text
        return text[:self.width - len(label)].ljust(self.width - len(label)) + label

    def position_label(self) -> str:
        """The indicator at the top right (``[offset/history]``), or "" when hidden or
        too wide for the pane."""
        label = f"[{self.max_top - self.top}/{self.history_size}]"
        return label if self.show_position and len(label) < self.width else ""

    def _other_end(self) -> None:
        if self.mark is not None:
            end = self.selection_end_point()
            self.select_unit = "char"
            self.mark, (self.line, self.column) = end, self.mark
            self._follow_cursor()

    # ------------------------------------------------------------------ search
    def search(self, pattern: str, *, backward: bool, regex: bool = True) -> bool:
        """Move to the next match of ``pattern`` (wrapping around the history) and
        highlight every match; False, with no highlight, when there is none."""
        self.last_search, self.last_search_regex = (pattern, backward), regex
        if not pattern:
            return False
        compiled = compile_search(pattern, regex=regex)
        if self.marks is None or (compiled.pattern, compiled.flags) != \
                (self.marks.pattern, self.marks.flags):
            self._marked = {}
        self.marks = compiled
        self.current_match = None
        count = len(self.lines)
        for step in range(count + 1):
            line = (self.line - step) % count if backward else (self.line + step) % count
            spans = self.matches(line)
            if step == 0:
                spans = [(a, b) for a, b in spans if (a < self.column if backward
                                                        else a >= self.column)]
            elif step == count:
                spans = [(a, b) for a, b in spans if (a >= self.column if backward
                                                        else a < self.column)]
            if spans:
                start, end = spans[-1] if backward else spans[0]
                self.current_match = (line, start, end)
                self.line = line
                self.column = start if backward else min(end, self.width - 1)
                self._follow_cursor()
                return True
        self.marks = self.current_match = None
        return False

    def matches(self, line: int) -> list[tuple[int, int]]:
        """Cell spans ``[start, end)`` of the highlighted search's matches on ``line``,
        overlapping ones included (a search may stop inside an earlier match)."""
        if self.marks is None:
            return []
        found = self._marked.get(line)
        if found is None:
            text = self.text(line)
            match = self.marks.search(text)
            found = []
            if match is not None:  # most lines have none: no cell columns to work out
                cells = self.cells(line)
                columns = [index for index, c in enumerate(cells) if c[0]]
                columns.append(len(cells))  # the cell after the last character
                while match is not None:
                    if match.end() > match.start():
                        found.append((columns[match.start()], columns[match.end()]))
                    match = self.marks.search(text, match.start() + 1)
            self._marked[line] = found
        return found

    def incremental_search(self, argument: str, *, backward: bool) -> None:
        """One step of an incremental search. ``argument`` is the prompt's text after a
        prefix: ``=`` (the text changed: search in this command's direction), ``-``
        (previous match) or ``+`` (next match); without one it is all text. A changed text
        searches again from where the session began; an empty one only clears the marks."""
        prefix, text = (argument[0], argument[1:]) if argument[:1] in ("=", "-", "+") \
            else ("=", argument)
        if self.incremental_start is None:
            self.incremental_start = (self.line, self.column, self.top)
        elif self.last_search is None or text != self.last_search[0]:
            self.line, self.column, self.top = self.incremental_start
        if not text:
            self.marks = self.current_match = self.last_search = None
            return
        self.search(text, backward=backward if prefix == "=" else prefix == "-", regex=False)

    def end_incremental(self, *, restore: bool) -> None:
        """Close the incremental search session; ``restore`` (the prompt was cancelled)
        goes back to where it began and drops the highlight."""
        if restore and self.incremental_start is not None:
            self.line, self.column, self.top = self.incremental_start
            self.marks = self.current_match = None
        self.incremental_start = None

    def _search_again(self, reverse: bool) -> None:
        if self.last_search is not None:
            pattern, backward = self.last_search
            self.search(pattern, backward=backward != reverse, regex=self.last_search_regex)
            self.last_search = (pattern, backward)

    # --------------------------------------------------------------- selection
    def selected(self, line: int, column: int) -> bool:
        """Whether the cell at (line, column) is inside the selection."""
        if self.mark is None:
            return False
        end = self.selection_end_point()
        (start_line, start_col), (end_line, end_col) = sorted([self.mark, end])
        if self.exclusive_end and not self.rectangle:
            end_col -= 1
        if not start_line <= line <= end_line:
            return False
        if self.line_select:
            return True
        if self.rectangle:
            low, high = sorted((self.mark[1], end[1]))
            return low <= column <= high
        if start_line == end_line:
            return start_col <= column <= end_col
        if line == start_line:
            return column >= start_col
        if line == end_line:
            return column <= end_col
        return True

    def selection_text(self) -> str:
        """The selected text, rows joined by newlines (empty without a selection)."""
        if self.mark is None:
            return ""
        (start_line, _), (end_line, end_col) = sorted([self.mark, self.selection_end_point()])
        rows = []
        for line in range(start_line, end_line + 1):
            # (cut at the line's end, not each row's selected part: blanks inside the line
            # stay, as tmux's window_copy_copy_line)
            cells = self.cells(line)[:self._line_end(line)]
            rows.append(cells_text([c for index, c in enumerate(cells)
                                    if self.selected(line, index)]))
        text = "\n".join(rows)
        # with vi keys a selection that reaches the end of its last line ends with its
        # newline (tmux 3.3a keeps it when the selection's end is at or past the line's
        # end, which emacs keys never do)
        if not self.exclusive_end and (self.line_select or (
                not self.rectangle and end_col >= self._line_end(end_line))):
            text += "\n"
        return text

    # ----------------------------------------------------------------- drawing
    def _match_colours(self, line: int) -> dict[int, tuple[int, int]]:
        """(fg, bg) of each highlighted cell of ``line``: search matches, the one the last
        search moved to in the current-match colours."""
        colours: dict[int, tuple[int, int]] = {}
        for start, end in self.matches(line):
            current = (line, start, end) == self.current_match
            for column in range(start, end):
                colours[column] = MATCH_COLOURS[current]
        return colours

    def render_row(self, view: PaneView, y: int, width: int) -> Strip:
        """Row ``y`` of the view: history/screen cells, selection, cursor, position."""
        styles = view.style_cache()
        line = self.top + y
        cells = self.cells(line)
        matched = self._match_colours(line)
        segments: list[Segment] = []
        for column in range(min(len(cells), width)):
            char, fg, bg, attrs = cells[column]
            if char == "":
                continue
            selected = self.selected(line, column)
            if line == self.line and column == self.column:
                style = styles.get(fg, bg, attrs ^ cell.REVERSE)
            elif column in matched and not selected:
                style = styles.get(*matched[column], attrs & ~cell.REVERSE)
            else:
                style = styles.get(fg, bg, attrs, selected)
            segments.append(Segment(char, style))
        for column in range(len(cells), width):
            if line == self.line and column == self.column:
                segments.append(Segment(" ", styles.get(-1, -1, cell.REVERSE)))
            else:
                segments.append(Segment(" ", styles.get(-1, -1, 0,
                                                        self.selected(line, column))))
        strip = Strip(segments).adjust_cell_length(width, styles.base)
        label = self.position_label() if y == 0 else ""
        if label and len(label) < width:
            marker = Strip([Segment(label, styles.get(-1, -1, 0, True))])
            strip = Strip.join([strip.crop(0, width - len(label)), marker])
        return strip
