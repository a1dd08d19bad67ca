"""The commands of a mouse key that act on this client's own state, run with the event
(:data:`~aisession_tui.keymaps.mouse_keys.CURRENT_MOUSE`) as tmux 3.3a runs them:

* ``send-keys -M``: the event to the pane under the mouse (``input_key_mouse``);
* ``if-shell -F [-t target] condition then [else]``: the condition expanded by the server
  with the event (``#{mouse_any_flag}``, ``#{pane_in_mode}`` of the pane under it), then
  the chosen commands run here, so their copy-mode commands reach this client's copy mode;
* ``copy-mode`` on the pane under the mouse: ``-M`` begins a selection that follows the
  drag (``window_copy_start_drag``; held on the top or bottom row it scrolls a line every
  :data:`DRAG_REPEAT`), ``-e`` leaves copy mode when scrolled to the bottom,
  ``-H`` hides the position, ``-u`` pages up, ``-q`` leaves every mode;
* ``resize-pane -M``: the border under the press follows the drag;
* a copy-mode command (``send-keys -X``) on the pane under the mouse, its cursor first moved
  to the mouse unless the event is the wheel (``window_copy_command``; not for a command
  that copies a selection, which here follows the cursor);
  ``begin-selection`` starts a drag selection there, which goes on by words or lines when
  it starts on what ``select-word`` or ``select-line`` chose (``CopyMode.start_drag``).

Every other command goes to the server, which gets the event with it (``-t =``,
``#{mouse_word}``...). :func:`run_mouse_command` says whether it took the command.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from aisession_tui.client.command_flags import command_flags
from aisession_tui.keymaps import Command, parse_command_line
from aisession_tui.keymaps.actions import COPY_MODE, action_target, copy_mode_command
from aisession_tui.keymaps.mouse_keys import CURRENT_MOUSE, MouseKey
from aisession_tui.server.commands.spec import UsageError
from aisession_tui.terminal.mouse_reports import is_wheel

DRAG_REPEAT = 0.05
"""Seconds between the lines a selection drag held at the view's edge scrolls (tmux's
WINDOW_COPY_DRAG_REPEAT_TIME)."""

if TYPE_CHECKING:
    from textual.timer import Timer

    from aisession_tui.client.actions import ClientActions
    from aisession_tui.client.app import MultiplexerApp
    from aisession_tui.widgets.pane_view import PaneView


async def run_mouse_command(actions: ClientActions, command: Command) -> bool:
    """Run ``command`` here when it is one of a mouse key's client commands (see the
    module docstring); False when it is not (it goes on as usual)."""
    event = CURRENT_MOUSE.get()
    if event is None:
        return False
    app = actions.app
    action, args = command.action, list(command.args)
    if action == "send-keys" and "-M" in args and "-X" not in args:
        app.mouse.forward(event)
        return True
    if action == "send-keys" and args[:1] == ["-X"] and args[1:2] == ["-t"] and len(args) > 3:
        view = target_view(app, event, args[2])  # a menu's ``send-keys -X -t = ...``
        if view is None:
            return False
        await _copy_command(app, event, Command.from_words(["send-keys", "-X", *args[3:]]),
                            view)
        return True
    if action == "if-shell" and "-F" in args:
        await _if_shell(actions, event, args)
        return True
    if action == "copy-mode" and "-s" not in args:
        return await copy_mode(app, event, args)
    if action == "resize-pane" and "-M" in args:
        _resize_drag(app, event)
        return True
    if action_target(action) == COPY_MODE and "-t" not in command.args:
        await _copy_command(app, event, command)
        return True
    return False


async def _if_shell(actions: ClientActions, event: MouseKey, args: list[str]) -> None:
    try:
        flags, positional = command_flags("if-shell", args)
    except UsageError as exc:
        actions.app.show_message(str(exc), error=True)
        return
    target = flags.get("t")
    argv = ["display-message", "-p"]
    if isinstance(target, str):
        argv += ["-t", target]
    result = await actions.app.server_command([*argv, "--", positional[0]], quiet=True)
    value = str(result.get("stdout", "")).rstrip("\n")
    chosen = positional[1] if value and value != "0" else (
        positional[2] if len(positional) > 2 else None)
    if result.get("exit_code", 1) != 0 or chosen is None:
        return
    try:
        commands = parse_command_line(chosen)
    except ValueError as exc:
        actions.app.show_message(str(exc), error=True)
        return
    await actions.run_commands([Command.from_words(words) for words in commands if words])


def mouse_view(app: MultiplexerApp, event: MouseKey) -> PaneView | None:
    """The view of the pane under the mouse (``cmd_mouse_pane``)."""
    return app.window_view.panes.get(event.pane) if event.pane is not None else None


def target_view(app: MultiplexerApp, event: MouseKey | None, target: str
                ) -> PaneView | None:
    """The view ``-t`` names when this client can tell: ``=`` / ``{mouse}`` (the pane under
    the mouse) or ``%N``; None for anything else (the server resolves it)."""
    if target in ("=", "{mouse}"):
        return mouse_view(app, event) if event is not None else None
    if target.startswith("%") and target[1:].isdigit():
        return app.window_view.panes.get(int(target[1:]))
    return None


def pane_cell(app: MultiplexerApp, view: PaneView, event: MouseKey, *, last: bool = False
              ) -> tuple[int, int] | None:
    """``cmd_mouse_at``: the mouse's cell in the pane, None outside it."""
    pane = app.window_view.pane_info(view.pane_id)
    if pane is None:
        return None
    x, y = event.window_cell(last=last)
    if not (pane["x"] <= x < pane["x"] + pane["width"]
            and pane["y"] <= y < pane["y"] + pane["height"]):
        return None
    return x - pane["x"], y - pane["y"]


def _move_cursor(view: PaneView, cell: tuple[int, int]) -> None:
    """The copy cursor to the pane cell ``cell`` (``window_copy_update_cursor``)."""
    copy = view.copy_mode
    if copy is None or not copy.lines:
        return
    copy.line = max(0, min(copy.top + cell[1], len(copy.lines) - 1))
    copy.column = max(0, cell[0])


async def copy_mode(app: MultiplexerApp, event: MouseKey | None, args: list[str]) -> bool:
    """``copy-mode`` in this client, with or without a mouse event (``-M`` needs one):
    ``-e``, ``-H``, ``-u``, ``-q`` as tmux's. False when ``-t`` names a pane this client
    cannot tell (the usual path takes it)."""
    try:
        flags, _ = command_flags("copy-mode", args)
    except UsageError:
        return False  # (the server's copy-mode says what is wrong)
    target = flags.get("t")
    if "M" in flags and event is None:
        return True  # (tmux: no mouse event, nothing to do)
    if "M" in flags or target is None:
        view = (mouse_view(app, event) if event is not None else None) or (
            None if "M" in flags else app.active_view())
    else:
        view = target_view(app, event, str(target))
        if view is None:
            return False
    if view is None:
        return True
    if "q" in flags:
        if view.copy_mode is not None:
            await app.copy.leave(view)
        return True
    entered = view.copy_mode is None
    if entered:
        await app.copy.enter(view)
    copy = view.copy_mode
    if copy is None:
        return True
    if entered:
        if "H" in flags:
            copy.show_position = False
        if "e" in flags:
            app.mouse.scroll_exit.add(copy)
        if "M" in flags and event is not None:
            start_drag(app, view, event)
    if "u" in flags:
        copy.run("page-up")
    view.repaint()
    return True


def start_drag(app: MultiplexerApp, view: PaneView, event: MouseKey) -> None:
    """``window_copy_start_drag``: the selection begins at the press and follows the
    drag until the button is released."""
    copy = view.copy_mode
    cell = pane_cell(app, view, event, last=True)
    if copy is None or cell is None:
        return
    _move_cursor(view, cell)
    copy.start_drag()
    view.repaint()
    repeat: list[Timer] = []

    def stop(_: MouseKey | None = None) -> None:
        while repeat:
            repeat.pop().stop()

    def edge_step() -> bool:
        """At the view's top or bottom row the cursor goes on a line (scrolling)."""
        row = copy.line - copy.top
        if view.copy_mode is not copy or row not in (0, view.lines - 1):
            return False
        copy.run("cursor-up" if row == 0 else "cursor-down")
        app.copy.report(view)
        view.repaint()
        return True

    def again() -> None:
        if not edge_step():
            stop()

    def update(motion: MouseKey) -> None:
        stop()
        if view.copy_mode is not copy:
            return
        where = pane_cell(app, view, motion)
        if where is None:
            return
        old = (copy.line, copy.column)
        _move_cursor(view, where)
        copy.extend_selection()
        app.copy.report(view)
        view.repaint()
        if (old[0] != copy.line or old[1] == copy.column) and edge_step():
            repeat.append(app.set_interval(DRAG_REPEAT, again))

    app.mouse.follow_drag(update, stop)


def _resize_drag(app: MultiplexerApp, event: MouseKey) -> None:
    """``resize-pane -M``: the border the drag started on follows the mouse."""
    x, y = event.window_cell(last=True)
    window_view = app.window_view
    left = window_view.pane_at(x - 1, y)
    above = window_view.pane_at(x, y - 1)
    if left is not None and left["x"] + left["width"] == x:
        border = (left["id"], "x")
    elif above is not None and above["y"] + above["height"] == y:
        border = (above["id"], "y")
    else:
        return

    def update(motion: MouseKey) -> None:
        pane_id, axis = border
        pane = window_view.pane_info(pane_id)
        if pane is None:
            return
        mx, my = motion.window_cell()
        size = mx - pane["x"] if axis == "x" else my - pane["y"]
        if size >= 1 and size != pane["width" if axis == "x" else "height"]:
            app.run_worker(app.server_command(
                ["resize-pane", "-t", f"%{pane_id}", f"-{axis}", str(size)], quiet=True),
                group="drag", exclusive=True)

    app.mouse.follow_drag(update)
    update(event)


async def _copy_command(app: MultiplexerApp, event: MouseKey, command: Command,
                        view: PaneView | None = None) -> None:
    view = view or mouse_view(app, event) or app.active_view()
    if view is None or view.copy_mode is None:
        return
    name = copy_mode_command(command.action)
    repeat, rest = await app.copy.arguments(command)
    count = repeat or 1
    copy = view.copy_mode
    keeps_selection = copy.mark is not None and name.startswith("copy-")
    if not is_wheel(event.raw.b) and not keeps_selection:
        # (tmux moves only the cursor; a copy takes the selection as it is, which here
        # would follow the cursor)
        cell = pane_cell(app, view, event)
        if cell is not None:
            _move_cursor(view, cell)
    if name == "begin-selection":
        start_drag(app, view, event)
        return
    for _ in range(count):
        await app.copy.run(name, rest, view)
    await app.mouse.exit_at_bottom(view, name)
