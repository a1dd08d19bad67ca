"""The side panel hides itself, with a notice, when the panes beside it would get too
narrow (issue 15: at 80x24 with three panes across, C-b P left panes 9 and 1 wide)."""

from __future__ import annotations

import asyncio
from typing import Any

from app_harness import make_app, settle, wait_for

from aisession_tui.client.panel_fit import (
    HIDDEN_NOTICE,
    USABLE_PANE_COLUMNS,
    current_window,
    panel_columns,
    panel_fits,
    panes_across,
)


def window(*cells: tuple[int, int, int, int], zoomed: bool = False) -> dict[str, Any]:
    return {"active": True, "panes": [
        {"x": x, "y": y, "width": w, "height": h, "visible": not zoomed or index == 0}
        for index, (x, y, w, h) in enumerate(cells)]}


def test_panes_across_counts_the_widest_line() -> None:
    three = window((0, 0, 26, 24), (27, 0, 26, 24), (54, 0, 26, 24))
    assert panes_across(three) == 3
    # one pane on the left, two stacked on the right: two across
    assert panes_across(window((0, 0, 40, 24), (41, 0, 39, 12), (41, 13, 39, 11))) == 2
    assert panes_across(window((0, 0, 26, 24), (27, 0, 26, 24), zoomed=True)) == 1
    assert panes_across({}) == 1
    assert current_window({"windows": [{"active": False}, three]}) is three


def test_the_panel_fits_while_every_pane_keeps_a_usable_width() -> None:
    three = window((0, 0, 26, 24), (27, 0, 26, 24), (54, 0, 26, 24))
    assert not panel_fits(80, 40, three)
    needed = 3 * USABLE_PANE_COLUMNS + 2
    assert panel_fits(needed + 40, 40, three) and not panel_fits(needed + 39, 40, three)
    assert panel_fits(80, 40, window((0, 0, 80, 24)))


def test_the_panel_stays_hidden_with_a_notice_beside_three_panes(server: Any) -> None:
    server.ok("new-session", "-d", "-s", "main", "-x", "80", "-y", "23")
    server.ok("split-window", "-h", "-t", "main")
    server.ok("split-window", "-h", "-t", "main")

    async def scenario() -> None:
        app = make_app(server, side_panel_width=40)
        async with app.run_test(size=(80, 24)) as pilot:
            await wait_for(lambda: app.attached.is_set(), "attach")
            await wait_for(lambda: panes_across(current_window(app.session)) == 3, "panes")
            await pilot.press("ctrl+b", "P")
            await wait_for(lambda: any(HIDDEN_NOTICE in line for line in app.message_log),
                           "the notice")
            await settle(pilot)
            assert not app.side_panel.display
            assert app.window_area() == (80, 23)

    asyncio.run(scenario())


def test_a_shown_panel_hides_when_the_terminal_narrows(server: Any) -> None:
    server.ok("new-session", "-d", "-s", "main", "-x", "80", "-y", "29")
    server.ok("split-window", "-h", "-t", "main")

    async def scenario() -> None:
        app = make_app(server, side_panel_width=40)
        async with app.run_test(size=(120, 30)) as pilot:
            await wait_for(lambda: app.attached.is_set(), "attach")
            await wait_for(lambda: panes_across(current_window(app.session)) == 2, "panes")
            await pilot.press("ctrl+b", "P")
            await wait_for(lambda: app.side_panel.display, "the panel")
            await pilot.resize_terminal(70, 30)
            await wait_for(lambda: not app.side_panel.display, "the panel hidden")
            assert any(HIDDEN_NOTICE in line for line in app.message_log)

    asyncio.run(scenario())


def test_a_percentage_width_follows_the_terminal_within_its_bounds() -> None:
    assert panel_columns(40, 200) == 40
    assert panel_columns("30%", 120) == 36
    assert panel_columns("30%", 40, minimum=20, maximum=80) == 20
    assert panel_columns("50%", 300, minimum=20, maximum=80) == 80


def test_a_percentage_panel_resizes_with_the_terminal(server: Any) -> None:
    server.ok("new-session", "-d", "-s", "main", "-x", "80", "-y", "29")

    async def scenario() -> None:
        app = make_app(server, side_panel_width="30%", side_panel_min=20, side_panel_max=80)
        async with app.run_test(size=(120, 30)) as pilot:
            await wait_for(lambda: app.attached.is_set(), "attach")
            await pilot.press("ctrl+b", "P")
            await wait_for(lambda: app.side_panel.display, "the panel")
            await wait_for(lambda: app.side_panel.outer_size.width == 36, "30% of 120 columns")
            await pilot.resize_terminal(160, 30)
            await wait_for(lambda: app.side_panel.outer_size.width == 48, "30% of 160 columns")
            await wait_for(lambda: server.ok("display", "-p", "-t", "main", "#{window_width}")
                           == "112\n", "the panes get the rest")
            await settle(pilot)

    asyncio.run(scenario())
