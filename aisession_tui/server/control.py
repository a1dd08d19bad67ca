"""Control mode (``-C`` / ``-CC``): tmux 3.3a's text protocol over a client connection.

The CLI process (:mod:`aisession_tui.cli.control_client`) is a thin relay: it sends the
lines it reads (``control-in``) and writes what it gets (``control-out``) verbatim. All of
the protocol lives here:

* lines are parsed by the command language (:mod:`command_lists`): ``a ; b`` runs both,
  each in its own block, and a failure skips the rest of the line, as in tmux;
* every command's output is framed by ``%begin TIME NUMBER FLAGS`` and ``%end`` /
  ``%error`` with the same three fields (FLAGS is 1 for a line the client sent, 0 for the
  command it was started with); a line that does not parse gets ``parse error: ...``
  inside a ``%begin``/``%error`` block and the client lives on; an empty line detaches;
* commands of one client run one at a time, in order; notifications caused by a command
  follow its ``%end``;
* pane output is ``%output %N DATA`` (bytes below space and ``\\`` as ``\\ooo``), or
  ``%extended-output %N AGE : DATA`` once ``refresh-client -f pause-after=N`` is set;
* model changes become ``%session-window-changed``, ``%window-add``, ``%window-pane-changed``,
  ``%layout-change``, ``%window-renamed``, ``%session-renamed``, ``%sessions-changed``,
  ``%window-close`` (and the ``%unlinked-`` forms for windows outside the client's
  session), in tmux's order, by comparing what the client was last told with the model;
* a client that stops reading never blocks the server: with ``pause-after`` its panes are
  paused (``%pause %N``, ``refresh-client -A %N:continue`` resumes with ``%continue``);
  without it, a client more than ``MAXIMUM_BACKLOG`` bytes behind is dropped (``%exit``);
* ``refresh-client -B name:target:format`` subscriptions are re-checked once a second and
  reported as ``%subscription-changed`` when their value changes.

Notifications are computed from the registry's change callbacks; the typed events of
``server/events.py`` can replace that source without changing the diffing.
"""

from __future__ import annotations

import asyncio
import itertools
import os
import time
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from .. import protocol
from ..protocol import ProtocolError, messages
from .commands.spec import CommandError, CommandResult
from .context import CommandContext, RequestContext
from .dispatch import run_argv
from .events import EventBus, ModelChanged, PaneCreated, PaneModeChanged
from .format_vars import format_lookup, window_flags
from .formats import expand
from .pane import Pane
from .registry import Session

if TYPE_CHECKING:
    from .peer import Peer as Connection
    from .services import Services

OUT = messages.CONTROL_OUT
EXIT = messages.CONTROL_EXIT
MAXIMUM_BACKLOG = 16 << 20
"""Bytes a client without ``pause-after`` may fall behind before it is dropped."""
PAUSE_BACKLOG = 256 << 10
"""Bytes behind after which a ``pause-after`` client's output ages (see _behind_since)."""
SUBSCRIPTION_INTERVAL = 1.0
_numbers = itertools.count(1)


def escape_output(data: bytes) -> str:
    """tmux's ``%output`` escaping: bytes below space and backslash as ``\\ooo``; other
    bytes (UTF-8 included) pass through."""
    out = []
    for byte in data:
        if byte < 32 or byte == 92:
            out.append(f"\\{byte:03o}")
        else:
            out.append(chr(byte))
    return "".join(out).encode("latin-1").decode("utf-8", "replace")


@dataclass
class Snapshot:
    """What a control client was last told about the model."""

    sessions: dict[int, str] = field(default_factory=dict)
    current: dict[int, int] = field(default_factory=dict)
    """session id -> current window id"""
    windows: dict[int, str] = field(default_factory=dict)
    """window id -> name, for every window of every session"""
    mine: set[int] = field(default_factory=set)
    """window ids in the client's session"""
    layouts: dict[int, str] = field(default_factory=dict)
    active: dict[int, int] = field(default_factory=dict)
    """window id -> active pane id"""
    places: dict[int, int] = field(default_factory=dict)
    """window id -> how many places (session, index) it has (link-window)"""


class ControlClient:
    """One control-mode client."""

    def __init__(self, hub: ControlHub, connection: Connection, pid: int, echo: bool,
                 termname: str, env: dict[str, str], cwd: str) -> None:
        self.hub = hub
        self.services = hub.services
        self.connection = connection
        self.pid = pid
        self.name = f"client-{pid}"
        self.echo = echo
        self.termname = termname or "xterm"
        self.env = env
        self.cwd = cwd
        self.created = time.time()
        self.activity = self.created
        self.session: Session | None = None
        self.last_session: Session | None = None
        self.columns, self.lines = 80, 24
        self.size_set = False
        self.flags: set[str] = set()
        self.pause_after: float | None = None
        self.off: set[int] = set()
        self.paused: set[int] = set()
        self.behind_since: float | None = None
        self.subscriptions: dict[str, tuple[str, str]] = {}
        self.subscription_values: dict[tuple[str, str], str] = {}
        self.snapshot = Snapshot()
        self.queue: asyncio.Queue[tuple[list[list[str]] | None, str | None, int]] = \
            asyncio.Queue()
        self.busy = False
        self.after_end: list[str] = []
        """Lines that follow the running command's ``%end`` (``%session-changed``)."""
        self.changes_pending = False
        self.exiting = False
        self.worker: asyncio.Task[None] | None = None

    # ------------------------------------------------------------- writing
    def write(self, line: str) -> None:
        """Send one protocol line."""
        out: messages.ControlOutMessage = {"data": line + "\n"}
        self.connection.send(protocol.notification(OUT, out))

    def exit(self, reason: str = "") -> None:
        """``%exit`` and close (the CLI prints nothing more)."""
        if self.exiting:
            return
        self.exiting = True
        self.write(f"%exit {reason}".rstrip())
        done: messages.Empty = {}
        self.connection.send(protocol.notification(EXIT, done))
        self.hub.forget(self)

    # ------------------------------------------------------------ commands
    async def run_commands(self) -> None:
        """The client's command worker: one command list at a time, in order."""
        while True:
            commands, error, flags = await self.queue.get()
            if commands is None and error is None:
                return
            self.busy = True
            try:
                if error is not None:
                    self._guard("begin", next(_numbers), flags, error_text=error)
                else:
                    for argv in commands or []:
                        if not await self._run_one(argv, flags):
                            break  # as in tmux, a failure skips the rest of its line
                        if self.exiting:
                            return
            finally:
                self.busy = False
            self.model_changed()

    def _guard(self, kind: str, number: int, flags: int, error_text: str | None = None
               ) -> None:
        stamp = int(time.time())
        self.write(f"%{kind} {stamp} {number} {flags}")
        if error_text is not None:
            self.write(f"parse error: {error_text}")
            self.write(f"%error {stamp} {number} {flags}")

    async def _run_one(self, argv: list[str], flags: int) -> bool:
        """Run one command in its %begin/%end block; False when it failed."""
        number = next(_numbers)
        stamp = int(time.time())
        self.write(f"%begin {stamp} {number} {flags}")
        self.activity = time.time()
        result = await self.execute(argv)
        text = result.stderr if result.exit_code else result.stdout
        for line in text.splitlines():
            self.write(line)
        self.write(f"%{'error' if result.exit_code else 'end'} {stamp} {number} {flags}")
        self.busy = False
        self.model_changed()
        self.busy = True
        for line in self.after_end:
            self.write(line)
        self.after_end.clear()
        return not result.exit_code

    def context(self) -> CommandContext:
        """A command context whose "current" is this client's session."""
        client_pane = None
        if self.session is not None and self.session.id in self.services.engine.registry.sessions:
            client_pane = f"%{self.session.current.active_pane}"
        return RequestContext(services=self.services, cwd=self.cwd, env=self.env,
                              client_pane=client_pane, client=self.connection)

    async def execute(self, argv: list[str]) -> CommandResult:
        """Run one command as this client; attach and detach act on the client itself."""
        from .commands import UnknownCommand, find

        try:
            spec = find(argv[0])
        except UnknownCommand as exc:
            return CommandResult(stderr=f"{exc}\n", exit_code=1)
        if spec.name == "attach-session":
            return self._attach(argv[1:])
        if spec.name == "detach-client" and len(argv) == 1:
            self.exit()
            return CommandResult()
        if spec.name == "new-session":
            return await self._new_session(argv)
        return await run_argv(self.context(), [spec.name, *argv[1:]])

    def _attach(self, words: list[str]) -> CommandResult:
        from .commands.attach_session import SPEC
        from .commands.spec import UsageError, parse_args

        try:
            args = parse_args(SPEC, words)
            target = args.get("t") or (args.positional[0] if args.positional else None)
            session = self.context().find_session(target)
        except (UsageError, CommandError) as exc:
            return CommandResult(stderr=f"{exc}\n", exit_code=1)
        self.hub.set_session(self, session)
        return CommandResult()

    async def _new_session(self, argv: list[str]) -> CommandResult:
        from .commands.new_session import SPEC
        from .commands.spec import UsageError, parse_args

        try:
            detached = parse_args(SPEC, argv[1:]).has("d")
        except UsageError as exc:
            return CommandResult(stderr=f"{exc}\n", exit_code=1)
        if detached:
            return await run_argv(self.context(), argv)
        result = await run_argv(
            self.context(), ["new-session", "-d", "-P", "-F", "#{session_id}", *argv[1:]])
        if result.exit_code:
            return result
        session = self.services.engine.registry.sessions.get(int(result.stdout.strip()[1:]))
        if session is not None:
            self.hub.set_session(self, session)
        return CommandResult()

    # ----------------------------------------------------------- the model
    def model_changed(self) -> None:
        """Something changed: tell the client (after the running command's ``%end``)."""
        if self.busy:
            self.changes_pending = True
            return
        self.changes_pending = False
        self.notify_changes()

    def _current_snapshot(self) -> Snapshot:
        registry = self.services.engine.registry
        snap = Snapshot()
        for session in registry.sessions.values():
            snap.sessions[session.id] = session.name
            if session.windows:
                snap.current[session.id] = session.current.id
            for window in session.windows.values():
                snap.windows[window.id] = window.display_name()
                snap.places[window.id] = snap.places.get(window.id, 0) + 1
                snap.active[window.id] = window.active_pane
        mine = self.session
        if mine is not None and mine.id in registry.sessions:
            for window in mine.windows.values():
                snap.mine.add(window.id)
                if window.panes:
                    snap.layouts[window.id] = window.layout.to_string()
        return snap

    def _raw_flags(self, window_id: int) -> str:
        session = self.session
        if session is not None:
            for window in session.windows.values():
                if window.id == window_id:
                    return window_flags(session, window)
        return ""

    def notify_changes(self) -> None:
        """Compare the model with what the client knows and write the notifications."""
        if self.exiting:
            return
        old, new = self.snapshot, self._current_snapshot()
        if self.session is not None and self.session.id not in new.sessions:
            if set(new.sessions) != set(old.sessions):  # tmux says so before %exit
                self.write("%sessions-changed")
            self.exit()
            return
        self.snapshot = new
        lines: list[str] = []
        for session_id, window_id in new.current.items():
            if session_id in old.current and old.current[session_id] != window_id:
                lines.append(f"%session-window-changed ${session_id} @{window_id}")
        for window_id in new.windows:
            # a new window, or a further place of one (link-window): tmux says each
            linked = new.places[window_id] - old.places.get(window_id, 0) \
                if window_id in old.windows else 1
            kind = "window-add" if window_id in new.mine else "unlinked-window-add"
            lines.extend([f"%{kind} @{window_id}"] * max(0, linked))
        for window_id, pane_id in new.active.items():
            if window_id in old.active and old.active[window_id] != pane_id:
                lines.append(f"%window-pane-changed @{window_id} %{pane_id}")
        for window_id, layout in new.layouts.items():
            if window_id in old.layouts and old.layouts[window_id] != layout:
                lines.append(f"%layout-change @{window_id} {layout} {layout} "
                             f"{self._raw_flags(window_id)}")
        for window_id, name in new.windows.items():
            if window_id in old.windows and old.windows[window_id] != name:
                kind = "window-renamed" if window_id in new.mine else \
                    "unlinked-window-renamed"
                lines.append(f"%{kind} @{window_id} {name}")
        for session_id, name in new.sessions.items():
            if session_id in old.sessions and old.sessions[session_id] != name:
                lines.append(f"%session-renamed ${session_id} {name}")
        if set(new.sessions) != set(old.sessions):
            lines.append("%sessions-changed")
        for window_id in old.windows:
            closed = old.places.get(window_id, 1) - new.places.get(window_id, 0)
            kind = "window-close" if window_id in new.mine else "unlinked-window-close"
            lines.extend([f"%{kind} @{window_id}"] * max(0, closed))
        for line in lines:
            self.write(line)

    # -------------------------------------------------------------- output
    def pane_output(self, pane: Pane, data: bytes) -> None:
        """A pane of the client's session wrote ``data``."""
        if self.exiting or "no-output" in self.flags or pane.id in self.off \
                or pane.id in self.paused:
            return
        backlog = self.connection.write_buffer_size
        now = time.monotonic()
        if backlog > PAUSE_BACKLOG:
            if self.behind_since is None:
                self.behind_since = now
        else:
            self.behind_since = None
        if self.pause_after is not None:
            age = 0.0 if self.behind_since is None else now - self.behind_since
            if self.behind_since is not None and age >= self.pause_after:
                self.paused.add(pane.id)
                self.write(f"%pause %{pane.id}")
                return
            self.write(f"%extended-output %{pane.id} {int(age * 1000)} : "
                       f"{escape_output(data)}")
            return
        if backlog > MAXIMUM_BACKLOG:
            self.exit("too far behind")
            self.connection.close()
            return
        self.write(f"%output %{pane.id} {escape_output(data)}")

    def set_pane_state(self, pane_id: int, state: str) -> None:
        """``refresh-client -A %N:on|off|continue|pause``."""
        if state == "off":
            self.off.add(pane_id)
        elif state == "on":
            self.off.discard(pane_id)
        elif state == "pause":
            if pane_id not in self.paused:
                self.paused.add(pane_id)
                self.write(f"%pause %{pane_id}")
        elif state == "continue" and pane_id in self.paused:
            self.paused.discard(pane_id)
            self.behind_since = None
            self.write(f"%continue %{pane_id}")

    # -------------------------------------------------------- subscriptions
    def check_subscriptions(self) -> None:
        """``%subscription-changed`` for each subscription whose value changed."""
        registry = self.services.engine.registry
        for name, (target, template) in list(self.subscriptions.items()):
            for key, line in self._subscription_values(name, target, template, registry):
                if self.subscription_values.get(key) != line:
                    self.subscription_values[key] = line
                    self.write(line)

    def _subscription_values(self, name: str, target: str, template: str, registry: Any
                             ) -> list[tuple[tuple[str, str], str]]:
        session = self.session
        if session is None or session.id not in registry.sessions:
            return []
        out = []
        if target.startswith("%") and target[1:].isdigit():
            found = registry.find_pane(int(target[1:]))
            if found:
                s, w, p = found
                value = expand(template, format_lookup(self.services, s, w, p))
                out.append(((name, target), (f"%subscription-changed {name} ${s.id} @{w.id} "
                                            f"{w.index} %{p.id} : {value}")))
        elif target in ("%*", "@*"):
            for window in session.ordered_windows():
                panes = window.ordered_panes() if target == "%*" else [window.active]
                for pane in panes:
                    value = expand(template, format_lookup(self.services, session, window,
                                                           pane))
                    pane_field = f"%{pane.id}" if target == "%*" else "-"
                    out.append(((name, f"{window.id}.{pane_field}"),
                                (f"%subscription-changed {name} ${session.id} @{window.id} "
                                f"{window.index} {pane_field} : {value}")))
        else:
            value = expand(template, format_lookup(self.services, session, None, None))
            out.append(((name, ""), (f"%subscription-changed {name} ${session.id} - - - : "
                                    f"{value}")))
        return out


class ControlHub:
    """Every control client of the server; the ``control`` and ``control-in`` methods."""

    def __init__(self, services: Services, events: EventBus) -> None:
        self.services = services
        self.clients: dict[int, ControlClient] = {}
        self.timer: asyncio.TimerHandle | None = None
        events.subscribe(ModelChanged, self._model_changed)
        events.subscribe(PaneCreated, self._pane_created)
        events.subscribe(PaneModeChanged, self._pane_mode_changed)

    def showing(self) -> list[ControlClient]:
        """The control clients that show a session (not those still starting or
        exiting)."""
        return [client for client in self.clients.values()
                if client.session is not None and not client.exiting]

    # ------------------------------------------------------------- methods
    async def handle_start(self, connection: Connection,
                           params: dict[str, Any]) -> messages.ControlStartResult:
        """Make ``connection`` a control client and run its first command."""
        argv = params.get("argv") or ["new-session"]
        if not isinstance(argv, list) or not all(isinstance(a, str) for a in argv):
            raise ProtocolError(protocol.INVALID_PARAMS, "argv must be a list of strings")
        env = params.get("env") or {}
        client = ControlClient(self, connection, int(params.get("pid") or os.getpid()),
                               bool(params.get("echo", True)), str(params.get("term", "")),
                               {str(k): str(v) for k, v in env.items()},
                               str(params.get("cwd") or "/"))
        connection.control = client
        self.clients[id(client)] = client
        client.snapshot = client._current_snapshot()
        self._hook_panes()
        client.busy = True
        try:
            await client._run_one(argv, 0)
        finally:
            client.busy = False
        if client.exiting:
            return {"client": client.name}
        if client.session is None:
            client.exit()
            return {"client": client.name}
        client.model_changed()
        client.worker = asyncio.get_running_loop().create_task(client.run_commands())
        if self.timer is None:
            self.timer = asyncio.get_running_loop().call_later(SUBSCRIPTION_INTERVAL,
                                                               self._tick)
        return {"client": client.name}

    def handle_line(self, connection: Connection, params: dict[str, Any]) -> messages.Empty:
        """One line the control client read (``eof``: its input closed)."""
        client = connection.control
        if client is None or client.exiting:
            return {}
        if params.get("eof"):
            client.exit()
            return {}
        line = str(params.get("line", ""))
        if line == "":
            client.exit()
            return {}
        from .command_lists import parse_text

        parsed = parse_text(client.context(), line)
        if parsed.error is not None:
            client.queue.put_nowait((None, parsed.error.message, 1))
            return {}
        commands = [list(command.argv) for command in parsed.commands]
        if commands:
            client.queue.put_nowait((commands, None, 1))
        return {}

    # ------------------------------------------------------------- clients
    def set_session(self, client: ControlClient, session: Session) -> None:
        """Attach (or switch) ``client`` to ``session``: ``%session-changed`` for it,
        ``%client-session-changed`` for the other control clients."""
        previous = client.session
        if previous is session:
            return
        if previous is not None:
            previous.attached = max(0, previous.attached - 1)
            client.last_session = previous
        client.session = session
        session.attached += 1
        session.last_used = time.time()
        line = f"%session-changed ${session.id} {session.name}"
        if client.busy:
            client.after_end.append(line)
        else:
            client.write(line)
        for other in self.clients.values():
            if other is not client and other.session is not None:
                other.write(f"%client-session-changed {client.name} ${session.id} "
                            f"{session.name}")

    def forget(self, client: ControlClient) -> None:
        """The client is gone (``%exit`` written, or its connection closed)."""
        if self.clients.pop(id(client), None) is None:
            return
        if client.session is not None:
            client.session.attached = max(0, client.session.attached - 1)
        if client.worker is not None:
            client.queue.put_nowait((None, None, 0))
        for other in self.clients.values():
            other.write(f"%client-detached {client.name}")

    def connection_lost(self, connection: Connection) -> None:
        """Forget the connection's control client, if it had one."""
        client = connection.control
        if client is not None:
            client.exiting = True
            self.forget(client)

    # -------------------------------------------------------------- events
    def _model_changed(self, event: ModelChanged) -> None:
        for client in list(self.clients.values()):
            client.model_changed()

    def _pane_mode_changed(self, event: PaneModeChanged) -> None:
        """``%pane-mode-changed %N`` to every control client, once per change (after the
        running command's ``%end``), as tmux's ``control_notify_pane_mode_changed``."""
        for client in list(self.clients.values()):
            if client.session is not None and not client.exiting:
                line = f"%pane-mode-changed %{event.pane.id}"
                if client.busy:
                    client.after_end.append(line)
                else:
                    client.write(line)

    def _pane_created(self, event: PaneCreated) -> None:
        self._hook_pane(event.pane)

    def _hook_panes(self) -> None:
        for _, _, pane in self.services.engine.registry.all_panes():
            self._hook_pane(pane)

    def _hook_pane(self, pane: Pane) -> None:
        if self._pane_data not in pane.listeners.on_data:
            pane.listeners.on_data.append(self._pane_data)

    def _pane_data(self, pane: Pane, data: bytes) -> None:
        if not self.clients:
            return
        found = self.services.engine.registry.find_pane(pane.id)
        if found is None:
            return
        window = found[1]
        for client in list(self.clients.values()):
            session = client.session
            if session is not None and session.windows.get(window.index) is window:
                client.pane_output(pane, data)

    def _tick(self) -> None:
        self.timer = None
        if not self.clients:
            return
        for client in list(self.clients.values()):
            if client.subscriptions:
                client.check_subscriptions()
        self.timer = asyncio.get_running_loop().call_later(SUBSCRIPTION_INTERVAL, self._tick)

