"""Full-window views that replace the panes for a moment: the key list and choose-tree.

``KeysView`` is what ``prefix ?`` shows (tmux's ``list-keys``), ``ChooseTree`` what
``prefix s`` / ``prefix w`` show: every session and its windows, Enter switches. Both are
``OptionList`` s, so arrows, PageUp/PageDown, Home/End and the mouse work; ``q`` or Escape
closes them and posts ``Overlay.Closed``.

Invariant: while an overlay is open it has the focus, so keys do not reach the panes.
"""

from __future__ import annotations

from typing import Any

from textual import events
from textual.message import Message
from textual.widgets import OptionList
from textual.widgets.option_list import Option, OptionDoesNotExist


class Overlay(OptionList):
    """Base: a full-window list closed by q or Escape."""

    DEFAULT_CSS = """
    Overlay {
        width: 1fr;
        height: 1fr;
        border: none;
        background: $background;
        color: $foreground;
        padding: 0;
    }
    Overlay:focus {
        border: none;
    }
    """

    class Closed(Message):
        """The overlay was dismissed; ``choice`` is the chosen option's id, if any."""

        def __init__(self, overlay: Overlay, choice: str | None) -> None:
            super().__init__()
            self.overlay = overlay
            self.choice = choice

    async def _on_key(self, event: events.Key) -> None:
        if event.key in ("q", "escape"):
            event.stop()
            event.prevent_default()
            self.post_message(self.Closed(self, None))
            return
        await super()._on_key(event)


class KeysView(Overlay):
    """The key bindings, one ``bind-key`` line each."""

    def __init__(self, lines: list[str]) -> None:
        super().__init__(*[Option(line) for line in lines], id="keys-view")


class ChooseTree(Overlay):
    """Sessions and their windows; Enter picks one (ids are tmux targets)."""

    def __init__(self, entries: list[tuple[str, str]], highlighted: str | None = None) -> None:
        super().__init__(*[Option(label, id=target) for target, label in entries],
                         id="choose-tree")
        self._initial = highlighted

    def on_mount(self) -> None:
        if self._initial is not None:
            try:
                self.highlighted = self.get_option_index(self._initial)
            except OptionDoesNotExist:
                self.highlighted = 0

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        self.post_message(self.Closed(self, event.option.id))


def tree_entries(rows: list[list[str]]) -> list[tuple[str, str]]:
    """choose-tree lines from ``[session, index, name, flags, panes, attached]`` rows."""
    entries: list[tuple[str, str]] = []
    seen: set[str] = set()
    for session, index, name, flags, panes, attached in rows:
        if session not in seen:
            seen.add(session)
            count = sum(1 for row in rows if row[0] == session)
            suffix = " (attached)" if attached not in ("", "0") else ""
            entries.append((f"{session}:", f"({len(seen) - 1}) {session}: {count} windows{suffix}"))
        entries.append((f"{session}:{index}",
                        f"    {index}: {name}{flags} ({panes} panes)"))
    return entries


def parse_tree_output(stdout: str) -> list[list[str]]:
    """Split ``list-windows -a -F`` output joined by tabs into rows of six fields."""
    rows: list[list[Any]] = []
    for line in stdout.splitlines():
        fields = line.split("\t")
        if len(fields) == 6:
            rows.append(fields)
    return rows
