"""The command prompt as tmux's: Up and Down walk back through what was run before (Down
past the newest gives back the text being typed), C-c cancels like Escape."""

from __future__ import annotations

import asyncio
from typing import Any

from app_harness import make_app, settle, wait_for
from conftest import wait_until


def test_up_and_down_recall_earlier_commands_and_ctrl_c_cancels(server: Any) -> None:
    server.ok("new-session", "-d", "-s", "main", "-x", "80", "-y", "23")

    def window_name() -> str:
        return server.ok("display-message", "-p", "-t", "main", "#{window_name}").strip()

    async def scenario() -> None:
        app = make_app(server)
        async with app.run_test(size=(80, 24)) as pilot:
            await wait_for(lambda: app.attached.is_set(), "attached")
            for name in ("first", "second"):
                await pilot.press("ctrl+b", "colon")
                await wait_for(lambda: app.prompt.is_open, "the prompt")
                await pilot.press(*f"rename-window {name}", "enter")
                await asyncio.to_thread(lambda n=name: _wait_name(window_name, n))
            await pilot.press("ctrl+b", "colon")
            await wait_for(lambda: app.prompt.is_open, "the prompt")
            await pilot.press(*"kill")                          # being typed
            entry = app.prompt.input
            await pilot.press("up")
            assert entry.value == "rename-window second"
            await pilot.press("up")
            assert entry.value == "rename-window first"
            await pilot.press("up")                             # nothing older
            assert entry.value == "rename-window first"
            await pilot.press("down", "down")
            assert entry.value == "kill"                        # the draft is back
            await pilot.press("up", "up", "enter")              # run a recalled one
            await asyncio.to_thread(lambda: _wait_name(window_name, "first"))
            await pilot.press("ctrl+b", "colon")
            await wait_for(lambda: app.prompt.is_open, "the prompt")
            await pilot.press(*"rename-window never", "ctrl+c")
            await wait_for(lambda: not app.prompt.is_open, "C-c closed the prompt")
            await settle(pilot)
            assert window_name() == "first"

    asyncio.run(scenario())


def _wait_name(window_name: Any, name: str) -> None:
    wait_until(lambda: window_name() == name, message=f"window named {name}")


def test_the_history_is_the_server_s_and_every_client_shares_it(server: Any) -> None:
    """As tmux's: what one client's prompt ran is in show-prompt-history and comes back
    with Up in a client started later; clear-prompt-history empties it."""
    server.ok("new-session", "-d", "-s", "main", "-x", "80", "-y", "23")

    async def scenario() -> None:
        first = make_app(server)
        async with first.run_test(size=(80, 24)) as pilot:
            await wait_for(lambda: first.attached.is_set(), "attached")
            await pilot.press("ctrl+b", "colon")
            await wait_for(lambda: first.prompt.is_open, "the prompt")
            await pilot.press(*"set -g @from-first yes", "enter")
            await asyncio.to_thread(lambda: wait_until(
                lambda: server.ok("show-options", "-gv", "@from-first") == "yes\n"))
        assert server.ok("show-prompt-history", "-T", "command") == \
            "History for command:\n\n1: set -g @from-first yes\n\n"
        second = make_app(server)
        async with second.run_test(size=(80, 24)) as pilot:
            await wait_for(lambda: second.attached.is_set(), "attached")
            await pilot.press("ctrl+b", "colon")
            await wait_for(lambda: second.prompt.is_open, "the prompt")
            await pilot.press("up")
            assert second.prompt.input.value == "set -g @from-first yes"
            await pilot.press("escape")
        server.ok("clear-prompt-history", "-T", "command")
        assert server.ok("show-prompt-history", "-T", "command") == \
            "History for command:\n\n\n"

    asyncio.run(scenario())
