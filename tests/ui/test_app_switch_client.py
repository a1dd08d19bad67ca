"""The client against a real server: prefix ``)`` / ``(`` / ``L`` switch the session it
shows (tmux's switch-client -n / -p / -l), and a window moved to another session leaves
its tabs.
"""

from __future__ import annotations

import asyncio
from typing import Any

from app_harness import make_app, pane_text, wait_for, wait_text


def test_prefix_keys_switch_sessions_and_the_app_shows_the_new_one(server: Any) -> None:
    for name in ("a", "b", "c"):
        server.ok("new-session", "-d", "-s", name, "-x", "80", "-y", "23")
        server.wait_for_text(name, "$")
        server.ok("send-keys", "-t", name, f"echo this-is-{name}", "Enter")
        server.wait_for_text(name, f"this-is-{name}\n")
    server.ok("new-window", "-t", "b:", "-n", "second")
    b_pane = int(server.ok("display-message", "-p", "-t", "b:1", "#{pane_id}")[1:])

    async def scenario() -> None:
        app = make_app(server, "a")
        async with app.run_test(size=(80, 24)) as pilot:
            await wait_text(app, "this-is-a\n")
            await pilot.press("ctrl+b", "right_parenthesis")
            await wait_for(lambda: app.status.session_name == "b", "session b")
            await wait_for(lambda: [w["name"] for w in app.status.windows] ==
                           ["bash", "second"], "b's tabs")
            await wait_for(lambda: list(app.window_view.panes) == [b_pane], "b's pane")
            await pilot.press("ctrl+b", "L")
            await wait_for(lambda: app.status.session_name == "a", "back to a")
            await wait_text(app, "this-is-a\n")
            await pilot.press("ctrl+b", "left_parenthesis")
            await wait_for(lambda: app.status.session_name == "c", "previous of a wraps")
            await wait_text(app, "this-is-c\n")
            assert "this-is-a" not in pane_text(app)
            # A window of the shown session moved away leaves the tabs.
            server.ok("new-window", "-t", "c:", "-n", "leaving")
            await wait_for(lambda: len(app.status.windows) == 2, "two tabs")
            server.ok("move-window", "-s", "c:1", "-t", "a:")
            await wait_for(lambda: [w["name"] for w in app.status.windows] == ["bash"],
                           "the moved window gone")
            await wait_text(app, "this-is-c\n")

    asyncio.run(scenario())
