"""The engine: every operation that changes the model (sessions, windows, panes).

Commands call these methods; the engine spawns children (with the environment DESIGN.md
gives them and shell integration for interactive shells), keeps each window's layout and
panes in step, resizes PTYs when a window resizes, records everything in the store and
tells the daemon when the last session is gone. It never touches sockets.
"""

from __future__ import annotations

import asyncio
import logging
import os
import pwd
import shlex
import time
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from ..protocol.paths import home_dir
from .commands.spec import CommandError
from .environment import Environments
from .events import (
    CommandFinished,
    EventBus,
    OptionsChanged,
    PaneCreated,
    PaneOutput,
    ServerEmpty,
)
from .layout import Layout, LayoutError, PaneGeometry
from .option_effects import (
    apply_option_change,
    name_window,
    remains_on_exit,
    sync_window,
)
from .options import Options
from .pane import Pane
from .pane_pipes import PanePipes
from .registry import Registry, Session, Window
from .request_probe import RequestProbe
from .shell_integration import CommandRecord, shell_command
from .tmux_env import SHIM_OPTION, shim_enabled, tmux_identity
from .vis import vis
from .winlinks import linked_sessions, places

if TYPE_CHECKING:
    import sqlite3

    from ..store.db import Job, Store

log = logging.getLogger(__name__)

STRIPPED_ENV = ("TMUX", "TMUX_PANE", "AI_SESSION", "AI_SESSION_PANE", "COLUMNS", "LINES")
MOVING_PANE = -1
"""The layout id of the cell a pane moves into within its own window, until it is in."""


def sanitize_session_name(name: str) -> str:
    """tmux replaces ``:`` and ``.`` in session names with ``_`` and stores the rest
    escaped (``session_check_name``: backslashes doubled, control characters C-style)."""
    return vis(name.replace(":", "_").replace(".", "_"))


def default_shell(options: Options, env: dict[str, str], scope: str | None = None) -> str:
    """``default-shell`` (of session ``scope``), else $SHELL, else the user's login shell,
    else /bin/sh."""
    for candidate in (options.get("default-shell", scope), env.get("SHELL")):
        if candidate and os.access(candidate, os.X_OK):
            return candidate
    try:
        shell = pwd.getpwuid(os.getuid()).pw_shell
        if shell and os.access(shell, os.X_OK):
            return shell
    except KeyError:
        pass
    return "/bin/sh"


class CommandWaiter:
    """Resolves with the first :class:`CommandRecord` a pane finishes after :meth:`arm`.

    Fails with :class:`CommandError` if the pane's child exits or the pane is killed first
    (at once: nothing will finish in a killed pane). Always call
    :meth:`cancel` when done so the listeners go away.
    """

    def __init__(self, pane: Pane) -> None:
        self.pane = pane
        self.future: asyncio.Future[CommandRecord] = asyncio.get_running_loop().create_future()
        self.armed = False
        pane.listeners.on_command.append(self._on_command)
        pane.listeners.on_exit.append(self._on_exit)
        pane.listeners.on_kill.append(self._on_kill)

    def arm(self) -> None:
        """From now on, the next finished command is ours."""
        self.armed = True

    def _on_command(self, pane: Pane, record: CommandRecord) -> None:
        if self.armed and not self.future.done():
            self.future.set_result(record)

    def _on_exit(self, pane: Pane) -> None:
        if not self.future.done():
            self.future.set_exception(CommandError(f"pane %{pane.id} exited"))

    def _on_kill(self, pane: Pane) -> None:
        if not self.future.done():
            self.future.set_exception(CommandError(f"pane %{pane.id} killed"))

    def cancel(self) -> None:
        """Detach from the pane."""
        if self._on_command in self.pane.listeners.on_command:
            self.pane.listeners.on_command.remove(self._on_command)
        if self._on_exit in self.pane.listeners.on_exit:
            self.pane.listeners.on_exit.remove(self._on_exit)
        if self._on_kill in self.pane.listeners.on_kill:
            self.pane.listeners.on_kill.remove(self._on_kill)
        if not self.future.done():
            self.future.cancel()


class Engine:
    """Model operations over a :class:`Registry`."""

    def __init__(self, socket_path: Path, store: Store | None = None,
                 pane_factory: Callable[..., Pane] = Pane,
                 events: EventBus | None = None,
                 request_probe: RequestProbe | None = None) -> None:
        self.events = events if events is not None else EventBus()
        self.request_probe = request_probe if request_probe is not None else RequestProbe()
        """Given to every pane started here: a flooding pane gives way to a request."""
        self.registry = Registry(self.events)
        self.options = Options()
        self.environments = Environments()
        """The global and the sessions' environments (``set-environment``)."""
        self.pipes = PanePipes()
        """The panes' open ``pipe-pane`` commands."""
        self.window_namer: Callable[[Window], str | None] | None = None
        """Set by the server: a window's automatic name from ``automatic-rename-format``."""
        self.socket_path = socket_path
        self.store = store
        self.run_id: int | None = None
        self.started = time.time()
        self.pane_factory = pane_factory
        self.marked_pane: int | None = None
        """The pane ``select-pane -m`` marked (tmux's one marked pane per server)."""
        self.state_dir = home_dir() / "shell"

    # ----------------------------------------------------------- spawning
    def child_env(self, session: Session, pane_id: int, extra: dict[str, str]) -> dict[str, str]:
        """The environment of a new child (DESIGN.md, Processes)."""
        env = {k: v for k, v in session.env.items() if k not in STRIPPED_ENV}
        self.environments.apply(env, self.options, session)  # set-env., update-environment
        env.update(extra)
        env["TERM"] = "xterm-256color"
        env["COLORTERM"] = "truecolor"
        env.setdefault("NCURSES_NO_UTF8_ACS", "1")
        if not any(env.get(key) for key in ("LC_ALL", "LC_CTYPE", "LANG")):
            env["LANG"] = "C.UTF-8"
        env["AI_SESSION"] = f"{self.socket_path},{os.getpid()},{session.id}"
        env["AI_SESSION_PANE"] = f"%{pane_id}"
        tmux_identity(env, socket_path=self.socket_path, session_id=session.id,
                      pane_id=pane_id, shim=shim_enabled(
                          self.options.get(SHIM_OPTION, f"${session.id}") or "on"))
        return env

    def spawn_pane(self, session: Session, *, columns: int, lines: int, cwd: str | None,
                   env: dict[str, str], command: list[str] | None,
                   pane_id: int | None = None) -> Pane:
        """Start a child on a new PTY: the user's shell (with hooks) or ``command``."""
        if pane_id is None:
            pane_id = self.registry.new_pane_id()
        child_env = self.child_env(session, pane_id, env)
        directory = cwd or session.cwd
        if not os.path.isdir(directory):
            directory = child_env.get("HOME") or "/"
        argv, integrated, start = self._child_argv(command, child_env, session)
        return self._start_pane(pane_id, session, argv=argv, cwd=directory, env=child_env,
                                columns=columns, lines=lines, integrated=integrated,
                                start=start, failure="create pane failed")

    def _start_pane(self, pane_id: int, session: Session, *, argv: list[str], cwd: str,
                    env: dict[str, str],
                    columns: int, lines: int, integrated: bool, start: str,
                    failure: str) -> Pane:
        """Spawn the child and hook the pane's exit and command records to the engine."""
        try:
            pane = self.pane_factory(
                pane_id, argv=argv, cwd=cwd, env=env, columns=columns, lines=lines,
                history_limit=self.options.number("history-limit", f"${session.id}"),
                integrated=integrated,
                start_command=start, requests=self.request_probe)
        except OSError as exc:
            raise CommandError(f"{failure}: {exc}") from None
        pane.listeners.on_exit.append(self._pane_exited)
        pane.listeners.on_command.append(self._command_finished)
        pane.listeners.on_output.append(self._pane_output)
        return pane

    def _pane_output(self, pane: Pane) -> None:
        self.events.publish(PaneOutput(pane))

    def _child_argv(self, command: list[str] | None, child_env: dict[str, str],
                    session: Session) -> tuple[list[str], bool, str]:
        """(argv, has shell integration, start command) for a new child.

        One word is a shell command run by ``default-shell -c`` (tmux's rule); several
        words are executed directly; none starts ``default-command`` the same way, or the
        user's shell with hooks (``child_env`` gains the hooks' variables).
        """
        scope = f"${session.id}"
        shell = default_shell(self.options, child_env, scope)
        if command:
            argv = [shell, "-c", command[0]] if len(command) == 1 else list(command)
            return argv, False, " ".join(command)
        if self.options.get("default-command", scope):
            start = self.options.get("default-command", scope)
            return [shell, "-c", start], False, start
        argv, hook_env = shell_command(shell, state_dir=self.state_dir)
        child_env.update(hook_env)
        return argv, bool(hook_env) or len(argv) > 1, ""

    # ----------------------------------------------------------- sessions
    def new_session(self, *, name: str | None, cwd: str, env: dict[str, str],
                    columns: int, lines: int, window_name: str | None,
                    command: list[str] | None, ai_context: bool = False,
                    max_tokens: int | None = None) -> Session:
        """Create a session with one window and one pane."""
        registry = self.registry
        if name is not None:
            name = sanitize_session_name(name)
            if not name:
                raise CommandError("invalid session name")
            if registry.session_by_name(name):
                raise CommandError(f"duplicate session: {name}")
        session_id = registry.new_session_id()
        if name is None:
            number = session_id
            while registry.session_by_name(str(number)):
                number += 1
            name = str(number)
        session = Session(id=session_id, name=name, cwd=cwd, env=dict(env),
                          ai_context=ai_context, max_tokens=max_tokens)
        window = self._new_window(session, index=self.base_index(session),
                                  name=window_name, cwd=cwd, env={}, command=command,
                                  columns=columns, lines=lines)
        session.current_index = window.index
        registry.sessions[session.id] = session
        self._record_session(session)
        self._record_window(session, window)
        self._announce_panes(session, window)
        registry.notify("session-created", session)
        return session

    def new_grouped_session(self, *, name: str, cwd: str, env: dict[str, str],
                            source: Session) -> Session:
        """A session with no window of its own that shows ``source``'s windows (a new
        member of its group, see session_groups.py), at its lowest index. tmux spawns the
        new session's own window first and drops it when the group is copied in, so a
        window id and a pane id are used up here too, keeping ``@N``/``%N`` as tmux's."""
        from .session_groups import copy_windows

        registry = self.registry
        name = sanitize_session_name(name)
        if not name:
            raise CommandError("invalid session name")
        if registry.session_by_name(name):
            raise CommandError(f"duplicate session: {name}")
        session = Session(id=registry.new_session_id(), name=name, cwd=cwd, env=dict(env),
                          current_index=min(source.windows))
        registry.new_window_id()
        registry.new_pane_id()
        registry.sessions[session.id] = session
        copy_windows(self, source, session)
        self._record_session(session)
        registry.notify("session-created", session)
        return session

    def _new_window(self, session: Session, *, index: int, name: str | None, cwd: str | None,
                    env: dict[str, str], command: list[str] | None, columns: int,
                    lines: int) -> Window:
        pane = self.spawn_pane(session, columns=columns, lines=lines, cwd=cwd, env=env,
                               command=command)
        window = Window(id=self.registry.new_window_id(), index=index, session=session,
                        layout=Layout(columns, lines, pane.id), name=name or "",
                        automatic_rename=name is None, active_pane=pane.id)
        window.panes[pane.id] = pane
        session.windows[index] = window
        sync_window(self.options, window)
        window.namer = self.window_namer
        if name is not None:
            name_window(self.options, window)
        return window

    def new_window(self, session: Session, *, index: int | None, name: str | None,
                   cwd: str | None, env: dict[str, str], command: list[str] | None,
                   select: bool, after: Window | None = None) -> Window:
        """Add a window at ``index`` (or the first free one) sized like the session's."""
        reference = session.current
        if index is None:
            start = after.index + 1 if after else self.base_index(session)
            index = session.next_free_index(start)
        elif index in session.windows:
            raise CommandError(f"index {index} in use")
        window = self._new_window(session, index=index, name=name, cwd=cwd, env=env,
                                  command=command, columns=reference.layout.width,
                                  lines=reference.layout.height)
        if select:
            session.select_window(window)
        self._record_window(session, window)
        self._announce_panes(session, window)
        self.registry.notify("window-add", window)
        return window

    def split_window(self, session: Session, window: Window, target: Pane, *,
                     horizontal: bool, size: int | None, percent: int | None, before: bool,
                     full: bool, cwd: str | None, env: dict[str, str],
                     command: list[str] | None, select: bool) -> Pane:
        """Split ``target`` and start a child in the new pane."""
        if window.layout.zoomed is not None:
            window.layout.toggle_zoom(window.layout.zoomed)
        pane_id = self.registry.new_pane_id()
        try:
            window.layout.split(target.id, pane_id, horizontal=horizontal, size=size,
                                percent=percent, before=before, full=full)
        except LayoutError as exc:
            raise CommandError(str(exc)) from None
        geometry = self.pane_cells(window)[pane_id]
        try:
            pane = self.spawn_pane(session, columns=geometry.width, lines=geometry.height,
                                   cwd=cwd, env=env, command=command, pane_id=pane_id)
        except CommandError:
            window.layout.remove(pane_id)
            raise
        window.panes[pane.id] = pane
        if select:
            window.select_pane(pane)
        self.apply_layout(window)
        self._record_pane(session, window, pane)
        self._announce(session, window, pane)
        return pane

    def _announce_panes(self, session: Session, window: Window) -> None:
        for pane in window.ordered_panes():
            self._record_pane(session, window, pane)
            self._announce(session, window, pane)

    def _announce(self, session: Session, window: Window, pane: Pane) -> None:
        self.events.publish(PaneCreated(session, window, pane))

    # ------------------------------------------------------------ layout
    def base_index(self, session: Session) -> int:
        """``base-index`` as ``session`` sees it (its own value, else the global one)."""
        return self.options.number("base-index", f"${session.id}")

    def border_status(self, window: Window) -> str:
        """``pane-border-status`` seen from ``window``: ``off``, ``top`` or ``bottom``."""
        return self.options.get("pane-border-status", f"@{window.id}", f"${window.session.id}")

    def pane_cells(self, window: Window) -> dict[int, PaneGeometry]:
        """Each visible pane's cell: the layout's, less the row a pane border status line
        takes from panes on the window's top (or bottom) edge, as tmux's layout_fix_panes
        does; other panes show their title on the separator line beside them."""
        cells = window.layout.geometry()
        status = self.border_status(window)
        if status == "off":
            return cells
        adjusted = {}
        for pane_id, cell in cells.items():
            if status == "top" and cell.y == 0:
                cell = PaneGeometry(cell.x, 1, cell.width, max(1, cell.height - 1))
            elif status == "bottom" and cell.y + cell.height >= window.layout.height:
                cell = PaneGeometry(cell.x, cell.y, cell.width, max(1, cell.height - 1))
            adjusted[pane_id] = cell
        return adjusted

    def apply_layout(self, window: Window) -> None:
        """Resize every pane's PTY to its cell in the layout (children get SIGWINCH)."""
        for pane_id, geometry in self.pane_cells(window).items():
            pane = window.panes.get(pane_id)
            if pane is not None:
                pane.resize(geometry.width, geometry.height)
        self.registry.notify("layout", window)

    def resize_window(self, window: Window, columns: int, lines: int) -> None:
        """Resize a window and every pane in it."""
        window.layout.resize(max(1, columns), max(1, lines))
        self.apply_layout(window)

    def options_changed(self, name: str) -> None:
        """An option was set: re-fit panes when it changes their cells, tell clients."""
        apply_option_change(self, name)
        if name == "pane-border-status":
            for window in self.registry.all_windows():
                self.apply_layout(window)
        self.events.publish(OptionsChanged(name))

    # ------------------------------------------------ moving windows and panes
    # A moved pane keeps its PTY, child, screen and id; a moved window keeps its id, panes
    # and layout. Only sizes follow the new place, and the store's records are rewritten
    # with the new window and session. A source window or session left empty goes away as
    # if its last pane had been killed, without killing anything.

    def join_pane(self, source_session: Session, source_window: Window, pane: Pane,
                  target_session: Session, target_window: Window, target: Pane, *,
                  horizontal: bool, size: int | None, before: bool, full: bool,
                  select: bool) -> None:
        """``join-pane`` / ``move-pane``: split ``target`` like split-window does and move
        ``pane`` into the new cell (same window, another window or another session).

        As in tmux the split happens first, then the pane's old cell closes; without
        ``select`` the target window's active pane and the session's current window stay.
        """
        if pane is target:
            raise CommandError("source and target panes must be different")
        for window in (source_window, target_window):
            if window.layout.zoomed is not None:
                window.layout.toggle_zoom(window.layout.zoomed)
        same_window = source_window is target_window
        new_cell = MOVING_PANE if same_window else pane.id
        try:
            target_window.layout.split(target.id, new_cell, horizontal=horizontal, size=size,
                                       before=before, full=full)
        except LayoutError:
            raise CommandError("create pane failed: pane too small") from None
        if same_window:
            # The pane takes the new cell, then its old cell closes.
            target_window.layout.swap(pane.id, MOVING_PANE)
            target_window.layout.remove(MOVING_PANE)
        else:
            self._take_pane_out(source_session, source_window, pane)
            target_window.panes[pane.id] = pane
        if select:
            target_window.select_pane(pane)
            target_session.select_window(target_window)
        self.apply_layout(target_window)
        self._record_pane(target_session, target_window, pane)

    def _take_pane_out(self, session: Session, window: Window, pane: Pane) -> None:
        """Remove a live ``pane`` from ``window`` (the window, and its session, go when it
        was the last pane); the pane itself is left running."""
        if len(window.panes) == 1:
            window.panes.clear()
            self._forget_window(session, window)
            return
        if window.layout.zoomed is not None:
            window.layout.toggle_zoom(window.layout.zoomed)
        window.layout.remove(pane.id)
        del window.panes[pane.id]
        self._pick_active_after_removal(window, pane.id)
        self.apply_layout(window)

    def break_pane(self, session: Session, window: Window, pane: Pane, *,
                   target_session: Session, index: int | None, name: str | None,
                   select: bool) -> Window:
        """Move ``pane`` into a new window of ``target_session`` at ``index`` (the first
        free one from ``base-index`` when None). The new window has the size of the one
        the pane left (fitted to ``target_session``'s clients, if any). A window's only
        pane moves the window itself, as in tmux."""
        if index is not None and index in target_session.windows and \
                target_session.windows[index] is not window:
            raise CommandError(f"index {index} in use")
        if len(window.panes) == 1:
            if target_session is not session:
                self.move_window_to_session(session, window, target_session, index,
                                            select=False)
            elif index is not None:
                self.move_window(session, window, index)
            moved = window
        else:
            if index is None:
                index = target_session.next_free_index(self.base_index(target_session))
            reference = target_session.current.layout
            self._take_pane_out(session, window, pane)
            moved = Window(id=self.registry.new_window_id(), index=index,
                           session=target_session, active_pane=pane.id,
                           layout=Layout(window.layout.width, window.layout.height, pane.id))
            moved.panes[pane.id] = pane
            target_session.windows[index] = moved
            sync_window(self.options, moved)
            moved.namer = self.window_namer
            self._fit_to_session(target_session, moved, (reference.width, reference.height))
            self.apply_layout(moved)
            self._record_window(target_session, moved)
            self._record_pane(target_session, moved, pane)
        if name:
            moved.name = name
            name_window(self.options, moved)
        if select:
            target_session.select_window(moved)
        self.registry.notify("window-add", moved)
        return moved

    def move_window(self, session: Session, window: Window, index: int) -> None:
        """Give ``window`` the free ``index`` in its session (current stays current)."""
        if index == window.index:
            return
        if index in session.windows:
            raise CommandError(f"index {index} in use")
        was_current = session.current_index == window.index
        del session.windows[window.index]
        window.index = index
        session.windows[index] = window
        if was_current:
            session.current_index = index
        self._record_window(session, window)
        self.registry.notify("window-moved", window)

    def move_window_to_session(self, session: Session, window: Window,
                               target_session: Session, index: int | None, *,
                               select: bool) -> None:
        """Move ``window`` from ``session`` to the free ``index`` of ``target_session``
        (the first free one from ``base-index`` when None). ``session`` picks another
        current window (and goes away when this was its last one); with ``select`` the
        window becomes ``target_session``'s current one."""
        if index is None:
            index = target_session.next_free_index(self.base_index(target_session))
        elif index in target_session.windows:
            raise CommandError(f"index {index} in use")
        reference = target_session.current.layout
        session_left = self._unlink_window(session, window)
        window.session = target_session
        window.index = index
        target_session.windows[index] = window
        if select:
            target_session.select_window(window)
        self._fit_to_session(target_session, window, (reference.width, reference.height))
        self._record_moved_window(target_session, window)
        if session_left:
            self.registry.notify("window-moved", session)
        self.registry.notify("window-add", window)

    def swap_windows(self, session: Session, source: Window, target_session: Session,
                     target: Window, *, select: bool) -> None:
        """Exchange the places of two windows (of one session or of two). With
        ``select`` the source window, now at the target's index, becomes current in
        ``target_session`` and, across sessions, the target window in ``session``.

        As in tmux, an index on a session's ``last-window`` stack stays there: the window
        now at that index takes the place of the one that left."""
        if source is target:
            return
        sessions = [session] if target_session is session else [session, target_session]
        source_size = (source.layout.width, source.layout.height)
        target_size = (target.layout.width, target.layout.height)
        source_index, target_index = source.index, target.index
        del session.windows[source_index]
        del target_session.windows[target_index]
        source.session, target.session = target_session, session
        source.index, target.index = target_index, source_index
        session.windows[source_index] = target
        target_session.windows[target_index] = source
        swapped = {source.id: target.id, target.id: source.id}
        for owner in sessions:
            owner.last_windows = [swapped.get(wid, wid) for wid in owner.last_windows]
        if select:
            target_session.select_window(source)
            if target_session is not session:
                session.select_window(target)
        if target_session is not session:
            self._fit_to_session(session, target, source_size)
            self._fit_to_session(target_session, source, target_size)
        self._record_moved_window(session, target)
        self._record_moved_window(target_session, source)
        for owner in sessions:
            self.registry.notify("window-moved", owner)

    def swap_panes(self, source_window: Window, source: Pane, target_window: Window,
                   target: Pane, *, keep_active: bool) -> None:
        """Exchange two panes' places (in one window or in two), as ``swap-pane`` does.

        Without ``keep_active`` the target pane becomes active in the source window and,
        across windows, the source pane in the target window. With it (``-d``) a window
        keeps its active pane, unless that pane left the window: then the one that came in
        is active.
        """
        if source is target:
            return
        if source_window is target_window:
            source_window.layout.swap(source.id, target.id)
            windows = [source_window]
        else:
            for window in (source_window, target_window):
                if window.layout.zoomed is not None:
                    window.layout.toggle_zoom(window.layout.zoomed)
            self._exchange_pane(source_window, source, target)
            self._exchange_pane(target_window, target, source)
            windows = [source_window, target_window]
        if not keep_active:
            source_window.select_pane(target)
            if len(windows) == 2:
                target_window.select_pane(source)
        for window in windows:
            self.apply_layout(window)
        if len(windows) == 2:
            self._record_pane(source_window.session, source_window, target)
            self._record_pane(target_window.session, target_window, source)

    @staticmethod
    def _exchange_pane(window: Window, leaving: Pane, arriving: Pane) -> None:
        """``arriving`` takes ``leaving``'s cell, index and place in ``window`` (and its
        active flag, if it had it)."""
        window.layout.replace_pane(leaving.id, arriving.id)
        del window.panes[leaving.id]
        window.panes[arriving.id] = arriving
        if window.active_pane == leaving.id:
            window.active_pane = arriving.id
        if window.last_pane == leaving.id:
            window.last_pane = None

    def _fit_to_session(self, session: Session, window: Window, size: tuple[int, int]) -> None:
        """A window that arrives in a session with attached clients takes ``size``, the
        size the session's windows have, as tmux's size recalculation does; without
        clients it keeps its own size, as in tmux."""
        if session.attached and (window.layout.width, window.layout.height) != size:
            self.resize_window(window, *size)

    def _record_moved_window(self, session: Session, window: Window) -> None:
        """Rewrite the records of a window and its panes that now belong to ``session``."""
        self._record_window(session, window)
        for pane in window.ordered_panes():
            self._record_pane(session, window, pane)

    def renumber_windows(self, session: Session) -> None:
        """Close the gaps: windows take consecutive indexes from ``base-index``."""
        current = session.current
        ordered = session.ordered_windows()
        session.windows.clear()
        for offset, window in enumerate(ordered):
            window.index = self.base_index(session) + offset
            session.windows[window.index] = window
        session.current_index = current.index
        for window in ordered:
            self._record_window(session, window)
        self.registry.notify("window-moved", session)

    # ------------------------------------------------------------ removal
    def kill_pane(self, session: Session, window: Window, pane: Pane) -> None:
        """Kill one pane; the last pane takes its window (and session) with it."""
        pane.kill()
        self._forget_pane(session, window, pane)

    def _forget_pane(self, session: Session, window: Window, pane: Pane) -> None:
        self._save_scrollback(pane)
        self._record_pane_exit(pane)
        if pane.id not in window.panes:
            return
        window_goes = len(window.panes) == 1
        self._take_pane_out(session, window, pane)
        if not window_goes:  # else the window's close is the news
            self.registry.notify("pane-exit", pane)

    @staticmethod
    def _pick_active_after_removal(window: Window, pane_id: int) -> None:
        """After ``pane_id`` left ``window``: the last pane (else the first) is active."""
        if window.active_pane == pane_id:
            fallback = window.last_pane if window.last_pane in window.panes else None
            window.active_pane = fallback if fallback is not None else window.layout.panes()[0]
        if window.last_pane == pane_id:
            window.last_pane = None

    def kill_window(self, session: Session, window: Window, *, renumber: bool = True) -> None:
        """Kill every pane of a window and remove it (from every session linking it).
        ``renumber`` False: ``session`` keeps its indexes (``unlink-window -k``)."""
        self.destroy_panes(window)
        self._forget_window(session, window, renumber=renumber)

    def destroy_panes(self, window: Window) -> None:
        """Kill and record every pane of a window that is going away."""
        for pane in list(window.panes.values()):
            pane.kill()
            self._save_scrollback(pane)
            self._record_pane_exit(pane)
        window.panes.clear()

    def _forget_window(self, session: Session, window: Window, *,
                       renumber: bool = True) -> None:
        if session.windows.get(window.index) is not window:
            return
        for other_session, other in places(self.registry, window.id):
            if other is not window:  # its other places (link-window) go too
                self.unlink_place(other_session, other)
        self._record_close("windows", window.id)
        if self._unlink_window(session, window, renumber=renumber):
            self.registry.notify("window-close", window)  # after the session is consistent

    def unlink_place(self, session: Session, window: Window, *, renumber: bool = True) -> None:
        """Take one place of a window out of ``session``, the window living on elsewhere
        (see winlinks.py). tmux's ``unlink-window`` does not renumber (``renumber``
        False); a killed window's other places do."""
        if session.windows.get(window.index) is window and self._unlink_window(
                session, window, renumber=renumber):
            self.registry.notify("window-close", window)

    def _unlink_window(self, session: Session, window: Window, *,
                       renumber: bool = True) -> bool:
        """Take ``window`` out of ``session``: another window becomes current (the last
        one, else the next, else the previous) and ``renumber-windows`` applies. False
        when it was the session's last window: the session is gone."""
        del session.windows[window.index]
        if not session.windows:
            self._forget_session(session)
            return False
        session.forget_last(window)
        if session.current_index == window.index:
            last = session.last_index
            if last is not None:
                session.forget_last(session.windows[last])
                session.current_index = last
            else:
                indexes = sorted(session.windows)
                later = [i for i in indexes if i > window.index]
                session.current_index = later[0] if later else indexes[-1]
        if renumber and self.options.flag("renumber-windows", f"${session.id}"):
            self.renumber_windows(session)
        return True

    def kill_session(self, session: Session) -> None:
        """Kill every window of a session and remove it (a window linked into another
        session too lives on there)."""
        for window in list(session.windows.values()):
            if any(other is not session
                   for other in linked_sessions(self.registry, window.id)):
                continue
            self.destroy_panes(window)
            self._record_close("windows", window.id)
        session.windows.clear()
        self._forget_session(session)

    def _forget_session(self, session: Session) -> None:
        if self.registry.sessions.pop(session.id, None) is None:
            return
        self._record_close("sessions", session.id)
        self.registry.notify("session-closed", session)
        if not self.registry.sessions:
            self.events.publish(ServerEmpty())

    def kill_all(self) -> None:
        """Kill every session (``kill-server``)."""
        for session in list(self.registry.sessions.values()):
            self.kill_session(session)

    def _pane_exited(self, pane: Pane) -> None:
        found = self.registry.find_pane(pane.id)
        if found is None:
            return
        session, window, _ = found
        self._record_pane_exit(pane)
        if remains_on_exit(self.options, window, pane):
            self.registry.notify("pane-dead", pane)
            return
        self._forget_pane(session, window, pane)

    def check_children(self) -> None:
        """Reap exited children (called on SIGCHLD)."""
        for _, _, pane in self.registry.all_panes():
            if not pane.dead:
                pane.check_exit()

    def respawn_pane(self, session: Session, window: Window, pane: Pane, *, kill: bool,
                     cwd: str | None, env: dict[str, str], command: list[str] | None) -> Pane:
        """Start a new child in the pane's place (same id, same cell, fresh screen)."""
        if not pane.dead and not kill:
            raise CommandError(f"pane %{pane.id} still active")
        pane.listeners.on_exit.clear()
        pane.kill()
        geometry = self.pane_cells(window).get(pane.id)
        columns, lines = ((geometry.width, geometry.height) if geometry
                          else (pane.columns, pane.lines))
        child_env = self.child_env(session, pane.id, env)
        argv_command = command or ([pane.start_command] if pane.start_command else None)
        argv, integrated, start = self._child_argv(argv_command, child_env, session)
        fresh = self._start_pane(pane.id, session, argv=argv, cwd=cwd or pane.start_cwd,
                                 env=child_env, columns=columns, lines=lines,
                                 integrated=integrated, start=start,
                                 failure="respawn pane failed")
        window.panes[pane.id] = fresh
        self._record_pane(session, window, fresh)
        self._announce(session, window, fresh)
        self.registry.notify("layout", window)
        return fresh

    # ---------------------------------------------------------- commands
    def command_waiter(self, pane: Pane) -> CommandWaiter:
        """A waiter for the next command record the pane finishes (see ``exec``)."""
        return CommandWaiter(pane)

    async def wait_for_prompt(self, pane: Pane, timeout: float | None) -> bool:
        """True once the pane's shell waits at its prompt; False after ``timeout``
        (None: no limit; a killed or dead pane ends the wait)."""
        if pane.tracker.at_prompt:
            return True
        ready = asyncio.Event()

        def check(_: Pane) -> None:
            if pane.tracker.at_prompt or pane.dead or pane.killed:
                ready.set()

        pane.listeners.on_output.append(check)
        pane.listeners.on_exit.append(check)
        pane.listeners.on_kill.append(check)
        try:
            await asyncio.wait_for(ready.wait(), timeout)
        except TimeoutError:
            return False
        finally:
            pane.listeners.on_output.remove(check)
            pane.listeners.on_exit.remove(check)
            pane.listeners.on_kill.remove(check)
        return pane.tracker.at_prompt and not pane.dead and not pane.killed

    # ------------------------------------------------------------- records
    def _command_finished(self, pane: Pane, record: CommandRecord) -> None:
        found = self.registry.find_pane(pane.id)
        if found is None:
            return
        self.events.publish(CommandFinished(found[0], pane, record))

    def _store(self, job: Job) -> None:
        if self.store is not None and self.run_id is not None:
            self.store.submit(job)

    def _record_session(self, session: Session) -> None:
        run = self.run_id
        self._store(lambda c: c.execute(
            "INSERT OR REPLACE INTO sessions VALUES (?,?,?,?,?,NULL,?,?)",
            (run, session.id, session.name, session.cwd, session.created,
             int(session.ai_context), session.max_tokens)))

    def _record_window(self, session: Session, window: Window) -> None:
        run = self.run_id
        self._store(lambda c: c.execute(
            "INSERT OR REPLACE INTO windows VALUES (?,?,?,?,?,?,NULL)",
            (run, window.id, session.id, window.index, window.name, window.created)))

    def _record_pane(self, session: Session, window: Window, pane: Pane) -> None:
        run, command = self.run_id, shlex.join(pane.argv)
        row = (pane.id, window.id, session.id)
        rest = (pane.start_cwd, pane.pid, pane.created)

        def job(connection: sqlite3.Connection) -> None:
            # the command masked on the writer thread: redact's import (~2 ms) and its
            # patterns stay off the loop (a cold new-session waits on it otherwise)
            from ..ai.redact import redact

            connection.execute("INSERT OR REPLACE INTO panes VALUES (?,?,?,?,?,?,?,?,NULL,NULL)",
                               (run, *row, redact(command), *rest))

        self._store(job)

    def _record_pane_exit(self, pane: Pane) -> None:
        run = self.run_id
        status = pane.exit.status if pane.exit else None
        at = pane.exit.at if pane.exit else time.time()
        self._store(lambda c: c.execute(
            "UPDATE panes SET exited_at=?, exit_status=? WHERE run_id=? AND id=?",
            (at, status, run, pane.id)))

    def _record_close(self, table: str, item_id: int) -> None:
        run = self.run_id
        now = time.time()
        self._store(lambda c: c.execute(
            f"UPDATE {table} SET closed_at=? WHERE run_id=? AND id=?", (now, run, item_id)))

    def _save_scrollback(self, pane: Pane) -> None:
        """Keep what the pane showed (history + screen, wrapped lines joined) as a zstd blob
        in the store, secrets masked first (on the writer thread, off the loop)."""
        if self.store is None or self.run_id is None:
            return
        from ..ai.redact import redact
        from ..store.db import pack

        lines = pane.emulator.capture("-", None, join_wrapped=True)
        run, saved_at = self.run_id, time.time()
        self._store(lambda c: c.execute(
            "INSERT OR REPLACE INTO scrollback VALUES (?,?,?,?,?)",
            (run, pane.id, saved_at, len(lines), pack(redact("\n".join(lines))))))
