"""ContextPanel: the focused pane's AI context as the server holds it.

Fed with the server's ``context`` data (a ``context`` notification or the ``context`` of a
``panel.state`` reply, see :mod:`aisession_tui.server.panel_feed`): a token gauge
(used / max, coloured by the compaction threshold), the counts of messages and
compressions, the savings against the raw outputs, how many messages are verbatim,
summarized, merged or omitted, then every message of the live context with its time,
role, form and exact token count, and the first lines of its text.

Invariants: every number shown comes from the data given (nothing is counted or
estimated here); the message list follows the newest message unless the user scrolled up;
all times go through the :class:`~aisession_tui.widgets.panel_format.TimeFormat` hook.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, ClassVar

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical, VerticalScroll
from textual.widgets import Static

from .panel_format import TimeFormat, gauge, percent, short_lines

if TYPE_CHECKING:
    from aisession_tui.protocol.messages import ContextMessage

MESSAGE_LINES = 4
"""Lines of each message's text the panel shows."""

ROLE_STYLES = {"user": "bold cyan", "system": "bold", "assistant": "bold magenta",
               "agent": "bold blue"}


def header_text(data: ContextMessage) -> Text:
    """The gauge and the numbers of one pane's context."""
    used, budget = int(data.get("tokens") or 0), int(data.get("max_tokens") or 0)
    threshold = float(data.get("threshold") or 0.8)
    text = Text()
    text.append(f"context %{data['pane']}", style="bold")
    if data.get("session"):
        text.append(f" · {data['session']}")
    text.append("\n")
    text.append_text(gauge(used, budget, threshold))
    text.append(f" {percent(used, budget)}\n")
    text.append(f"{used:,} / {budget:,} tokens\n")
    text.append(f"{data.get('messages_total', 0)} msgs · "
                f"{data.get('compressions', 0)} compressions\n")
    raw = int(data.get("raw_tokens") or 0)
    if raw:
        saved = int(data.get("saved_tokens") or 0)
        text.append(f"saved {percent(saved, raw)} ({raw:,} raw → {used:,})\n")
    else:
        text.append("saved n/a (nothing recorded)\n")
    text.append(f"verbatim {data.get('verbatim', 0)} · summarized {data.get('summarized', 0)}\n"
                f"merged {data.get('merged', 0)} · omitted {data.get('omitted', 0)}",
                style="dim")
    return text


def messages_text(data: ContextMessage, times: TimeFormat) -> Text:
    """Each message: ``HH:MM:SS ROLE form N tok`` then its first lines."""
    text = Text()
    entries = data.get("messages") or []
    if not entries:
        text.append("no messages yet: a command run in this pane's shell (or a note "
                    "added with `context add`) shows here", style="dim")
        return text
    for index, entry in enumerate(entries):
        if index:
            text.append("\n")
        role = str(entry.get("role", ""))
        text.append(f"{times.clock(float(entry.get('at') or 0))} ", style="dim")
        text.append(role.upper(), style=ROLE_STYLES.get(role, "bold"))
        form = entry.get("form", "verbatim")
        if form != "verbatim":
            text.append(f" {form}", style="italic yellow")
        if entry.get("exit_code") not in (None, 0):
            text.append(f" exit {entry['exit_code']}", style="red")
        text.append(f" {int(entry.get('tokens') or 0):,} tok\n", style="dim")
        lines, more = short_lines(str(entry.get("text", "")), MESSAGE_LINES)
        text.append("\n".join(f" {line}" for line in lines))
        if more or entry.get("clipped"):
            text.append(f"\n … {more} more lines" if more else "\n …", style="dim")
    return text


class ContextPanel(Vertical):
    """The AI context panel."""

    DEFAULT_CSS = """
    ContextPanel {
        height: 1fr;
    }
    ContextPanel > #context-head {
        height: auto;
        border-bottom: solid $pane-border;
    }
    ContextPanel > #context-scroll {
        height: 1fr;
        scrollbar-size-vertical: 1;
    }
    ContextPanel #context-messages {
        text-wrap: nowrap;
        text-overflow: ellipsis;
    }
    """

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("end", "follow", "Newest", show=False),
    ]

    def __init__(self, *, times: TimeFormat | None = None, id: str | None = None) -> None:
        super().__init__(id=id)
        self.times = times or TimeFormat()
        self.data: ContextMessage | None = None

    def compose(self) -> ComposeResult:
        yield Static(Text("context", style="bold"), id="context-head")
        with VerticalScroll(id="context-scroll"):
            yield Static(Text("waiting for the server…", style="dim"), id="context-messages")

    def show_context(self, data: ContextMessage | None) -> None:
        """Show one pane's context (None: nothing known yet)."""
        self.data = data
        if not self.is_mounted:
            return
        scroll = self.query_one("#context-scroll", VerticalScroll)
        follow = scroll.scroll_y >= scroll.max_scroll_y
        if data is None:
            self.query_one("#context-head", Static).update(Text("context", style="bold"))
            self.query_one("#context-messages", Static).update(
                Text("waiting for the server…", style="dim"))
            return
        self.query_one("#context-head", Static).update(header_text(data))
        self.query_one("#context-messages", Static).update(messages_text(data, self.times))
        if follow:
            self.call_after_refresh(scroll.scroll_end, animate=False)

    def on_mount(self) -> None:
        if self.data is not None:
            self.show_context(self.data)

    def action_follow(self) -> None:
        """Scroll to the newest message."""
        self.query_one("#context-scroll", VerticalScroll).scroll_end(animate=False)
