"""StatusBar: tmux's status line - session, window tabs with flags, right side, messages.

The line reads ``[name] 0:bash* 1:vim-  ...  right`` like tmux's default
``status-left``/``window-status-format``. Each ``index:name`` entry is a tab: a click posts
``StatusBar.WindowClicked``. A message (``display-message``, errors) replaces the line in
``message-style`` until it times out or a key is pressed; a prompt (``PromptBar``) takes its
place while open. Every colour is the session's style options' (``status-style``,
``message-style``, ``window-status-*-style`` ...), as tmux draws them. Agents registered on
the message bus show before the right side as ``name:state`` (idle, busy in bold, waiting in reverse, offline dimmed); those that do not
fit are counted as ``+N``.

Invariant: ``tab_spans`` always matches what was last drawn, so a click maps to the
window under the pointer.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from rich.style import Style
from rich.text import Text
from textual import events
from textual.geometry import Region
from textual.message import Message
from textual.strip import Strip
from textual.widget import Widget

from aisession_tui.protocol import messages
from aisession_tui.widgets.tmux_styles import (
    draw_format_line,
    parse_or_default,
    rich_style,
    styled_text,
)

if TYPE_CHECKING:
    from aisession_tui.protocol.messages import StatusLine, WindowInfo

DEFAULT_STATUS_STYLE = "bg=green,fg=black"
"""tmux's default ``status-style`` (until the server sends the session's)."""
DEFAULT_MESSAGE_STYLE = "bg=yellow,fg=black"
"""tmux's default ``message-style`` (until the server sends the session's)."""


def _window_list(tabs: list[tuple[Text, int, bool]], separator: Text,
                 room: int) -> tuple[Text, list[tuple[int, int, int]]]:
    """The window labels joined by ``separator`` within ``room`` cells, the current one
    kept in view (``<`` / ``>`` mark windows cut off, as tmux's list markers); with the
    (start, end, index) span of each label shown."""
    first = 0
    current = next((position for position, (_, _, active) in enumerate(tabs) if active), 0)

    def joined(start: int) -> tuple[Text, list[tuple[int, int, int]]]:
        text, spans = Text(), []
        if start:
            text.append("<")
        for position, (label, index, _) in enumerate(tabs[start:], start=start):
            if position > start:
                text.append_text(separator.copy())
            spans.append((text.cell_len, text.cell_len + label.cell_len, index))
            text.append_text(label.copy())
        return text, spans

    text, spans = joined(first)
    while text.cell_len > room and first < current:
        first += 1
        text, spans = joined(first)
    if text.cell_len > room:
        text.truncate(max(0, room - 1))
        if room:
            text.append(">")
        spans = [(start, min(end, room), index) for start, end, index in spans if start < room]
    return text, spans


MESSAGE_SECONDS = 3.0
AGENT_STYLES = {"busy": Style(bold=True), "waiting": Style(bold=True, reverse=True),
                "offline": Style(dim=True)}
"""How long a message stays (tmux's display-time is 0.75 s; errors deserve longer)."""


class StatusBar(Widget):
    """The status line."""

    DEFAULT_CSS = """
    StatusBar {
        height: 1;
        width: 1fr;
        background: $status-bg;
        color: $status-fg;
    }
    """

    class WindowClicked(Message):
        """A window tab was clicked."""

        def __init__(self, window_index: int) -> None:
            super().__init__()
            self.window_index = window_index

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.session_name = ""
        self.windows: list[WindowInfo] = []
        self.right = ""
        self.agents: list[tuple[str, str]] = []
        """(name, state) of each agent on the bus, in registration order."""
        self.message: str | None = None
        self.message_is_error = False
        self.tab_spans: list[tuple[int, int, int]] = []
        """(start, end, window index) of each tab in cells."""
        self._reported_spans: list[tuple[int, int, int]] | None = None
        self.left_end = 0
        """Where ``status-left`` ends (a click before it is on ``StatusLeft``)."""
        self.right_start: int | None = None
        """Where ``status-right`` starts (a click from it on is on ``StatusRight``)."""
        self._message_timer: Any = None
        self.status: StatusLine | None = None
        """The server's expanded status line (``status_line.status_payload``), if sent."""
        self.message_ignores_keys = False
        """The message shown swallows keys (see :meth:`show_message`)."""
        self.display_wanted = True
        """False when the ``status`` option is off (a closing prompt leaves it hidden)."""

    def set_session(self, name: str, windows: list[WindowInfo],
                    status: StatusLine | None = None) -> None:
        """The session name, its windows and its status line as the server expanded it
        (from a ``session`` notification; without ``status``, the built-in line)."""
        self.session_name = name
        self.windows = windows
        self.status = status
        if status is not None:
            self.display_wanted = status.get("status", "on") != "off"
            self.display = self.display_wanted
            self.styles.height = 1 + len(status.get("lines", []))
            self.styles.dock = "top" if status.get("position") == "top" else "bottom"
        self.refresh()

    def lines_taken(self) -> int:
        """Terminal lines the status line takes from the panes (``status``: off, on, 2-5)."""
        if self.status is None:
            return 1
        return 1 + len(self.status.get("lines", [])) if self.display_wanted else 0

    def set_agents(self, agents: list[tuple[str, str]]) -> None:
        """The bus's agents and their states (``idle``, ``busy``, ``waiting``, ...)."""
        if agents != self.agents:
            self.agents = list(agents)
            self.refresh()

    def set_right(self, text: str) -> None:
        """The expanded ``status-right``."""
        if text != self.right:
            self.right = text
            self.refresh()

    def show_message(self, text: str, *, error: bool = False,
                     seconds: float = MESSAGE_SECONDS, ignore_keys: bool = False) -> None:
        """Show ``text`` in place of the status line for ``seconds`` (0: until the next
        key, as tmux's ``display-time 0``); ``ignore_keys`` (display-message ``-N``, with a
        time): keys are swallowed until it goes, as tmux's ``message_ignore_keys``."""
        self.message = text
        self.message_is_error = error
        self.message_ignores_keys = ignore_keys and seconds > 0
        if self._message_timer is not None:
            self._message_timer.stop()
            self._message_timer = None
        if seconds > 0:
            self._message_timer = self.set_timer(seconds, self.clear_message)
        self.refresh()

    def clear_message(self) -> None:
        """Back to the normal status line."""
        if self._message_timer is not None:
            self._message_timer.stop()
            self._message_timer = None
        if self.message is not None:
            self.message = None
            self.refresh()

    @property
    def swallows_keys(self) -> bool:
        """A ``display-message -N`` message is up: keys are dropped until it goes."""
        return self.message is not None and self.message_ignores_keys

    def render(self) -> Text:
        width = self.size.width
        if self.message is not None:
            message_style = str((self.status or {}).get("message_style",
                                                         DEFAULT_MESSAGE_STYLE))
            style = rich_style(parse_or_default(message_style,
                                                parse_or_default(DEFAULT_MESSAGE_STYLE)))
            return Text(self.message[:width].ljust(width), style=style)
        if self.status is not None:
            first = self.status.get("first")
            line = (self._render_extra(width, str(first)) if first is not None
                    else self._render_options(width, self.status))
            for extra in self.status.get("lines", []):
                line.append("\n")
                line.append_text(self._render_extra(width, str(extra)))
            return line
        base = rich_style(parse_or_default(DEFAULT_STATUS_STYLE))
        text = Text(style=base)
        left = f"[{self.session_name}] "
        text.append(left)
        self.tab_spans = []
        for window in self.windows:
            label = f"{window['index']}:{window['name']}{window.get('flags', '') or ' '}"
            start = text.cell_len
            text.append(label)
            self.tab_spans.append((start, text.cell_len, int(window["index"])))
            text.append(" ")
        return self._with_right(text, self.right, width)

    def render_lines(self, crop: Region) -> list[Strip]:
        """The rows of ``crop`` from :meth:`render`, handed to the compositor as segments
        (through the app's line filters) so palette colours reach the terminal as the
        option's indexes: Textual's own path turns them into RGB and back, which does not
        always land on the same index (``colour252`` came out as 251)."""
        width = self.size.width
        lines = self.render().split("\n", allow_blank=True)
        self._report_spans()
        background = self.background_colors[1]
        strips = []
        for y in crop.line_range:
            line = lines[y] if y < len(lines) else Text()
            base = line.style if isinstance(line.style, Style) else Style.parse(line.style)
            strip = Strip(list(line.render(self.app.console)), line.cell_len).apply_style(base)
            strip = strip.adjust_cell_length(width, self.rich_style)
            for line_filter in self.app.get_line_filters():
                strip = strip.apply_filter(line_filter, background)
            strips.append(strip)
        if crop.column_span != (0, width):
            first, last = crop.column_span
            strips = [strip.crop(first, last) for strip in strips]
        return strips

    def _report_spans(self) -> None:
        """Tell the server where the window entries were drawn when they moved (tmux's
        status ranges: ``display-popup -x W``)."""
        client = getattr(self.app, "client", None)
        if client is None or self.tab_spans == self._reported_spans:
            return
        self._reported_spans = list(self.tab_spans)
        client.send_nowait(messages.STATUS_RANGES,
                           {"windows": [list(span) for span in self.tab_spans]})

    def _with_right(self, text: Text, right: Text | str, width: int) -> Text:
        """``text`` padded, then the agents and ``right`` against the right edge."""
        right_text = right if isinstance(right, Text) else Text(right)
        agents = self._agents_text(width - text.cell_len - right_text.cell_len - 2)
        if right_text.cell_len or agents.cell_len:
            tail = agents + (Text(" ") + right_text if right_text.cell_len and agents.cell_len
                             else right_text)
            gap = width - text.cell_len - tail.cell_len
            if gap >= 0:
                text.append(" " * gap)
                text.append_text(tail)
        text.truncate(width, pad=True)
        return text

    def _render_options(self, width: int, status: StatusLine) -> Text:
        """The line as the session's options describe it (``status_line.status_payload``):
        ``status-left``, the window list placed by ``status-justify``, ``status-right``,
        every colour the options' (palette colours stay the terminal's palette colours)."""
        base_tmux = parse_or_default(status.get("style", DEFAULT_STATUS_STYLE))

        def draw(source: str, style_text: str, limit: int | None = None) -> Text:
            drawn = styled_text(source, parse_or_default(style_text, base_tmux))
            if limit is not None and drawn.cell_len > limit:
                drawn.truncate(limit)
            return drawn

        text = Text(style=rich_style(base_tmux))
        text.append_text(draw(status.get("left", ""), status.get("left_style", "default"),
                              int(status.get("left_length", 10))))
        right = draw(status.get("right", ""), status.get("right_style", "default"),
                     int(status.get("right_length", 40)))
        self.left_end, self.right_start = text.cell_len, width - right.cell_len
        tabs: list[tuple[Text, int, bool]] = []
        for window in status.get("windows", []):
            active = window["index"] == self._current_index()
            label = draw(window.get("text", ""), window.get("style", "default"))
            tabs.append((label, int(window["index"]), active))
        separator = draw(status.get("separator", " "), "default")
        room = max(0, width - text.cell_len - right.cell_len)
        listing, spans = _window_list(tabs, separator, room)
        justify = status.get("justify", "left")
        offset = text.cell_len
        if justify in ("centre", "absolute-centre"):
            middle = (width - listing.cell_len) // 2 if justify == "absolute-centre" else \
                text.cell_len + (room - listing.cell_len) // 2
            pad = max(0, middle - text.cell_len)
        elif justify == "right":
            pad = max(0, room - listing.cell_len)
        else:
            pad = 0
        text.append(" " * pad)
        offset += pad
        self.tab_spans = [(offset + start, offset + end, index) for start, end, index in spans]
        text.append_text(listing)
        return self._with_right(text, right, width)

    def _render_extra(self, width: int, source: str) -> Text:
        """A status line drawn from its format: a user's ``status-format[0]``, or a second
        to fifth line (``status 2``..``5``: ``status-format[N]``)."""
        assert self.status is not None
        base_tmux = parse_or_default(self.status.get("style", DEFAULT_STATUS_STYLE))
        return draw_format_line(source, width, base_tmux)

    def _current_index(self) -> int | None:
        for window in self.windows:
            if window.get("active"):
                return int(window["index"])
        return None

    def _agents_text(self, room: int) -> Text:
        """``frontend:busy backend:idle`` within ``room`` cells (``+N`` for the rest)."""
        text = Text()
        for index, (name, state) in enumerate(self.agents):
            entry = f"{name}:{state}"
            rest = len(self.agents) - index - 1
            more = f" +{rest}" if rest else ""
            needed = (1 if text.cell_len else 0) + len(entry)
            if text.cell_len + needed + len(more) > room:
                missing = len(self.agents) - index
                if text.cell_len + len(f" +{missing}") <= room:
                    text.append(f"{' ' if text.cell_len else ''}+{missing}")
                break
            if text.cell_len:
                text.append(" ")
            text.append(entry, style=AGENT_STYLES.get(state))
        return text

    def on_click(self, event: events.Click) -> None:
        for start, end, index in self.tab_spans:
            if start <= event.x < end and self.message is None:
                self.post_message(self.WindowClicked(index))
                event.stop()
                return
