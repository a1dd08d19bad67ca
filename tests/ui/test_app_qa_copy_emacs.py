"""Copy mode details checked live against tmux 3.3a: with emacs keys the selection stops
before the cursor's cell (``C-Space Right Right M-w`` on "264" copies "26"), with vi keys
it includes it ("264"); top-line, middle-line and bottom-line go to the first column.
"""

from __future__ import annotations

from typing import Any

from app_harness import make_app, wait_for, wait_text
from test_app_qa_status import run

from aisession_tui.widgets.copy_mode import CopyMode


def frozen(*lines: str, cursor: tuple[int, int] = (0, 0)) -> CopyMode:
    """A copy mode over ``lines`` (all on screen, no history)."""
    rows = [[[line, -1, -1, 0]] if line else [] for line in lines]
    return CopyMode([], rows, 40, len(lines), cursor)


def test_emacs_selection_stops_before_the_cursor_and_vi_includes_it() -> None:
    for exclusive, expected in ((True, "26"), (False, "264")):
        copy = frozen("264", "265", cursor=(0, 0))
        copy.exclusive_end = exclusive
        copy.run("begin-selection")
        copy.run("cursor-right")
        copy.run("cursor-right")
        assert copy.selection_text() == expected
    copy = frozen("152", "153", cursor=(0, 0))
    copy.exclusive_end = True
    copy.run("begin-selection")
    copy.run("cursor-down")
    assert copy.selection_text() == "152\n"          # tmux's buffer: "152\n"


def test_screen_line_jumps_go_to_the_first_column() -> None:
    copy = frozen(*[f"line {number}" for number in range(10)], cursor=(3, 5))
    copy.run("top-line")
    assert (copy.line, copy.column) == (0, 0)
    copy.run("end-of-line")
    copy.run("middle-line")
    assert (copy.line, copy.column) == (4, 0)        # (10 - 1) // 2, as tmux
    copy.run("end-of-line")
    copy.run("bottom-line")
    assert (copy.line, copy.column) == (9, 0)


def test_the_client_copies_like_tmux_emacs_keys(server: Any) -> None:
    server.ok("new-session", "-d", "-s", "main", "-x", "80", "-y", "23")
    server.wait_for_text("main", "$")
    server.ok("send-keys", "-t", "main", "clear; echo 264", "Enter")
    server.wait_for_text("main", "264\n")

    async def scenario() -> None:
        app = make_app(server)
        async with app.run_test(size=(80, 24)) as pilot:
            await wait_text(app, "264\n")
            await pilot.press("ctrl+b", "left_square_bracket")
            view = app.window_view.active_pane()
            await wait_for(lambda: view.copy_mode is not None, "copy mode")
            # "clear" left "264" on the top row
            await pilot.press("alt+R", "ctrl+@", "right", "right", "alt+w")
            await wait_for(lambda: view.copy_mode is None, "copy mode left")
            await wait_for(lambda: server.run("show-buffer").out == "26", "the buffer")

    run(scenario)
