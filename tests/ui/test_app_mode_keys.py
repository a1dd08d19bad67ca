"""mode-keys is the server's window option, as in tmux 3.3a (checked live): copy mode uses
the option of the pane's window (else the global one) when it is entered, ``set -g`` and
``setw`` at run time take effect, and config.toml's mode-keys sets the global option at
attach only when the file names it.
"""

from __future__ import annotations

import asyncio
from pathlib import Path
from typing import Any

from app_harness import make_app, wait_for, wait_text
from conftest import IsolatedServer

from aisession_tui.client.app import create_app
from aisession_tui.config import load_config
from aisession_tui.keymaps import load_keymap


def run(scenario: Any) -> None:
    """Run an async scenario to completion."""
    asyncio.run(scenario())


def numbered_session(server: IsolatedServer) -> None:
    """Session ``main`` whose pane shows numbers up to 60, the cursor on the last row."""
    server.ok("new-session", "-d", "-s", "main", "-x", "80", "-y", "23")
    server.wait_for_text("main", "$")
    server.ok("send-keys", "-t", "main", "clear; seq 1 60", "Enter")
    server.wait_for_text("main", "60\n")


async def copy_mode_moves_up_with(app: Any, pilot: Any, key: str) -> bool:
    """Enter copy mode, press ``key`` and tell whether the cursor went one line up; leave
    copy mode again."""
    await pilot.press("ctrl+b", "left_square_bracket")
    view = app.window_view.active_pane()
    await wait_for(lambda: view.copy_mode is not None, "copy mode")
    copy = view.copy_mode
    start = copy.line
    await pilot.press(key)
    moved = copy.line == start - 1
    await pilot.press("q")                           # cancel in both tables
    await wait_for(lambda: view.copy_mode is None, "copy mode left")
    return moved


def test_set_g_mode_keys_at_run_time_changes_the_copy_mode_keys(server: Any) -> None:
    numbered_session(server)

    async def scenario() -> None:
        app = make_app(server)                       # the test config states emacs
        async with app.run_test(size=(80, 24)) as pilot:
            await wait_text(app, "60\n")
            assert server.ok("show-options", "-gv", "mode-keys") == "emacs\n"
            assert await copy_mode_moves_up_with(app, pilot, "ctrl+p")
            server.ok("set-option", "-g", "mode-keys", "vi")
            assert await copy_mode_moves_up_with(app, pilot, "k")
            view = app.window_view.active_pane()
            await pilot.press("ctrl+b", "left_square_bracket")
            await wait_for(lambda: view.copy_mode is not None, "copy mode")
            assert view.copy_mode.exclusive_end is False      # vi selects its last cell
            await pilot.press("q")
            await wait_for(lambda: view.copy_mode is None, "copy mode left")

    run(scenario)


def test_the_window_option_wins_over_the_global_one(server: Any) -> None:
    numbered_session(server)
    server.ok("new-window", "-t", "main")
    server.wait_for_text("main:1", "$")
    server.ok("send-keys", "-t", "main:1", "clear; seq 1 60", "Enter")
    server.wait_for_text("main:1", "60\n")
    server.ok("set-option", "-w", "-t", "main:1", "mode-keys", "vi")  # setw: missing
    assert server.ok("show-options", "-w", "-t", "main:1", "mode-keys") == "mode-keys vi\n"
    assert server.ok("show-options", "-g", "mode-keys") == "mode-keys emacs\n"

    async def scenario() -> None:
        app = make_app(server)
        async with app.run_test(size=(80, 24)) as pilot:
            await wait_text(app, "60\n")
            assert await copy_mode_moves_up_with(app, pilot, "k")      # window 1: vi
            await pilot.press("ctrl+b", "0")
            await wait_for(lambda: app.session.get("current_window") == 0, "window 0")
            assert await copy_mode_moves_up_with(app, pilot, "ctrl+p")  # window 0: global

    run(scenario)


def test_mode_keys_takes_only_vi_or_emacs_and_unset_goes_back_to_emacs(server: Any) -> None:
    server.ok("new-session", "-d", "-s", "main")
    result = server.run("set-option", "-g", "mode-keys", "vim")
    assert result.code != 0 and "unknown value: vim" in result.err
    server.ok("set-option", "-g", "mode-keys", "vi")
    assert server.ok("show-options", "-g", "mode-keys") == "mode-keys vi\n"
    server.ok("set-option", "-gu", "mode-keys")
    assert server.ok("show-options", "-gv", "mode-keys") == "emacs\n"


def test_the_server_default_follows_visual_then_editor_like_tmux(tmp_path: Path) -> None:
    for visual, editor, expected in ((None, "/usr/bin/vim", "vi"), ("nano", "vim", "emacs"),
                                     (None, None, "emacs")):
        root = tmp_path / f"{visual}-{editor}".replace("/", "_")
        root.mkdir()
        server = IsolatedServer(root)
        try:
            for name, value in (("VISUAL", visual), ("EDITOR", editor)):
                server.env.pop(name, None)
                if value is not None:
                    server.env[name] = value
            server.ok("new-session", "-d", "-s", "main")
            assert server.ok("show-options", "-gv", "mode-keys") == f"{expected}\n"
        finally:
            server.stop()


def test_config_mode_keys_sets_the_global_option_at_attach_only_when_stated(
        server: Any, tmp_path: Path) -> None:
    numbered_session(server)
    stated = tmp_path / "stated.toml"
    stated.write_text('mode-keys = "vi"\nstatus-right = ""\n')
    silent = tmp_path / "silent.toml"
    silent.write_text('status-right = ""\n')

    async def attach(path: Path) -> None:
        config, notices = load_config(path)
        assert notices == []
        app = create_app(server.socket, "main", config=config,
                         keymap=load_keymap(None, config.prefix), env=server.env,
                         cwd=str(server.home))
        async with app.run_test(size=(80, 24)):
            await wait_text(app, "60\n")
            await app.attached.wait()

    async def scenario() -> None:
        server.ok("set-option", "-g", "mode-keys", "emacs")
        await attach(silent)
        assert server.ok("show-options", "-gv", "mode-keys") == "emacs\n"
        await attach(stated)
        await wait_for(lambda: server.run("show-options", "-gv", "mode-keys").out == "vi\n",
                       "the stated mode-keys set on the server")
        server.ok("set-option", "-g", "mode-keys", "emacs")
        await attach(silent)
        assert server.ok("show-options", "-gv", "mode-keys") == "emacs\n"

    run(scenario)
