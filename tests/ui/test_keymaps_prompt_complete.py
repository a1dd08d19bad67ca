"""Tab completion in the ``:`` prompt: command names first, option names after set/setw/show
(the word before the cursor; one match completes it, several their common prefix)."""

from __future__ import annotations

import asyncio
from typing import Any

from app_harness import make_app, wait_for, wait_text

from aisession_tui.widgets.prompt_complete import complete


def test_command_names_then_option_names() -> None:
    cases = {
        "list-k": ("list-keys ", ("list-keys",)),
        "spl": ("split", ("split-window", "splitw")),
        "new -d ; rename-w": ("new -d ; rename-window ", ("rename-window",)),
        "set -g status-le": ("set -g status-left",
                             ("status-left", "status-left-length", "status-left-style")),
        "setw -g mode-k": ("setw -g mode-keys", ("mode-keys",)),
        "set-option -s buffer-l": ("set-option -s buffer-limit", ("buffer-limit",)),
        "set -t se": ("set -t se", ()),            # a target, not an option
        "kill-pane -t x": ("kill-pane -t x", ()),  # nothing to complete there
        "zzz": ("zzz", ()),
    }
    for text, (expected, candidates) in cases.items():
        result = complete(text, len(text))
        assert (result.text, result.candidates) == (expected, candidates), text
        assert result.cursor == len(expected)
    middle = complete("list-k -T prefix", 6)
    assert (middle.text, middle.cursor) == ("list-keys  -T prefix", 10)


def test_tab_in_the_prompt(server: Any) -> None:
    server.ok("new-session", "-d", "-s", "main")

    async def scenario() -> None:
        app = make_app(server)
        async with app.run_test(size=(80, 24)) as pilot:
            await wait_text(app, "$")
            await pilot.press("ctrl+b", "colon", *"rename-w", "tab")
            await wait_for(lambda: app.prompt.input.value == "rename-window ", "completed")
            await pilot.press("x", "enter")
            await wait_for(lambda: app.status.windows and
                           app.status.windows[0]["name"] == "x", "the rename")
            await pilot.press("ctrl+b", "colon", *"set -g status-le", "tab")
            await wait_for(lambda: app.prompt.input.value == "set -g status-left",
                           "the option's common prefix")
            assert "status-left-style" in app.prompt.candidates
            await pilot.press("escape")

    asyncio.run(scenario())
