"""The client routes keys with the server's tables, changed live: a key bound with ``bind``
from the CLI while the app is attached works at once, ``unbind`` takes it away,
``switch-client -T`` uses a user-defined table, and ``set -g prefix`` / ``prefix2`` move
the prefix at run time (the old prefix then reaches the pane)."""

from __future__ import annotations

import asyncio
from pathlib import Path
from typing import Any

from app_harness import make_app, wait_for, wait_text
from test_app_keys import byte_session, press_and_expect, run


async def cli(server: Any, *args: str) -> None:
    """Run the real CLI off the app's loop (it must keep reading the server)."""
    result = await asyncio.to_thread(server.cli, *args)
    assert result.code == 0, (args, result.err)


def test_bind_at_run_time_then_press_it(server: Any, tmp_path: Path) -> None:
    byte_session(server, tmp_path)

    async def scenario() -> None:
        app = make_app(server)
        async with app.run_test(size=(80, 24)) as pilot:
            await wait_text(app, "ready")
            version = app.keymap
            await cli(server, "bind", "y", "split-window", "-h")
            await wait_for(lambda: app.keymap is not version, "the new tables pushed")
            await pilot.press("ctrl+b", "y")
            await wait_for(lambda: len(app.window_view.panes) == 2, "a second pane")
            await cli(server, "bind", "-T", "mytable", "a", "kill-pane")
            await cli(server, "bind", "Q", "switch-client", "-T", "mytable")
            await wait_for(lambda: app.keymap.lookup("prefix", "Q") is not None, "Q bound")
            await pilot.press("ctrl+b", "Q", "a")
            await wait_for(lambda: len(app.window_view.panes) == 1, "the pane killed")
            await cli(server, "unbind", "y")
            await wait_for(lambda: app.keymap.lookup("prefix", "y") is None, "y unbound")
            await pilot.press("ctrl+b", "y")
            await press_and_expect(app, pilot, "z", "7a")  # y went nowhere, z to the pane
            assert len(app.window_view.panes) == 1

    run(scenario)


def test_prefix_set_at_run_time(server: Any, tmp_path: Path) -> None:
    byte_session(server, tmp_path)

    async def scenario() -> None:
        app = make_app(server)
        async with app.run_test(size=(80, 24)) as pilot:
            await wait_text(app, "ready")
            await cli(server, "set", "-g", "prefix", "C-a")
            await wait_for(lambda: app.prefix_key == "ctrl+a", "the prefix moved")
            await press_and_expect(app, pilot, "ctrl+b", "02")  # C-b reaches the pane
            await pilot.press("ctrl+a", "percent_sign")
            await wait_for(lambda: len(app.window_view.panes) == 2, "a second pane")
            await cli(server, "set", "-g", "prefix2", "C-x")
            await wait_for(lambda: app.prefix2_key == "ctrl+x", "prefix2 set")
            await pilot.press("ctrl+x", "x")
            await pilot.press("y")  # confirm-before's answer
            await wait_for(lambda: len(app.window_view.panes) == 1, "the pane killed")

    run(scenario)


def test_prefix_from_the_server_at_attach(server: Any, tmp_path: Path) -> None:
    byte_session(server, tmp_path)
    server.ok("set", "-g", "prefix", "C-a")

    async def scenario() -> None:
        app = make_app(server)
        async with app.run_test(size=(80, 24)) as pilot:
            await wait_text(app, "ready")
            await wait_for(lambda: app.prefix_key == "ctrl+a", "the server's prefix")
            await pilot.press("ctrl+a", "percent_sign")
            await wait_for(lambda: len(app.window_view.panes) == 2, "a second pane")

    run(scenario)


def test_repeat_binding_honours_repeat_time(server: Any, tmp_path: Path) -> None:
    byte_session(server, tmp_path)
    server.ok("bind", "-r", "y", "split-window")
    server.ok("set", "-g", "repeat-time", "2000")  # tmux's largest: the machine may be slow

    async def scenario() -> None:
        app = make_app(server)
        async with app.run_test(size=(80, 24)) as pilot:
            await wait_text(app, "ready")
            await wait_for(lambda: app.config.repeat_time == 2000, "repeat-time pushed")
            await pilot.press("ctrl+b", "y", "y")  # the second y within repeat-time: no prefix
            await wait_for(lambda: len(app.window_view.panes) == 3, "a third pane")
            await cli(server, "set", "-g", "repeat-time", "0")
            await wait_for(lambda: app.config.repeat_time == 0, "repeat-time 0 pushed")
            await pilot.press("ctrl+b", "y")
            await wait_for(lambda: len(app.window_view.panes) == 4, "a fourth pane")
            await pilot.press("y")  # no repeat now: y reaches the new pane's shell
            await wait_text(app, "$ y")
            assert len(app.window_view.panes) == 4

    run(scenario)
