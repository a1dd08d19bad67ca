"""BusPanel snapshots and behaviour (issue 5): fixed messages, fixed UTC clock."""

from __future__ import annotations

import time

from textual.app import App, ComposeResult

from aisession_tui.widgets.bus_panel import BusPanel

MESSAGES = [
    {"id": 1, "at": 1_700_000_000.0, "from": "frontend", "to": "backend", "topic": None,
     "type": "task_assignment", "priority": "high",
     "payload": {"task": "add /users endpoint", "fields": ["id", "name", "email"]}},
    {"id": 2, "at": 1_700_000_005.0, "from": "lead", "to": "*", "topic": None,
     "type": "status_update", "priority": "normal", "payload": {"phase": "review"}},
    {"id": 3, "at": 1_700_000_009.0, "from": "ci", "to": None, "topic": "status.build",
     "type": "status_update", "priority": "normal", "payload": {"ok": False, "failed": 2}},
    {"id": 4, "at": 1_700_000_012.0, "from": "backend", "to": "frontend", "topic": None,
     "type": "response", "priority": "normal", "reply_to": 1,
     "payload": {"done": True, "route": "/users"}},
]


def utc_clock(epoch: float) -> str:
    return time.strftime("%H:%M:%S", time.gmtime(epoch))


class PanelHost(App[None]):
    CSS = "Screen { layout: horizontal; } BusPanel { width: 60; }"

    def compose(self) -> ComposeResult:
        yield BusPanel(clock=utc_clock, preview_width=24, id="bus")

    def on_mount(self) -> None:
        panel = self.query_one(BusPanel)
        for message in MESSAGES:
            panel.add_message(message)
        panel.query_one("#bus-table").focus()


def test_bus_panel_streams_messages_with_the_last_selected(snap_compare):
    assert snap_compare(PanelHost(), terminal_size=(60, 20))


def test_bus_panel_filtered_by_agent_with_a_selected_payload(snap_compare):
    async def filter_and_select(pilot) -> None:
        panel = pilot.app.query_one(BusPanel)
        panel.set_filter(agent="frontend")
        await pilot.pause()
        await pilot.press("up")
        await pilot.pause()

    assert snap_compare(PanelHost(), terminal_size=(60, 20), run_before=filter_and_select)


async def test_filters_and_selection_follow_the_messages():
    app = PanelHost()
    async with app.run_test(size=(60, 20)) as pilot:
        panel = app.query_one(BusPanel)
        assert [m["id"] for m in panel.visible()] == [1, 2, 3, 4]
        await pilot.press("t")
        assert panel.type_filter == "task_assignment"
        assert [m["id"] for m in panel.visible()] == [1]
        await pilot.press("escape", "a", "a")
        assert panel.agent_filter == "lead"
        assert [m["id"] for m in panel.visible()] == [2]
        panel.set_filter()
        panel.add_message({**MESSAGES[0], "id": 5, "payload": {"late": True}})
        await pilot.pause()
        detail = str(panel.query_one("#bus-detail").render())
        assert '"late": true' in detail
