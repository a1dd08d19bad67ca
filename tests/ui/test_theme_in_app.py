"""Themes in the attached client (headless): a sourced theme file restyles the CSS-drawn
widgets through the style options, the two-pane border rule, and the one notice an old
``theme`` setting gets at attach."""

from __future__ import annotations

import asyncio
from typing import Any

from app_harness import make_app, wait_for, wait_text
from textual.color import Color

from aisession_tui.server.pane_borders import active_border_cells
from aisession_tui.themes import builtin_theme_path
from aisession_tui.widgets.window_view import border_cells


def run(scenario: Any) -> None:
    asyncio.run(scenario())


def test_sourcing_a_theme_restyles_the_prompt_and_variables(server: Any) -> None:
    server.ok("new-session", "-d", "-s", "main", "-x", "80", "-y", "23")

    async def scenario() -> None:
        app = make_app(server)
        async with app.run_test(size=(80, 24)):
            await wait_text(app, "$")
            assert app.theme_variables["message-bg"] == "ansi_yellow"
            assert app.theme_variables["message-command-bg"] == "ansi_black"
            server.ok("source-file", str(builtin_theme_path("dark")))
            await wait_for(lambda: app.theme_variables["message-bg"] == "#ffd75f",
                           "message-style colour221 as the prompt's background")
            assert app.theme_variables["status-bg"] == "#303030"
            await wait_for(lambda: app.prompt.styles.background == Color.parse("#ffd75f"),
                           "the prompt restyled")

    run(scenario)


def test_an_old_theme_setting_gets_one_notice_naming_the_file(server: Any) -> None:
    server.ok("new-session", "-d", "-s", "main", "-x", "80", "-y", "23")

    async def scenario() -> None:
        app = make_app(server, theme="light")
        async with app.run_test(size=(80, 24)):
            await wait_text(app, "$")
            notices = [line for line in app.message_log if "tmux config files" in line]
            assert len(notices) == 1
            assert f"source-file {builtin_theme_path('light')}" in notices[0]

    run(scenario)


def _pane(x: int, y: int, width: int, height: int, active: bool) -> Any:
    return {"id": x + y, "x": x, "y": y, "width": width, "height": height, "active": active}


def _active(panes: list[Any], segments: list[Any], status: str = "off",
            indicators: str = "colour") -> set[tuple[int, int]]:
    return active_border_cells(panes, border_cells(segments), status, indicators)


def test_two_pane_halves_follow_tmux() -> None:
    separator = [(40, 0, 23, True)]
    side_by_side = [_pane(0, 0, 40, 23, False), _pane(41, 0, 39, 23, True)]
    assert _active(side_by_side, separator) == {(40, y) for y in range(12, 23)}
    stacked = [_pane(0, 0, 80, 11, True), _pane(0, 12, 80, 11, False)]
    assert _active(stacked, [(0, 11, 80, False)]) == {(x, 11) for x in range(0, 41)}
    swapped = [_pane(41, 0, 39, 23, True), _pane(0, 0, 40, 23, False)]
    whole = {(40, y) for y in range(23)}
    assert _active(swapped, separator) == whole  # tmux: the second pane is at x 0
    assert _active(side_by_side, separator, indicators="arrows") == whole
    assert _active(side_by_side, separator, status="top") == whole
