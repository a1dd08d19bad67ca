"""Incremental search in copy mode through the real app: emacs C-r / C-s open
``command-prompt -i``, whose template runs on every change of the text, so the cursor and
the view follow each typed character (from where the search began), the match is
highlighted, C-r / C-s step between matches, Enter and Escape keep the place (as tmux 3.3a:
checked live, Escape closes the prompt and leaves the cursor on the match).

Expected places are found here by plain string scans of the frozen copy-mode lines.
"""

from __future__ import annotations

import asyncio
from typing import Any

from app_harness import make_app, settle, wait_for, wait_text

from aisession_tui.widgets.copy_mode import MATCH_COLOURS, CopyMode


def run(scenario: Any) -> None:
    asyncio.run(scenario())


def fruit_session(server: Any) -> None:
    """Session ``main`` with 60 numbered lines, most of them in the history."""
    server.ok("new-session", "-d", "-s", "main", "-x", "80", "-y", "23")
    server.wait_for_text("main", "$")
    server.ok("send-keys", "-t", "main", "seq 1 60 | sed 's/.*/line-& fruit&/'", "Enter")
    server.wait_for_text("main", "line-60 fruit60\n")


def occurrences(text: str, needle: str) -> list[int]:
    """Every start of ``needle`` in ``text``, overlapping ones included."""
    return [index for index in range(len(text)) if text.startswith(needle, index)]


def backward_from(copy: CopyMode, line: int, column: int, needle: str) -> tuple[int, int]:
    """The last occurrence of ``needle`` starting before (line, column), wrapping:
    (line, its start), where tmux leaves the cursor."""
    for step in range(len(copy.lines) + 1):
        index = (line - step) % len(copy.lines)
        starts = occurrences(copy.text(index), needle)
        if step == 0:
            starts = [start for start in starts if start < column]
        if starts:
            return index, starts[-1]
    raise AssertionError(f"{needle!r} is nowhere")


def forward_from(copy: CopyMode, line: int, column: int, needle: str) -> tuple[int, int]:
    """The first occurrence of ``needle`` starting at or after (line, column), wrapping:
    (line, the column just after it), where tmux leaves the cursor."""
    for step in range(len(copy.lines) + 1):
        index = (line + step) % len(copy.lines)
        starts = occurrences(copy.text(index), needle)
        if step == 0:
            starts = [start for start in starts if start >= column]
        if starts:
            return index, starts[0] + len(needle)
    raise AssertionError(f"{needle!r} is nowhere")


def shown(copy: CopyMode, line: int) -> bool:
    return copy.top <= line < copy.top + copy.height


async def enter_copy_mode(app: Any, pilot: Any) -> tuple[Any, CopyMode]:
    await wait_text(app, "line-60 fruit60\n")
    await pilot.press("ctrl+b", "left_square_bracket")
    view = app.window_view.active_pane()
    await wait_for(lambda: view.copy_mode is not None, "copy mode")
    return view, view.copy_mode


def test_typing_moves_to_each_match_and_escape_keeps_it(server: Any) -> None:
    fruit_session(server)

    async def scenario() -> None:
        app = make_app(server)
        async with app.run_test(size=(80, 24)) as pilot:
            view, copy = await enter_copy_mode(app, pilot)
            start = (copy.line, copy.column, copy.top)
            await pilot.press("ctrl+r")
            await wait_for(lambda: app.prompt.is_open, "the search prompt")
            assert str(app.prompt.label.content) == "(search up) "
            typed = ""
            for char in "fruit1":
                typed += char
                await pilot.press(char)
                expected = backward_from(copy, start[0], start[1], typed)
                await wait_for(lambda place=expected: (copy.line, copy.column) == place,
                               f"the cursor on {typed!r} at {expected}")
                assert shown(copy, copy.line)
                assert copy.current_match == (*expected, expected[1] + len(typed))
            assert copy.text(copy.line) == "line-19 fruit19"
            assert copy.top < start[2]                   # the view scrolled up to it
            row = copy.render_row(view, copy.line - copy.top, view.columns)
            styles = view.style_cache()
            current = styles.get(*MATCH_COLOURS[1], 0)
            cells = "".join(segment.text for segment in row if segment.style == current)
            assert cells == "fruit1"[1:]                 # highlighted (the cursor on "f")

            await pilot.press("backspace")                # "fruit": back from the start
            expected = backward_from(copy, start[0], start[1], "fruit")
            await wait_for(lambda: (copy.line, copy.column) == expected, "back to fruit60")
            assert copy.text(copy.line) == "line-60 fruit60"
            await pilot.press("1")
            await wait_for(lambda: copy.text(copy.line) == "line-19 fruit19", "fruit1 again")

            found = (copy.line, copy.column)
            await pilot.press("escape")
            await wait_for(lambda: not app.prompt.is_open, "the prompt closed")
            await settle(pilot)
            assert (copy.line, copy.column) == found     # the cursor stays on the match
            assert copy.incremental_start is None
            assert view.copy_mode is copy                # still in copy mode

    run(scenario)


def test_ctrl_r_and_ctrl_s_step_and_enter_keeps_the_match(server: Any) -> None:
    fruit_session(server)

    async def scenario() -> None:
        app = make_app(server)
        async with app.run_test(size=(80, 24)) as pilot:
            _, copy = await enter_copy_mode(app, pilot)
            await pilot.press("ctrl+r")
            await wait_for(lambda: app.prompt.is_open, "the search prompt")
            for char in "fruit2":
                await pilot.press(char)
            await wait_for(lambda: copy.text(copy.line) == "line-29 fruit29", "fruit29")
            first = (copy.line, copy.column)
            await pilot.press("ctrl+r")                  # the previous match
            expected = backward_from(copy, *first, "fruit2")
            await wait_for(lambda: (copy.line, copy.column) == expected, "fruit28")
            assert copy.text(copy.line) == "line-28 fruit28"
            expected = forward_from(copy, copy.line, copy.column, "fruit2")
            await pilot.press("ctrl+s")                  # the next one: after fruit2 of 28
            await wait_for(lambda: (copy.line, copy.column) == expected, "forward")
            await pilot.press("enter")
            await wait_for(lambda: not app.prompt.is_open, "the prompt closed")
            await settle(pilot)
            assert (copy.line, copy.column) == expected  # Enter keeps the place
            assert copy.incremental_start is None
            await pilot.press("ctrl+b", "colon")         # the status line is back to work
            await wait_for(lambda: app.prompt.is_open, "the command prompt")
            await pilot.press("escape")
            await wait_for(lambda: not app.prompt.is_open, "closed")
            assert (copy.line, copy.column) == expected  # a plain prompt restores nothing

    run(scenario)


def test_forward_incremental_search_from_the_top(server: Any) -> None:
    fruit_session(server)

    async def scenario() -> None:
        app = make_app(server)
        async with app.run_test(size=(80, 24)) as pilot:
            _, copy = await enter_copy_mode(app, pilot)
            await pilot.press("alt+less_than_sign")      # history-top
            await wait_for(lambda: copy.line == 0, "the top")
            start = (copy.line, copy.column)
            await pilot.press("ctrl+s")
            await wait_for(lambda: app.prompt.is_open, "the search prompt")
            typed = ""
            for char in "line-4":
                typed += char
                await pilot.press(char)
                expected = forward_from(copy, *start, typed)
                await wait_for(lambda place=expected: (copy.line, copy.column) == place,
                               f"after {typed!r}")
                assert shown(copy, copy.line)
            assert copy.text(copy.line) == "line-4 fruit4"
            found = (copy.line, copy.column)
            await pilot.press("ctrl+g")                  # closes the prompt like Escape
            await wait_for(lambda: not app.prompt.is_open, "the prompt closed")
            await settle(pilot)
            assert (copy.line, copy.column) == found

    run(scenario)
