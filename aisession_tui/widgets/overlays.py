"""Full-window views that replace the panes for a moment: the key list, choose-buffer
and choose-tree.

``KeysView`` is what ``prefix ?`` shows (tmux's ``list-keys``), ``ChooseList`` what
``prefix =`` shows (Enter picks a buffer), ``ChooseTree`` what ``prefix s`` / ``prefix w``
show: tmux 3.3a's tree of sessions, windows and panes (``tree_lines`` draws it the way tmux
does, ``build_tree`` makes it from ``list-windows -a`` / ``list-panes -a`` rows) with a
preview box of the highlighted item (``preview_box``) under it. All are ``OptionList`` s,
so arrows, PageUp/PageDown, Home/End and the mouse work; ``q`` or Escape closes them and
posts ``Overlay.Closed``. ``dismissal`` tells which keys close a list, so the app can close
it within the key that does (keys after it are not the list's).

Invariants: while an overlay is open it has the focus, so keys do not reach the panes; an
option's id is the tmux target it chooses; the tree's preview lives and dies with the tree.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Iterator
from dataclasses import dataclass, field
from typing import ClassVar

from rich.text import Text
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
    text: str
    children: list[TreeItem] = field(default_factory=list)
    expanded: bool = False


PreviewSource = Callable[[str], Awaitable[list[str]]]
"""Fetches the visible text of a target (``capture-pane -p -t target``)."""


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

    def __init__(self, items: list[TreeItem], highlighted: str | None = None,
                 preview_source: PreviewSource | None = None) -> None:
        self.items = items
        self.shortcuts: dict[str, str] = {}
        self.preview = TreePreview()
        self.preview_source = preview_source
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
        if item is None or self.preview_source is None or not self.preview.display:
            return
        source = self.preview_source

        async def load() -> None:
            await self.load_preview(item, source)

        # A callable, not a coroutine: a worker cancelled before it starts leaves nothing.
        self.run_worker(load, group="preview", exclusive=True)

    async def load_preview(self, item: TreeItem, source: PreviewSource) -> None:
        lines = await source(item.target)
        label = "" if item.target.endswith(":") else item.name
        self.preview.show(f"{item.name} (sort: index)", lines, label)

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


class TreePreview(Widget):
    """The box under choose-tree with the highlighted item's visible text."""

    DEFAULT_CSS = """
    TreePreview {
        width: 1fr;
        height: 1fr;
        background: $background;
        color: $foreground;
    }
    """

    def __init__(self) -> None:
        super().__init__(id="choose-tree-preview")
        self.title = ""
        self.text_lines: list[str] = []
        self.label = ""

    def show(self, title: str, lines: list[str], label: str) -> None:
        self.title, self.text_lines, self.label = title, lines, label
        self.refresh()

    def on_resize(self) -> None:
        tree = next((w for w in self.parent_tree() if isinstance(w, ChooseTree)), None)
        if tree is not None:
            tree.fit()

    def parent_tree(self) -> list[Widget]:
        parent = self.parent
        return list(parent.children) if isinstance(parent, Widget) else []

    def render(self) -> Text:
        width, height = self.content_size
        return Text("\n".join(preview_box(self.title, self.text_lines, self.label,
                                          width, height)), no_wrap=True)


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
            rows.append((item.target, f"{start}{item.name}: {item.text}"))
            if item.children and item.expanded:
                deeper = "" if depth == 0 else indent + ("    " if last else "│   ")
                visit(item.children, depth + 1, deeper)

    visit(items, 0, "")
    keys = [f"({key})" for key, _ in zip(shortcut_keys(), rows)]
    width = max((len(key) for key in keys), default=0)
    return [(target, f"{(keys[n] if n < len(keys) else '').ljust(width)} {line}")
            for n, (target, line) in enumerate(rows)]


def preview_box(title: str, lines: list[str], label: str, width: int,
                height: int) -> list[str]:
    """The preview as tmux draws it: a box titled `` title `` holding ``lines`` after a
    one-column margin, with ``label`` in a small box at the centre."""
    if width < 4 or height < 3:
        return []
    inner = width - 2
    top = f"┌ {title} "[:width - 1]
    rows = [top + "─" * (width - 1 - len(top)) + "┐"]
    body = [(" " + line)[:inner].ljust(inner) for line in lines[:height - 2]]
    body += [" " * inner] * (height - 2 - len(body))
    if label and len(label) + 4 <= inner and height - 2 >= 3:
        boxed = [f"┌{'─' * (len(label) + 2)}┐", f"│ {label} │", f"└{'─' * (len(label) + 2)}┘"]
        column = (inner - len(boxed[0])) // 2
        middle = (height - 2) // 2 - 1
        for offset, part in enumerate(boxed):
            row = body[middle + offset]
            body[middle + offset] = row[:column] + part + row[column + len(part):]
    rows += [f"│{row}│" for row in body]
    rows.append("└" + "─" * inner + "┘")
    return rows


def build_tree(windows: list[list[str]], panes: list[list[str]], *,
               expand_sessions: bool) -> list[TreeItem]:
    """The tree from ``list-windows -a -F TREE_FORMAT`` rows ``[session, index, name,
    flags, panes, attached]`` and ``list-panes -a -F PANE_TREE_FORMAT`` rows ``[session,
    window, index, command, active]``. Windows of one pane have no children (as in tmux);
    ``expand_sessions`` shows the windows (``-w``), else only sessions (``-s``)."""
    sessions: dict[str, TreeItem] = {}
    for session, index, name, flags, _, attached in windows:
        if session not in sessions:
            sessions[session] = TreeItem(f"{session}:", session, "", expanded=expand_sessions)
        window = TreeItem(f"{session}:{index}", index, f"{name}{flags}")
        window.children = [
            TreeItem(f"{session}:{index}.{pane}", pane,
                     command + ("*" if active not in ("", "0") else ""))
            for pane_session, pane_window, pane, command, active in panes
            if pane_session == session and pane_window == index]
        if len(window.children) < 2:
            window.children = []
        sessions[session].children.append(window)
        if attached not in ("", "0"):
            sessions[session].text = " (attached)"
    for item in sessions.values():
        item.text = f"{len(item.children)} windows{item.text}"
    return list(sessions.values())


def parse_tree_output(stdout: str, fields: int = 6) -> list[list[str]]:
    """Split ``list-windows -a -F`` / ``list-panes -a -F`` output joined by tabs into rows
    of ``fields`` fields."""
    rows: list[list[str]] = []
    for line in stdout.splitlines():
        row = line.split("\t")
        if len(row) == fields:
            rows.append(row)
    return rows
