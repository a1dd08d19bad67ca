"""customize-mode in the client: tmux 3.3a's options mode (window-customize.c) on the
mode tree the choosers draw (:class:`aisession_tui.client.choosers.Chooser`).

The tree has the option groups (``Server Options``, ``Session Options``, ``Window & Pane
Options``), each option a line ``name: value`` (an array option a parent of its items
``name[N]``), and a ``Key Table - NAME`` group per key table, each key a parent of its
``Command``, ``Note`` and ``Repeat`` lines. A value set at a narrower scope than the group's
global one shows its scope reversed first (``(session p)``, ``(window 0)``, ``(pane 0)``),
as the default ``-F`` format does; ``-f`` keeps the options and keys it expands true for.
The list is read from the server with ``show-options`` and ``list-keys``; it is built again
when the server reports the pane's session changed (an option set here or elsewhere) or
sends its key tables again (a binding changed).

Keys, as tmux's: Enter / ``s`` on a key's ``Repeat`` line toggles it, on its ``Command`` or
``Note`` line opens a prompt with it (the key is bound again), ``u`` on a key unbinds it
and ``d`` binds it again as tmux's default (after ``y``); Enter / ``s`` set the option at the pane's narrowest scope it has, ``w``
at the window's, ``S`` / ``W`` the global value (a flag toggles, a choice moves to the next
one, anything else opens a prompt with the value); ``d`` resets the option to its default
at every scope (after ``y``), ``u`` unsets it where it is set (after ``y``); ``H`` hides
the global options. The preview box shows what tmux shows of an option (its scope, array
index, value, what it expands to, the values a choice takes, the default when it differs,
the window and global values under a local one) or of a key (note, table, repeat,
command).

Left out (not built): the options' descriptions (tmux's first preview line: the option
table here has no texts), tagging (``t``, ``D``,
``U``).

Invariant: every line's id is a target of :attr:`CustomizeChooser.entries`, which says what
the line stands for.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import TYPE_CHECKING

from rich.segment import Segment
from rich.style import Style
from textual.strip import Strip
from textual.widgets import OptionList

from aisession_tui.client.choosers import SEPARATOR, Chooser, ChooserArgs, truthy
from aisession_tui.keymaps import Command, parse_command_line
from aisession_tui.server import option_table
from aisession_tui.server.styles import Style as TmuxStyle
from aisession_tui.widgets.overlays import Overlay, TreeItem
from aisession_tui.widgets.tmux_styles import parse_or_default
from aisession_tui.widgets.tree_preview import PreviewContent

if TYPE_CHECKING:
    from aisession_tui.client.actions import ClientActions

UNITS = {"escape-time": "milliseconds", "assume-paste-time": "milliseconds",
         "display-panes-time": "milliseconds", "display-time": "milliseconds",
         "history-limit": "lines", "lock-after-time": "seconds",
         "repeat-time": "milliseconds", "status-interval": "seconds"}
"""The options tmux shows with a unit after their value."""
TABLE = {option.name: option for option in option_table.OPTIONS_TABLE}
PREVIEW_HEIGHT = 12
"""tmux's preview box height for this mode (``window_customize_height``)."""

SERVER, GLOBAL_SESSION, SESSION = "server", "global-session", "session"
GLOBAL_WINDOW, WINDOW, PANE = "global-window", "window", "pane"
GLOBAL_SCOPES = (SERVER, GLOBAL_SESSION, GLOBAL_WINDOW)
SCOPE_FLAGS = {SERVER: ["-s"], GLOBAL_SESSION: ["-g"], SESSION: [],
               GLOBAL_WINDOW: ["-gw"], WINDOW: ["-w"], PANE: ["-p"]}
"""What ``set-option`` takes to reach each scope (local ones add ``-t %PANE``)."""


@dataclass
class Entry:
    """What one line stands for: an option (``name``, array ``index`` or None) with the
    scope its value comes from, or a key (``table``, ``key``), or a group (neither)."""

    name: str = ""
    scope: str = ""
    value: str = ""
    index: int | None = None
    array: bool = False
    table: str = ""
    key: str = ""
    command: str = ""
    note: str | None = None
    repeat: bool = False
    window_value: str | None = None
    global_value: str | None = None


@dataclass
class Place:
    """The pane the mode is in: its session name, window index and pane index."""

    pane: int
    session: str
    window: str
    index: str

    def scope_text(self, scope: str) -> str:
        """``window_customize_scope_text``: ``pane N``, ``session S``, ``window N``, else ""."""
        return {PANE: f"pane {self.index}", SESSION: f"session {self.session}",
                WINDOW: f"window {self.window}"}.get(scope, "")


def option_values(stdout: str) -> dict[str, str]:
    """``show-options`` output as {name (``name[N]`` for array items): value}."""
    values: dict[str, str] = {}
    for line in stdout.splitlines():
        name, _, raw = line.partition(" ")
        try:
            words = parse_command_line("x " + raw)[0] if raw else ["x"]
        except (ValueError, IndexError):
            continue
        values[name] = words[1] if len(words) > 1 else ""
    return values


def with_unit(name: str, value: str) -> str:
    unit = UNITS.get(name)
    return f"{value} {unit}" if unit else value


class CustomizeChooser(Chooser):
    """The options mode's tree, preview and keys."""

    def __init__(self, items: list[TreeItem], actions: ClientActions, parsed: ChooserArgs,
                 entries: dict[str, Entry], place: Place,
                 server_mode: tuple[int, str] | None) -> None:
        self.entries = entries
        self.place = place
        self.parsed = parsed
        self.hide_global = False
        targets = {target: target for target in entries}
        first = items[0].target if items else None
        super().__init__("customize-mode", items, first, actions, parsed, targets, server_mode)

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        """Enter edits (:meth:`dismissal`); it never closes the mode."""
        event.stop()
        event.prevent_default()

    @staticmethod
    def shown_tree(items: list[TreeItem]) -> list[tuple[str, str | None, bool]]:
        return [(item.target, item.text, item.expanded) for item in walk(items)]

    def server_changed(self) -> None:
        """The pane's session changed on the server (an option set): read it all again."""
        self.run_worker(self.rebuild_all, group="customize-refresh", exclusive=True)

    def fit(self) -> None:
        """tmux gives this mode's preview 12 lines (the tree the rest, at least 10)."""
        from textual.widget import Widget

        if not isinstance(self.parent, Widget) or not self.is_attached:
            return
        total = self.parent.content_size.height
        tree = total - PREVIEW_HEIGHT if total > PREVIEW_HEIGHT else total
        if tree < 10:
            tree = total
        self.styles.height = tree
        self.preview.display = tree < total and self.preview_shown
        self.refresh_preview()

    def render_line(self, y: int) -> Strip:
        """A line with its ``#[reverse]`` scope reversed; the current one in mode-style."""
        width = self.scrollable_content_region.width
        line = self._tree_line(y)
        if line is None:
            return Strip.blank(width, Style())
        text, current = line
        base = self._current_style() if current else Style()
        segments, used, reverse = [], 0, False
        for part in re.split(r"(#\[reverse\]|#\[default\])", text):
            if part in ("#[reverse]", "#[default]"):
                reverse = part == "#[reverse]"
                continue
            part = part[:max(0, width - used)]
            if part:
                segments.append(Segment(part, base + Style(reverse=True) if reverse else base))
                used += len(part)
        if current and used < width:
            segments.append(Segment(" " * (width - used), base))
        return Strip(segments)

    async def load_preview(self, item: TreeItem) -> None:
        entry = self.entries.get(item.target)
        name = item.name
        if entry is not None and entry.key and item.target.count("\x00") == 2:
            name = entry.key  # Command / Note / Repeat draw as their key
        content = PreviewContent(name, self.filter_state)
        content.wrap = True
        if entry is not None and entry.key:
            content.text = key_preview(entry)
        elif entry is not None and entry.name:
            content.text = await self.option_preview(entry)
            sample = option_sample(entry)
            if sample is not None:
                content.samples[len(content.text) - 1] = ("EXAMPLE", sample)
                content.text.extend(self.parent_values(entry))
        if self.is_attached and self.highlighted_item() is item:
            self.preview.show(content)

    async def option_preview(self, entry: Entry) -> list[str]:
        """``window_customize_draw_option`` without the description."""
        option = TABLE.get(entry.name)
        if option is None:
            kind = "user"
        elif option.scope & option_table.WINDOW and option.scope & option_table.PANE:
            kind = "window and pane"
        elif option.scope & option_table.WINDOW:
            kind = "window"
        elif option.scope & option_table.SESSION:
            kind = "session"
        else:
            kind = "server"
        lines = [f"This is a {kind} option."]
        if entry.array:
            if entry.index is None:
                lines.append("This is an array option.")
                return lines
            lines.append(f"This is an array option, index {entry.index}.")
        lines.append("")
        unit = f" {UNITS[entry.name]}" if entry.name in UNITS else ""
        lines.append(f"Option value: {entry.value}{unit}")
        if (option is None or option.type == option_table.STRING) and "#" in entry.value:
            expanded = await self.actions.app.server_command(
                ["display-message", "-p", "-t", f"%{self.place.pane}", "--", entry.value],
                quiet=True)
            text = str(expanded.get("stdout", "")).removesuffix("\n")
            if text != entry.value:
                lines.append(f"This expands to: {text}")
        if option is not None and option.type == option_table.CHOICE:
            lines.append(f"Available values are: {', '.join(option.choices)}")
        if option is not None and option.type == option_table.COLOUR:
            lines.append("This is a colour option: ")
        elif option is not None and option.style:
            lines.append("This is a style option: ")
        else:
            lines.extend(self.default_and_parents(entry))
        return lines

    def default_and_parents(self, entry: Entry) -> list[str]:
        """The default when it differs, a blank line, the window and global values."""
        option = TABLE.get(entry.name)
        unit = f" {UNITS[entry.name]}" if entry.name in UNITS else ""
        lines = []
        if option is not None and entry.index is None and not option.array:
            default = str(option.default)
            if default != entry.value:
                lines.append(f"The default is: {default}{unit}")
        lines.append("")
        if entry.window_value is not None:
            lines.append(f"Window value (from window {self.place.window}): "
                         f"{entry.window_value}{unit}")
        if entry.global_value is not None:
            lines.append(f"Global value: {entry.global_value}{unit}")
        return lines

    def parent_values(self, entry: Entry) -> list[str]:
        """What follows a colour or style option's sample line."""
        return self.default_and_parents(entry)

    def dismissal(self, key: str) -> Overlay.Closed | None:
        """q / Escape leave; a shortcut key or Enter / s / w / S / W edit; d / u ask
        before resetting / unsetting; H hides the global options."""
        from aisession_tui.terminal.keys import textual_to_tmux_key

        try:
            name = textual_to_tmux_key(key)
        except ValueError:
            name = key
        if name in ("q", "Escape", "C-g"):
            return self.Closed(self, None)
        if name in self.shortcuts:
            self.highlighted = self.get_option_index(self.shortcuts[name])
            name = "Enter"
        item = self.highlighted_item()
        entry = self.entries.get(item.target) if item is not None else None
        if name == "H":
            self.hide_global = not self.hide_global
            self.server_changed()
        elif entry is not None and entry.key and item is not None:
            if name in ("Enter", "s"):
                self.actions.app.keys.run_holding_keys(self.set_key(entry, item.name))
            elif name == "u":
                self.actions.app.keys.run_holding_keys(self.confirm(
                    f"Unset {entry.key}?", [["unbind-key", "-T", entry.table, entry.key]]))
            elif name == "d":
                self.actions.app.keys.run_holding_keys(self.reset_key(entry))
        elif entry is not None and entry.name and name in ("Enter", "s", "w", "S", "W"):
            self.actions.app.keys.run_holding_keys(self.set_option(
                entry, global_scope=name in ("S", "W"), pane=name in ("Enter", "s")))
        elif entry is not None and entry.name and name == "d" and entry.index is None:
            self.actions.app.keys.run_holding_keys(self.confirm(
                f"Reset {entry.name} to default?", reset_commands(entry, self.place)))
        elif entry is not None and entry.name and name == "u":
            shown = entry.name if entry.index is None else f"{entry.name}[{entry.index}]"
            self.actions.app.keys.run_holding_keys(self.confirm(
                f"Unset {shown}?", [unset_command(entry, self.place)]))
        return None

    async def confirm(self, prompt: str, commands: list[list[str]] | str) -> None:
        """Ask ``prompt`` (y runs ``commands``: argvs, or one command line; none: the
        answer does nothing, as tmux's prompt for a key already at its default)."""
        line = commands if isinstance(commands, str) else " ; ".join(
            " ".join(quote(word) for word in words) for words in commands)
        if not line:
            line = "refresh-client -S"
        await self.actions.run_command(Command.from_words(
            ["confirm-before", "-p", prompt, line]))
        self.after_prompt()

    async def set_key(self, entry: Entry, line: str) -> None:
        """``window_customize_set_key``: on ``Repeat`` toggle it, on ``Command`` / ``Note``
        a prompt with the binding's command / note (the key's own line: nothing)."""
        def binding(repeat: bool, note: str | None) -> str:
            words = ["bind-key", *(["-r"] if repeat else []),
                     *(["-N", note] if note else []), "-T", entry.table, entry.key]
            return " ".join(quote(word) for word in words)

        entry = await self.fresh_key(entry)
        prompt = ["command-prompt", "-p", f"({entry.key})"]
        if line == "Repeat":
            await self.actions.run_line(f"{binding(not entry.repeat, entry.note)} "
                                        f"{entry.command}")
            return  # the server sends its key tables again: server_changed
        if line == "Command":
            template = f"{binding(entry.repeat, entry.note)} %%"
            await self.actions.run_command(Command.from_words(
                [*prompt, "-I", entry.command, template]))
        elif line == "Note":
            head = binding(entry.repeat, None).replace(" -T ", ' -N "%%%" -T ', 1)
            await self.actions.run_command(Command.from_words(
                [*prompt, "-I", entry.note or "", f"{head} {entry.command}"]))
        else:
            return
        self.after_prompt()

    def after_prompt(self) -> None:
        """Read everything again once the prompt just opened is answered and its command
        has run (besides the server's own reports: a session message, its key tables)."""
        async def wait() -> None:
            import asyncio

            app = self.actions.app
            while app.prompt.is_open or app.keys.bindings_pending:
                await asyncio.sleep(0.05)
            self.server_changed()

        self.run_worker(wait, group="customize-prompt", exclusive=True)

    async def reset_key(self, entry: Entry) -> None:
        reset = reset_key_commands(await self.fresh_key(entry))
        await self.confirm(f"Reset {entry.key} to default?", [] if reset is None else reset)

    async def fresh_key(self, entry: Entry) -> Entry:
        """The binding as the server has it now (the tree may not have caught up with an
        edit made a moment ago)."""
        command = self.actions.app.server_command
        argv = ["-T", entry.table, entry.key]
        listed = await command(["list-keys", *argv], quiet=True)
        match = _BINDING.match(str(listed.get("stdout", "")).rstrip("\n"))
        if match is None:
            return entry
        noted = await command(["list-keys", "-N", *argv], quiet=True)
        note = str(noted.get("stdout", "")).rstrip("\n").partition(" ")[2].strip()
        return Entry(table=entry.table, key=entry.key, command=match.group(4).rstrip(),
                     repeat=bool(match.group(1)), note=note or None)

    async def set_option(self, entry: Entry, *, global_scope: bool, pane: bool) -> None:
        """``window_customize_set_option``: the scope tmux picks, then a toggle, the next
        choice, or a prompt with the value."""
        option = TABLE.get(entry.name)
        if option is not None and not option.scope & option_table.PANE:
            pane = False
        scope = entry.scope
        if not entry.array:
            scope = target_scope(entry.scope, global_scope, pane)
        name = entry.name if entry.index is None or not entry.array else \
            f"{entry.name}[{entry.index}]"
        argv = ["set-option", *scope_argv(scope, self.place)]
        if option is not None and option.type == option_table.FLAG:
            await self.actions.app.server_command(
                [*argv, name, "off" if entry.value == "on" else "on"])
        elif option is not None and option.type == option_table.CHOICE and option.choices:
            position = option.choices.index(entry.value) if entry.value in option.choices else -1
            await self.actions.app.server_command(
                [*argv, name, option.choices[(position + 1) % len(option.choices)]])
        else:
            text = self.place.scope_text(scope)
            space = ", for " if text else ", global" if scope != SERVER else ""
            shown = name if not entry.array or entry.index is not None else f"{entry.name}[+]"
            if entry.array and entry.index is None:
                argv.append("-a")
            template = " ".join(quote(word) for word in [*argv, name]) + ' "%%%"'
            await self.actions.run_command(Command.from_words(
                ["command-prompt", "-I", entry.value if entry.index is not None or not
                 entry.array else "", "-p", f"({shown}{space}{text})", template]))
            self.after_prompt()
            return
        self.server_changed()  # (the session message would do it too)

    async def rebuild_all(self) -> None:
        """Read the options and keys again and redraw, keeping the current line and what
        is expanded. Run only as :meth:`server_changed`'s worker: a newer one cancels an
        older one, so data read before a change never lands after data read after it."""
        built = await customize_items(self.actions, self.parsed, self.place.pane,
                                      self.hide_global)
        if built is None or not self.is_attached:
            return
        items, entries, place = built
        expanded = {item.target for item in walk(self.items) if item.expanded}
        for item in walk(items):
            item.expanded = item.target in expanded
        if (self.shown_tree(items) == self.shown_tree(self.items)
                and entries == self.entries and place == self.place):
            return  # nothing changed: the list and its highlight stay as they are
        current = self.highlighted_item()
        position = self.highlighted or 0
        self.items, self.entries, self.place = items, entries, place
        self.targets = {target: target for target in entries}
        lines = self.lines()
        target = current.target if current is not None else None
        while target is not None and target not in {line for line, _ in lines}:
            target = target.rpartition("\x00")[0] or None  # a Command line: its key
        if target is None and lines:  # gone (unset, unbound): the line above it
            target = lines[max(0, min(position, len(lines)) - 1)][0]
        self.rebuild(target or "")
        self.refresh_preview()


def option_sample(entry: Entry) -> TmuxStyle | None:
    """The style a colour option's (its colour as the foreground) or a style option's
    ``EXAMPLE`` is drawn in; None for other options."""
    option = TABLE.get(entry.name)
    if option is None or entry.array:
        return None
    if option.type == option_table.COLOUR:
        return parse_or_default(f"fg={entry.value}")
    if option.style:
        return parse_or_default(entry.value)
    return None


def walk(items: list[TreeItem]) -> list[TreeItem]:
    from aisession_tui.widgets.overlays import walk as walk_items

    return list(walk_items(items))


def quote(word: str) -> str:
    """A word for a tmux command line."""
    if word and re.fullmatch(r"[A-Za-z0-9_.,:%@/+=\[\]-]+", word):
        return word
    return "'" + word.replace("'", "'\\''") + "'"


def target_scope(scope: str, global_scope: bool, pane: bool) -> str:
    """The scope Enter / s (``pane``), w, S / W (``global_scope``) set an option at."""
    if global_scope:
        return {SESSION: GLOBAL_SESSION, WINDOW: GLOBAL_WINDOW,
                PANE: GLOBAL_WINDOW}.get(scope, scope)
    if scope in (WINDOW, PANE, GLOBAL_WINDOW):
        return PANE if pane else WINDOW
    return SESSION if scope == GLOBAL_SESSION else scope


def scope_argv(scope: str, place: Place) -> list[str]:
    flags = list(SCOPE_FLAGS[scope])
    if scope in (SESSION, WINDOW, PANE):
        flags += ["-t", f"%{place.pane}"]
    return flags


def unset_command(entry: Entry, place: Place) -> list[str]:
    name = entry.name if entry.index is None else f"{entry.name}[{entry.index}]"
    return ["set-option", "-u", *scope_argv(entry.scope, place), name]


def reset_commands(entry: Entry, place: Place) -> list[list[str]]:
    """``window_customize_reset_option``: unset the option at its scope and every one
    above it (the global one goes back to the default)."""
    chain = {SERVER: [SERVER], GLOBAL_SESSION: [GLOBAL_SESSION],
             SESSION: [SESSION, GLOBAL_SESSION], GLOBAL_WINDOW: [GLOBAL_WINDOW],
             WINDOW: [WINDOW, GLOBAL_WINDOW], PANE: [PANE, WINDOW, GLOBAL_WINDOW]}
    return [["set-option", "-u", *scope_argv(scope, place), entry.name]
            for scope in chain[entry.scope]]


def key_preview(entry: Entry) -> list[str]:
    """``window_customize_draw_key``: note, table, repeat, command, and the default
    binding's command when it differs."""
    note = entry.note if entry.note is not None else "There is no note for this key."
    period = "." if note and not note.endswith(".") else ""
    lines = [f"{note}{period}", "", f"This key is in the {entry.table} table.",
             f"This key {'does' if entry.repeat else 'does not'} repeat.", "",
             f"Command: {entry.command}"]
    default = default_binding(entry.table, entry.key)
    if default is not None and default.command != entry.command:
        lines.append(f"The default is: {default.command}")
    return lines


_DEFAULT_BINDINGS: dict[tuple[str, str], Entry] = {}


def default_binding(table: str, key: str) -> Entry | None:
    """tmux 3.3a's default binding of ``key`` in ``table`` (the server's defaults file,
    printed as ``list-keys`` prints commands), None when it has none."""
    if not _DEFAULT_BINDINGS:
        from aisession_tui.server.key_tables import default_key_tables

        defaults = default_key_tables()
        for name in defaults.table_names():
            for binding in defaults.ordered(name):
                _DEFAULT_BINDINGS[(name, binding.key)] = Entry(
                    table=name, key=binding.key, command=defaults.command_text(binding),
                    note=binding.note, repeat=binding.repeat)
    return _DEFAULT_BINDINGS.get((table, key))


def reset_key_commands(entry: Entry) -> list[list[str]] | str | None:
    """``window_customize_reset_key``: bind the key again as its default, note and repeat
    included (a command line), unbind it when it has none, nothing when its command is the
    default's (tmux then leaves a changed note or repeat as it is)."""
    default = default_binding(entry.table, entry.key)
    if default is None:
        return [["unbind-key", "-T", entry.table, entry.key]]
    if default.command == entry.command:
        return None
    words = ["bind-key", *(["-r"] if default.repeat else []),
             *(["-N", default.note] if default.note else []), "-T", entry.table, entry.key]
    return " ".join(quote(word) for word in words) + " " + default.command


_BINDING = re.compile(r"^bind-key\s+(-r\s+)?-T\s+(\S+)\s+(\S+)\s+(.*)$")


async def customize_items(actions: ClientActions, parsed: ChooserArgs, pane: int,
                          hide_global: bool = False
                          ) -> tuple[list[TreeItem], dict[str, Entry], Place] | None:
    """The options mode's tree (``window_customize_build``) for the mode's pane."""
    command = actions.app.server_command
    target = f"%{pane}"
    where = await command(["display-message", "-p", "-t", target, SEPARATOR.join(
        ("#{session_name}", "#{window_index}", "#{pane_index}"))], quiet=True)
    fields = str(where.get("stdout", "")).removesuffix("\n").split(SEPARATOR)
    if where.get("exit_code") or len(fields) != 3:
        return None
    place = Place(pane, *fields)
    shown = {}
    for key, argv in (("server", ["-s"]), ("global-session", ["-g"]),
                      ("session", ["-t", target]), ("global-window", ["-gw"]),
                      ("window", ["-w", "-t", target]), ("pane", ["-p", "-t", target])):
        result = await command(["show-options", *argv], quiet=True)
        shown[key] = option_values(str(result.get("stdout", "")))
    keep = parsed.values.get("f", "")
    line_format = parsed.values.get("F", "")
    entries: dict[str, Entry] = {}
    items: list[TreeItem] = []
    groups = (("Server Options", [(SERVER, shown["server"])]),
              ("Session Options", [(GLOBAL_SESSION, shown["global-session"]),
                                   (SESSION, shown["session"])]),
              ("Window & Pane Options", [(GLOBAL_WINDOW, shown["global-window"]),
                                         (WINDOW, shown["window"]), (PANE, shown["pane"])]))
    for title, layers in groups:
        group = TreeItem(title, title, None)
        entries[title] = Entry()
        for name in option_names(layers):
            entry = option_entry(name, layers)
            if entry.scope in GLOBAL_SCOPES and hide_global:
                continue
            text = None if entry.array else option_text(entry, place)
            if keep and not await filter_true(actions, keep, entry, place, text or ""):
                continue
            if line_format and text is not None:
                text = await expand_line(actions, line_format, entry, place, text)
            item = TreeItem(f"{title}\x00{name}", name, text)
            entries[item.target] = entry
            if entry.array:
                values = dict(layers)[entry.scope]
                for key, value in values.items():
                    if key.startswith(name + "["):
                        index = int(key[len(name) + 1:-1])
                        child = TreeItem(f"{item.target}\x00{index}", key, value)
                        entries[child.target] = Entry(name, entry.scope, value, index, True)
                        item.children.append(child)
            group.children.append(item)
        items.append(group)
    keys = await command(["list-keys"], quiet=True)
    tables: dict[str, list[Entry]] = {}
    for line in str(keys.get("stdout", "")).splitlines():
        match = _BINDING.match(line)
        if match is None:
            continue
        try:
            key = parse_command_line(match.group(3))[0][0]
        except (ValueError, IndexError):
            key = match.group(3)
        tables.setdefault(match.group(2), []).append(
            Entry(table=match.group(2), key=key, command=match.group(4).rstrip(),
                  repeat=bool(match.group(1))))
    for table in sorted(tables):
        notes = await command(["list-keys", "-N", "-T", table], quiet=True)
        noted = {}
        for line in str(notes.get("stdout", "")).splitlines():
            key, _, note = line.partition(" ")
            noted[key] = note.strip()
        title = f"Key Table - {table}"
        group = TreeItem(title, title, None)
        entries[title] = Entry()
        for entry in tables[table]:
            entry.note = noted.get(entry.key)
            if keep and not truthy(await expand_key(actions, keep, entry, place)):
                continue
            shown_key = entry.key
            if line_format:
                shown_key = await expand_key(actions, line_format, entry, place)
            item = TreeItem(f"{title}\x00{entry.key}", shown_key, None)
            entries[item.target] = entry
            for label, text in (("Command", entry.command), ("Note", entry.note or ""),
                                ("Repeat", "on" if entry.repeat else "off")):
                child = TreeItem(f"{item.target}\x00{label}", label, text)
                entries[child.target] = entry
                item.children.append(child)
            group.children.append(item)
        if group.children:
            items.append(group)
    return items, entries, place


def option_names(layers: list[tuple[str, dict[str, str]]]) -> list[str]:
    """The group's options in tmux's order (its options trees are sorted by name): user
    options first, layer by layer, then the others, one name per array."""
    users: list[str] = []
    for _, values in layers:
        for name in sorted({key.partition("[")[0] for key in values}):
            if name.startswith("@") and name not in users:
                users.append(name)
    names = sorted({key.partition("[")[0] for key in layers[0][1]})
    return users + [name for name in names if not name.startswith("@")]


def option_entry(name: str, layers: list[tuple[str, dict[str, str]]]) -> Entry:
    """The option's value from the narrowest layer that sets it, and the values above."""
    option = TABLE.get(name)
    array = bool(option and option.array)
    found = None
    for scope, values in reversed(layers):
        if name in values or (array and any(k.startswith(name + "[") for k in values)):
            found = scope
            break
    scope = found or layers[0][0]
    values = dict(layers)
    entry = Entry(name, scope, values[scope].get(name, ""), array=array)
    if scope == PANE and name in values[WINDOW]:
        entry.window_value = values[WINDOW][name]
    if scope in (SESSION, WINDOW, PANE) and not array:
        entry.global_value = values[layers[0][0]].get(name)
    return entry


def option_text(entry: Entry, place: Place) -> str:
    """The default line format: the value (and unit), after its reversed scope when it is
    not the global one."""
    value = with_unit(entry.name, entry.value)
    if entry.scope in GLOBAL_SCOPES:
        return value
    return f"#[reverse]({place.scope_text(entry.scope)})#[default] {value}"


def option_variables(entry: Entry, place: Place) -> dict[str, str]:
    return {"is_option": "1", "is_key": "0", "option_name": entry.name,
            "option_value": entry.value, "option_is_global":
                "1" if entry.scope in GLOBAL_SCOPES else "0",
            "option_is_array": "1" if entry.array else "0",
            "option_scope": place.scope_text(entry.scope),
            "option_unit": UNITS.get(entry.name, "")}


async def expand_with(actions: ClientActions, template: str, variables: dict[str, str],
                      place: Place) -> str:
    """``template`` expanded by the server for the pane, with the mode's own variables
    put in as literal values."""
    text = template
    for name, value in variables.items():
        text = text.replace(f"#{{{name}}}", value.replace("#", "##"))
    result = await actions.app.server_command(
        ["display-message", "-p", "-t", f"%{place.pane}", "--", text], quiet=True)
    return str(result.get("stdout", "")).removesuffix("\n")


async def filter_true(actions: ClientActions, keep: str, entry: Entry, place: Place,
                      text: str) -> bool:
    return truthy(await expand_with(actions, keep, option_variables(entry, place), place))


async def expand_line(actions: ClientActions, line_format: str, entry: Entry,
                      place: Place, text: str) -> str:
    return await expand_with(actions, line_format, option_variables(entry, place), place)


async def expand_key(actions: ClientActions, template: str, entry: Entry,
                     place: Place) -> str:
    variables = {"is_option": "0", "is_key": "1", "key": entry.key,
                 "key_note": entry.note or ""}
    return await expand_with(actions, template, variables, place)


async def open_customize(actions: ClientActions, parsed: ChooserArgs,
                         server_mode: tuple[int, str] | None) -> CustomizeChooser | None:
    """The options mode's chooser for the mode's pane (None when it cannot be read)."""
    view = actions.app.active_view()
    pane = server_mode[0] if server_mode is not None else view.pane_id if view else None
    if pane is None:
        return None
    built = await customize_items(actions, parsed, pane)
    if built is None:
        return None
    items, entries, place = built
    return CustomizeChooser(items, actions, parsed, entries, place, server_mode)
