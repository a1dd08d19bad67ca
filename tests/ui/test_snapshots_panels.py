"""Snapshots of the side panels inside the real app, against a real server.

Each test runs real commands in session ``main`` with ``exec`` (a failing Python
assertion, so the parser and the context have something to say), or registers agents and
sends bus messages with the CLI, then attaches the app at 100x30, toggles a panel with
its prefix key and waits - in the app - until the panel holds the server's data before
the shot. Times and durations print through ``FIXED_TIMES``; token counts are exact and
therefore the same on every run.
"""

from __future__ import annotations

from typing import Any

from app_harness import fixed_config, settle, wait_for, wait_text

from aisession_tui.client.app import MultiplexerApp, create_app
from aisession_tui.keymaps import load_keymap
from aisession_tui.widgets.panel_format import FIXED_TIMES

SIZE = (100, 30)
FAILING = ("python3 -c \"add = lambda a, b: a - b; assert add(1, 2) == 3, "
           "'add(1, 2) returned -1'\"")


def panel_app(server: Any) -> MultiplexerApp:
    """The client on ``main`` with a 44-cell side panel and fixed panel times."""
    config = fixed_config(side_panel_width=44)
    return create_app(server.socket, "main", config=config,
                      keymap=load_keymap(None, config.prefix), display_panes_time=3600,
                      env=server.env, cwd=str(server.home), times=FIXED_TIMES)


def session_with_a_failure(server: Any, budget: int | None = None) -> None:
    """``main`` ran ``echo``, a failing assertion, got an assistant note (and, with a
    token ``budget``, one more command, so its context was compressed)."""
    if budget is None:
        server.ok("new-session", "-d", "-s", "main", "-x", "55", "-y", "29")
    else:
        server.ok("create", "--name", "main", "--max-tokens", str(budget))
        server.ok("resize-window", "-t", "main", "-x", "55", "-y", "29")
    server.wait_for_text("main", "$")
    server.ok("exec", "main", "echo building the parser")
    assert server.run("exec", "main", FAILING).code == 1
    server.ok("context", "add", "main", "--role", "assistant", "add() subtracts; fixing it")
    if budget is not None:
        server.ok("exec", "main", "echo retry")


def open_panel(key: str, ready: Any) -> Any:
    """A ``run_before``: attach, wait for the pane's text, press prefix + key, wait."""
    async def run_before(pilot: Any) -> None:
        app = pilot.app
        await wait_for(lambda: app.attached.is_set(), "attach")
        await wait_text(app, "returned -1")
        await pilot.press("ctrl+b", key)
        await wait_for(lambda: ready(app), "the panel's data")
        await settle(pilot)
    return run_before


def test_context_panel_shows_the_gauge_messages_and_savings(server: Any,
                                                            snap_compare: Any) -> None:
    session_with_a_failure(server)

    def ready(app: MultiplexerApp) -> bool:
        data = app.side_panel.context_panel.data
        return bool(data and data["messages_total"] == 5)

    assert snap_compare(panel_app(server), terminal_size=SIZE,
                        run_before=open_panel("A", ready))


def test_context_panel_after_compressions(server: Any, snap_compare: Any) -> None:
    session_with_a_failure(server, budget=100)

    def ready(app: MultiplexerApp) -> bool:
        data = app.side_panel.context_panel.data
        return bool(data and data["messages_total"] == 7 and data["compressions"] > 0)

    assert snap_compare(panel_app(server), terminal_size=SIZE,
                        run_before=open_panel("A", ready))


def test_parsed_panel_shows_the_last_command_with_its_locations(server: Any,
                                                                snap_compare: Any) -> None:
    session_with_a_failure(server)

    def ready(app: MultiplexerApp) -> bool:
        record = app.side_panel.parsed_panel.current()
        return bool(record and record["exit_code"] == 1)

    assert snap_compare(panel_app(server), terminal_size=SIZE,
                        run_before=open_panel("P", ready))


def test_bus_panel_and_agent_states_in_the_status_line(server: Any,
                                                       snap_compare: Any) -> None:
    server.ok("new-session", "-d", "-s", "main", "-x", "55", "-y", "29")
    server.wait_for_text("main", "$")
    server.ok("exec", "main", "echo returned -1 agents ready")
    server.ok("agent", "register", "frontend", "--session", "main", "--capabilities",
              "ui,css")
    server.ok("agent", "register", "backend", "--session", "main", "--capabilities", "api")
    server.ok("agent", "register", "lead", "--role", "reviewer")
    server.ok("bus", "send", "--from", "frontend", "--to", "backend", "--type",
              "task_assignment", '{"task": "add /users endpoint"}')
    server.ok("bus", "send", "--from", "backend", "--to", "frontend", "--type", "response",
              '{"done": true}')
    server.ok("bus", "broadcast", "--from", "lead", "--type", "status_update",
              '{"phase": "review"}')
    server.ok("task", "submit", "--requires", "css", '{"task": "fix the navbar"}')

    def ready(app: MultiplexerApp) -> bool:
        return len(app.side_panel.bus_panel.messages) >= 3 and \
            app.status.agents == [("frontend", "busy"), ("backend", "idle"),
                                  ("lead", "idle")]

    assert snap_compare(panel_app(server), terminal_size=SIZE,
                        run_before=open_panel("B", ready))
