"""run-shell's output in view mode, as tmux 3.3a shows it: run from a key binding or the
``:`` prompt, the output and ``'cmd' returned N`` fill the pane in a copy-mode-like view
(``#{pane_mode}`` is view-mode) opened at its first line with ``[N/N]`` at the top right;
``q`` leaves it; a later run-shell adds to it; the view keeps at most VIEW_LINE_LIMIT
lines."""

from __future__ import annotations

import asyncio
from typing import Any

from app_harness import make_app, pane_text, wait_for
from conftest import wait_until

from aisession_tui.server.view_mode import VIEW_LINE_LIMIT


def _mode(server: Any) -> str:
    return server.ok("display-message", "-p", "-t", "main", "#{pane_mode}").strip()


async def _wait_mode(server: Any, mode: str) -> None:
    await asyncio.to_thread(lambda: wait_until(lambda: _mode(server) == mode,
                                               message=f"pane_mode {mode!r}"))


def _rows(app: Any) -> list[str]:
    view = app.window_view.active_pane()
    copy = view.copy_mode
    return [copy.render_row(view, y, view.columns).text.rstrip() for y in range(view.lines)]


def test_a_binding_s_output_fills_the_pane_and_q_leaves(server: Any) -> None:
    server.ok("new-session", "-d", "-s", "main", "-x", "80", "-y", "23")
    server.wait_for_text("main", "$")
    server.ok("bind-key", "R", "run-shell", "printf 'a\\nb\\n'; exit 3")

    async def scenario() -> None:
        app = make_app(server)
        async with app.run_test(size=(80, 24)) as pilot:
            await wait_for(lambda: app.attached.is_set(), "attached")
            view = app.window_view.active_pane()
            await pilot.press("ctrl+b", "R")
            await _wait_mode(server, "view-mode")
            await wait_for(lambda: view.copy_mode is not None, "the view")
            rows = _rows(app)
            assert rows[0].startswith("a") and rows[0].endswith("[0/0]")
            assert rows[1:4] == ["b", "'printf 'a\\nb\\n'; exit 3' returned 3", ""]
            assert len(rows[0]) == 80
            await pilot.press("q")
            await _wait_mode(server, "")
            await wait_for(lambda: view.copy_mode is None, "the view closed")
            assert "$" in pane_text(app)

    asyncio.run(scenario())


def test_prompt_run_shell_adds_to_the_view_and_it_is_bounded(server: Any) -> None:
    server.ok("new-session", "-d", "-s", "main", "-x", "80", "-y", "23")
    server.wait_for_text("main", "$")

    async def scenario() -> None:
        app = make_app(server)
        async with app.run_test(size=(80, 24)) as pilot:
            await wait_for(lambda: app.attached.is_set(), "attached")
            view = app.window_view.active_pane()
            await pilot.press("ctrl+b", "colon")
            await wait_for(lambda: app.prompt.is_open, "the prompt")
            await pilot.press(*"run 'seq 1 30'", "enter")
            await wait_for(lambda: view.copy_mode is not None, "the view")
            height = view.lines
            label = f"[{30 - height}/{30 - height}]"       # opened at its first line
            assert _rows(app)[0] == "1".ljust(80 - len(label)) + label
            assert _rows(app)[1:3] == ["2", "3"]
            await asyncio.to_thread(server.ok, "run-shell", "-t", "main", "echo more")
            await wait_for(lambda: view.copy_mode is not None and
                           view.copy_mode.history_size == 31 - height, "the added line")
            assert _rows(app)[0].startswith("1 ")           # still at the first line
            await asyncio.to_thread(server.ok, "run-shell", "-t", "main",
                                    f"seq 1 {VIEW_LINE_LIMIT + 500}")
            await wait_for(lambda: view.copy_mode is not None and
                           view.copy_mode.history_size == VIEW_LINE_LIMIT - height,
                           "the bounded view")
            await pilot.press("escape")
            await _wait_mode(server, "")

    asyncio.run(scenario())


def test_what_a_prompt_command_prints_goes_to_the_view_unparsed(server: Any) -> None:
    """tmux's cmdq_print for an attached client: ``:display -p`` prints into the view
    mode of the client's pane, its text taken as it is (no escape sequences run)."""
    server.ok("new-session", "-d", "-s", "main", "-x", "80", "-y", "23")
    server.wait_for_text("main", "$")

    async def scenario() -> None:
        app = make_app(server)
        async with app.run_test(size=(80, 24)) as pilot:
            await wait_for(lambda: app.attached.is_set(), "attached")
            view = app.window_view.active_pane()
            await pilot.press("ctrl+b", "colon")
            await wait_for(lambda: app.prompt.is_open, "the prompt")
            await pilot.press(*"display -p 'hello #{session_name}'", "enter")
            await _wait_mode(server, "view-mode")
            await wait_for(lambda: view.copy_mode is not None, "the view")
            assert _rows(app)[0].startswith("hello main ")
            assert app.overlay is None
            await pilot.press("q")
            await _wait_mode(server, "")

    asyncio.run(scenario())


def test_run_shell_colours_stay_and_long_lines_are_cut(server: Any) -> None:
    """As tmux's view: run-shell's escape sequences are interpreted (red stays red) and
    a line longer than the pane keeps its start, cut at the pane's width."""
    server.ok("new-session", "-d", "-s", "main", "-x", "80", "-y", "23")
    server.wait_for_text("main", "$")

    async def scenario() -> None:
        app = make_app(server)
        async with app.run_test(size=(80, 24)):
            await wait_for(lambda: app.attached.is_set(), "attached")
            view = app.window_view.active_pane()
            await asyncio.to_thread(
                server.ok, "run-shell", "-t", "main",
                "printf '\\033[31mred\\033[0m plain\\n'; printf 'x%.0s' $(seq 1 100); echo")
            await wait_for(lambda: view.copy_mode is not None, "the view")
            first = view.copy_mode.lines[0]
            assert list(first[0])[:2] == ["red", 1] and first[1][0].startswith(" plain")
            assert "".join(run[0] for run in view.copy_mode.lines[1]) == "x" * 80

    asyncio.run(scenario())
