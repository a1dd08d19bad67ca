"""StatusBar: tmux's status line - session, window tabs with flags, right side, messages.

The line reads ``[name] 0:bash* 1:vim-  ...  right`` like tmux's default
``status-left``/``window-status-format``. Each ``index:name`` entry is a tab: a click posts
``StatusBar.WindowClicked``. A message (``display-message``, errors) replaces the line in
``$message-bg`` until it times out or a key is pressed; a prompt (``PromptBar``) takes its
place while open. Agents registered on the message bus show before the right side as
``name:state`` (idle, busy in bold, waiting in reverse, offline dimmed); those that do not
fit are counted as ``+N``.

Invariant: ``tab_spans`` always matches what was last drawn, so a click maps to the
window under the pointer.
"""

from __future__ import annotations

from typing import Any

from rich.style import Style
from rich.text import Text
from textual import events
from textual.message import Message
from textual.widget import Widget

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
        self.windows: list[dict[str, Any]] = []
        self.right = ""
        self.agents: list[tuple[str, str]] = []
        """(name, state) of each agent on the bus, in registration order."""
        self.message: str | None = None
        self.message_is_error = False
        self.tab_spans: list[tuple[int, int, int]] = []
        """(start, end, window index) of each tab in cells."""
        self._message_timer: Any = None

    def set_session(self, name: str, windows: list[dict[str, Any]]) -> None:
        """The session name and its windows (from a ``session`` notification)."""
        self.session_name = name
        self.windows = windows
        self.refresh()

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
                     seconds: float = MESSAGE_SECONDS) -> None:
        """Show ``text`` in place of the status line for ``seconds``."""
        self.message = text
        self.message_is_error = error
        if self._message_timer is not None:
            self._message_timer.stop()
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

    def render(self) -> Text:
        variables = self.app.theme_variables
        width = self.size.width
        if self.message is not None:
            style = Style(color=variables.get("message-fg"), bgcolor=variables.get("message-bg"))
            return Text(self.message[:width].ljust(width), style=style)
        text = Text()
        left = f"[{self.session_name}] "
        text.append(left)
        self.tab_spans = []
        current = Style(color=variables.get("status-current-fg"),
                        bgcolor=variables.get("status-current-bg"))
        for window in self.windows:
            label = f"{window['index']}:{window['name']}{window.get('flags', '') or ' '}"
            start = text.cell_len
            text.append(label, style=current if window.get("active") else None)
            self.tab_spans.append((start, text.cell_len, int(window["index"])))
            text.append(" ")
        right = self.right
        agents = self._agents_text(width - text.cell_len - len(right) - 2)
        if right or agents.cell_len:
            tail = agents + Text(" " + right if right and agents.cell_len else right)
            gap = width - text.cell_len - tail.cell_len
            if gap >= 1:
                text.append(" " * gap)
                text.append_text(tail)
        text.truncate(width, pad=True)
        return text

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
