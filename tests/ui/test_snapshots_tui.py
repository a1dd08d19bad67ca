"""Snapshots of the attached client against a real server (the ``server`` fixture).

Each test prepares the session with CLI commands, waits on the server until the panes
show their final text, then lets the app attach at 80x24 and waits again - in the app -
before the shot. The test config has no clock (empty status-right), tmux's emacs keys
and a fixed prompt (``$ `` from the fixture's .bashrc), so every run draws the same.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from app_harness import make_app, settle, wait_for, wait_text
from conftest import wait_until

from aisession_tui.themes import builtin_theme_path

SIZE = (80, 24)
COLOURS = (r"printf '\033[31mred\033[0m \033[1;32mbold green\033[0m \033[4munder\033[0m "
           r"\033[7mreverse\033[0m \033[9mstrike\033[0m \033[3mitalic\033[0m\n"
           r"\033[48;5;27m palette-27 \033[0m \033[38;2;255;128;0mtruecolor\033[0m "
           r"\033[44;33m yellow on blue \033[0m wide:漢字 end\n'")


def new_session(server: Any, *command: str) -> None:
    """Session ``main`` at the app's window size."""
    server.ok("new-session", "-d", "-s", "main", "-x", "80", "-y", "23", *command)


def type_line(server: Any, target: str, line: str, expect: str) -> None:
    """Type a shell line into a pane and wait until ``expect`` shows."""
    server.wait_for_text(target, "$")
    server.ok("send-keys", "-t", target, line, "Enter")
    server.wait_for_text(target, expect)


def until(*texts: str, extra: Any = None) -> Any:
    """A ``run_before`` that waits for every text in the app, then runs ``extra``."""
    async def run_before(pilot: Any) -> None:
        app = pilot.app
        await wait_for(lambda: app.attached.is_set(), "attach")
        for text in texts:
            await wait_text(app, text)
        if extra is not None:
            await extra(pilot)
        await settle(pilot)
    return run_before


def test_one_pane_coloured_output(server: Any, snap_compare: Any) -> None:
    new_session(server)
    type_line(server, "main", COLOURS, "yellow on blue")
    assert snap_compare(make_app(server), terminal_size=SIZE,
                        run_before=until("yellow on blue"))


@pytest.mark.parametrize("theme", ["dark", "light"])
def test_themes(server: Any, snap_compare: Any, theme: str) -> None:
    """A shipped theme file sourced as tmux config: status line, borders and messages
    drawn from its style options."""
    new_session(server)
    server.ok("source-file", str(builtin_theme_path(theme)))
    server.ok("split-window", "-h", "-t", "main")
    type_line(server, "main.0", COLOURS, "yellow on blue")
    assert snap_compare(make_app(server), terminal_size=SIZE,
                        run_before=until("yellow on blue"))


def test_horizontal_split(server: Any, snap_compare: Any) -> None:
    new_session(server)
    type_line(server, "main", "echo left", "left\n")
    server.ok("split-window", "-h", "-t", "main")
    type_line(server, "main.1", "echo right", "right\n")
    assert snap_compare(make_app(server), terminal_size=SIZE,
                        run_before=until("left\n", "right\n"))


def test_vertical_split(server: Any, snap_compare: Any) -> None:
    new_session(server)
    type_line(server, "main", "echo top", "top\n")
    server.ok("split-window", "-v", "-t", "main")
    type_line(server, "main.1", "echo bottom", "bottom\n")
    assert snap_compare(make_app(server), terminal_size=SIZE,
                        run_before=until("top\n", "bottom\n"))


def test_nested_splits(server: Any, snap_compare: Any) -> None:
    new_session(server)
    server.ok("split-window", "-h", "-t", "main")
    server.ok("split-window", "-v", "-t", "main.1")
    server.ok("split-window", "-v", "-t", "main.0")
    for index in range(4):
        type_line(server, f"main.{index}", f"echo pane-{index}", f"pane-{index}\n")
    assert snap_compare(make_app(server), terminal_size=SIZE,
                        run_before=until(*(f"pane-{index}\n" for index in range(4))))


def test_zoomed_pane(server: Any, snap_compare: Any) -> None:
    new_session(server)
    server.ok("split-window", "-h", "-t", "main")
    type_line(server, "main.1", "echo zoomed", "zoomed\n")
    server.ok("resize-pane", "-Z", "-t", "main.1")
    assert snap_compare(make_app(server), terminal_size=SIZE,
                        run_before=until("zoomed\n"))


def test_several_windows_status_line(server: Any, snap_compare: Any) -> None:
    new_session(server)
    server.ok("new-window", "-t", "main", "-n", "editor")
    server.ok("new-window", "-t", "main", "-n", "logs")
    server.ok("select-window", "-t", "main:1")
    type_line(server, "main:1", "echo in-editor-window", "in-editor-window\n")
    assert snap_compare(make_app(server), terminal_size=SIZE,
                        run_before=until("in-editor-window\n"))


def test_display_panes(server: Any, snap_compare: Any) -> None:
    new_session(server)
    server.ok("split-window", "-h", "-t", "main")
    server.ok("split-window", "-v", "-t", "main.1")

    async def press(pilot: Any) -> None:
        await pilot.press("ctrl+b", "q")
        await wait_for(lambda: pilot.app.window_view.numbers_shown, "pane numbers")

    assert snap_compare(make_app(server), terminal_size=SIZE,
                        run_before=until("$", extra=press))


def test_copy_mode_selection(server: Any, snap_compare: Any) -> None:
    new_session(server)
    type_line(server, "main", "seq 1 40", "40\n")

    async def select(pilot: Any) -> None:
        await pilot.press("ctrl+b", "left_square_bracket")
        view = pilot.app.window_view.active_pane()
        await wait_for(lambda: view.copy_mode is not None, "copy mode")
        await pilot.press("up", "up", "up", "ctrl+@", "up", "up", "right")

    assert snap_compare(make_app(server), terminal_size=SIZE,
                        run_before=until("40\n", extra=select))


def test_command_prompt(server: Any, snap_compare: Any) -> None:
    new_session(server)

    async def prompt(pilot: Any) -> None:
        await pilot.press("ctrl+b", "colon", *"split-window -h")
        await wait_for(lambda: pilot.app.prompt.input.value == "split-window -h", "typing")

    assert snap_compare(make_app(server), terminal_size=SIZE,
                        run_before=until("$", extra=prompt))


def test_list_keys(server: Any, snap_compare: Any) -> None:
    new_session(server)

    async def keys(pilot: Any) -> None:
        await pilot.press("ctrl+b", "question_mark")  # list-keys -N, in view mode as tmux
        await wait_for(lambda: pilot.app.window_view.active_pane().copy_mode is not None,
                       "the key list")

    assert snap_compare(make_app(server), terminal_size=SIZE,
                        run_before=until("$", extra=keys))


def test_full_screen_less(server: Any, snap_compare: Any, tmp_path: Path) -> None:
    sample = tmp_path / "sample.txt"
    sample.write_text("".join(f"line {n} of the fixture file for less\n" for n in range(1, 61)))
    new_session(server)
    type_line(server, "main", f"cd {tmp_path} && LESS= less sample.txt", "line 22 of")
    # the status line names the window after less: on a loaded machine that takes a moment
    wait_until(lambda: server.ok("display-message", "-p", "-t", "main", "#{window_name}")
               == "less\n", message="window named less")
    assert snap_compare(make_app(server), terminal_size=SIZE,
                        run_before=until("line 22 of", "sample.txt"))
