"""Copy-mode motions of the model alone: jumps, words, marks, paragraphs, brackets.

Every command name here is one tmux's copy-mode tables bind; each test builds a frozen
view from plain text lines and checks where the cursor and the selection end up.
"""

from __future__ import annotations

import pytest

from aisession_tui.keymaps import load_keymap
from aisession_tui.keymaps.actions import copy_mode_command, is_copy_mode_action
from aisession_tui.widgets.copy_mode import CopyMode


def frozen(*lines: str, cursor: tuple[int, int] = (0, 0)) -> CopyMode:
    """A copy mode over ``lines`` (all on screen, no history), cursor at (x, y)."""
    rows = [[[line, -1, -1, 0]] if line else [] for line in lines]
    return CopyMode([], rows, 40, len(lines), cursor)


def test_jumps_on_the_line_and_repeats() -> None:
    copy = frozen("alpha beta gamma delta")
    copy.run("jump-forward", ("a",))
    assert copy.column == 4
    copy.run("jump-again")
    assert copy.column == 9
    copy.run("jump-reverse")
    assert copy.column == 4
    copy.run("jump-to-forward", ("g",))
    assert copy.column == 10          # just before the g of "gamma"
    copy.run("jump-again")
    assert copy.column == 10          # the next g is not further: t stays put like vi
    copy.run("jump-backward", ("l",))
    assert copy.column == 1
    copy.run("end-of-line")
    copy.run("jump-to-backward", ("t",))
    assert copy.column == 9           # the t of "delta" is adjacent: after beta's t
    copy.run("jump-forward", ("z",))
    assert copy.column == 9           # no z: the cursor does not move


def test_words_and_select_word() -> None:
    copy = frozen("one two-three  four", cursor=(5, 0))
    copy.run("select-word")
    assert copy.selection_text() == "two"
    copy.run("clear-selection")
    copy.run("next-word")
    assert copy.column == 7  # tmux 3.3a (vi keys): "-" is a word of separators
    copy.run("next-word-end")
    assert copy.column == 12
    copy.run("previous-word")
    assert copy.column == 8
    copy.run("next-space")
    assert copy.column == 15
    assert copy.cursor_word() == "four"
    copy.run("start-of-line")
    # tmux reads copy_cursor_line from its copy-mode screen: the top row ends with the
    # position indicator (compared with tmux in test_app_copy_state_tmux.py)
    assert copy.cursor_line() == "one two-three  four".ljust(copy.width - 5) + "[0/0]"


def test_stop_selection_set_mark_and_jump_to_mark() -> None:
    copy = frozen("first line", "second line", "third line")
    copy.run("begin-selection")
    copy.run("cursor-down")
    copy.run("end-of-line")
    copy.run("stop-selection")
    copy.run("cursor-down")
    assert copy.selection_text() == "first line\nsecond line"
    copy.run("set-mark")
    copy.run("history-top")
    copy.run("jump-to-mark")
    assert (copy.line, copy.column) == (2, 10)
    copy.run("jump-to-mark")
    assert (copy.line, copy.column) == (0, 0)


def test_paragraphs_and_matching_brackets() -> None:
    copy = frozen("para one", "still one", "", "para two", "", "call(a[1], {b})")
    copy.run("next-paragraph")
    assert copy.line == 2
    copy.run("next-paragraph")
    assert copy.line == 4
    copy.run("previous-paragraph")
    assert copy.line == 2
    copy.run("history-bottom")
    copy.run("start-of-line")
    copy.run("next-matching-bracket")
    assert copy.column == 14          # "(" found forward, then its ")"
    copy.run("next-matching-bracket")
    assert copy.column == 4
    copy.run("jump-forward", ("{",))
    copy.run("next-matching-bracket")
    assert copy.column == 13


def test_copy_mode_motion_bindings_that_remain_unhandled() -> None:
    """Every copy-mode action the default tables bind does something, except the ones
    listed here (kept in step with the report: they need the server or a pipe)."""
    keymap = load_keymap(None, "C-b")
    bound = set()
    for table in ("copy-mode", "copy-mode-vi"):
        for binding in keymap.tables.get(table, {}).values():
            for command in binding.commands:
                if is_copy_mode_action(command.action):
                    bound.add(copy_mode_command(command.action))
    handled_elsewhere = {"refresh-from-pane"}
    unhandled = set()
    for name in sorted(bound - handled_elsewhere):
        copy = frozen("alpha (beta)", "", "gamma", cursor=(1, 0))
        before = (copy.line, copy.column, copy.mark, copy.top, copy.rectangle,
                  copy.show_position, copy.saved_mark, copy.selection_end)
        outcome = copy.run(name, ("a",))
        copy.run("other-end")
        after = (copy.line, copy.column, copy.mark, copy.top, copy.rectangle,
                 copy.show_position, copy.saved_mark, copy.selection_end)
        if outcome is None and before == after and name not in QUIET:
            unhandled.add(name)
    assert unhandled == set()


QUIET = {
    # Commands that rightly change nothing on this three-line view at (1, 0).
    "back-to-indentation", "clear-selection", "cursor-up", "history-top", "page-up",
    "halfpage-up", "scroll-up", "scroll-down", "page-down", "halfpage-down",
    "scroll-down-and-cancel", "page-down-and-cancel", "halfpage-down-and-cancel",
    "search-again", "search-reverse", "jump-again", "jump-reverse", "jump-to-mark",
    "previous-paragraph", "previous-word", "previous-space", "rectangle-off",
    "other-end", "top-line", "stop-selection", "goto-line", "jump-backward",
    "jump-to-backward", "previous-matching-bracket",
}


@pytest.mark.parametrize("name", ["jump-forward", "jump-to-forward", "jump-backward",
                                  "jump-to-backward"])
def test_a_jump_without_a_character_does_nothing(name: str) -> None:
    copy = frozen("abc abc", cursor=(3, 0))
    copy.run(name, ("",))
    assert copy.column == 3


def test_search_lands_like_tmux_and_ignores_case_without_capitals() -> None:
    copy = frozen("xaaaa", "ab", "", "", "xyzAB")
    for column in (2, 3, 4, 5):       # forward: just after the match, overlapping ones too
        copy.run("search-forward", ("a",))
        assert (copy.line, copy.column) == (0, column)
    copy.run("search-forward", ("AB",))   # a capital: case matters, "ab" is skipped
    assert (copy.line, copy.column) == (4, 5)
    copy.run("search-forward", ("ab",))   # none: "AB" matches too; wraps to the top
    assert (copy.line, copy.column) == (1, 2)
    copy.run("search-again")
    assert (copy.line, copy.column) == (4, 5)
    copy.run("search-backward", ("a",))   # backward: on the match's first character
    assert (copy.line, copy.column) == (4, 3)
    copy.run("search-reverse")
    assert (copy.line, copy.column) == (4, 4)


def test_search_text_is_not_a_regex_and_search_again_keeps_that() -> None:
    copy = frozen("a.c abc a.c")
    copy.run("search-forward-text", ("a.c",))
    assert copy.column == 3
    copy.run("search-again")
    assert copy.column == 11          # after the second "a.c", not after "abc"
    copy.run("history-top")
    copy.run("search-forward", ("a.c",))
    assert copy.column == 3


def test_matches_are_highlighted_until_a_search_fails() -> None:
    copy = frozen("one apple two apple", "apple pie")
    copy.run("search-forward", ("apple",))
    assert copy.matches(0) == [(4, 9), (14, 19)]
    assert copy.matches(1) == [(0, 5)]
    assert copy.current_match == (0, 4, 9)
    copy.run("search-forward", ("pear",))
    assert copy.matches(0) == [] and copy.current_match is None


def test_incremental_search_restarts_from_where_it_began() -> None:
    lines = [f"line-{n} apple{n}" for n in range(1, 31)]
    copy = frozen(*lines, cursor=(0, 29))
    start = (copy.line, copy.column, copy.top)
    command = "search-backward-incremental"
    copy.run(command, ("=a",))
    assert (copy.line, copy.column) == (28, 8)      # the "a" of "apple29"
    copy.run(command, ("=apple1",))                  # from the start again, not from 28
    assert (copy.line, copy.column) == (18, 8)
    copy.run(command, ("-apple1",))                  # C-r: the previous match
    assert (copy.line, copy.column) == (17, 8)
    copy.run(command, ("+apple1",))                  # C-s: the next one, just after it
    assert (copy.line, copy.column) == (17, 14)
    copy.run(command, ("=apple",))                   # backspace: from the start again
    assert (copy.line, copy.column) == (28, 8)
    copy.run(command, ("=",))                        # emptied: back at the start, no marks
    assert (copy.line, copy.column, copy.top) == start and copy.marks is None
    copy.run(command, ("=apple2",))
    copy.end_incremental(restore=True)               # Escape
    assert (copy.line, copy.column, copy.top) == start and copy.marks is None
    copy.run(command, ("=apple2",))
    copy.end_incremental(restore=False)              # Enter keeps the match
    assert (copy.line, copy.column) == (28, 8)
    copy.run("search-again")
    assert (copy.line, copy.column) == (27, 8)


def test_incremental_session_ends_with_any_other_command() -> None:
    copy = frozen("alpha", "beta alpha", "gamma")
    copy.run("search-forward-incremental", ("=alpha",))
    assert (copy.line, copy.column) == (0, 5)         # the match under the cursor counts
    copy.run("cursor-down")  # from a line's end to the next line's end, as tmux
    assert (copy.line, copy.column) == (1, 10)
    copy.run("search-forward-incremental", ("=beta",))  # a new session starts at (1, 10)
    assert (copy.line, copy.column) == (1, 4)
    copy.end_incremental(restore=True)
    assert (copy.line, copy.column) == (1, 10)


@pytest.mark.parametrize(("name", "outcome"), [
    ("copy-pipe", "copy"), ("copy-pipe-no-clear", "copy-keep"),
    ("copy-pipe-and-cancel", "copy-cancel"), ("copy-selection", "copy"),
])
def test_copy_commands_take_the_selection(name: str, outcome: str) -> None:
    copy = frozen("first line", "second line", cursor=(6, 0))
    copy.run("begin-selection")
    copy.run("cursor-down")
    assert copy.run(name, ("cat",)) == outcome
    # (the blank the cursor is on is inside the line, so tmux 3.3a copies it with vi keys)
    assert copy.selection_text() == "line\nsecond "


@pytest.mark.parametrize(("name", "outcome", "text"), [
    ("copy-pipe-end-of-line", "copy", "line two"),
    ("copy-pipe-end-of-line-and-cancel", "copy-cancel", "line two"),
    ("copy-end-of-line", "copy", "line two"),
    ("copy-pipe-line", "copy", "one line two\n"),
    ("copy-line-and-cancel", "copy-cancel", "one line two\n"),
])
def test_line_copies_select_before_copying(name: str, outcome: str, text: str) -> None:
    copy = frozen("one line two", cursor=(4, 0))
    assert copy.run(name) == outcome
    assert copy.selection_text() == text
    assert copy.column == 4            # the cursor stays where it was


def test_pipe_command_names_what_a_copy_pipes_to() -> None:
    from aisession_tui.widgets.copy_mode import pipe_command

    assert pipe_command("copy-pipe-and-cancel", ("cat > x",)) == "cat > x"
    assert pipe_command("copy-pipe", ()) == ""            # the copy-command option
    assert pipe_command("copy-pipe-end-of-line", ()) == ""
    assert pipe_command("copy-selection", ("cat",)) is None


def test_matches_are_cell_spans_past_wide_characters() -> None:
    copy = frozen("日本 apple 本")
    copy.run("search-forward", ("apple",))
    assert copy.matches(0) == [(5, 10)]             # each CJK character is two cells wide
    assert (copy.line, copy.column) == (0, 10)
    copy.run("search-forward", ("本",))
    assert copy.current_match == (0, 11, 13)


@pytest.mark.parametrize(("vi", "down", "expected"), [
    (False, False, "alpha beta gamma"),                       # measured with tmux 3.3a:
    (True, False, "alpha beta gamma\n"),                      # select-line, optionally
    (False, True, "alpha beta gamma\nsecond line here"),      # cursor-down, then
    (True, True, "alpha beta gamma\nsecond line here\n"),     # copy-selection-and-cancel
])
def test_a_line_selection_ends_with_its_newline_with_vi_keys_only(
        vi: bool, down: bool, expected: str) -> None:
    copy = frozen("alpha beta gamma", "second line here", "third")
    copy.exclusive_end = not vi
    copy.run("select-line")
    if down:
        copy.run("cursor-down")
    assert copy.selection_text() == expected


@pytest.mark.parametrize("vi", [False, True])
def test_select_word_selects_the_whole_word_with_either_keys(vi: bool) -> None:
    copy = frozen("alpha beta gamma", cursor=(12, 0))
    copy.exclusive_end = not vi
    copy.run("select-word")
    assert copy.selection_text() == "gamma"


@pytest.mark.parametrize(("vi", "press", "to", "text"), [
    # the buffers tmux 3.3a copies for these drags (tests/e2e/test_e2e_mouse_units_tmux.py)
    (False, (7, 0), (9, 1), "beta, gamma\nsecond line"),
    (True, (7, 0), (9, 1), "beta, gamma\nsecond line"),
    (False, (13, 1), (2, 0), "alpha beta, gamma\nsecond line here"),
    (False, (2, 1), (6, 2), "cond line here\nthird "),     # off the word: by cells
])
def test_a_drag_from_the_selected_word_extends_it_by_words(
        vi: bool, press: tuple[int, int], to: tuple[int, int], text: str) -> None:
    copy = frozen("alpha beta, gamma", "second line here", "third row-of words",
                  cursor=(7, 0) if press[1] == 0 else (13, 1))
    copy.exclusive_end = not vi
    copy.run("select-word")
    assert copy.select_unit == "word"
    copy.column, copy.line = press
    copy.start_drag()
    copy.column, copy.line = to
    copy.extend_selection()
    assert copy.selection_text() == text
