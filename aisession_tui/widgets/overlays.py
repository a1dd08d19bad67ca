"""Full-window views that replace the panes for a moment: the key list, choose-buffer
and choose-tree.

``KeysView`` is what ``prefix ?`` shows (tmux's ``list-keys``), ``ChooseList`` what
``prefix =`` shows (Enter picks a buffer), ``ChooseTree`` what ``prefix s`` / ``prefix w``
show: tmux 3.3a's mode tree (``tree_lines`` draws its lines the way tmux does; the
choosers in :mod:`aisession_tui.client.choosers` fill it) with a preview box of the
highlighted item (:mod:`aisession_tui.widgets.tree_preview`) under it. All are ``OptionList`` s,
so arrows, PageUp/PageDown, Home/End and the mouse work; ``q`` or Escape closes them and
posts ``Overlay.Closed``. ``dismissal`` tells which keys close a list, so the app can close
it within the key that does (keys after it are not the list's).

Invariants: while an overlay is open it has the focus, so keys do not reach the panes; an
option's id is the tmux target it chooses; the tree's preview lives and dies with the tree.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import ClassVar

from textual import events
from textual.binding import Binding, BindingType
from textual.message import Message
from textual.widget import Widget
from textual.widgets import OptionList
from textual.widgets.option_list import Option

from aisession_tui.terminal.keys import textual_to_tmux_key


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


class ChooseList(Overlay):
    """A flat list of choices (choose-buffer); Enter picks one (ids are the choices)."""

    def __init__(self, entries: list[tuple[str, str]], highlighted: str | None = None,
                 *, widget_id: str = "choose-list") -> None:
        super().__init__(*[Option(label, id=target) for target, label in entries],
                         id=widget_id)
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


@dataclass
class TreeItem:
    """One session, window or pane of the tree; ``target`` is its tmux target
    (``a:``, ``a:1``, ``a:1.0``), ``name`` what precedes the colon on its line."""

    target: str
    name: str
    text: str | None
    """What follows ``name: `` on its line; None: the name alone (a group)."""
    children: list[TreeItem] = field(default_factory=list)
    expanded: bool = False


class ChooseTree(ChooseList):
    """tmux's choose-tree: sessions, their windows and the panes of split windows, with
    the preview of the highlighted item under the tree.

    Lines are drawn as tmux 3.3a draws them (``tree_lines``); Right / ``+`` expands the
    highlighted item, Left / ``-`` collapses it (or, on a collapsed item, its parent), a
    shortcut key (``0``-``9``, ``M-a``...) chooses its line, Enter the highlighted one.
    The preview is a sibling widget the tree mounts next to itself and removes with itself.
    """

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("right,plus", "expand", show=False),
        Binding("left,minus", "collapse", show=False),
    ]

    def __init__(self, items: list[TreeItem], highlighted: str | None = None) -> None:
        from aisession_tui.widgets.tree_preview import ChooserPreview

        self.items = items
        self.shortcuts: dict[str, str] = {}
        self.preview = ChooserPreview()
        super().__init__(self.lines(), highlighted, widget_id="choose-tree")

    def lines(self) -> list[tuple[str, str]]:
        """The visible lines, remembering which shortcut key picks which target."""
        lines = tree_lines(self.items)
        self.shortcuts = {key: target for key, (target, _) in zip(shortcut_keys(), lines)}
        return lines

    def on_mount(self) -> None:
        if isinstance(self.parent, Widget):
            self.parent.mount(self.preview, after=self)
        self.call_after_refresh(self.fit)

    def on_unmount(self) -> None:
        self.preview.remove()

    def fit(self) -> None:
        """Split the area as tmux does: the tree gets two thirds (half when its lines are
        fewer), the preview the rest; no preview when the tree would get under 10 lines.
        Nothing once the tree is closed (a key may close it before the first refresh)."""
        if not isinstance(self.parent, Widget) or not self.is_attached:
            return
        total = self.parent.content_size.height
        tree = (total // 3) * 2
        if tree > self.option_count:
            tree = total // 2
        if tree < 10:
            tree = total
        self.styles.height = tree
        self.preview.display = tree < total
        self.refresh_preview()

    def watch_highlighted(self, highlighted: int | None) -> None:
        super().watch_highlighted(highlighted)
        if self.is_mounted:
            self.refresh_preview()

    def highlighted_item(self) -> TreeItem | None:
        if self.highlighted is None:
            return None
        target = self.get_option_at_index(self.highlighted).id
        return next((item for item in walk(self.items) if item.target == target), None)

    def refresh_preview(self) -> None:
        item = self.highlighted_item()
        if item is None or not self.preview.display:
            return

        async def load() -> None:
            await self.load_preview(item)

        # A callable, not a coroutine: a worker cancelled before it starts leaves nothing.
        self.run_worker(load, group="preview", exclusive=True)

    async def load_preview(self, item: TreeItem) -> None:
        """Fill the preview for ``item`` (a subclass knows what each item shows)."""

    def dismissal(self, key: str) -> Overlay.Closed | None:
        """A shortcut key chooses its line; Enter, q and Escape as in any list."""
        try:
            name = textual_to_tmux_key(key)
        except ValueError:
            name = key
        if name in self.shortcuts:
            return self.Closed(self, self.shortcuts[name])
        return super().dismissal(key)

    def action_expand(self) -> None:
        item = self.highlighted_item()
        if item is not None and item.children and not item.expanded:
            item.expanded = True
            self.rebuild(item.target)

    def action_collapse(self) -> None:
        item = self.highlighted_item()
        if item is None:
            return
        if item.children and item.expanded:
            item.expanded = False
            self.rebuild(item.target)
            return
        parent = next((p for p in walk(self.items) if item in p.children), None)
        if parent is not None:
            parent.expanded = False
            self.rebuild(parent.target)

    def rebuild(self, highlighted: str) -> None:
        """Redraw the lines after an expand or collapse, keeping ``highlighted`` on."""
        self.set_options(Option(label, id=target) for target, label in self.lines())
        self.highlighted = self.get_option_index(highlighted)


def walk(items: list[TreeItem]) -> Iterator[TreeItem]:
    """Every item, depth first."""
    for item in items:
        yield item
        yield from walk(item.children)


def shortcut_keys() -> Iterator[str]:
    """tmux's line keys: 0-9, then M-a to M-z."""
    yield from (str(digit) for digit in range(10))
    yield from (f"M-{letter}" for letter in "abcdefghijklmnopqrstuvwxyz")


def tree_lines(items: list[TreeItem]) -> list[tuple[str, str]]:
    """``(target, line)`` for each visible item, drawn as tmux 3.3a's choose-tree:
    ``(0) - a: 2 windows (attached)``, ``(1) ├─> + 1: bash*``, ``(2) │   └─> 0: bash``.
    Keys are padded to the widest shown, leaves get two spaces when a sibling has children."""
    rows: list[tuple[str, str]] = []

    def visit(siblings: list[TreeItem], depth: int, indent: str) -> None:
        branching = any(item.children for item in siblings)
        for position, item in enumerate(siblings):
            last = position == len(siblings) - 1
            if item.children:
                symbol = "- " if item.expanded else "+ "
            else:
                symbol = "  " if branching else ""
            start = symbol if depth == 0 else indent + ("└─> " if last else "├─> ") + symbol
            text = "" if item.text is None else f": {item.text}"
            rows.append((item.target, f"{start}{item.name}{text}"))
            if item.children and item.expanded:
                deeper = "" if depth == 0 else indent + ("    " if last else "│   ")
                visit(item.children, depth + 1, deeper)

    visit(items, 0, "")
    keys = [f"({key})" for key, _ in zip(shortcut_keys(), rows)]
    width = max((len(key) for key in keys), default=0)
    return [(target, f"{(keys[n] if n < len(keys) else '').ljust(width)} {line}")
            for n, (target, line) in enumerate(rows)]
