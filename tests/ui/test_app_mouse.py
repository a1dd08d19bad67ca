"""The mouse in the real app (pilot against a real server): a click focuses a pane, a drag
on a separator resizes the panes to where the mouse is (also with pane border status
lines, which take a row from the panes on the window's edge), the wheel enters copy mode.
"""

from __future__ import annotations

import asyncio
from typing import Any

import pytest
from app_harness import make_app, settle, wait_for, wait_text
from conftest import wait_until
from textual import events


async def _server_shows(predicate: Any) -> None:
    """Wait (off the app's loop, so it keeps running) until the server's panes agree."""
    await asyncio.to_thread(wait_until, predicate, message="the panes as expected")


def _panes(server: Any) -> list[dict[str, int]]:
    rows = server.ok("list-panes", "-t", "main", "-F",
                     "#{pane_index} #{pane_left} #{pane_top} #{pane_width} #{pane_height} "
                     "#{pane_active}").split("\n")
    keys = ("index", "x", "y", "width", "height", "active")
    return [dict(zip(keys, map(int, row.split()))) for row in rows if row]


@pytest.mark.parametrize("border_status", ["off", "top"])
def test_dragging_a_separator_puts_it_under_the_mouse(server: Any, border_status: str) -> None:
    server.ok("new-session", "-d", "-s", "main", "-x", "80", "-y", "23")
    server.ok("set", "-g", "pane-border-status", border_status)
    server.ok("split-window", "-v", "-t", "main")
    server.ok("split-window", "-h", "-t", "main")

    async def scenario() -> None:
        app = make_app(server)
        async with app.run_test(size=(80, 24)) as pilot:
            await wait_for(lambda: len(app.window_view.panes) == 3, "three panes")
            top = _panes(server)[0]
            separator = top["y"] + top["height"]
            await pilot.mouse_down(offset=(10, separator))
            await pilot.hover(offset=(10, separator + 3))
            await pilot.mouse_up(offset=(10, separator + 3))
            await _server_shows(lambda: _panes(server)[0]["height"] == top["height"] + 3)
            assert _panes(server)[0]["y"] + _panes(server)[0]["height"] == separator + 3
            bottom_left = _panes(server)[1]
            column = bottom_left["x"] + bottom_left["width"]
            row = bottom_left["y"] + 2
            await pilot.mouse_down(offset=(column, row))
            await pilot.hover(offset=(column - 5, row))
            await pilot.mouse_up(offset=(column - 5, row))
            await _server_shows(lambda: _panes(server)[1]["width"] == column - 5)
            await settle(pilot)

    asyncio.run(scenario())


def test_a_click_focuses_a_pane_and_the_wheel_enters_copy_mode(server: Any) -> None:
    server.ok("new-session", "-d", "-s", "main", "-x", "80", "-y", "23")
    server.ok("split-window", "-h", "-t", "main")

    async def scenario() -> None:
        app = make_app(server)
        async with app.run_test(size=(80, 24)) as pilot:
            await wait_for(lambda: len(app.window_view.panes) == 2, "two panes")
            left = _panes(server)[0]
            assert not left["active"]
            await pilot.click(offset=(left["x"] + 2, left["y"] + 2))
            await _server_shows(lambda: _panes(server)[0]["active"])
            view = app.window_view.panes[next(iter(
                pane_id for pane_id, v in app.window_view.panes.items()
                if v.region.x == app.window_view.region.x))]
            # Pilot has no wheel helper: the one it uses for clicks posts any mouse event.
            await pilot._post_mouse_events([events.MouseScrollUp],
                                           offset=(left["x"] + 2, left["y"] + 2))
            await wait_for(lambda: view.copy_mode is not None, "copy mode from the wheel")
            await settle(pilot)

    asyncio.run(scenario())


TEXT_COMMAND = "printf 'alpha beta gamma\\nsecond line here\\n'; exec sleep 600"


def _buffer(server: Any) -> str:
    result = server.run("show-buffer")
    return result.out if result.code == 0 else ""


def test_a_drag_selects_and_copies_on_release(server: Any) -> None:
    server.ok("new-session", "-d", "-s", "main", "-x", "80", "-y", "23", TEXT_COMMAND)

    async def scenario() -> None:
        app = make_app(server)
        async with app.run_test(size=(80, 24)) as pilot:
            await wait_text(app, "second line here")
            view = next(iter(app.window_view.panes.values()))
            await pilot.mouse_down(offset=(6, 0))          # on the b of "beta"
            await pilot.hover(offset=(8, 0))
            await pilot.hover(offset=(10, 0))
            await wait_for(lambda: view.copy_mode is not None
                           and view.copy_mode.mark is not None, "a selection from the drag")
            await pilot.mouse_up(offset=(10, 0))
            await wait_for(lambda: view.copy_mode is None, "copy mode ends on release")
            await _server_shows(lambda: _buffer(server).startswith("beta"))
            await settle(pilot)

    asyncio.run(scenario())


def test_double_and_triple_clicks_copy_a_word_and_a_line(server: Any, monkeypatch: Any
                                                         ) -> None:
    """tmux's default double and triple click bindings copy a word and a line. The click
    timeout is 3 s here instead of tmux's 0.3 s: on a loaded machine the pilot's clicks of
    one gesture can come further apart than 0.3 s, and then they are single clicks (what
    tmux would do too)."""
    from aisession_tui.client import mouse
    from aisession_tui.keymaps import mouse_keys

    monkeypatch.setattr(mouse, "CLICK_TIMEOUT", 3.0)
    monkeypatch.setattr(mouse_keys, "CLICK_TIMEOUT", 3.0)
    server.ok("new-session", "-d", "-s", "main", "-x", "80", "-y", "23", TEXT_COMMAND)

    async def scenario() -> None:
        app = make_app(server)
        async with app.run_test(size=(80, 24)) as pilot:
            await wait_text(app, "second line here")
            view = next(iter(app.window_view.panes.values()))
            await pilot.double_click(offset=(12, 0))       # in "gamma"
            await _server_shows(lambda: _buffer(server) == "gamma")
            await wait_for(lambda: view.copy_mode is None, "copy mode ends after the copy")
            await pilot.triple_click(offset=(3, 1))
            await _server_shows(lambda: _buffer(server).startswith("second line here"))
            await settle(pilot)

    asyncio.run(scenario())


def test_the_middle_button_pastes_the_top_buffer(server: Any) -> None:
    server.ok("new-session", "-d", "-s", "main", "-x", "80", "-y", "23", "cat")
    server.ok("set-buffer", "pasted-by-middle-click")

    async def scenario() -> None:
        app = make_app(server)
        async with app.run_test(size=(80, 24)) as pilot:
            await wait_for(lambda: len(app.window_view.panes) == 1, "the pane")
            await pilot.click(offset=(5, 5), button=2)
            await _server_shows(lambda: "pasted-by-middle-click" in server.ok(
                "capture-pane", "-p", "-t", "main"))
            await settle(pilot)

    asyncio.run(scenario())


def test_with_mouse_off_a_click_does_nothing(server: Any) -> None:
    """``set -g mouse off`` (ai-session's default is on): the client leaves the mouse
    alone, as tmux does; turning it on again takes effect live."""
    server.ok("new-session", "-d", "-s", "main", "-x", "80", "-y", "23")
    server.ok("split-window", "-h", "-t", "main")
    server.ok("set", "-g", "mouse", "off")

    async def scenario() -> None:
        app = make_app(server)
        async with app.run_test(size=(80, 24)) as pilot:
            await wait_for(lambda: len(app.window_view.panes) == 2, "two panes")
            await wait_for(lambda: (app.status.status or {}).get("mouse") is False,
                           "the option reached the client")
            left = _panes(server)[0]
            await pilot.click(offset=(left["x"] + 2, left["y"] + 2))
            await settle(pilot)
            assert not _panes(server)[0]["active"]
            server.ok("set", "-g", "mouse", "on")
            await wait_for(lambda: (app.status.status or {}).get("mouse") is True,
                           "mouse on again")
            await pilot.click(offset=(left["x"] + 2, left["y"] + 2))
            await _server_shows(lambda: _panes(server)[0]["active"])
            await settle(pilot)

    asyncio.run(scenario())
