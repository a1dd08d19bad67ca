"""QA of the real client as a tmux user drives it: what the status line shows after
prefix keys (display-message with its time, ...), checked against tmux 3.3a.
"""

from __future__ import annotations

import asyncio
import re
from typing import Any

from app_harness import make_app, wait_for, wait_text


def run(scenario: Any) -> None:
    """Run an async scenario to completion."""
    asyncio.run(scenario())


def test_prefix_i_shows_the_time_expanded_like_tmux(server: Any) -> None:
    server.ok("new-session", "-d", "-s", "main", "-x", "80", "-y", "23")
    server.wait_for_text("main", "$")

    async def scenario() -> None:
        app = make_app(server)
        async with app.run_test(size=(80, 24)) as pilot:
            await wait_text(app, "$")
            await pilot.press("ctrl+b", "i")
            await wait_for(lambda: app.status.message, "a message in the status line")
            # tmux 3.3a: "[main] 0:bash, current pane 0 - (01:50 21-Nov-26)"
            assert re.fullmatch(r"\[main\] 0:\S+, current pane 0 - "
                                r"\(\d\d:\d\d \d\d-\w{3}-\d\d\)", app.status.message)

    run(scenario)


def test_display_message_print_expands_strftime(server: Any) -> None:
    server.ok("new-session", "-d", "-s", "main")
    printed = server.ok("display-message", "-p", "-t", "main", "%Y #{session_name} %%")
    assert re.fullmatch(r"\d{4} main %\n", printed)
