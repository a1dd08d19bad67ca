"""ParsedPanel: the parsed output of the focused pane's last (or a selected) command.

Fed with the server's ``record`` data (``record`` notifications and the ``records`` of a
``panel.state`` reply): the command, exit code, time and duration, the parser's kind,
tool, status and counts, then every failure (test id, ``file:line``, message) and every
issue (``file:line:column``, severity, code, message).

It follows the newest command until the user picks another one (``left`` / ``right``
while the panel has focus; ``end`` follows the newest again). Invariants: what is shown
is the record as given, nothing re-parsed; times go through the
:class:`~aisession_tui.widgets.panel_format.TimeFormat` hook.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, ClassVar

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import VerticalScroll
from textual.widgets import Static

from .panel_format import TimeFormat

if TYPE_CHECKING:
    from aisession_tui.protocol.messages import RecordMessage

STATUS_STYLES = {"failure": "bold red", "error": "bold red", "success": "bold green",
                 "ok": "bold green", "warning": "bold yellow", "conflict": "bold red"}
SEVERITY_MARKS = {"error": ("✗", "red"), "fatal": ("✗", "red"), "warning": ("!", "yellow"),
                  "note": ("·", "blue"), "info": ("·", "blue")}


def location(item: dict[str, Any]) -> str:
    """``file:line:column`` with what is known (``?`` without a file)."""
    if not item.get("file"):
        return "?"
    where = str(item["file"])
    if item.get("line") is not None:
        where += f":{item['line']}"
        if item.get("column") is not None:
            where += f":{item['column']}"
    return where


def record_text(record: RecordMessage, position: int, total: int, times: TimeFormat,
                following: bool) -> Text:
    """One record, as the panel shows it."""
    parsed = record.get("parsed") or {}
    text = Text()
    text.append(f"parsed %{record['pane']}", style="bold")
    text.append(f" · command {position}/{total}")
    if not following:
        text.append(" (selected)", style="italic")
    text.append("\n")
    text.append(f"$ {record.get('command', '')}\n", style="bold cyan")
    code = record.get("exit_code")
    text.append(f"exit {'?' if code is None else code}",
                style="bold red" if code not in (0, None) else "bold green")
    text.append(f" · {times.clock(float(record.get('finished_at') or 0))}"
                f" · {times.duration(float(record.get('duration_ms') or 0))}\n", style="dim")
    status = str(parsed.get("status", "unknown"))
    text.append(f"{parsed.get('tool', 'unknown')} {parsed.get('kind', 'plain')} · ")
    text.append(status, style=STATUS_STYLES.get(status, "bold"))
    text.append("\n")
    counts = parsed.get("counts") or {}
    if counts:
        text.append(" · ".join(f"{key} {value}" for key, value in counts.items()) + "\n",
                    style="dim")
    if parsed.get("summary"):
        text.append(f"{parsed['summary']}\n")
    failures = parsed.get("failures") or []
    if failures:
        text.append(f"\nfailures {len(failures)}\n", style="bold underline")
        for failure in failures:
            text.append("✗ ", style="red")
            text.append(f"{failure.get('test') or '?'}\n", style="bold")
            if failure.get("file"):
                text.append(f"  {location(failure)}\n", style="cyan")
            if failure.get("message"):
                text.append(f"  {_first_line(failure['message'])}\n")
    issues = parsed.get("issues") or []
    if issues:
        text.append(f"\nissues {len(issues)}\n", style="bold underline")
        for issue in issues:
            severity = str(issue.get("severity") or "error")
            mark, style = SEVERITY_MARKS.get(severity, ("·", ""))
            text.append(f"{mark} ", style=style)
            text.append(location(issue), style="cyan")
            text.append(f" {severity}", style=style)
            if issue.get("code"):
                text.append(f" [{issue['code']}]", style="dim")
            text.append(f"\n  {_first_line(str(issue.get('message') or ''))}\n")
    if record.get("clipped_items"):
        text.append(f"… {record['clipped_items']} more (exec --json has all)\n", style="dim")
    if not failures and not issues:
        text.append("\nno issues or failures\n", style="dim")
    return text


def _first_line(message: str) -> str:
    return message.strip().splitlines()[0] if message.strip() else ""


class ParsedPanel(VerticalScroll):
    """The parsed output panel."""

    DEFAULT_CSS = """
    ParsedPanel {
        height: 1fr;
        scrollbar-size-vertical: 1;
    }
    """

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("left", "older", "Older command", show=False),
        Binding("right", "newer", "Newer command", show=False),
        Binding("end", "newest", "Newest command", show=False),
    ]

    def __init__(self, *, times: TimeFormat | None = None, id: str | None = None) -> None:
        super().__init__(id=id)
        self.times = times or TimeFormat()
        self.pane_id: int | None = None
        self.records: list[RecordMessage] = []
        self.selected: int | None = None
        """Index into ``records`` the user picked; None follows the newest."""

    def compose(self) -> ComposeResult:
        yield Static(Text("waiting for the server…", style="dim"), id="parsed-body")

    def show_records(self, pane_id: int | None, records: list[RecordMessage]) -> None:
        """The pane's records, oldest first (another pane resets the selection)."""
        if pane_id != self.pane_id:
            self.selected = None
        self.pane_id = pane_id
        self.records = list(records)
        if self.selected is not None and self.selected >= len(self.records):
            self.selected = None
        self._render_body()

    def current(self) -> RecordMessage | None:
        """The record shown (the selected one, else the newest)."""
        if not self.records:
            return None
        return self.records[-1 if self.selected is None else self.selected]

    def select(self, index: int | None) -> None:
        """Show ``records[index]`` (None or the last index: follow the newest)."""
        if index is not None:
            index = max(0, min(index, len(self.records) - 1))
            if index == len(self.records) - 1:
                index = None
        self.selected = index
        self._render_body()

    def action_older(self) -> None:
        """The command before the one shown."""
        if self.records:
            shown = len(self.records) - 1 if self.selected is None else self.selected
            self.select(max(0, shown - 1))

    def action_newer(self) -> None:
        """The command after the one shown."""
        if self.selected is not None:
            self.select(self.selected + 1)

    def action_newest(self) -> None:
        """Follow the newest command again."""
        self.select(None)

    def on_mount(self) -> None:
        if self.pane_id is not None:
            self._render_body()

    def _render_body(self) -> None:
        if not self.is_mounted:
            return
        body = self.query_one("#parsed-body", Static)
        record = self.current()
        if record is None:
            text = Text()
            if self.pane_id is not None:
                text.append(f"parsed %{self.pane_id}\n", style="bold")
            text.append("no command finished in this pane yet (commands typed at a shell "
                        "prompt are recorded)", style="dim")
            body.update(text)
            return
        position = len(self.records) if self.selected is None else self.selected + 1
        body.update(record_text(record, position, len(self.records), self.times,
                                self.selected is None))
        self.scroll_home(animate=False)
