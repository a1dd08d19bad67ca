"""Snapshots of pane border titles (``pane-border-status``) and the activity flag.

Prepared through the CLI on the fixture's server, then the app attaches at 80x24 and
waits for the final text and status line before the shot (no clock, fixed prompt).
"""

from __future__ import annotations

from typing import Any

import pytest
from app_harness import make_app, settle, wait_for, wait_text

SIZE = (80, 24)


def prepare(server: Any, status: str) -> None:
    """Window 0 with activity, window 1 current with two titled panes."""
    server.ok("new-session", "-d", "-s", "main", "-x", "80", "-y", "23")
    server.ok("set-option", "-g", "monitor-activity", "on")
    server.ok("set-option", "-g", "pane-border-status", status)
    server.ok("new-window", "-t", "main", "-n", "work")
    server.ok("split-window", "-h", "-t", "main:1")
    server.ok("select-pane", "-t", "main:1.0", "-T", "editor")
    server.ok("select-pane", "-t", "main:1.1", "-T", "tests")
    for target, word in (("main:1.0", "left-side"), ("main:1.1", "right-side")):
        server.wait_for_text(target, "$")
        server.ok("send-keys", "-t", target, f"clear; echo {word}", "Enter")
        server.wait_for_text(target, f"{word}\n")
    server.wait_for_text("main:0", "$")
    server.ok("send-keys", "-t", "main:0", "echo background", "Enter")
    server.wait_for_text("main:0", "background\n")


@pytest.mark.parametrize("status", ["top", "bottom"])
def test_pane_border_titles_and_activity_flag(server: Any, snap_compare: Any,
                                              status: str) -> None:
    prepare(server, status)

    async def run_before(pilot: Any) -> None:
        app = pilot.app
        await wait_for(lambda: app.attached.is_set(), "attach")
        await wait_text(app, "left-side\n")
        await wait_text(app, "right-side\n")
        await wait_for(lambda: [w.get("flags") for w in app.status.windows] == ["#-", "*"],
                       "activity flag")
        await wait_for(lambda: app.window_view.canvas.title_cells, "titles")
        await settle(pilot)

    assert snap_compare(make_app(server), terminal_size=SIZE, run_before=run_before)
