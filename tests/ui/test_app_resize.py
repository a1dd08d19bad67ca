"""The outer terminal is resized: the app tells the server the new window area at once,
the window and its panes follow, and the child sees the new size (a real server and pty).
"""

from __future__ import annotations

import asyncio
from typing import Any

from app_harness import make_app, settle, wait_for, wait_text


def test_a_resized_terminal_resizes_the_window_and_the_child_sees_it(server: Any) -> None:
    server.ok("new-session", "-d", "-s", "main", "-x", "80", "-y", "23")
    server.wait_for_text("main", "$")

    def window_size() -> str:
        return server.ok("display-message", "-p", "-t", "main",
                         "#{window_width}x#{window_height}").strip()

    async def scenario() -> None:
        app = make_app(server)
        async with app.run_test(size=(80, 24)) as pilot:
            await wait_for(lambda: app.attached.is_set(), "attached")
            await pilot.resize_terminal(100, 30)
            await wait_for(lambda: window_size() == "100x29", "the window at 100x29")
            await pilot.press(*"stty size", "enter")
            await wait_text(app, "29 100")
            await settle(pilot)

    asyncio.run(scenario())
