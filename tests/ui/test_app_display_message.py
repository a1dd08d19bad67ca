"""display-message in the full-screen client as tmux 3.3a: ``-N`` with a time keeps the
message up and swallows keys until it goes (tmux's message_ignore_keys); without it a key
dismisses the message and still acts."""

from __future__ import annotations

import asyncio
from typing import Any

from app_harness import make_app, pane_text, settle, wait_for


def test_n_swallows_keys_until_the_message_goes(server: Any) -> None:
    server.ok("new-session", "-d", "-s", "main", "-x", "80", "-y", "23")
    server.wait_for_text("main", "$")

    async def scenario() -> None:
        app = make_app(server)
        async with app.run_test(size=(80, 24)) as pilot:
            await wait_for(lambda: app.attached.is_set(), "attached")
            await asyncio.to_thread(server.ok, "display-message", "-N", "-d", "60000", "held")
            await wait_for(lambda: app.status.message == "held", "the message")
            await pilot.press(*"swallowed")
            await settle(pilot)
            assert app.status.message == "held"
            assert "swallowed" not in pane_text(app)
            app.status.clear_message()                         # as its time running out
            await asyncio.to_thread(server.ok, "display-message", "-d", "60000", "plain")
            await wait_for(lambda: app.status.message == "plain", "the second message")
            await pilot.press(*"typed")
            await wait_for(lambda: "typed" in pane_text(app), "the keys typed")
            assert app.status.message is None

    asyncio.run(scenario())
