"""The client against a real server: break-pane and move-window from the prefix table,
activity flags in the status line, vi copy-mode jumps through the one-key prompt, and
being detached by another client or by ``detach-client``.
"""

from __future__ import annotations

import asyncio
from typing import Any

from app_harness import make_app, settle, wait_for, wait_text


def run(scenario: Any) -> None:
    """Run an async scenario to completion."""
    asyncio.run(scenario())


def labels(app: Any) -> list[str]:
    """``index:name flags`` of the status line's windows."""
    return [f"{w['index']}{w.get('flags', '')}" for w in app.status.windows]


def test_prefix_bang_breaks_the_pane_and_prefix_dot_moves_the_window(server: Any) -> None:
    server.ok("new-session", "-d", "-s", "main", "-x", "80", "-y", "23")
    server.ok("split-window", "-h", "-t", "main")
    server.wait_for_text("main.1", "$")
    server.ok("send-keys", "-t", "main.1", "echo broken-out", "Enter")
    server.wait_for_text("main.1", "broken-out\n")

    async def scenario() -> None:
        app = make_app(server)
        async with app.run_test(size=(80, 24)) as pilot:
            await wait_text(app, "broken-out\n")
            await pilot.press("ctrl+b", "exclamation_mark")
            await wait_for(lambda: labels(app) == ["0-", "1*"], "a second window")
            await wait_for(lambda: len(app.window_view.panes) == 1, "one pane shown")
            view = app.window_view.active_pane()
            await wait_for(lambda: view.columns == 80, "full width")
            await wait_text(app, "broken-out\n")      # the same screen, not a new shell
            await pilot.press("ctrl+b", "full_stop")
            await wait_for(lambda: app.prompt.is_open, "the move-window prompt")
            await pilot.press("7", "enter")
            await wait_for(lambda: labels(app) == ["0-", "7*"], "the window moved to 7")

    run(scenario)


def test_activity_flag_shows_in_the_status_line(server: Any) -> None:
    server.ok("new-session", "-d", "-s", "main", "-x", "80", "-y", "23")
    server.ok("new-window", "-t", "main")
    for window in ("main:0", "main:1"):  # both shells at their prompts: no output to come
        server.wait_for_text(window, "$")
    server.ok("set-option", "-g", "monitor-activity", "on")

    async def scenario() -> None:
        app = make_app(server)
        async with app.run_test(size=(80, 24)) as pilot:
            await wait_for(lambda: labels(app) == ["0-", "1*"], "two windows")
            server.ok("send-keys", "-t", "main:0", "echo busy", "Enter")
            await wait_for(lambda: labels(app) == ["0#-", "1*"], "the activity flag")
            await pilot.press("ctrl+b", "0")
            await wait_for(lambda: labels(app) == ["0*", "1-"], "cleared by selecting")

    run(scenario)


def test_vi_jumps_through_the_one_key_prompt_and_search_for_the_cursor_word(
        server: Any) -> None:
    server.ok("new-session", "-d", "-s", "main", "-x", "80", "-y", "23")
    server.wait_for_text("main", "$")
    server.ok("send-keys", "-t", "main", "clear; echo 'target: alpha-beta gamma'", "Enter")
    server.wait_for_text("main", "target: alpha-beta gamma\n")

    async def scenario() -> None:
        app = make_app(server, mode_keys="vi")
        async with app.run_test(size=(80, 24)) as pilot:
            await wait_text(app, "gamma\n")
            await pilot.press("ctrl+b", "left_square_bracket")
            view = app.window_view.active_pane()
            await wait_for(lambda: view.copy_mode is not None, "copy mode")
            copy = view.copy_mode
            await pilot.press("g")                    # history-top: the cleared screen's
            await wait_for(lambda: (copy.line, copy.column) == (0, 0), "top")  # output
            assert copy.text(0) == "target: alpha-beta gamma"
            await pilot.press("f")
            await wait_for(lambda: app.prompt.is_open, "the jump prompt")
            await pilot.press("a")                    # one key submits
            await wait_for(lambda: copy.column == 1, "jumped onto the a of target")
            await pilot.press("semicolon")
            await wait_for(lambda: copy.column == 8, "jump-again")
            await pilot.press("semicolon")
            await wait_for(lambda: copy.column == 12, "jump-again")
            await pilot.press("comma")
            await wait_for(lambda: copy.column == 8, "jump-reverse")
            await pilot.press("t")
            await wait_for(lambda: app.prompt.is_open, "the jump-to prompt")
            await pilot.press("g")
            await wait_for(lambda: copy.column == 18, "just before the g")
            await pilot.press("b")
            await wait_for(lambda: copy.column == 14, "previous-word")
            await pilot.press("asterisk")             # search for #{copy_cursor_word}
            await wait_for(lambda: copy.last_search == ("alpha-beta", False),
                           "the cursor word as the search")
            await pilot.press("q")
            await wait_for(lambda: view.copy_mode is None, "copy mode left")
            await settle(pilot)

    run(scenario)


def test_detach_client_from_the_cli_exits_the_app_with_tmux_words(server: Any) -> None:
    server.ok("new-session", "-d", "-s", "main", "-x", "80", "-y", "23")

    async def scenario() -> None:
        app = make_app(server)
        async with app.run_test(size=(80, 24)):
            await wait_for(lambda: app.attached.is_set() and app.session, "attached")
            assert server.ok("display-message", "-p", "-t", "main",
                             "#{session_attached}") == "1\n"
            server.ok("detach-client", "-s", "main")
            await wait_for(lambda: not app.is_running or app.exit_message, "exit")
        assert app.exit_message == "[detached (from session main)]"

    run(scenario)
    assert server.ok("display-message", "-p", "-t", "main", "#{session_attached}") == "0\n"


def test_detach_other_clients_from_the_prompt(server: Any) -> None:
    server.ok("new-session", "-d", "-s", "main", "-x", "80", "-y", "23")

    async def scenario() -> None:
        first, second = make_app(server), make_app(server)
        async with first.run_test(size=(80, 24)) as pilot:
            async with second.run_test(size=(80, 24)):
                await wait_for(lambda: first.session and second.session, "both attached")
                await pilot.press("ctrl+b", "colon")
                await wait_for(lambda: first.prompt.is_open, "prompt")
                await pilot.press(*"detach -a", "enter")
                await wait_for(lambda: second.exit_message, "the other detached")
                assert second.exit_message == "[detached (from session main)]"
            assert first.is_running and not first.exit_message

    run(scenario)
