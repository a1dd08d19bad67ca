"""Keys keep their order behind a binding that is still being set up, as in tmux 3.3a: a
burst such as ``C-b : rename-window foo Enter`` (a terminal delivers a paste or
``send-keys`` in one read) goes to the prompt, not to the shell, though the prompt opens
only after the binding's task ran; the same for confirm-before, display-panes, copy mode,
and a binding that fails.

A burst is every key event posted to the app before the test awaits anything.
"""

from __future__ import annotations

import asyncio
from pathlib import Path
from typing import Any

from app_harness import make_app, pane_text, wait_for, wait_text
from textual import events

from aisession_tui.client.app import MultiplexerApp

NAMED = {":": "colon", " ": "space", "[": "left_square_bracket", "-": "minus"}


def run(scenario: Any) -> None:
    """Run an async scenario to completion."""
    asyncio.run(scenario())


def burst(app: MultiplexerApp, *keys: str) -> None:
    """Post key events in one go, as a terminal read of several keys does. A key is a
    Textual key name or a text typed character by character."""
    for key in keys:
        if key in ("ctrl+b", "enter", "up", "escape", "ctrl+p"):
            app.post_message(events.Key(key, "\r" if key == "enter" else None))
            continue
        for character in key:
            app.post_message(events.Key(NAMED.get(character, character), character))


def shell_session(server: Any) -> None:
    server.ok("new-session", "-d", "-s", "main", "-x", "80", "-y", "23")
    server.wait_for_text("main", "$")


def test_a_command_prompt_burst_reaches_the_prompt(server: Any) -> None:
    shell_session(server)

    async def scenario() -> None:
        app = make_app(server)
        async with app.run_test(size=(80, 24)) as pilot:
            await wait_text(app, "$")
            burst(app, "ctrl+b", ":", "rename-window foo", "enter")
            await wait_for(lambda: server.run("display-message", "-p", "-t", "main",
                                              "#{window_name}").out == "foo\n",
                           "the window renamed")
            await wait_for(lambda: not app.prompt.is_open, "the prompt closed")
            await pilot.pause()
            assert "rename" not in pane_text(app)
            assert "rename" not in server.capture("main")

    run(scenario)


def test_confirm_before_and_display_panes_take_the_next_key_of_a_burst(server: Any) -> None:
    shell_session(server)
    server.ok("split-window", "-t", "main")
    server.wait_for_text("main.1", "$")

    async def scenario() -> None:
        app = make_app(server)
        async with app.run_test(size=(80, 24)):
            await wait_for(lambda: len(app.window_view.panes) == 2, "two panes")
            await wait_text(app, "$")
            burst(app, "ctrl+b", "q", "0")          # display-panes, then pane 0
            await wait_for(lambda: server.run("display-message", "-p", "-t", "main",
                                              "#{pane_index}").out == "0\n",
                           "pane 0 selected")
            burst(app, "ctrl+b", "x", "y")          # kill-pane, confirmed
            await wait_for(lambda: server.run("display-message", "-p", "-t", "main",
                                              "#{window_panes}").out == "1\n",
                           "the pane killed")
            assert "y" not in pane_text(app).replace("$", "").split()

    run(scenario)


def test_copy_mode_keys_of_a_burst_move_the_cursor(server: Any) -> None:
    shell_session(server)
    server.ok("send-keys", "-t", "main", "clear; seq 1 30", "Enter")
    server.wait_for_text("main", "30\n")

    async def scenario() -> None:
        app = make_app(server)
        async with app.run_test(size=(80, 24)):
            await wait_text(app, "30\n")
            view = app.window_view.active_pane()
            start = view.cursor[1]
            burst(app, "ctrl+b", "[", "up", "up", "ctrl+p")
            await wait_for(lambda: view.copy_mode is not None and
                           view.copy_mode.line == view.copy_mode.top + start - 3,
                           "three lines up in copy mode")
            burst(app, "q")
            await wait_for(lambda: view.copy_mode is None, "copy mode left")
            assert pane_text(app).rstrip().splitlines()[-1] == "$"   # no history recalled

    run(scenario)


def test_keys_after_a_failing_binding_still_reach_the_pane(server: Any,
                                                          tmp_path: Path) -> None:
    shell_session(server)
    server.ok("bind", "Z", "select-window", "-t", ":99")  # the server's tables, pushed

    async def scenario() -> None:
        app = make_app(server)
        async with app.run_test(size=(80, 24)):
            await wait_text(app, "$")
            burst(app, "ctrl+b", "Z", "echo after-$((6*7))", "enter")
            await wait_text(app, "after-42")
            assert app.message_log, "the binding failed, with a message"

    run(scenario)


def press_all(app: MultiplexerApp, *keys: tuple[str, str | None]) -> None:
    """Post (key, character) events in one go, for keys ``burst`` does not name."""
    for key, character in keys:
        app.post_message(events.Key(key, character))


def test_keys_after_the_q_that_closes_a_list_reach_the_shell(server: Any) -> None:
    """QA: in ``C-b ? q echo x Enter`` every key after q went to the closing list."""
    shell_session(server)

    async def scenario() -> None:
        app = make_app(server)
        async with app.run_test(size=(80, 24)):
            await wait_text(app, "$")
            burst(app, "ctrl+b")
            press_all(app, ("question_mark", "?"))
            burst(app, "q", "echo x-$((6*7))", "enter")
            await wait_text(app, "x-42")
            assert app.overlay is None
            assert "echo x-$((6*7))" in server.capture("main")

    run(scenario)


def test_keys_after_the_enter_that_submits_a_prompt_reach_the_shell(server: Any) -> None:
    """QA: in ``C-b : display-message hi Enter ls Enter`` the ls went to the closed prompt."""
    shell_session(server)

    async def scenario() -> None:
        app = make_app(server)
        async with app.run_test(size=(80, 24)):
            await wait_text(app, "$")
            burst(app, "ctrl+b", ":", "display-message hi", "enter",
                  "echo y-$((5*5))", "enter")
            await wait_text(app, "y-25")
            await wait_for(lambda: any(line.endswith(" hi") for line in app.message_log),
                           "the command ran")
            assert not app.prompt.is_open
            assert "display-message" not in server.capture("main")

    run(scenario)


def test_the_command_a_prompt_submits_runs_before_the_next_key(server: Any) -> None:
    """tmux runs the prompt's command before it reads the next key: what ``send-keys``
    types comes before the text after the Enter."""
    shell_session(server)

    async def scenario() -> None:
        app = make_app(server)
        async with app.run_test(size=(80, 24)):
            await wait_text(app, "$")
            burst(app, "ctrl+b", ":", "send-keys -l 'echo first-'", "enter",
                  "second-$((3*4))", "enter")
            await wait_text(app, "first-second-12")

    run(scenario)


def test_keys_after_escape_that_cancels_a_prompt_reach_the_shell(server: Any) -> None:
    shell_session(server)

    async def scenario() -> None:
        app = make_app(server)
        async with app.run_test(size=(80, 24)):
            await wait_text(app, "$")
            burst(app, "ctrl+b", ":", "kill-server", "escape", "echo z-$((7*3))", "enter")
            await wait_text(app, "z-21")
            assert not app.prompt.is_open
            assert "kill-server" not in server.capture("main")

    run(scenario)


def test_editing_keys_in_a_prompt_burst_keep_their_order(server: Any) -> None:
    """Keys the prompt's input binds (Left, Backspace) act where they came in the burst."""
    shell_session(server)

    async def scenario() -> None:
        app = make_app(server)
        async with app.run_test(size=(80, 24)):
            await wait_text(app, "$")
            burst(app, "ctrl+b", ":", "rename-window fxo")
            press_all(app, ("left", None), ("backspace", "\x08"))
            burst(app, "o", "enter", "echo w-$((2*8))", "enter")
            await wait_text(app, "w-16")
            await wait_for(lambda: server.run("display-message", "-p", "-t", "main",
                                              "#{window_name}").out == "foo\n",
                           "the window renamed foo")

    run(scenario)


def test_enter_that_picks_from_a_list_runs_the_choice_before_the_next_keys(
        server: Any) -> None:
    """``C-b =`` (choose-buffer) Enter pastes the buffer, then the keys after Enter follow."""
    shell_session(server)
    server.ok("set-buffer", "echo from-buffer-")

    async def scenario() -> None:
        app = make_app(server)
        async with app.run_test(size=(80, 24)):
            await wait_text(app, "$")
            burst(app, "ctrl+b")
            press_all(app, ("equals_sign", "="))
            burst(app, "enter", "$((4*4))", "enter")
            await wait_text(app, "from-buffer-16")
            assert app.overlay is None

    run(scenario)


def test_a_key_read_with_the_one_opening_choose_tree_moves_from_the_current_window(
        server: Any) -> None:
    """``C-b w Up`` in one read: Up moves from the current window's line (the list's
    starting highlight is set when it is built, not later on mount)."""
    shell_session(server)
    server.ok("new-window", "-t", "main")
    server.wait_for_text("main:1", "$")

    async def scenario() -> None:
        app = make_app(server)
        async with app.run_test(size=(80, 24)):
            await wait_text(app, "$")
            burst(app, "ctrl+b", "w", "up")

            def highlighted() -> str | None:
                overlay = app.overlay
                if overlay is None or overlay.highlighted is None:
                    return None
                return overlay.get_option_at_index(overlay.highlighted).id

            await wait_for(lambda: highlighted() == "main:0", "window 0 highlighted")
            burst(app, "escape")
            await wait_for(lambda: app.overlay is None, "the list closed")

    run(scenario)
