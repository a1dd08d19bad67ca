"""tmux's copy-mode formats (``#{copy_cursor_x}``, ``#{selection_present}``...) come from
the client's copy mode: the same commands in the app's copy mode and in tmux 3.3a's, on the
same pane text, give the same ``display-message`` values."""

from __future__ import annotations

import asyncio
import shutil
from typing import Any

import pytest
from app_harness import make_app, settle, wait_text
from conftest import wait_until

needs_tmux = pytest.mark.skipif(shutil.which("tmux") is None, reason="tmux is not installed")
TEXT = "seq -f 'line %g of the pane' 1 40; exec cat"
FORMAT = ("#{pane_mode} #{scroll_position} #{copy_cursor_x} #{copy_cursor_y} "
          "#{selection_present} #{selection_active} #{selection_start_x} "
          "#{selection_start_y} #{selection_end_x} #{selection_end_y} [#{copy_cursor_line}]")
STEPS = (("cursor-up",), ("cursor-up",), ("begin-selection",),
         ("cursor-left",), ("cursor-up",), ("stop-selection",))


@needs_tmux
def test_copy_mode_formats_as_in_tmux(server: Any, live_tmux: Any) -> None:
    live_tmux.run("new-session", "-d", "-s", "main", "-x", "80", "-y", "23", TEXT)
    wait_until(lambda: "line 40" in live_tmux.run("capture-pane", "-p", "-t", "main")[1],
               message="tmux's text")
    live_tmux.run("copy-mode", "-t", "main")
    theirs = []
    for step in STEPS:
        live_tmux.run("send-keys", "-X", "-t", "main", *step)
        theirs.append(live_tmux.run("display", "-p", "-t", "main", FORMAT)[1])

    server.ok("new-session", "-d", "-s", "main", "-x", "80", "-y", "23", TEXT)

    async def scenario() -> list[str]:
        ours = []
        app = make_app(server)
        async with app.run_test(size=(80, 24)) as pilot:
            await wait_text(app, "line 40")
            view = next(iter(app.window_view.panes.values()))
            await app.copy.enter(view)
            for step in STEPS:
                await app.copy.run(step[0], step[1:], view)
                await asyncio.to_thread(wait_until, lambda step=step: server.ok(
                    "display", "-p", "-t", "main", "#{copy_cursor_y}#{selection_active}")
                    != "", message="the state")
                await settle(pilot)
                ours.append(server.ok("display", "-p", "-t", "main", FORMAT))
        return ours

    assert asyncio.run(scenario()) == theirs
    assert theirs[-1].startswith("copy-mode 0 ") and " 1 0 " in theirs[-1]
