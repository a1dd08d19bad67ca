"""tmux's choosers in the client: ``choose-tree``, ``choose-buffer`` and ``choose-client``
with tmux 3.3a's flags, whether a key binding runs them here or the server asks this
client to draw them (a script's ``choose-tree -t``, :mod:`aisession_tui.server.mode_clients`).

The lists are built from the server's ``list-sessions`` / ``list-windows`` / ``list-panes``
/ ``list-buffers`` / ``list-clients`` output with the line format ``-F`` (default tmux's
``tree_mode_format``, ``buffer_mode_format``, ``client_mode_format``), kept by the filter
``-f`` (a pane, buffer or client is kept when the filter expands true; a window when one
of its panes is, a session when one of its windows is), sorted by ``-O`` (the tree:
``index``, ``name``, ``time``; buffers: ``time``, ``name``, ``size``; clients: ``name``,
``size``, ``creation``, ``activity``) and reversed by ``-r``, as window-tree.c,
window-buffer.c and window-client.c build theirs. ``-s`` / ``-w`` collapse the tree to
sessions / windows, ``-G`` keeps every session of a group (else only the first, or the
current one), ``-N`` leaves the preview out. Choosing an item runs the template with
``%%`` replaced by the item's target (tmux's ``=s:``, ``=s:1.``, ``=s:1.%3``; a buffer's
name; a client's name), or the mode's default command.

Invariant: a chooser the server asked for remembers its pane and mode
(:attr:`Chooser.server_mode`); closing it sends ``mode-done`` so the pane leaves the mode,
and the pane leaving the mode elsewhere closes it (:func:`follow_mode`).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import TYPE_CHECKING
from weakref import WeakKeyDictionary

from rich.segment import Segment
from rich.style import Style
from textual.strip import Strip

from aisession_tui.cli.client import ClientError
from aisession_tui.protocol import messages
from aisession_tui.server.cmdlang import template_replace
from aisession_tui.widgets.overlays import ChooseTree, Overlay, TreeItem
from aisession_tui.widgets.tmux_styles import parse_or_default, rich_style
from aisession_tui.widgets.tree_preview import PaneShot, PreviewContent

if TYPE_CHECKING:
    from aisession_tui.client.actions import ClientActions

SEPARATOR = "\x1f"
"""Between the fields of one ``-F`` row (a unit separator: never in a name)."""
CHOOSER_FLAGS = {"choose-tree": ("GNrswZ", "FfKOt"), "choose-buffer": ("NrZ", "FfKOt"),
                 "choose-client": ("NrZ", "FfKOt"), "customize-mode": ("NZ", "Fft")}
"""Each chooser's flags: (without a value, with a value), as tmux 3.3a declares them."""
MODES = {"choose-tree": "tree-mode", "choose-buffer": "buffer-mode",
         "choose-client": "client-mode", "customize-mode": "options-mode"}
SORT_ORDERS = {"choose-tree": ("index", "name", "time"),
               "choose-buffer": ("time", "name", "size"),
               "choose-client": ("name", "size", "creation", "activity"),
               "customize-mode": ("",)}
"""The ``-O`` orders each chooser knows, its default first."""
DEFAULT_FORMATS = {"choose-tree": "#{E:tree_mode_format}",
                   "choose-buffer": "#{E:buffer_mode_format}",
                   "choose-client": "#{E:client_mode_format}"}
_STYLE = re.compile(r"#\[[^\]]*\]")


@dataclass
class ChooserArgs:
    """A chooser command's arguments."""

    flags: set[str] = field(default_factory=set)
    values: dict[str, str] = field(default_factory=dict)
    template: str = ""

    def sort_order(self, name: str) -> str:
        """``-O`` if the chooser knows it, else its default (tmux ignores others)."""
        orders = SORT_ORDERS[name]
        wanted = self.values.get("O", "")
        return wanted if wanted in orders else orders[0]


def parse_args(name: str, args: list[str]) -> ChooserArgs:
    """getopt over ``args`` with the chooser's flags; ValueError on bad input (tmux's
    ``unknown flag -x`` / ``too many arguments``)."""
    plain, valued = CHOOSER_FLAGS[name]
    parsed = ChooserArgs()
    index = 0
    while index < len(args):
        word = args[index]
        index += 1
        if word == "--":
            break
        if not word.startswith("-") or word == "-":
            index -= 1
            break
        position = 1
        while position < len(word):
            letter = word[position]
            position += 1
            if letter in plain:
                parsed.flags.add(letter)
            elif letter in valued:
                if position < len(word):
                    parsed.values[letter] = word[position:]
                elif index < len(args):
                    parsed.values[letter] = args[index]
                    index += 1
                else:
                    raise ValueError(f"-{letter} expects an argument")
                break
            else:
                raise ValueError(f"unknown flag -{letter}")
    rest = args[index:]
    if len(rest) > 1:
        raise ValueError("too many arguments (need at most 1)")
    parsed.template = rest[0] if rest else ""
    return parsed


def truthy(text: str) -> bool:
    """tmux's ``format_true``: not empty and not ``0``."""
    return text != "" and text != "0"


def plain_text(text: str) -> str:
    """A line's text without its ``#[style]`` markup (the list draws plain text)."""
    return _STYLE.sub("", text)


def rows(stdout: str, fields: int) -> list[list[str]]:
    """``-F`` output split into rows of ``fields`` fields (others dropped)."""
    found = []
    for line in stdout.splitlines():
        row = line.split(SEPARATOR)
        if len(row) == fields:
            found.append(row)
    return found


class Chooser(ChooseTree):
    """A chooser's list: tmux's tree lines and preview, with what choosing runs.

    ``targets`` maps each line's id to what ``%%`` becomes; ``template`` is the command to
    run (empty: the mode's default); ``server_mode`` the (pane id, mode) the server put in
    the mode for this list, None when a key binding opened it here; ``sort`` the preview
    title's order; ``label_items`` whether the preview labels the item (tree windows and
    panes) and ``preview_shown`` whether there is a preview at all (``-N``)."""

    def __init__(self, kind: str, items: list[TreeItem], highlighted: str | None,
                 actions: ClientActions, parsed: ChooserArgs, targets: dict[str, str],
                 server_mode: tuple[int, str] | None) -> None:
        self.kind = kind
        self.actions = actions
        self.targets = targets
        self.template = parsed.template
        self.server_mode = server_mode
        self.sort = parsed.sort_order(kind) + (", reversed" if "r" in parsed.flags else "")
        self.preview_shown = "N" not in parsed.flags
        super().__init__(items, highlighted)
        self.styles.background = "ansi_default"  # the terminal's own colours, as tmux's
        self.styles.color = "ansi_default"
        self.styles.scrollbar_size_vertical = 0  # tmux draws no scroll bar
        self.filter_state = ""
        """The preview title's filter note: "", ``active`` or ``no matches``."""
        self.announcing = False
        """Opened by a key here, the server not yet told: its echo is this chooser and the
        pane's mode is not yet the server's (:func:`swallow_echo`, :func:`follow_mode`)."""
        self.echo_seen = False

    def server_changed(self) -> None:
        """The server sent the pane's session again while the mode is on (the options
        mode reads its values again)."""

    def _tree_line(self, y: int) -> tuple[str, bool] | None:
        """The text of the tree line at screen row ``y`` and whether it is the current
        one; None below the last line."""
        try:
            index, offset = self._lines[self.scroll_offset.y + y]
        except IndexError:
            return None
        text = str(self.get_option_at_index(index).prompt) if offset == 0 else ""
        return text, index == self.highlighted

    def _current_style(self) -> Style:
        """The current line's style: the session's ``mode-style``."""
        status = getattr(getattr(self.app, "status", None), "status", None) or {}
        return rich_style(parse_or_default(str(status.get("mode_style")
                                               or "bg=yellow,fg=black")))

    def render_line(self, y: int) -> Strip:
        """A line as tmux's mode tree draws it: plain, the current one in ``mode-style``
        across the width."""
        width = self.scrollable_content_region.width
        line = self._tree_line(y)
        if line is None:
            return Strip.blank(width, Style())
        text, current = line
        text = text[:width]
        if not current:
            return Strip([Segment(text, Style())])
        return Strip([Segment(text.ljust(width), self._current_style())])

    def fit(self) -> None:
        super().fit()
        if not self.preview_shown and self.is_attached:
            self.styles.height = "1fr"
            self.preview.display = False

    async def load_preview(self, item: TreeItem) -> None:
        content = PreviewContent(f"{item.name} (sort: {self.sort})", self.filter_state)
        command = self.actions.app.server_command
        if self.kind == "choose-buffer":
            result = await command(["show-buffer", "-b", self.targets.get(item.target, "")],
                                   quiet=True)
            content.text = [visible(line) for line in
                            str(result.get("stdout", "")).split("\n")]
        elif self.kind == "choose-client":
            shots = await pane_shots(self.actions, "list-panes",
                                     self.targets.get(item.target + "\x00session", ""), True)
            content.single = next((shot for shot, active in shots if active), None)
        elif item.target.endswith(":"):  # a session: its windows side by side
            name = self.targets.get(item.target, "=")[1:-1]
            shots = await pane_shots(self.actions, "list-windows", f"={name}", False)
            content.shots = [shot for shot, _ in shots]
            content.current = next((n for n, (_, active) in enumerate(shots) if active), 0)
        elif "." not in item.target.partition(":")[2]:  # a window: its panes
            target = self.targets.get(item.target, "")[:-1]
            shots = await pane_shots(self.actions, "list-panes", target, False)
            content.shots = [shot for shot, _ in shots]
            content.current = next((n for n, (_, active) in enumerate(shots) if active), 0)
            content.labels_in_share = True
        else:
            pane = self.targets.get(item.target, "").rpartition(".")[2]
            shots = await pane_shots(self.actions, "list-panes", pane, False, single=True)
            content.single = shots[0][0] if shots else None
        if self.is_attached and self.highlighted_item() is item:
            self.preview.show(content)


SHOT_FORMAT = SEPARATOR.join((
    "#{pane_id}", "#{pane_width}", "#{pane_height}", "#{cursor_x}", "#{cursor_y}",
    "#{cursor_flag}", "#{window_index}", "#{window_name}", "#{pane_index}",
    "#{?#{==:%s,list-windows},#{window_active},#{pane_active}}",
    "#{display-panes-colour}", "#{display-panes-active-colour}"))


async def pane_shots(actions: ClientActions, lister: str, target: str, active_only: bool,
                     *, single: bool = False) -> list[tuple[PaneShot, bool]]:
    """What the preview shows of each window (``list-windows``: its active pane) or pane
    (``list-panes``) of ``target``: (shot, whether it is the current one)."""
    command = actions.app.server_command
    argv = [lister, "-t", target, "-F", SHOT_FORMAT % lister]
    if single:
        argv = ["display-message", "-p", "-t", target, SHOT_FORMAT % lister]
    result = await command(argv, quiet=True)
    shots = []
    for row in rows(str(result.get("stdout", "")), 12):
        active = truthy(row[9])
        if active_only and not active:
            continue
        capture = await command(["capture-pane", "-p", "-t", row[0]], quiet=True)
        shot = PaneShot(str(capture.get("stdout", "")).split("\n"),
                        int(row[1] or 0), int(row[2] or 0),
                        (int(row[3] or 0), int(row[4] or 0)) if truthy(row[5]) else None)
        if lister == "list-windows":
            shot.label, shot.short_label = f" {row[6]}:{row[7]} ", f" {row[6]} "
        elif not single:
            shot.label = f" {row[8]} "
        shot.colour = row[11] if active else row[10]
        shots.append((shot, active))
    return shots


def visible(line: str) -> str:
    """A buffer line as tmux's preview shows it (``utf8_strvis``: tabs as ``\\t``,
    other control characters in octal, a backslash doubled)."""
    out = []
    for char in line:
        if char == "\t":
            out.append("\\t")
        elif char == "\\":
            out.append("\\\\")
        elif ord(char) < 32 or ord(char) == 127:
            out.append(f"\\{ord(char):03o}")
        else:
            out.append(char)
    return "".join(out)


async def open_chooser(actions: ClientActions, name: str, args: list[str]) -> None:
    """Run ``name`` (a chooser command) in this client: show its list, or say what is wrong."""
    app = actions.app
    try:
        parsed = parse_args(name, args)
    except ValueError as exc:
        app.show_message(str(exc), error=True)
        return
    server_mode = None
    announce = False  # a key binding here: the server has yet to put the pane in the mode
    pane_target = parsed.values.get("t", "")
    if pane_target.startswith("%") and pane_target[1:].isdigit():
        server_mode = (int(pane_target[1:]), MODES[name])
    elif not pane_target and (view := app.active_view()) is not None:
        server_mode, announce = (view.pane_id, MODES[name]), True
    if name == "customize-mode":
        from aisession_tui.client.customize import open_customize

        chooser: Chooser | None = await open_customize(actions, parsed, server_mode)
        if chooser is None:
            if server_mode is not None and not announce:
                await mode_done(actions, server_mode)
            return
        await show_chooser(actions, chooser, name, args, announce)
        return
    built = await build_items(actions, name, parsed, server_mode)
    filter_state = "active" if parsed.values.get("f") else ""
    if built is not None and not built[0] and filter_state:
        # nothing matches: tmux shows everything and says so (mode_tree_build)
        unfiltered = ChooserArgs(parsed.flags, dict(parsed.values), parsed.template)
        unfiltered.values.pop("f")
        built, filter_state = await build_items(actions, name, unfiltered, server_mode), "no matches"
    if built is None:
        return
    items, highlighted, targets = built
    if not items:  # nothing to choose: tmux leaves the mode at once
        if server_mode is not None:
            await mode_done(actions, server_mode)
        return
    chooser = Chooser(name, items, highlighted, actions, parsed, targets, server_mode)
    chooser.filter_state = filter_state
    await show_chooser(actions, chooser, name, args, announce)


async def show_chooser(actions: ClientActions, chooser: Chooser, name: str, args: list[str],
                       announce: bool) -> None:
    """Show ``chooser``; ``announce``: a key opened it here, so the server is told the pane
    is now in its mode."""
    import asyncio

    app = actions.app
    server_mode = chooser.server_mode
    chooser.announcing = announce
    actions.show_overlay(chooser)
    for _ in range(500):  # keys held until now go to the chooser: mounted first
        if chooser.is_mounted or app.overlay is not chooser:
            break
        await asyncio.sleep(0.01)
    if announce and server_mode is not None:
        # #{pane_mode} and #{pane_in_mode} as tmux's: the server enters the mode (and has
        # the other clients showing the pane draw it); its request back to this client is
        # the chooser already open (swallow_echo)
        await app.server_command([name, "-t", f"%{server_mode[0]}", *args], quiet=True)
        chooser.announcing = False
    if server_mode is not None:
        take_pending_keys(actions, chooser, server_mode[0])


Built = tuple[list[TreeItem], str | None, dict[str, str]]
"""A chooser's items, the line to highlight and what ``%%`` becomes for each line."""


async def build_items(actions: ClientActions, name: str, parsed: ChooserArgs,
                      server_mode: tuple[int, str] | None) -> Built | None:
    """The items of chooser ``name`` (None when the server could not list them)."""
    if name == "choose-tree":
        return await tree_items(actions, parsed, server_mode)
    if name == "choose-buffer":
        return await buffer_items(actions, parsed)
    return await client_items(actions, parsed)


async def tree_items(actions: ClientActions, parsed: ChooserArgs,
                     server_mode: tuple[int, str] | None
                     ) -> tuple[list[TreeItem], str | None, dict[str, str]] | None:
    """choose-tree's items (window-tree.c's ``window_tree_build``), the line to highlight
    and each line's ``%%`` target."""
    app = actions.app
    line = parsed.values.get("F") or DEFAULT_FORMATS["choose-tree"]
    keep = parsed.values.get("f", "")
    sep = SEPARATOR
    sessions = await app.server_command(["list-sessions", "-F", sep.join((
        "#{session_id}", "#{session_name}", "#{session_activity}", "#{session_group}", line))])
    windows = await app.server_command(["list-windows", "-a", "-F", sep.join((
        "#{session_name}", "#{window_index}", "#{window_name}", "#{window_activity}", line))])
    panes = await app.server_command(["list-panes", "-a", "-F", sep.join((
        "#{session_name}", "#{window_index}", "#{pane_id}", "#{pane_index}",
        "#{pane_active}", keep or "1", line))])
    if sessions.get("exit_code") or windows.get("exit_code") or panes.get("exit_code"):
        return None
    pane_id = server_mode[0] if server_mode else None
    if pane_id is None:
        view = app.active_view()
        pane_id = view.pane_id if view is not None else None
    pane_rows = rows(str(panes.get("stdout", "")), 7)
    here = next((row for row in pane_rows if row[2] == f"%{pane_id}"), None)
    current_session = here[0] if here else str(app.session.get("name", ""))
    order = parsed.sort_order("choose-tree")
    reverse = "r" in parsed.flags

    def ordered(entries: list[list[str]], index: int, name: int, activity: int
                ) -> list[list[str]]:
        if order == "name":
            keyed = sorted(entries, key=lambda row: row[name])
        elif order == "time":  # newest first, then by name (window_tree_cmp_*)
            keyed = sorted(entries, key=lambda row: (-int(row[activity] or 0), row[name]))
        else:
            keyed = sorted(entries, key=lambda row: int(row[index].lstrip("$") or 0))
        return keyed[::-1] if reverse else keyed

    session_rows = rows(str(sessions.get("stdout", "")), 5)
    if "G" not in parsed.flags:  # squash groups: the current session or the group's first
        groups = {row[1]: row[3] for row in session_rows}
        current_group = groups.get(current_session, "")
        first: dict[str, str] = {}
        for row in sorted(session_rows, key=lambda row: int(row[0].lstrip("$") or 0)):
            first.setdefault(row[3], row[1])
        session_rows = [row for row in session_rows if not row[3] or (
            row[1] == current_session if row[3] == current_group else first[row[3]] == row[1])]
    window_rows = rows(str(windows.get("stdout", "")), 5)
    kind = "s" if "s" in parsed.flags else "w" if "w" in parsed.flags else ""
    targets: dict[str, str] = {}
    items: list[TreeItem] = []
    for session in ordered(session_rows, 0, 1, 2):
        name = session[1]
        item = TreeItem(f"{name}:", name, plain_text(session[4]), expanded=kind != "s")
        targets[item.target] = f"={name}:"
        for window in ordered([row for row in window_rows if row[0] == name], 1, 2, 3):
            index = window[1]
            mine = [row for row in pane_rows if row[0] == name and row[1] == index]
            kept = [row for row in mine if truthy(row[5])]
            if not kept:
                continue
            child = TreeItem(f"{name}:{index}", index, plain_text(window[4]),
                             expanded=kind == "")
            targets[child.target] = f"={name}:{index}."
            if len(mine) > 1:
                kept.sort(key=lambda row: int(row[2][1:]), reverse=reverse)
                for pane in kept:
                    leaf = TreeItem(f"{name}:{index}.{pane[3]}", pane[3], plain_text(pane[6]))
                    targets[leaf.target] = f"={name}:{index}.{pane[2]}"
                    child.children.append(leaf)
            item.children.append(child)
        if item.children:
            items.append(item)
    highlighted = None
    if here is not None:
        session_name, window_index, _, pane_index = here[:4]
        single = sum(1 for row in pane_rows
                     if row[0] == session_name and row[1] == window_index) == 1
        if kind == "s":
            highlighted = f"{session_name}:"
        elif kind == "w" or single:
            highlighted = f"{session_name}:{window_index}"
        else:
            highlighted = f"{session_name}:{window_index}.{pane_index}"
    return items, highlighted, targets


async def buffer_items(actions: ClientActions, parsed: ChooserArgs
                       ) -> tuple[list[TreeItem], str | None, dict[str, str]] | None:
    """choose-buffer's items (window-buffer.c): one per buffer the filter keeps."""
    line = parsed.values.get("F") or DEFAULT_FORMATS["choose-buffer"]
    keep = parsed.values.get("f", "") or "1"
    result = await actions.app.server_command(["list-buffers", "-F", SEPARATOR.join((
        "#{buffer_name}", "#{buffer_created}", "#{buffer_size}", keep, line))])
    if result.get("exit_code"):
        return None
    found = [row for row in rows(str(result.get("stdout", "")), 5) if truthy(row[3])]
    order = parsed.sort_order("choose-buffer")
    if order == "name":
        found.sort(key=lambda row: row[0])
    elif order == "size":  # biggest first, then by name
        found.sort(key=lambda row: (-int(row[2] or 0), row[0]))
    else:  # newest first (list-buffers' own order), ties by name
        found.sort(key=lambda row: -int(row[1] or 0))
    if "r" in parsed.flags:
        found.reverse()
    items = [TreeItem(f"buffer:{row[0]}", row[0], plain_text(row[4])) for row in found]
    targets = {item.target: item.name for item in items}
    return items, None, targets


async def client_items(actions: ClientActions, parsed: ChooserArgs
                       ) -> tuple[list[TreeItem], str | None, dict[str, str]] | None:
    """choose-client's items (window-client.c): one per client the filter keeps."""
    line = parsed.values.get("F") or DEFAULT_FORMATS["choose-client"]
    keep = parsed.values.get("f", "") or "1"
    result = await actions.app.server_command(["list-clients", "-F", SEPARATOR.join((
        "#{client_name}", "#{client_width}", "#{client_height}", "#{client_created}",
        "#{client_activity}", "#{session_name}", keep, line))])
    if result.get("exit_code"):
        return None
    found = [row for row in rows(str(result.get("stdout", "")), 8) if truthy(row[6])]
    order = parsed.sort_order("choose-client")
    if order == "size":
        found.sort(key=lambda row: (int(row[1] or 0), int(row[2] or 0), row[0]))
    elif order == "creation":
        found.sort(key=lambda row: (int(row[3] or 0), row[0]))
    elif order == "activity":  # most recent first
        found.sort(key=lambda row: (-int(row[4] or 0), row[0]))
    else:
        found.sort(key=lambda row: row[0])
    if "r" in parsed.flags:
        found.reverse()
    items = [TreeItem(f"client:{row[0]}", row[0], plain_text(row[7])) for row in found]
    targets = {item.target: item.name for item in items}
    targets.update({f"client:{row[0]}\x00session": f"={row[5]}:" for row in found})
    return items, None, targets


DEFAULT_TEMPLATES = {"choose-tree": "switch-client -Zt '%%'",
                     "choose-buffer": "paste-buffer -p -b '%%'",
                     "choose-client": "detach-client -t '%%'"}


async def chooser_closed(actions: ClientActions, chooser: Chooser, choice: str | None) -> None:
    """The list closed (``choice``: the chosen line's id, None for q / Escape): the pane
    leaves the server's mode, then the template runs for the choice."""
    if chooser.server_mode is not None:
        await mode_done(actions, chooser.server_mode)
    if choice is None:
        return
    if not chooser.template and chooser.kind != "choose-client":
        await actions.take_choice(choice)  # the tree's switch, the buffer's paste
        return
    template = chooser.template or DEFAULT_TEMPLATES[chooser.kind]
    await actions.run_line(template_replace(template, chooser.targets.get(choice, choice), 1))


async def mode_done(actions: ClientActions, server_mode: tuple[int, str]) -> None:
    """Tell the server the pane's mode this client drew is over."""
    client = actions.app.client
    if client is None:
        return
    try:
        await client.request(messages.MODE_DONE, {"pane": server_mode[0],
                                                  "mode": server_mode[1]})
    except ClientError:
        pass  # the server went away: nothing to leave


def follow_mode(actions: ClientActions, pane_id: int, mode: str) -> None:
    """The server reports ``pane_id`` now in ``mode``: close a chooser drawn for a mode the
    pane left (another client chose, ``copy-mode -q``, ``send-keys q``)."""
    overlay: Overlay | None = actions.app.overlay
    if mode not in MODES.values():
        PENDING_KEYS.get(actions, {}).pop(pane_id, None)
    if (isinstance(overlay, Chooser) and overlay.server_mode is not None
            and not overlay.announcing
            and overlay.server_mode[0] == pane_id and overlay.server_mode[1] != mode):
        overlay.server_mode = None
        actions.close_overlay()
    elif (isinstance(overlay, Chooser) and overlay.server_mode is not None
            and not overlay.announcing and overlay.server_mode == (pane_id, mode)):
        overlay.server_changed()


def keys_changed(actions: ClientActions) -> None:
    """The server sent its key tables again (a binding changed): the open chooser may
    show them (customize-mode)."""
    overlay: Overlay | None = actions.app.overlay
    if isinstance(overlay, Chooser) and overlay.server_mode is not None \
            and not overlay.announcing:
        overlay.server_changed()


def swallow_echo(actions: ClientActions, argv: list[str]) -> bool:
    """Whether the server's request to draw ``argv`` (a chooser) is the one this client
    opened itself from a key and just announced (it is open already)."""
    overlay: Overlay | None = actions.app.overlay
    if (not isinstance(overlay, Chooser) or not overlay.announcing or overlay.echo_seen
            or overlay.server_mode is None or argv[:1] != [overlay.kind]):
        return False
    if argv[1:3] != ["-t", f"%{overlay.server_mode[0]}"]:
        return False
    overlay.echo_seen = True
    return True


PENDING_KEYS: WeakKeyDictionary[ClientActions, dict[int, list[str]]] = WeakKeyDictionary()
"""Keys ``send-keys`` sent to a pane's chooser before this client had it open (the server
asks a client to draw the mode, then the keys come while it builds the list)."""


def mode_keys(actions: ClientActions, pane_id: int, keys: list[str]) -> None:
    """``mode-keys``: feed ``keys`` to the chooser drawn for ``pane_id``, or keep them until
    it opens (dropped when the pane leaves the mode)."""
    pending = PENDING_KEYS.setdefault(actions, {})
    pending.setdefault(pane_id, []).extend(keys)
    overlay: Overlay | None = actions.app.overlay
    if isinstance(overlay, Chooser) and overlay.server_mode is not None \
            and overlay.server_mode[0] == pane_id:
        take_pending_keys(actions, overlay, pane_id)


def take_pending_keys(actions: ClientActions, chooser: Chooser, pane_id: int) -> None:
    """Feed the keys kept for ``pane_id`` to ``chooser``, in order, before any typed key."""
    keys = PENDING_KEYS.get(actions, {}).pop(pane_id, [])
    if keys:
        actions.app.keys.run_holding_keys(feed_keys(actions, chooser, keys))


async def feed_keys(actions: ClientActions, chooser: Chooser, keys: list[str]) -> None:
    """Each key as if typed in the chooser (moves, shortcuts, Enter, q); the rest are
    dropped once it closes."""
    from textual import events

    from aisession_tui.terminal.keys import tmux_key_to_textual

    for key in keys:
        if actions.app.overlay is not chooser:
            return
        try:
            name = tmux_key_to_textual(key)
        except ValueError:
            continue
        character = key if len(key) == 1 else None
        await actions.app.keys.key_to_overlay(chooser, events.Key(name, character))
