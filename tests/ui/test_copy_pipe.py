"""copy-pipe through the real app and server: the selection goes to a paste buffer AND,
through ``/bin/sh -c``, to the command given (else the ``copy-command`` option), in the
pane's directory; a failing command is a status-line message, never a crash."""

from __future__ import annotations

import asyncio
from pathlib import Path
from typing import Any

from app_harness import make_app, settle, wait_for, wait_text


def run(scenario: Any) -> None:
    asyncio.run(scenario())


def line_session(server: Any, *commands: str) -> None:
    """Session ``main`` whose shell printed ``copy-me-please`` last (after ``commands``)."""
    server.ok("new-session", "-d", "-s", "main", "-x", "80", "-y", "23")
    server.wait_for_text("main", "$")
    for command in commands:
        server.ok("send-keys", "-t", "main", command, "Enter")
    server.ok("send-keys", "-t", "main", "echo first-line; echo copy-me-please", "Enter")
    server.wait_for_text("main", "copy-me-please\n")


async def select_last_output_line(app: Any, pilot: Any) -> Any:
    """Enter copy mode and select the line above the prompt (emacs keys)."""
    await wait_text(app, "copy-me-please\n")
    await pilot.press("ctrl+b", "left_square_bracket")
    view = app.window_view.active_pane()
    await wait_for(lambda: view.copy_mode is not None, "copy mode")
    await pilot.press("up", "ctrl+a", "ctrl+@", "ctrl+e")
    return view


async def type_line(pilot: Any, text: str) -> None:
    """Type ``text`` into the focused prompt, one key per character, then Enter."""
    for char in text:
        await pilot.press(char)
    await pilot.press("enter")


def file_text(path: Path) -> str:
    return path.read_text() if path.exists() else ""


def test_copy_pipe_writes_the_selection_to_the_command_and_a_buffer(
        server: Any, tmp_path: Path) -> None:
    target = tmp_path / "piped.txt"
    line_session(server)

    async def scenario() -> None:
        app = make_app(server)
        async with app.run_test(size=(80, 24)) as pilot:
            view = await select_last_output_line(app, pilot)
            await pilot.press("ctrl+b", "colon")
            await wait_for(lambda: app.prompt.is_open, "the command prompt")
            await type_line(pilot, f'send-keys -X copy-pipe-and-cancel "cat > {target}"')
            await wait_for(lambda: view.copy_mode is None, "copy mode left")
            await wait_for(lambda: file_text(target) == "copy-me-please", "the piped file")
            await settle(pilot)

    run(scenario)
    assert server.ok("show-buffer") == "copy-me-please"


def test_copy_command_option_pipes_the_default_bindings(server: Any, tmp_path: Path) -> None:
    target = tmp_path / "from-option.txt"
    line_session(server)
    server.ok("set-option", "-s", "copy-command", f"tr a-z A-Z > {target}")

    async def scenario() -> None:
        app = make_app(server)
        async with app.run_test(size=(80, 24)) as pilot:
            view = await select_last_output_line(app, pilot)
            await pilot.press("alt+w")          # copy-pipe-and-cancel, no argument
            await wait_for(lambda: view.copy_mode is None, "copy mode left")
            await wait_for(lambda: file_text(target) == "COPY-ME-PLEASE", "the piped file")

    run(scenario)
    assert server.ok("show-buffer") == "copy-me-please"


def test_without_copy_command_copy_pipe_only_copies(server: Any, tmp_path: Path) -> None:
    line_session(server)

    async def scenario() -> None:
        app = make_app(server)
        async with app.run_test(size=(80, 24)) as pilot:
            view = await select_last_output_line(app, pilot)
            await pilot.press("alt+w")
            await wait_for(lambda: view.copy_mode is None, "copy mode left")
            await settle(pilot)
            assert not app.status.message

    run(scenario)
    assert server.ok("show-buffer") == "copy-me-please"


def test_copy_pipe_runs_in_the_panes_directory_and_keeps_the_selection_with_no_clear(
        server: Any, tmp_path: Path) -> None:
    work = server.home / "work dir"
    work.mkdir()
    line_session(server, f"cd '{work}'")
    server.wait_for_text("main", "$")

    async def scenario() -> None:
        app = make_app(server)
        async with app.run_test(size=(80, 24)) as pilot:
            view = await select_last_output_line(app, pilot)
            await app.actions.run_line('send-keys -X copy-pipe-no-clear "cat > relative.txt"')
            await wait_for(lambda: file_text(work / "relative.txt") == "copy-me-please",
                           "the file in the pane's directory")
            assert view.copy_mode is not None
            assert view.copy_mode.selection_text() == "copy-me-please"

    run(scenario)


def test_a_failing_pipe_command_is_a_message(server: Any) -> None:
    line_session(server)

    async def scenario() -> None:
        app = make_app(server)
        async with app.run_test(size=(80, 24)) as pilot:
            view = await select_last_output_line(app, pilot)
            await app.actions.run_line('send-keys -X copy-pipe "echo oops >&2; exit 3"')
            await wait_for(lambda: "returned 3" in (app.status.message or ""),
                           "the failure in the status line")
            assert app.status.message == "'echo oops >&2; exit 3' returned 3: oops"
            assert view.copy_mode is not None and view.copy_mode.mark is None
            await pilot.press("ctrl+b", "colon")   # the app still takes keys
            await wait_for(lambda: app.prompt.is_open, "the command prompt")

    run(scenario)
    assert server.ok("show-buffer") == "copy-me-please"
