"""BusPanel: live message-bus traffic for the side panel.

Fed by :meth:`BusPanel.add_message` with message dicts as the server sends them
(``bus.message`` notifications: id, at, from, to, topic, type, priority, payload). Shows a
table (time, from -> to/#topic, type, payload preview), newest at the bottom and
followed while the cursor is on the last row; a filter by agent and/or type; and the
full payload of the highlighted message below the table.

Invariants: at most ``max_messages`` messages are kept (oldest dropped from the view
only); changing the filter rebuilds the table from what is kept; the clock function is
injectable so snapshots do not depend on the time zone.
"""

from __future__ import annotations

import json
import time
from collections.abc import Callable
from typing import Any, ClassVar

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.widgets import DataTable, Static

TYPE_STYLES = {"task_assignment": "bold cyan", "status_update": "green",
               "data_share": "blue", "coordination_request": "magenta",
               "response": "yellow", "help_request": "bold red", "custom": "white"}


def local_clock(epoch: float) -> str:
    """``HH:MM:SS`` in local time."""
    return time.strftime("%H:%M:%S", time.localtime(epoch))


def target_of(message: dict[str, Any]) -> str:
    """``backend``, ``*`` or ``#status.build``."""
    return f"#{message['topic']}" if message.get("topic") else str(message.get("to") or "")


def involves(message: dict[str, Any], agent: str) -> bool:
    """True when ``agent`` sent or receives the message (broadcasts reach everyone)."""
    return agent in (message.get("from"), message.get("to")) or \
        agent in message.get("recipients", ()) or message.get("to") == "*"


class BusPanel(Vertical):
    """The message-bus panel."""

    DEFAULT_CSS = """
    BusPanel {
        height: 1fr;
        background: $surface;
    }
    BusPanel > #bus-header {
        height: 1;
        background: $primary-background;
        color: $foreground;
        padding: 0 1;
    }
    BusPanel > DataTable {
        height: 2fr;
    }
    BusPanel > #bus-detail {
        height: 1fr;
        border-top: solid $primary;
        padding: 0 1;
        overflow-y: auto;
    }
    """

    BINDINGS: ClassVar[list[Binding]] = [
        Binding("t", "cycle_type", "Filter type", show=False),
        Binding("a", "cycle_agent", "Filter agent", show=False),
        Binding("escape", "clear_filter", "Clear filter", show=False),
    ]

    def __init__(self, *, max_messages: int = 1000,
                 clock: Callable[[float], str] = local_clock, preview_width: int = 40,
                 id: str | None = None) -> None:
        super().__init__(id=id)
        self.max_messages = max_messages
        self.clock = clock
        self.preview_width = preview_width
        self.messages: list[dict[str, Any]] = []
        self.agent_filter: str | None = None
        """Show only messages from/to this agent."""
        self.type_filter: str | None = None
        """Show only messages of this type."""

    def compose(self) -> ComposeResult:
        yield Static(self._header_text(), id="bus-header")
        table: DataTable[Any] = DataTable(id="bus-table", cursor_type="row", zebra_stripes=False)
        table.add_columns("time", "from -> to", "type", "payload")
        yield table
        yield Static("", id="bus-detail")

    # ----------------------------------------------------------------- feeding
    def add_message(self, message: dict[str, Any]) -> None:
        """Append one message (and show it when it passes the filter)."""
        self.messages.append(message)
        if len(self.messages) > self.max_messages:
            dropped = self.messages.pop(0)
            table = self._table()
            if table is not None and str(dropped["id"]) in {str(k.value) for k in
                                                            table.rows}:
                table.remove_row(str(dropped["id"]))
        if self.matches(message):
            self._append_row(message)
        self._refresh_header()

    def set_filter(self, *, agent: str | None = None, type: str | None = None) -> None:
        """Show only messages involving ``agent`` and/or of ``type`` (None: all)."""
        self.agent_filter = agent
        self.type_filter = type
        self._rebuild()

    def matches(self, message: dict[str, Any]) -> bool:
        """Whether the current filter shows ``message``."""
        if self.type_filter is not None and message.get("type") != self.type_filter:
            return False
        return self.agent_filter is None or involves(message, self.agent_filter)

    def visible(self) -> list[dict[str, Any]]:
        """The messages the table shows, in order."""
        return [m for m in self.messages if self.matches(m)]

    # ----------------------------------------------------------------- actions
    def action_cycle_type(self) -> None:
        """Filter by the next message type seen (then none)."""
        self.set_filter(agent=self.agent_filter,
                        type=_next(self.type_filter, [m["type"] for m in self.messages]))

    def action_cycle_agent(self) -> None:
        """Filter by the next agent seen as a sender (then none)."""
        self.set_filter(agent=_next(self.agent_filter, [m["from"] for m in self.messages]),
                        type=self.type_filter)

    def action_clear_filter(self) -> None:
        """Show everything."""
        self.set_filter()

    # ---------------------------------------------------------------- display
    def on_data_table_row_highlighted(self, event: DataTable.RowHighlighted) -> None:
        key = event.row_key.value if event.row_key is not None else None
        found = next((m for m in self.messages if str(m["id"]) == key), None)
        self.query_one("#bus-detail", Static).update(self._detail(found))

    def _table(self) -> DataTable[Any] | None:
        tables = self.query("#bus-table")
        return tables.first(DataTable) if tables else None

    def _append_row(self, message: dict[str, Any]) -> None:
        table = self._table()
        if table is None:
            return
        follow = table.row_count == 0 or table.cursor_row >= table.row_count - 1
        preview = json.dumps(message.get("payload"), ensure_ascii=False)
        if len(preview) > self.preview_width:
            preview = preview[:self.preview_width - 1] + "…"
        table.add_row(self.clock(message["at"]),
                      f"{message['from']} -> {target_of(message)}",
                      Text(message["type"], style=TYPE_STYLES.get(message["type"], "")),
                      preview, key=str(message["id"]))
        if follow:
            table.move_cursor(row=table.row_count - 1)

    def _rebuild(self) -> None:
        table = self._table()
        if table is not None:
            table.clear()
            for message in self.visible():
                self._append_row(message)
            if not table.row_count:
                self.query_one("#bus-detail", Static).update("")
        self._refresh_header()

    def _header_text(self) -> str:
        parts = [f"bus  {len(self.visible())}/{len(self.messages)}"]
        if self.agent_filter:
            parts.append(f"agent={self.agent_filter}")
        if self.type_filter:
            parts.append(f"type={self.type_filter}")
        return "  ".join(parts)

    def _refresh_header(self) -> None:
        headers = self.query("#bus-header")
        if headers:
            headers.first(Static).update(self._header_text())

    def _detail(self, message: dict[str, Any] | None) -> Text:
        if message is None:
            return Text("")
        text = Text()
        text.append(f"#{message['id']} {message['from']} -> {target_of(message)}",
                    style="bold")
        text.append(f"  {message['type']} ({message.get('priority', 'normal')})  "
                    f"{self.clock(message['at'])}")
        if message.get("reply_to"):
            text.append(f"  reply to #{message['reply_to']}")
        text.append("\n")
        text.append(json.dumps(message.get("payload"), indent=2, ensure_ascii=False))
        return text


def _next(current: str | None, seen: list[str]) -> str | None:
    """The value after ``current`` among the distinct ``seen`` values; None after the
    last."""
    values = list(dict.fromkeys(seen))
    if not values:
        return None
    if current not in values:
        return values[0]
    index = values.index(current) + 1
    return values[index] if index < len(values) else None
