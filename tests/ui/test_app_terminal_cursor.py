"""The child's cursor is the terminal's own cursor in a real terminal: placed where the
active pane's child has it, in the shape it asked for (DECSCUSR), hidden while the child
hides it, in copy mode and while the prompt is open. Pilot runs headless (where the pane
view draws the cursor instead), so these tests switch the terminal cursor on and record
what the app writes to the terminal."""

from __future__ import annotations

import asyncio
from typing import Any

import pytest
from app_harness import make_app, settle, wait_for, wait_text

from aisession_tui.client.app import MultiplexerApp
from aisession_tui.widgets.pane_view import build_strip


@pytest.fixture
def terminal_cursor(monkeypatch: Any) -> None:
    monkeypatch.setattr(MultiplexerApp, "uses_terminal_cursor", property(lambda self: True))


def test_the_terminal_cursor_follows_the_child(server: Any, terminal_cursor: None) -> None:
    server.ok("new-session", "-d", "-s", "main", "-x", "80", "-y", "23")
    server.ok("split-window", "-h", "-t", "main")
    server.wait_for_text("main", "$")

    async def scenario() -> None:
        app = make_app(server)
        async with app.run_test(size=(80, 24)) as pilot:
            written: list[str] = []
            app._driver.write = written.append  # type: ignore[union-attr,method-assign]
            await wait_for(lambda: len(app.window_view.panes) == 2, "two panes")
            view = app.active_view()
            assert view is not None
            await pilot.press(*"printf '\\e[6 q'; echo done", "enter")
            await wait_text(app, "done\n$")
            await settle(pilot)
            await wait_for(lambda: "\x1b[6 q\x1b[?25h" in "".join(written), "a bar cursor")
            info = app.window_view.pane_info(view.pane_id)
            assert info is not None and info["x"] > 0             # the right-hand pane
            assert (app.cursor_position.x, app.cursor_position.y) == \
                (info["x"] + view.cursor[0], info["y"] + view.cursor[1])
            row, width = view.cursor[1], view.size.width          # no cell drawn for it
            plain = view._filtered(build_strip(view.rows[row], view.style_cache(), width))
            assert list(view.row_strip(row, width)) == list(plain)
            written.clear()
            await pilot.press("ctrl+b", "left_square_bracket")
            await wait_for(lambda: "\x1b[?25l" in "".join(written), "hidden in copy mode")
            await pilot.press("q")
            await wait_for(lambda: "".join(written).endswith("\x1b[6 q\x1b[?25h"), "back")
            written.clear()
            await pilot.press(*"tput civis", "enter")
            await wait_for(lambda: "\x1b[?25l" in "".join(written), "hidden by the child")
            await pilot.press(*"tput cnorm", "enter")
            await wait_for(lambda: "\x1b[?25h" in "".join(written), "shown by the child")
            written.clear()
            await pilot.press("ctrl+b", "colon")
            await wait_for(lambda: "\x1b[?25l" in "".join(written), "hidden by the prompt")
            await pilot.press("escape")
            await wait_for(lambda: "".join(written).endswith("\x1b[?25h"), "shown again")
            await settle(pilot)

    asyncio.run(scenario())
