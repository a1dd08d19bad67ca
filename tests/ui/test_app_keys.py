"""Key routing of the client against a real server: what the child in a pane receives.

The pane runs a tiny raw-mode program that prints the hex of every read, so each test
asserts the exact bytes a key produced: pass-through of ctrl keys, tab and escape that
Textual would otherwise steal, DECCKM arrows, bracketed paste, the prefix table, a
changed prefix, the command prompt and copy mode's buffer.
"""

from __future__ import annotations

import asyncio
import sys
from pathlib import Path
from typing import Any

from app_harness import make_app, settle, wait_for, wait_text
from textual import events

ECHO_BYTES = """
import os, sys, tty
tty.setraw(0)
sys.stdout.write(os.environ.get("MODES", "").encode().decode("unicode_escape"))
sys.stdout.write("ready\\r\\n")
sys.stdout.flush()
while True:
    data = os.read(0, 1024)
    sys.stdout.write("got:" + data.hex() + "\\r\\n")
    sys.stdout.flush()
"""


def byte_session(server: Any, tmp_path: Path, modes: str = "") -> None:
    """Session ``main`` whose pane prints the hex of what it reads."""
    script = tmp_path / "echo_bytes.py"
    script.write_text(ECHO_BYTES)
    server.ok("new-session", "-d", "-s", "main", "-x", "80", "-y", "23",
              "-e", f"MODES={modes}", sys.executable, str(script))
    server.wait_for_text("main", "ready")


def run(scenario: Any) -> None:
    """Run an async scenario to completion."""
    asyncio.run(scenario())


async def press_and_expect(app: Any, pilot: Any, key: str, hex_bytes: str) -> None:
    """Press ``key`` and wait until the child reports exactly ``hex_bytes``."""
    await pilot.press(key)
    await wait_text(app, f"got:{hex_bytes}\n")


def test_ctrl_keys_tab_and_escape_reach_the_child(server: Any, tmp_path: Path) -> None:
    byte_session(server, tmp_path)

    async def scenario() -> None:
        app = make_app(server)
        async with app.run_test(size=(80, 24)) as pilot:
            await wait_text(app, "ready")
            for key, expected in [("ctrl+q", "11"), ("ctrl+c", "03"), ("ctrl+p", "10"),
                                  ("tab", "09"), ("shift+tab", "1b5b5a"), ("escape", "1b"),
                                  ("a", "61"), ("enter", "0d"), ("f5", "1b5b31357e")]:
                await press_and_expect(app, pilot, key, expected)
            assert app.is_running

    run(scenario)


def test_arrows_follow_decckm(server: Any, tmp_path: Path) -> None:
    byte_session(server, tmp_path, modes="\\x1b[?1h")

    async def scenario() -> None:
        app = make_app(server)
        async with app.run_test(size=(80, 24)) as pilot:
            await wait_text(app, "ready")
            await wait_for(lambda: app.window_view.active_pane().modes.get("app_cursor"),
                           "DECCKM")
            await press_and_expect(app, pilot, "up", "1b4f41")
            await press_and_expect(app, pilot, "left", "1b4f44")

    run(scenario)


def test_arrows_in_normal_cursor_mode(server: Any, tmp_path: Path) -> None:
    byte_session(server, tmp_path)

    async def scenario() -> None:
        app = make_app(server)
        async with app.run_test(size=(80, 24)) as pilot:
            await wait_text(app, "ready")
            await press_and_expect(app, pilot, "up", "1b5b41")

    run(scenario)


def test_paste_is_bracketed_when_the_child_asked(server: Any, tmp_path: Path) -> None:
    byte_session(server, tmp_path, modes="\\x1b[?2004h")

    async def scenario() -> None:
        app = make_app(server)
        async with app.run_test(size=(80, 24)):
            await wait_text(app, "ready")
            await wait_for(lambda: app.window_view.active_pane().modes.get("bracketed_paste"),
                           "mode 2004")
            app.screen.post_message(events.Paste("x\ny"))
            await wait_text(app, "got:" + b"\x1b[200~x\ry\x1b[201~".hex() + "\n")

    run(scenario)


def test_paste_is_plain_without_mode_2004(server: Any, tmp_path: Path) -> None:
    byte_session(server, tmp_path)

    async def scenario() -> None:
        app = make_app(server)
        async with app.run_test(size=(80, 24)):
            await wait_text(app, "ready")
            app.screen.post_message(events.Paste("x\ny"))
            await wait_text(app, "got:" + b"x\ry".hex() + "\n")

    run(scenario)


def test_prefix_table_splits_and_prefix_twice_sends_it(server: Any, tmp_path: Path) -> None:
    byte_session(server, tmp_path)

    async def scenario() -> None:
        app = make_app(server)
        async with app.run_test(size=(80, 24)) as pilot:
            await wait_text(app, "ready")
            first = app.window_view.active_pane().pane_id
            await pilot.press("ctrl+b", "ctrl+b")
            await wait_text(app, "got:02\n", first)
            await pilot.press("ctrl+b", "quotation_mark")
            await wait_for(lambda: len(app.window_view.panes) == 2, "a second pane")
            panes = app.window_view.window["panes"]
            assert [p["y"] for p in panes] == [0, 12] and panes[1]["active"]
            await pilot.press("ctrl+b", "o")
            await wait_for(lambda: app.window_view.active_pane().pane_id == first,
                           "the first pane active again")
            await pilot.press("b")
            await wait_text(app, "got:62\n", first)

    run(scenario)


def test_configured_prefix_c_a(server: Any, tmp_path: Path) -> None:
    byte_session(server, tmp_path)

    async def scenario() -> None:
        app = make_app(server, prefix="C-a")
        async with app.run_test(size=(80, 24)) as pilot:
            await wait_text(app, "ready")
            await press_and_expect(app, pilot, "ctrl+b", "02")
            await pilot.press("ctrl+a", "percent_sign")
            await wait_for(lambda: len(app.window_view.panes) == 2, "a second pane")

    run(scenario)


def test_command_prompt_runs_commands_and_shows_errors(server: Any, tmp_path: Path) -> None:
    byte_session(server, tmp_path)

    async def scenario() -> None:
        app = make_app(server)
        async with app.run_test(size=(80, 24)) as pilot:
            await wait_text(app, "ready")
            await pilot.press("ctrl+b", "colon", *"rename-window 'my tools'", "enter")
            await wait_for(lambda: app.status.windows and
                           app.status.windows[0]["name"] == "my tools", "the rename")
            await pilot.press("ctrl+b", "colon", *"no-such-command", "enter")
            await wait_for(lambda: app.status.message == "unknown command: no-such-command",
                           "the error in the status line")
            assert app.status.message_is_error

    run(scenario)


def test_rename_prompt_and_confirm_before_kill_pane(server: Any, tmp_path: Path) -> None:
    byte_session(server, tmp_path)

    async def scenario() -> None:
        app = make_app(server)
        async with app.run_test(size=(80, 24)) as pilot:
            await wait_text(app, "ready")
            await pilot.press("ctrl+b", "comma")
            await wait_for(lambda: app.prompt.is_open, "the rename prompt")
            app.prompt.input.value = ""
            await pilot.press(*"renamed", "enter")
            await wait_for(lambda: app.status.windows[0]["name"] == "renamed", "rename")
            await pilot.press("ctrl+b", "percent_sign")
            await wait_for(lambda: len(app.window_view.panes) == 2, "a second pane")
            await pilot.press("ctrl+b", "x")
            await wait_for(lambda: str(app.prompt.label.content).startswith("kill-pane"),
                           "the confirmation question")
            await pilot.press("n")
            await pilot.press("ctrl+b", "x")
            await wait_for(lambda: app.prompt.is_open and
                           str(app.prompt.label.content).startswith("kill-pane"),
                           "the question again")
            await pilot.press("y")
            await wait_for(lambda: len(app.window_view.panes) == 1, "the pane killed")

    run(scenario)


def test_copy_mode_copies_a_line_to_a_buffer(server: Any) -> None:
    server.ok("new-session", "-d", "-s", "main", "-x", "80", "-y", "23")
    server.wait_for_text("main", "$")
    server.ok("send-keys", "-t", "main", "echo first-line; echo copy-me-please", "Enter")
    server.wait_for_text("main", "copy-me-please\n")

    async def scenario() -> None:
        app = make_app(server)
        async with app.run_test(size=(80, 24)) as pilot:
            await wait_text(app, "copy-me-please\n")
            await pilot.press("ctrl+b", "left_square_bracket")
            view = app.window_view.active_pane()
            await wait_for(lambda: view.copy_mode is not None, "copy mode")
            await pilot.press("up", "ctrl+a", "ctrl+@", "ctrl+e", "alt+w")
            await wait_for(lambda: view.copy_mode is None, "copy mode left")
            await settle(pilot)

    run(scenario)
    assert server.ok("show-buffer") == "copy-me-please"
