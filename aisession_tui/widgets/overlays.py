"""Full-window views that replace the panes for a moment: the key list and choose-tree.

``KeysView`` is what ``prefix ?`` shows (tmux's ``list-keys``), ``ChooseTree`` what
``prefix s`` / ``prefix w`` show: every session and its windows, Enter switches. Both are
``OptionList`` s, so arrows, PageUp/PageDown, Home/End and the mouse work; ``q`` or Escape
closes them and posts ``Overlay.Closed``. ``dismissal`` tells which keys close a list, so
the app can close it within the key that does (keys after it are not the list's).

Invariant: while an overlay is open it has the focus, so keys do not reach the panes.
"""

from __future__ import annotations

from typing import Any

from textual import events
from textual.message import Message
from textual.widgets import OptionList
from textual.widgets.option_list import Option


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

    def dismissal(self, key: str) -> Overlay.Closed | None:
        """The ``Closed`` message ``key`` dismisses the list with (q and Escape close it
        choosing nothing), None when the key is the list's own (moves)."""
        return self.Closed(self, None) if key in ("q", "escape") else None

    async def _on_key(self, event: events.Key) -> None:
        closed = self.dismissal(event.key)
        if closed is not None:
            event.stop()
            event.prevent_default()
            self.post_message(closed)
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
        # Set now, not on mount: keys read with the one that opened the list move from it.
        if any(target == highlighted for target, _ in entries):
            self.highlighted = self.get_option_index(str(highlighted))

    def dismissal(self, key: str) -> Overlay.Closed | None:
        """Enter chooses the highlighted entry."""
        if key == "enter" and self.highlighted is not None:
            return self.Closed(self, self.get_option_at_index(self.highlighted).id)
        return super().dismissal(key)

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
