"""The mouse goes through the key tables (pilot against a real server): unbinding
``MouseDrag1Pane`` stops a drag from selecting, binding ``WheelUpPane`` to a command runs
it with the mouse's pane as its target, and a right click on a pane opens tmux's pane menu
with ``#{mouse_word}`` (the word under the mouse) in its items."""

from __future__ import annotations

import asyncio
from typing import Any

from app_harness import make_app, settle, wait_for, wait_text
from conftest import wait_until
from textual import events

TEXT_COMMAND = "printf 'alpha beta gamma\\nsecond line here\\n'; exec sleep 600"


def test_unbinding_and_rebinding_mouse_keys(server: Any) -> None:
    server.ok("new-session", "-d", "-s", "main", "-x", "80", "-y", "23", TEXT_COMMAND)
    server.ok("split-window", "-h", "-t", "main", "cat")  # the right pane is active
    server.ok("unbind", "-n", "MouseDrag1Pane")
    server.ok("bind", "-n", "WheelUpPane", "set", "-gF", "@wheel", "#{pane_id} #{mouse_x}")

    async def scenario() -> None:
        app = make_app(server)
        async with app.run_test(size=(80, 24)) as pilot:
            await wait_text(app, "second line here")
            left = next(view for view in app.window_view.panes.values()
                        if view.region.x == app.window_view.region.x)
            await pilot.mouse_down(offset=(6, 0))
            await pilot.hover(offset=(9, 0))
            await pilot.mouse_up(offset=(9, 0))
            await settle(pilot)
            assert left.copy_mode is None  # nothing is bound to the drag
            await pilot._post_mouse_events([events.MouseScrollUp],
                                           offset=(7, 1))
            await asyncio.to_thread(wait_until, lambda: server.run(
                "show", "-gv", "@wheel").out == f"%{left.pane_id} 7\n",
                message="the wheel binding")
            assert left.copy_mode is None
            await settle(pilot)

    asyncio.run(scenario())


def test_a_right_click_opens_the_pane_menu_with_the_word_under_the_mouse(server: Any) -> None:
    server.ok("new-session", "-d", "-s", "main", "-x", "80", "-y", "23", TEXT_COMMAND)

    async def scenario() -> None:
        app = make_app(server)
        async with app.run_test(size=(80, 24)) as pilot:
            await wait_text(app, "second line here")
            await pilot.mouse_down(offset=(7, 0), button=3)
            await wait_for(lambda: app.actions.menu is not None, "the pane menu")
            menu = app.actions.menu
            assert menu is not None and menu.mouse_driven and menu.choice == -1
            names = [item[0] for item in menu.menu_layout.items if item is not None]
            assert any("Copy #[underscore]beta" in name for name in names), names
            # (Pilot's mouse_up has no button: post the release itself)
            await pilot._post_mouse_events([events.MouseUp], offset=(7, 0), button=3)
            await wait_for(lambda: app.actions.menu is None, "the menu closed")
            await settle(pilot)

    asyncio.run(scenario())


MOUSE_PROGRAM = ("printf '\\033[?1000h\\033[?1006hready\\r\\n'; stty raw -echo; "
                 "exec cat -v")


def test_with_mouse_off_a_program_that_asked_still_gets_the_mouse(server: Any) -> None:
    """tmux forwards mouse keys to the pane when ``mouse`` is off (``forward_key``): the
    program's own mouse works, no binding runs."""
    server.ok("new-session", "-d", "-s", "main", "-x", "80", "-y", "23", MOUSE_PROGRAM)
    server.ok("set", "-g", "mouse", "off")

    async def scenario() -> None:
        app = make_app(server)
        async with app.run_test(size=(80, 24)) as pilot:
            await wait_text(app, "ready")
            await wait_for(lambda: (app.status.status or {}).get("mouse") is False,
                           "the option reached the client")
            await pilot.click(offset=(4, 3))
            await asyncio.to_thread(wait_until, lambda: "^[[<0;5;4M^[[<0;5;4m" in server.ok(
                "capture-pane", "-p", "-t", "main"), message="the press and the release")
            await settle(pilot)

    asyncio.run(scenario())


def test_a_selection_drag_held_on_the_top_row_scrolls(server: Any) -> None:
    """tmux's window_copy_drag_update: held on the view's top row, the selection goes on
    up a line at a time, scrolling the history; the release copies it all."""
    server.ok("new-session", "-d", "-s", "main", "-x", "80", "-y", "23",
              "seq 1 200; exec sleep 600")

    async def scenario() -> None:
        app = make_app(server)
        async with app.run_test(size=(80, 24)) as pilot:
            await wait_text(app, "200")
            view = next(iter(app.window_view.panes.values()))
            await pilot.mouse_down(offset=(1, 10))
            await pilot.hover(offset=(1, 5))
            await wait_for(lambda: view.copy_mode is not None
                           and view.copy_mode.mark is not None, "a selection from the drag")
            await pilot.hover(offset=(1, 0))
            copy = view.copy_mode
            assert copy is not None
            bottom = copy.max_top
            await wait_for(lambda: copy.top <= bottom - 5, "the view scrolled up")
            await pilot.mouse_up(offset=(1, 0))
            await wait_for(lambda: view.copy_mode is None, "copy mode ends on release")
            copied = await asyncio.to_thread(server.ok, "show-buffer")
            assert len(copied.splitlines()) >= 15
            await settle(pilot)

    asyncio.run(scenario())


def test_a_click_on_a_pane_in_clock_mode_leaves_it(server: Any) -> None:
    """MouseDown1Pane's ``send-keys -M`` gives the click to the clock, which leaves on
    any key (tmux's window_clock_key)."""
    server.ok("new-session", "-d", "-s", "main", "-x", "80", "-y", "23", "cat")
    server.ok("clock-mode", "-t", "main")

    async def scenario() -> None:
        app = make_app(server)
        async with app.run_test(size=(80, 24)) as pilot:
            await wait_for(lambda: len(app.window_view.panes) == 1, "the pane")
            await wait_for(lambda: "clock-mode" in app.server_modes.values(), "the clock")
            await pilot.click(offset=(5, 5))
            await asyncio.to_thread(wait_until, lambda: server.ok(
                "display", "-p", "-t", "main", "#{pane_in_mode}") == "0\n",
                message="clock mode left")
            await settle(pilot)

    asyncio.run(scenario())


def test_copy_mode_from_the_wheel_ends_when_the_keys_scroll_to_the_bottom(server: Any) -> None:
    """``copy-mode -e`` (WheelUpPane) is the copy mode's: scrolling down to the bottom
    with the keys leaves it too, as tmux's scroll_exit."""
    server.ok("new-session", "-d", "-s", "main", "-x", "80", "-y", "23",
              "seq 1 100; exec sleep 600")

    async def scenario() -> None:
        app = make_app(server)
        async with app.run_test(size=(80, 24)) as pilot:
            await wait_text(app, "100")
            view = next(iter(app.window_view.panes.values()))
            for _ in range(2):  # enters copy mode, then scrolls up five lines
                await pilot._post_mouse_events([events.MouseScrollUp], offset=(5, 5))
                await wait_for(lambda: view.copy_mode is not None, "copy mode")
            await wait_for(lambda: view.copy_mode is not None
                           and view.copy_mode.top == view.copy_mode.max_top - 5, "scrolled")
            for _ in range(5):
                await pilot.press("ctrl+down")  # emacs scroll-down
            await wait_for(lambda: view.copy_mode is None, "copy mode left at the bottom")
            await settle(pilot)

    asyncio.run(scenario())


def test_copy_mode_flags_from_a_key(server: Any) -> None:
    """``copy-mode -eu`` bound to a key: copy mode a page up, left when scrolled back to
    the bottom (the flags the mouse's bindings use work from keys too)."""
    server.ok("new-session", "-d", "-s", "main", "-x", "80", "-y", "23",
              "seq 1 100; exec sleep 600")
    server.ok("bind", "-n", "F6", "copy-mode", "-eu")

    async def scenario() -> None:
        app = make_app(server)
        async with app.run_test(size=(80, 24)) as pilot:
            await wait_text(app, "100")
            view = next(iter(app.window_view.panes.values()))
            await pilot.press("f6")
            await wait_for(lambda: view.copy_mode is not None
                           and view.copy_mode.top < view.copy_mode.max_top, "a page up")
            copy = view.copy_mode
            assert copy is not None
            for _ in range(copy.max_top - copy.top):
                await pilot.press("ctrl+down")
            await wait_for(lambda: view.copy_mode is None, "copy mode left at the bottom")
            await settle(pilot)

    asyncio.run(scenario())
