"""Helpers shared by the app tests: a fixed test config and waits on what panes show.

Not a test module (no ``test_`` prefix); the ui tests import it from their own folder.
"""

from __future__ import annotations

from typing import Any

from conftest import async_wait_until

from aisession_tui.client.app import MultiplexerApp, create_app
from aisession_tui.config import Config
from aisession_tui.keymaps import load_keymap

DEADLINE = 30.0


def fixed_config(**overrides: Any) -> Config:
    """A config with nothing from the user: no clock, emacs keys, tmux theme."""
    values: dict[str, Any] = {"theme": "tmux", "prefix": "C-b", "mode_keys": "emacs",
                              "status_right": "", "mouse": True, "history_limit": 2000,
                              "side_panel_width": 30, "repeat_time": 500}
    values.update(overrides)
    return Config(**values)


def make_app(server: Any, target: str | None = "main", **overrides: Any) -> MultiplexerApp:
    """The client attached to ``target`` of the fixture's server, with the test config."""
    config = fixed_config(**overrides)
    return create_app(server.socket, target, config=config,
                      keymap=load_keymap(None, config.prefix), display_panes_time=3600,
                      env=server.env, cwd=str(server.home))


def pane_text(app: MultiplexerApp, pane_id: int | None = None) -> str:
    """The text the app holds for one pane (the active one by default)."""
    views = app.window_view.panes
    view = views.get(pane_id) if pane_id is not None else app.window_view.active_pane()
    if view is None:
        return ""
    return "\n".join("".join(run[0] for run in row).rstrip() for row in view.rows)


def all_text(app: MultiplexerApp) -> str:
    """Every visible pane's text."""
    return "\n".join(pane_text(app, pane_id) for pane_id in app.window_view.panes)


async def wait_for(predicate: Any, message: str = "condition",
                   timeout: float = DEADLINE) -> Any:
    """Await until ``predicate()`` is truthy (polling the running app's loop)."""
    return await async_wait_until(predicate, timeout, message)


async def wait_text(app: MultiplexerApp, text: str, pane_id: int | None = None,
                    timeout: float = DEADLINE) -> str:
    """Await until ``text`` shows in a pane (any visible pane when ``pane_id`` is None)."""
    def found() -> str:
        shown = pane_text(app, pane_id) if pane_id is not None else all_text(app)
        return shown if text in shown else ""
    return await wait_for(found, f"{text!r} on screen", timeout)


async def settle(pilot: Any) -> None:
    """Let pending notifications and repaints land."""
    await pilot.pause(0.05)
    await pilot.pause()
