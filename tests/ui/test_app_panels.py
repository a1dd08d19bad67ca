"""The side panels update live inside the real app, against a real server.

Commands run through the CLI in a worker thread while the app stays attached: the
parsed output and context panels must change when a command finishes or a note is
added (no key pressed, no polling), follow the focused pane, and take the keyboard only
after a click; the bus panel and the agents in the status line must follow the bus.
"""

from __future__ import annotations

import asyncio
import json
from typing import Any

from app_harness import fixed_config, pane_text, settle, wait_for, wait_text

from aisession_tui.client.app import MultiplexerApp, create_app
from aisession_tui.keymaps import load_keymap
from aisession_tui.widgets.panel_format import FIXED_TIMES

SIZE = (100, 30)
FAILING = "python3 -c \"assert 1 + 1 == 3, 'arithmetic is broken'\""


def panel_app(server: Any) -> MultiplexerApp:
    """The client on ``main`` with a 44-cell side panel and fixed panel times."""
    config = fixed_config(side_panel_width=44)
    return create_app(server.socket, "main", config=config,
                      keymap=load_keymap(None, config.prefix), display_panes_time=3600,
                      env=server.env, cwd=str(server.home), times=FIXED_TIMES)


async def cli(server: Any, *args: str) -> Any:
    """Run the CLI off the app's loop (the app keeps receiving notifications)."""
    return await asyncio.to_thread(server.run, *args)


def body_text(app: MultiplexerApp) -> str:
    return str(app.side_panel.parsed_panel.query_one("#parsed-body").render())


def context_of(app: MultiplexerApp) -> dict[str, Any]:
    return app.side_panel.context_panel.data or {}


def test_context_and_parsed_panels_update_live_and_follow_the_focused_pane(
        server: Any) -> None:
    server.ok("new-session", "-d", "-s", "main", "-x", "55", "-y", "29")
    server.wait_for_text("main", "$")
    first = int(server.ok("display-message", "-p", "-t", "main", "#{pane_id}")[1:])

    async def scenario() -> None:
        app = panel_app(server)
        async with app.run_test(size=SIZE) as pilot:
            await wait_for(lambda: app.attached.is_set(), "attach")
            await wait_text(app, "$")
            await pilot.press("ctrl+b", "P")
            panel = app.side_panel
            await wait_for(lambda: panel.display and first in panel.loaded, "parsed panel")
            assert panel.parsed_panel.current() is None
            assert "no command finished" in body_text(app)

            assert (await cli(server, "exec", "main", FAILING)).code == 1
            await wait_for(lambda: "<string>:1" in body_text(app), "the parsed failure")
            shown = body_text(app)
            assert "exit 1" in shown and "python traceback · failure" in shown
            assert "AssertionError: arithmetic is broken" in shown

            await pilot.press("ctrl+b", "A")
            await wait_for(lambda: context_of(app).get("messages_total") == 2, "context")
            agent_view = json.loads((await cli(server, "context", "main", "--json")).out)
            assert context_of(app)["tokens"] == agent_view["tokens"] > 0
            assert context_of(app)["max_tokens"] == agent_view["max_tokens"]

            await cli(server, "context", "add", "main", "--role", "agent", "note for later")
            await wait_for(lambda: context_of(app).get("messages_total") == 3, "the note")
            head = str(app.side_panel.context_panel.query_one("#context-head").render())
            assert f"{context_of(app)['tokens']:,} / 4,096 tokens" in head
            assert "3 msgs · 0 compressions" in head

            await cli(server, "split-window", "-t", "main")
            second = int(server.ok("display-message", "-p", "-t", "main",
                                   "#{pane_id}")[1:])
            assert second != first
            await wait_for(lambda: panel.pane_id == second and second in panel.loaded,
                           "the new pane's state")
            assert context_of(app)["messages"] == [] and context_of(app)["pane"] == second

            await cli(server, "exec", "main", "echo in the second pane")
            await wait_for(lambda: context_of(app).get("messages_total") == 2,
                           "the second pane's context")
            assert context_of(app)["messages"][0]["text"] == "echo in the second pane"

            await cli(server, "select-pane", "-t", f"%{first}")
            await wait_for(lambda: panel.pane_id == first, "focus back on the first pane")
            assert context_of(app)["messages_total"] == 3

            await pilot.press("ctrl+b", "A")
            await wait_for(lambda: not panel.display, "the panel hidden")
            assert app.window_area() == (SIZE[0], SIZE[1] - 1)

    asyncio.run(scenario())


def test_parsed_panel_takes_the_keyboard_after_a_click_until_the_prefix(server: Any) -> None:
    server.ok("new-session", "-d", "-s", "main", "-x", "55", "-y", "29")
    server.wait_for_text("main", "$")
    server.ok("exec", "main", "echo first")
    assert server.run("exec", "main", FAILING).code == 1

    async def scenario() -> None:
        app = panel_app(server)
        async with app.run_test(size=SIZE) as pilot:
            await wait_for(lambda: app.attached.is_set(), "attach")
            await wait_text(app, "arithmetic is broken")
            await pilot.press("ctrl+b", "P")
            parsed = app.side_panel.parsed_panel
            await wait_for(lambda: len(parsed.records) == 2, "two records")
            assert "command 2/2" in body_text(app)

            await pilot.click("#panel-parsed")
            await wait_for(app.panel_has_focus, "the panel focused")
            await pilot.press("left")
            await wait_for(lambda: "command 1/2 (selected)" in body_text(app), "older")
            assert "$ echo first" in body_text(app)
            # A new command does not move the user's selection.
            await cli(server, "exec", "main", "echo third")
            await wait_for(lambda: len(parsed.records) == 3, "a third record")
            assert "command 1/3 (selected)" in body_text(app)
            await pilot.press("end")
            await wait_for(lambda: "command 3/3" in body_text(app), "following again")

            await pilot.press("ctrl+b")
            assert not app.panel_has_focus()
            await pilot.press("escape")  # leaves the prefix table unused
            await pilot.press(*"echo typed-after")
            await wait_text(app, "echo typed-after")
            await settle(pilot)
            assert "typed-after" in pane_text(app)

    asyncio.run(scenario())


def test_bus_panel_and_agent_states_follow_the_bus(server: Any) -> None:
    server.ok("new-session", "-d", "-s", "main", "-x", "55", "-y", "29")
    server.wait_for_text("main", "$")
    server.ok("agent", "register", "lead")
    server.ok("bus", "broadcast", "--from", "lead", "--type", "status_update",
              '{"phase": "plan"}')

    async def scenario() -> None:
        app = panel_app(server)
        async with app.run_test(size=SIZE) as pilot:
            await wait_for(lambda: app.attached.is_set(), "attach")
            bus = app.side_panel.bus_panel
            await wait_for(lambda: len(bus.messages) == 1, "the bus history")
            await wait_for(lambda: app.status.agents == [("lead", "idle")], "lead")
            await pilot.press("ctrl+b", "B")
            await wait_for(lambda: bus.display and app.side_panel.display, "bus panel")

            await cli(server, "agent", "register", "frontend", "--session", "main",
                      "--capabilities", "css")
            await wait_for(lambda: ("frontend", "idle") in app.status.agents, "frontend")
            await cli(server, "bus", "send", "--from", "lead", "--to", "frontend",
                      "--type", "task_assignment", '{"task": "navbar"}')
            await wait_for(lambda: len(bus.messages) == 2, "the live message")
            assert bus.messages[-1]["payload"] == {"task": "navbar"}
            assert bus.messages[-1]["from"] == "lead"

            submitted = await cli(server, "task", "submit", "--requires", "css", "--json",
                                  '{"task": "fix the navbar"}')
            task_id = json.loads(submitted.out)["id"]
            await wait_for(lambda: ("frontend", "busy") in app.status.agents, "busy")
            await cli(server, "task", "done", str(task_id), "--result", '{"ok": true}')
            await wait_for(lambda: ("frontend", "idle") in app.status.agents, "idle")

            await cli(server, "agent", "unregister", "lead", "--force")
            await wait_for(lambda: [name for name, _ in app.status.agents] == ["frontend"],
                           "lead gone")
            await settle(pilot)
            assert "frontend:idle" in str(app.status.render())

    asyncio.run(scenario())
