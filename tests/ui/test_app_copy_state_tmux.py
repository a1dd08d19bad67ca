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
RAGGED = ("awk 'BEGIN { for (i = 1; i <= 60; i++) { s = \"\"; for (j = 0; j < i % 9; j++) "
          "s = s \"word \"; print \"line \" i \" \" s } }'; exec cat")
"""60 lines of uneven lengths (the end-of-line rule and the remembered column matter)."""
SCROLL_STEPS = (
    ("cursor-up",), ("cursor-up",), ("cursor-up",), ("end-of-line",), ("scroll-up",),
    ("scroll-up",), ("scroll-down",), ("cursor-left",), ("cursor-left",), ("scroll-up",),
    ("scroll-up",), ("scroll-up",), ("page-up",), ("cursor-up",), ("halfpage-up",),
    ("halfpage-up",), ("start-of-line",), ("page-up",), ("page-up",), ("scroll-up",),
    ("cursor-right",), ("cursor-right",), ("cursor-right",), ("halfpage-down",),
    ("page-down",), ("end-of-line",), ("scroll-down",), ("halfpage-down",),
    ("page-down",), ("page-down",), ("cursor-up",), ("scroll-down",), ("top-line",),
    ("scroll-up",), ("cursor-left",), ("bottom-line",), ("scroll-down",), ("page-up",),
    ("begin-selection",), ("rectangle-toggle",), ("cursor-left",), ("scroll-up",),
    ("scroll-up",), ("page-up",), ("halfpage-down",), ("rectangle-toggle",),
    ("scroll-down",), ("page-down",), ("page-down",), ("page-down",))
"""scroll-up/down, page-up/down and halfpage-up/down where the view can and cannot move,
from the ends of lines, through shorter lines and in a rectangle selection."""


@needs_tmux
@pytest.mark.parametrize(("text", "last", "steps"), [
    (TEXT, "line 40", STEPS), (RAGGED, "line 60", SCROLL_STEPS)], ids=["select", "scroll"])
def test_copy_mode_formats_as_in_tmux(server: Any, live_tmux: Any, text: str, last: str,
                                      steps: tuple[tuple[str, ...], ...]) -> None:
    live_tmux.run("new-session", "-d", "-s", "main", "-x", "80", "-y", "23", text)
    wait_until(lambda: last in live_tmux.run("capture-pane", "-p", "-t", "main")[1],
               message="tmux's text")
    live_tmux.run("copy-mode", "-t", "main")
    theirs = []
    for step in steps:
        live_tmux.run("send-keys", "-X", "-t", "main", *step)
        theirs.append(live_tmux.run("display", "-p", "-t", "main", FORMAT)[1])

    server.ok("new-session", "-d", "-s", "main", "-x", "80", "-y", "23", text)

    async def scenario() -> list[str]:
        ours = []
        app = make_app(server)
        async with app.run_test(size=(80, 24)) as pilot:
            await wait_text(app, last)
            view = next(iter(app.window_view.panes.values()))
            await app.copy.enter(view)
            for step in steps:
                await app.copy.run(step[0], step[1:], view)
                copy = view.copy_mode
                assert copy is not None
                reported = (f"{copy.max_top - copy.top} {copy.column} {copy.line - copy.top} "
                            f"{int(copy.mark is not None)}")
                await asyncio.to_thread(wait_until, lambda reported=reported: server.ok(
                    "display", "-p", "-t", "main", "#{scroll_position} #{copy_cursor_x} "
                    "#{copy_cursor_y} #{selection_present}").strip() == reported,
                    message=f"the server to have the client's copy state {reported}")
                await settle(pilot)
                ours.append(server.ok("display", "-p", "-t", "main", FORMAT))
        return ours

    ours = asyncio.run(scenario())
    assert [f"{step[0]}: {line}" for step, line in zip(steps, ours)] == [
        f"{step[0]}: {line}" for step, line in zip(steps, theirs)]
    if steps is STEPS:
        assert theirs[-1].startswith("copy-mode 0 ") and " 1 0 " in theirs[-1]
