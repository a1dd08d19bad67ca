"""SidePanel: the toggleable right column holding the AI context, parsed output and bus panels.

``section`` names what it shows: ``context`` (:class:`ContextPanel`), ``parsed``
(:class:`ParsedPanel`), ``bus`` (:class:`BusPanel`), or none: live facts about the focused
pane that the server knows (id, size, current command, working directory, history size,
window), refreshed on every layout change.

It keeps what the server pushed for every pane of the session (``context`` and ``record``
notifications, ``panel.state`` replies) so switching the focused pane shows that pane's
state at once; :meth:`focus_pane` says when a pane's state was never fetched.

Invariants: when hidden the panel takes no cells, so the window gets the whole width;
exactly one section's widget is displayed; a pane keeps at most ``RECORDS_KEPT`` records.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from rich.text import Text
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.widgets import Static

from .bus_panel import BusPanel
from .context_panel import ContextPanel
from .panel_format import TimeFormat
from .parsed_panel import ParsedPanel

if TYPE_CHECKING:
    from aisession_tui.protocol.messages import ContextMessage, PanelStateResult, RecordMessage

PANE_INFO_FORMAT = ("#{pane_id}\t#{pane_width}x#{pane_height}\t#{pane_current_command}\t"
                    "#{pane_current_path}\t#{history_size}\t#{window_index}:#{window_name}")
"""The format the app expands (``display-message -p``) to fill the panel."""

_LABELS = ("pane", "size", "command", "cwd", "history", "window")

SECTIONS = ("context", "parsed", "bus")
"""Sections with their own widget; anything else shows the pane facts."""
RECORDS_KEPT = 20
"""Records of one pane kept for the parsed panel (the server sends as many)."""


class SidePanel(Vertical):
    """The side panel column."""

    DEFAULT_CSS = """
    SidePanel {
        width: 40;
        height: 1fr;
        display: none;
        background: $panel-bg;
        color: $foreground;
        border-left: solid $pane-border;
        padding: 0 1;
    }
    SidePanel > #panel-info {
        height: 1fr;
    }
    """

    def __init__(self, *, times: TimeFormat | None = None, id: str | None = None) -> None:
        super().__init__(id=id)
        self.times = times or TimeFormat()
        self.section = ""
        self.pane_id: int | None = None
        self.contexts: dict[int, ContextMessage] = {}
        self.records: dict[int, list[RecordMessage]] = {}
        self.loaded: set[int] = set()
        """Panes whose ``panel.state`` was received."""
        self.info = Static("", id="panel-info")
        self.context_panel = ContextPanel(times=self.times, id="panel-context")
        self.parsed_panel = ParsedPanel(times=self.times, id="panel-parsed")
        self.bus_panel = BusPanel(clock=self.times.clock, preview_width=24, id="panel-bus")

    def compose(self) -> ComposeResult:
        yield self.info
        yield self.context_panel
        yield self.parsed_panel
        yield self.bus_panel

    def on_mount(self) -> None:
        self.show_section(self.section)

    def show_section(self, section: str) -> None:
        """Display ``section``'s widget (the pane facts for any other name)."""
        self.section = section
        shown = section if section in SECTIONS else ""
        self.info.display = shown == ""
        self.context_panel.display = shown == "context"
        self.parsed_panel.display = shown == "parsed"
        self.bus_panel.display = shown == "bus"

    def needs_state(self) -> bool:
        """True when the shown section needs the focused pane's state from the server."""
        return self.section in ("context", "parsed") and self.pane_id is not None and \
            self.pane_id not in self.loaded

    # ------------------------------------------------------------ pane facts
    def show_pane_info(self, expanded: str) -> None:
        """Fill the facts view from the tab-separated expansion of ``PANE_INFO_FORMAT``."""
        values = expanded.rstrip("\n").split("\t")
        text = Text()
        text.append("pane", style="bold")
        text.append("\n")
        for label, value in zip(_LABELS, values):
            text.append(f"\n{label:<8} ", style="bold")
            text.append(value)
        self.info.update(text)

    # ------------------------------------------------------------ AI state
    def focus_pane(self, pane_id: int | None) -> bool:
        """Follow another focused pane; True when its state was never fetched."""
        if pane_id != self.pane_id:
            self.pane_id = pane_id
            self._show_pane()
        return pane_id is not None and pane_id not in self.loaded

    def apply_state(self, state: PanelStateResult) -> None:
        """A ``panel.state`` reply: the pane's whole state (newer than what came before)."""
        pane_id = int(state["pane"])
        self.loaded.add(pane_id)
        self.contexts[pane_id] = state["context"]
        self.records[pane_id] = list(state.get("records") or [])[-RECORDS_KEPT:]
        if pane_id == self.pane_id:
            self._show_pane()

    def apply_context(self, context: ContextMessage) -> None:
        """A ``context`` notification."""
        pane_id = int(context["pane"])
        self.contexts[pane_id] = context
        if pane_id == self.pane_id:
            self.context_panel.show_context(context)

    def apply_record(self, record: RecordMessage) -> None:
        """A ``record`` notification."""
        pane_id = int(record["pane"])
        kept = [r for r in self.records.get(pane_id, []) if r.get("seq") != record.get("seq")]
        kept.append(record)
        kept.sort(key=lambda r: r.get("seq") or 0)
        self.records[pane_id] = kept[-RECORDS_KEPT:]
        if pane_id == self.pane_id:
            self.parsed_panel.show_records(pane_id, self.records[pane_id])

    def add_bus_message(self, message: dict[str, Any]) -> None:
        """One bus message (history or live)."""
        self.bus_panel.add_message(message)

    def _show_pane(self) -> None:
        pane_id = self.pane_id
        self.context_panel.show_context(self.contexts.get(pane_id) if pane_id is not None
                                        else None)
        self.parsed_panel.show_records(pane_id, self.records.get(pane_id, [])
                                       if pane_id is not None else [])
