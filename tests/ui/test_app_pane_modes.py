"""Copy mode belongs to the pane, on the server, as in tmux 3.3a: the client's copy-mode
view opens and closes when a script enters or leaves copy mode (``copy-mode``,
``send-keys q``), and ``#{pane_in_mode}`` follows the copy mode entered with ``prefix [``
and left with ``q``; so does the tree ``prefix f`` opens. A lock or a suspend the client cannot do headless still resumes."""

from __future__ import annotations

import asyncio
from typing import Any

from app_harness import make_app, wait_for, wait_text

MODE = "#{pane_in_mode} #{pane_mode}"


def test_copy_mode_is_the_pane_s_both_ways(server: Any) -> None:
    server.ok("new-session", "-d", "-s", "main", "-x", "80", "-y", "23")
    server.wait_for_text("main", "$")

    async def scenario() -> None:
        app = make_app(server)
        async with app.run_test(size=(80, 24)) as pilot:
            await wait_text(app, "$")
            view = app.window_view.active_pane()
            await asyncio.to_thread(server.ok, "copy-mode", "-t", "main")
            await wait_for(lambda: view.copy_mode is not None, "the view to follow")
            await asyncio.to_thread(server.ok, "send-keys", "-t", "main", "q")
            await wait_for(lambda: view.copy_mode is None, "the view to close")
            await pilot.press("ctrl+b", "left_square_bracket")
            await wait_for(lambda: view.copy_mode is not None, "prefix [")

            def mode() -> str:
                return str(server.ok("display-message", "-p", "-t", "main", MODE))

            await wait_for(lambda: mode() == "1 copy-mode\n", "the server to know")
            await pilot.press("q")
            await wait_for(lambda: mode() == "0 \n", "the server to see it left")
            assert view.copy_mode is None

    asyncio.run(scenario())


def test_a_lock_the_client_cannot_do_still_resumes(server: Any) -> None:
    server.ok("new-session", "-d", "-s", "main", "-x", "80", "-y", "23")
    server.wait_for_text("main", "$")

    async def scenario() -> None:
        app = make_app(server)
        async with app.run_test(size=(80, 24)):
            await wait_text(app, "$")
            await asyncio.to_thread(server.ok, "lock-server")
            await wait_for(lambda: any("lock" in line for line in app.message_log),
                           "the lock to be reported")
            await asyncio.to_thread(server.ok, "send-keys", "-t", "main",
                                    "echo after-lock", "Enter")
            await wait_text(app, "after-lock")

    asyncio.run(scenario())


def test_prefix_f_shows_the_windows_that_match(server: Any) -> None:
    from test_app_choose_tree import shown

    server.ok("new-session", "-d", "-s", "main", "-n", "alpha", "-x", "80", "-y", "23")
    server.ok("new-window", "-t", "main", "-n", "beta")
    server.ok("set-option", "-w", "-t", "main:0", "automatic-rename", "off")
    server.ok("set-option", "-w", "-t", "main:1", "automatic-rename", "off")
    server.wait_for_text("main", "$")

    async def scenario() -> None:
        app = make_app(server)
        async with app.run_test(size=(80, 24)) as pilot:
            await wait_text(app, "$")
            await pilot.press("ctrl+b", "f", "e", "t", "enter")
            await wait_for(lambda: any("beta" in line for line in shown(app)), "the tree")
            assert not any("alpha" in line for line in shown(app))
            # find-window puts the pane in tree-mode, as in tmux 3.3a
            await wait_for(lambda: server.ok("display-message", "-p", "-t", "main",
                                             MODE) == "1 tree-mode\n", "the server to know")
            await pilot.press("q")
            await wait_for(lambda: server.ok("display-message", "-p", "-t", "main",
                                             MODE) == "0 \n", "the server to see it left")

    asyncio.run(scenario())


def test_display_panes_from_a_script_shows_the_numbers(server: Any) -> None:
    server.ok("new-session", "-d", "-s", "main", "-x", "80", "-y", "23")
    server.ok("split-window", "-t", "main")
    server.wait_for_text("main", "$")

    async def scenario() -> None:
        app = make_app(server)
        async with app.run_test(size=(80, 24)):
            await wait_text(app, "$")
            await asyncio.to_thread(server.ok, "display-panes")
            await wait_for(lambda: app.window_view.numbers_shown, "the numbers")

    asyncio.run(scenario())
