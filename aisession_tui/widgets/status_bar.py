"""StatusBar: tmux's status line - session, window tabs with flags, right side, messages.

The line reads ``[name] 0:bash* 1:vim-  ...  right`` like tmux's default
``status-left``/``window-status-format``. Each ``index:name`` entry is a tab: a click posts
``StatusBar.WindowClicked``. A message (``display-message``, errors) replaces the line in
``message-style`` until it times out or a key is pressed; a prompt (``PromptBar``) takes its
place while open. Every colour is the session's style options' (``status-style``,
``message-style``, ``window-status-*-style`` ...), as tmux draws them. Agents registered on
the message bus show before the right side as ``name:state`` (idle, busy in bold, waiting in reverse, offline dimmed); those that do not
fit are counted as ``+N``.

The layout (what goes where, in which style) is headless, in
:mod:`aisession_tui.server.status_cells`, shared with the server's first-frame painter;
this widget only turns its cells into Rich text and handles messages and clicks.

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
from aisession_tui.server.status_cells import StatusLayout, status_layout
from aisession_tui.widgets.tmux_styles import cells_text, parse_or_default, rich_style

if TYPE_CHECKING:
    from aisession_tui.protocol.messages import StatusLine, WindowInfo

DEFAULT_MESSAGE_STYLE = "bg=yellow,fg=black"
"""tmux's default ``message-style`` (until the server sends the session's)."""


MESSAGE_SECONDS = 3.0
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
        layout = self.layout(width)
        lines = [cells_text(row, layout.base) for row in layout.rows]
        text = lines[0]
        for line in lines[1:]:
            text.append("\n")
            text.append_text(line)
        return text

    def layout(self, width: int) -> StatusLayout:
        """The status line laid out ``width`` cells wide (headless:
        :func:`~aisession_tui.server.status_cells.status_layout`); keeps where its
        window entries, ``status-left`` and ``status-right`` went for clicks."""
        layout = status_layout(width, self.status, self.windows, self.session_name,
                               self.right, self.agents)
        self.tab_spans = layout.tab_spans
        if self.status is not None and self.status.get("first") is None:
            self.left_end, self.right_start = layout.left_end, layout.right_start
        return layout

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

    def on_click(self, event: events.Click) -> None:
        for start, end, index in self.tab_spans:
            if start <= event.x < end and self.message is None:
                self.post_message(self.WindowClicked(index))
                event.stop()
                return
