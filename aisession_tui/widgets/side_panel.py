"""SidePanel: the toggleable right column that later features fill with AI panels.

For now it shows live facts about the focused pane that the server already knows: its id,
size, current command, working directory, history size and the last command's exit
status, refreshed on every layout change and every two seconds while shown. ``section``
names the panel the user asked for (``context``, ``parsed``, ``bus`` or none) so later
issues can add their views under the same key bindings.

Invariant: when hidden the panel takes no cells, so the window gets the whole width.
"""

from __future__ import annotations

from rich.text import Text
from textual.widgets import Static

PANE_INFO_FORMAT = ("#{pane_id}\t#{pane_width}x#{pane_height}\t#{pane_current_command}\t"
                    "#{pane_current_path}\t#{history_size}\t#{window_index}:#{window_name}")
"""The format the app expands (``display-message -p``) to fill the panel."""

_LABELS = ("pane", "size", "command", "cwd", "history", "window")


class SidePanel(Static):
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
    """

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__("", id=id)
        self.section = ""

    def show_pane_info(self, expanded: str) -> None:
        """Fill the panel from the tab-separated expansion of ``PANE_INFO_FORMAT``."""
        values = expanded.rstrip("\n").split("\t")
        text = Text()
        text.append(self.section or "pane", style="bold")
        text.append("\n")
        for label, value in zip(_LABELS, values):
            text.append(f"\n{label:<8} ", style="bold")
            text.append(value)
        self.update(text)
