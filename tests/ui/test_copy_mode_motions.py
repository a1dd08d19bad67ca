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
    assert copy.column == 8
    copy.run("next-word-end")
    assert copy.column == 12
    copy.run("previous-word")
    assert copy.column == 8
    copy.run("next-space")
    assert copy.column == 15
    assert copy.cursor_word() == "four"
    copy.run("start-of-line")
    assert copy.cursor_line() == "one two-three  four"


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
