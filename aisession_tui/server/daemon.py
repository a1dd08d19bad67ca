"""The server process: the socket, client connections, request dispatch, lifetime.

One asyncio loop owns everything. Each connection is read by its own task; each request
runs in its own task, so a long ``exec`` or ``wait-for`` never holds up another request on
the same or another connection. Invariants:
* the first message on a connection is ``hello`` with our :data:`PROTOCOL_VERSION`;
  anything else gets an error reply and the connection is closed;
* a malformed, oversized or unknown message gets an error reply and the connection carries
  on; an exception inside a command becomes an error reply, never a dead server;
* peers of a user not on the access list (SO_PEERCRED; the server's own user and root, and
  whom ``server-access`` adds) are refused, like tmux; a read-only user's connection runs
  read-only commands only and sends no input (:mod:`.access`); connections, buffered
  partial frames and the time to ``hello`` are bounded (:mod:`.limits`);
* the server exits on ``kill-server``, SIGTERM, or when its last session is gone.

Run as ``python -m aisession_tui.server.daemon --socket PATH [--ready-fd N]``; the CLI
starts it detached (new session, no terminal) and waits for the ready byte.
"""

from __future__ import annotations

if __name__ == "__main__":  # the server process: its zygote starts before the imports below
    from aisession_tui.server.boot import early_start

    early_start()

import asyncio
import gc
import logging
import os
import signal
import socket
import struct
import sys
import time
from pathlib import Path
from typing import TYPE_CHECKING, Any

from .. import protocol
from ..protocol import ProtocolError, messages
from ..protocol.paths import ensure_socket_dir, log_path
from . import status_ranges
from .access import NOT_ALLOWED, READ_ONLY, READ_ONLY_COMMANDS
from .client_flags import is_read_only
from .commands.spec import CommandError, CommandResult
from .context import CommandContext, RequestContext
from .dispatch import run_argv
from .events import ClientDetached, ClientResized, ServerEmpty
from .limits import (
    HELLO_DEADLINE,
    MAX_STDIN,
    TRIM_AFTER,
    ConnectionLimits,
    check_command,
    check_command_lists,
    trim_memory,
)
from .option_effects import synchronized_panes
from .renderer_host import RendererHost
from .services import Services, build_services

if TYPE_CHECKING:
    from .clients import AttachedClient
    from .control import ControlClient

log = logging.getLogger("aisession_tui.server")

WARM_AFTER = 0.05
"""Seconds after the first session's reply the warm-up runs when no paint's first frame
came first (an in-process client, or a paint still waiting for its pane's output)."""


class Connection(asyncio.Protocol):
    """One client connection, as an asyncio protocol.

    Frames are decoded in ``data_received``, in the very loop iteration the socket became
    readable. Plain (non-coroutine) handlers such as ``input`` and ``resize`` run right
    there, so a keystroke reaches its pane without waiting for another iteration while a
    flood keeps the loop busy; coroutine handlers (commands, ``exec``, bus waits) each run
    as their own task, so a long one never holds up the next request.
    """

    def __init__(self, server: Server) -> None:
        self.server = server
        self.transport: asyncio.Transport | None = None
        self.decoder = protocol.FrameDecoder()
        self.greeted = False
        self.closed = False
        self.attached: AttachedClient | None = None
        self.control: ControlClient | None = None
        """The control-mode client on this connection (server/control.py), if any."""
        self.tasks: set[asyncio.Task[None]] = set()
        self._paused = False
        self._drain_waiters: list[asyncio.Future[None]] = []
        self.uid: int | None = None
        self.read_only = False
        """The user only reads (``server-access -r``): read-only commands only, no input."""
        self._hello_timer: asyncio.TimerHandle | None = None
        self.stdin: list[str] = []
        """The client's standard input sent so far (``stdin`` requests), for the command
        that reads it."""
        self.stdin_size = 0
        self._fd = -1

    # ------------------------------------------------------------- transport
    def connection_made(self, transport: asyncio.BaseTransport) -> None:
        assert isinstance(transport, asyncio.Transport)
        self.transport = transport
        sock = transport.get_extra_info("socket")
        uid = _peer_uid(sock) if sock is not None else None
        self.uid = os.getuid() if uid is None else uid
        if not self.server.services.access.join(self):  # server-access's list
            log.warning("refused a client of uid %s (server-access)", self.uid)
            self.uid = None
            self.refuse(NOT_ALLOWED)
            return
        refusal = self.server.limits.admit(self.uid)
        if refusal is not None:
            self.server.services.access.leave(self)
            self.uid = None
            self.refuse(refusal)
            return
        self.server.connections.add(self)
        self._fd = sock.fileno() if sock is not None else -1
        self.server.services.request_probe.watch(self._fd)
        self._hello_timer = asyncio.get_running_loop().call_later(
            HELLO_DEADLINE, self._hello_overdue)

    def _hello_overdue(self) -> None:
        if not self.greeted and not self.closed:
            self.send(protocol.error_reply(None, protocol.NOT_HELLO,
                                           f"no hello within {HELLO_DEADLINE:g}s"))
            self.close()

    def data_received(self, data: bytes) -> None:
        large = len(data) >= TRIM_AFTER or self.decoder.buffered >= TRIM_AFTER
        for item in self.decoder.feed(data):
            if self.closed:
                return
            if isinstance(item, ProtocolError):
                self.send(protocol.error_reply(None, item.code, item.message))
                continue
            self.dispatch(item)
        refusal = self.server.limits.set_buffered(id(self), self.decoder.buffered)
        if refusal is not None and not self.closed:
            self.send(protocol.error_reply(None, protocol.FRAME_TOO_LARGE, refusal))
            self.close()
        if large and not self.decoder.buffered:
            trim_memory()

    def connection_lost(self, exc: Exception | None) -> None:
        self.closed = True
        self.server.services.request_probe.forget(self._fd)
        if self._hello_timer is not None:
            self._hello_timer.cancel()
        self.server.services.access.leave(self)
        self.server.limits.release(self.uid, id(self))
        self.uid = None
        for task in list(self.tasks):
            task.cancel()
        if self.attached is not None:
            self.server.clients.detach(self.attached)
        if self.control is not None:
            self.server.services.control.connection_lost(self)
        self.server.connections.discard(self)
        self._wake_drainers()

    def pause_writing(self) -> None:
        self._paused = True

    def resume_writing(self) -> None:
        self._paused = False
        self._wake_drainers()

    def _wake_drainers(self) -> None:
        for waiter in self._drain_waiters:
            if not waiter.done():
                waiter.set_result(None)
        self._drain_waiters.clear()

    async def drain(self) -> None:
        """Wait while the client is not reading (the transport's buffer is full)."""
        if self._paused and not self.closed:
            waiter = asyncio.get_running_loop().create_future()
            self._drain_waiters.append(waiter)
            await waiter

    @property
    def write_buffer_size(self) -> int:
        """Bytes written but not yet taken by the client."""
        return self.transport.get_write_buffer_size() if self.transport else 0

    def send(self, message: dict[str, Any]) -> None:
        """Write one frame (dropped if the connection is gone)."""
        transport = self.transport
        if self.closed or transport is None or transport.is_closing():
            return
        try:
            transport.write(protocol.encode(message))
        except ProtocolError as exc:
            if "id" in message:
                transport.write(protocol.encode(
                    protocol.error_reply(message["id"], exc.code, exc.message)))
        except (ConnectionError, RuntimeError):
            self.closed = True

    def refuse(self, text: str) -> None:
        """Tell the client ``text`` (an error with no request id) and close."""
        self.send(protocol.error_reply(None, protocol.INVALID_REQUEST, text))
        self.close()

    def close(self) -> None:
        """Close the connection (pending writes are flushed by the transport)."""
        self.closed = True
        if self.transport is not None:
            self.transport.close()

    # -------------------------------------------------------------- requests
    def dispatch(self, message: dict[str, Any]) -> None:
        """Check one message's shape and run it (see the class docstring)."""
        msg_id = message.get("id")
        method = message.get("method")
        params = message.get("params", {})
        if not isinstance(method, str) or not isinstance(params, dict):
            self.send(protocol.error_reply(msg_id, protocol.INVALID_REQUEST,
                                           "a request needs a string method and object params"))
            return
        if not self.greeted:
            if method != "hello":
                self.send(protocol.error_reply(msg_id, protocol.NOT_HELLO,
                                               "the first request must be hello"))
                self.close()
                return
            version = params.get("version")
            if type(version) is not int or version != protocol.PROTOCOL_VERSION:
                self.send(protocol.error_reply(
                    msg_id, protocol.VERSION_MISMATCH,
                    f"protocol version mismatch: client {version}, server "
                    f"{protocol.PROTOCOL_VERSION} (restart the server: ai-session kill-server)"))
                self.close()
                return
            self.greeted = True
            hello: messages.HelloResult = {"version": protocol.PROTOCOL_VERSION,
                                           "pid": os.getpid()}
            self.send(protocol.reply(msg_id, hello))
            return
        handler = self.server.methods.get(method)
        if handler is None:
            self.send(protocol.error_reply(msg_id, protocol.METHOD_NOT_FOUND,
                                           f"unknown method: {method}"))
            return
        if not asyncio.iscoroutinefunction(handler):
            self._run_now(handler, msg_id, params)
            return
        task = asyncio.get_running_loop().create_task(self._run(handler, msg_id, params))
        self.tasks.add(task)
        task.add_done_callback(self.tasks.discard)
        probe = self.server.services.request_probe
        probe.scheduled(task)  # a flooding pane yields until it starts
        task.add_done_callback(probe.started)

    def _run_now(self, handler: Any, msg_id: Any, params: dict[str, Any]) -> None:
        try:
            result = handler(self, params)
        except Exception as exc:  # the server must survive any bug in one request
            self.send(_error_reply(msg_id, exc))
        else:
            if msg_id is not None:
                self.send(protocol.reply(msg_id, result))

    async def _run(self, handler: Any, msg_id: Any, params: dict[str, Any]) -> None:
        self.server.services.request_probe.started(asyncio.current_task())
        self.server.in_flight += 1
        try:
            try:
                result = await handler(self, params)
            except Exception as exc:  # the server must survive any bug in one request
                replies = [_error_reply(msg_id, exc)]
            else:
                replies = list(protocol.reply_frames(msg_id, result)) if msg_id is not None \
                    else []
        finally:
            # before the reply: a request that ended the server (the last session killed)
            # has it stop accepting connections before its caller can start the next one
            self.server.in_flight -= 1
            self.server.maybe_exit()
        for message in replies:
            self.send(message)
            await self.drain()  # a client that reads slowly holds one piece, not all


class Server:
    """The daemon: socket, engine, store, connections."""

    def __init__(self, socket_path: Path, services: Services | None = None,
                 renderers: RendererHost | None = None) -> None:
        self.socket_path = socket_path
        self.services = services if services is not None else build_services(socket_path)
        self.engine = self.services.engine
        self.clients = self.services.clients
        self.stopping = self.services.lifetime.stopping
        self.connections: set[Connection] = set()
        self.limits = ConnectionLimits()
        self.in_flight = 0
        self.had_session = False
        self._idle_passed = False
        self._warm_for_attach = False
        self._warm_due: asyncio.TimerHandle | None = None
        self.renderers = renderers or RendererHost(socket_path)
        events = self.services.events
        events.subscribe(ServerEmpty, lambda _: self._last_session_gone())
        events.subscribe(ClientDetached, lambda _: self.maybe_exit())
        popups = self.services.popups
        events.subscribe(ClientDetached, popups.close_for_detached)
        events.subscribe(ClientResized, popups.fit_for_resized)
        bus, control = self.services.bus, self.services.control
        self.methods: dict[str, Any] = {
            "command": self.handle_command,
            "stdin": self.handle_stdin,
            "ping": self.handle_ping,
            "renderer": self.renderers.handle,
            messages.PAINT: self.handle_paint,
            messages.ATTACH: self.handle_attach,
            messages.DETACH: self.handle_detach,
            messages.RESUME: self.handle_resume,
            messages.PROMPT_HISTORY: self.handle_prompt_history,
            messages.PROMPT_DONE: self.handle_prompt_done,
            messages.MODE_DONE: self.handle_mode_done,
            messages.INPUT: self.handle_input,
            messages.POPUP_INPUT: popups.handle_input,
            messages.STATUS_RANGES: status_ranges.handle_drawn,
            messages.RESIZE: self.handle_resize,
            messages.SELECT: self.handle_select,
            messages.COPY_STATE: self.handle_copy_state,
            messages.HISTORY: self.handle_history,
            messages.PANEL_STATE: self.services.panel_feed.handle_state,
            "bus.subscribe": bus.handle_subscribe,
            "bus.unsubscribe": bus.handle_unsubscribe,
            "bus.send": bus.handle_send,
            "bus.recv": bus.handle_recv,
            messages.CONTROL_START: control.handle_start,
            messages.CONTROL_IN: control.handle_line,
        }

    # ------------------------------------------------------------ requests
    def handle_ping(self, connection: Connection,
                    params: dict[str, Any]) -> messages.PingResult:
        """Liveness check, and the store's health (None when it writes)."""
        return {"pid": os.getpid(), "sessions": len(self.engine.registry.sessions),
                "store_failure": self.services.store.failure}

    async def handle_command(self, connection: Connection,
                             params: dict[str, Any]) -> messages.CommandReply:
        """Run one registered command from its argv."""
        argv, cwd, env, client_pane = check_command(params)
        if (connection.read_only or _binding_of_read_only_client(connection, params)) \
                and not _read_only_commands(argv, params.get("commands")):
            return {"stdout": "", "stderr": f"{READ_ONLY}\n", "exit_code": 1, "data": None}
        if params.get("view") is True and connection.attached is not None:
            connection.attached.activity = time.time()  # a key's binding: client activity
        mouse = None
        if params.get("mouse") is not None:  # (mouse_target loads with the first one)
            from .mouse_target import mouse_current, parse_mouse

            mouse = parse_mouse(params.get("mouse"))
            if client_pane is None and mouse is not None:  # a mouse key's commands: its pane
                client_pane = mouse_current(self.engine.registry, mouse)
        if client_pane is None and connection.attached is not None:
            session = connection.attached.session
            if session.id in self.engine.registry.sessions:
                client_pane = f"%{session.current.active_pane}"
        stdin = None
        if params.get("stdin") is True:
            stdin, connection.stdin, connection.stdin_size = "".join(connection.stdin), [], 0
        context = RequestContext(services=self.services, cwd=cwd, env=dict(env),
                                 client_pane=client_pane, client=connection, stdin=stdin,
                                 mouse=mouse)
        lists = check_command_lists(params.get("commands"))
        if lists is None:
            result = await run_argv(context, argv)
        else:
            result = await self.run_lists(context, lists)
        if self.engine.registry.sessions:
            self.had_session = True
            if self._warm_for_attach:  # after the reply and the first paint (see run)
                self._warm_for_attach = False
                loop = asyncio.get_running_loop()
                loop.call_soon(_import_paint)  # while the thin client makes its request
                self._warm_due = loop.call_later(WARM_AFTER, self._warm_up)
        stdout = result.stdout
        if params.get("view") is True and stdout and connection.attached is not None:
            from .view_mode import print_to_view  # a binding's output: tmux's cmdq_print

            if print_to_view(self.engine, connection.attached, stdout):
                stdout = ""
        self.services.key_push.flush()  # the tables a bind-key changed, before its reply
        if connection.attached is not None:
            # A client that types on right after a split or a window switch must know the
            # new active pane before it reads the reply, or its next keys go to the old one.
            connection.attached.flush_structure()
        return {"stdout": stdout, "stderr": result.stderr,
                "exit_code": result.exit_code, "data": result.data}

    async def handle_paint(self, connection: Connection,
                           params: dict[str, Any]) -> messages.PaintResult:
        """Frames of a session while its client's renderer starts (server/paint.py)."""
        from .paint import handle_paint

        # the warm-up waits for this paint's first frame
        first_frame = self._warm_up_soon if self._warm_due is not None else None
        return await handle_paint(self.services, connection, params, first_frame)

    def _warm_up_soon(self) -> None:
        asyncio.get_running_loop().call_soon(self._warm_up)

    def _warm_up(self) -> None:
        """Make what a client's attach needs and a session does not (the key tables'
        defaults: ~15 ms of CPU), once: after the command that made the first session was
        answered and the first paint's frame was sent (or :data:`WARM_AFTER` later)."""
        if self._warm_due is None:
            return
        self._warm_due.cancel()
        self._warm_due = None
        self.services.key_tables.load_defaults_now()

    def handle_stdin(self, connection: Connection, params: dict[str, Any]) -> dict[str, Any]:
        """Keep a piece of the client's standard input for its next command (up to
        :data:`MAX_STDIN` in all: a clear error past it, and what was sent is dropped)."""
        data = params.get("data")
        if not isinstance(data, str):
            raise ProtocolError(protocol.INVALID_PARAMS, "stdin data must be a string")
        if connection.stdin_size + len(data) > MAX_STDIN:
            connection.stdin, connection.stdin_size = [], 0
            raise ProtocolError(protocol.INVALID_PARAMS,
                                f"standard input larger than {MAX_STDIN >> 20} MiB")
        connection.stdin.append(data)
        connection.stdin_size += len(data)
        return {}

    async def run_lists(self, context: CommandContext,
                        lists: list[list[str]]) -> CommandResult:
        """Run a CLI's ``;``-separated commands in order; the first failure stops them."""
        from .command_lists import argv_commands, run_commands

        try:
            commands = argv_commands(lists)
        except ValueError as exc:
            return CommandResult(stderr=f"{exc}\n", exit_code=1)
        return await run_commands(run_argv, context, commands)

    # -------------------------------------------------------- attached clients
    def _attached(self, connection: Connection) -> AttachedClient:
        if connection.attached is None:
            raise ProtocolError(protocol.INVALID_REQUEST, "not attached")
        return connection.attached

    def handle_attach(self, connection: Connection,
                      params: dict[str, Any]) -> messages.AttachResult:
        """Attach the connection to a session and start sending it updates; refused as
        ``detached`` when its client was detached on its way (server/pending_attach.py)."""
        from . import targets

        pending = self.clients.pending.arrive(params.get("ticket"))
        if pending is not None and pending.detached is not None:
            return {"client": 0, "session": pending.detached, "detached": True}
        columns, lines = _size(params)
        try:
            session = targets.find_session(targets.Current(self.engine.registry),
                                           params.get("target"))
        except CommandError as exc:
            raise ProtocolError(protocol.COMMAND_FAILED, str(exc)) from None
        assumed = params.get("status_lines")
        if type(assumed) is int and 0 <= assumed <= 10:  # the area with the real status
            from .status_line import lines_taken

            lines = max(1, lines + assumed - lines_taken(self.engine.options,
                                                         f"${session.id}"))
        if connection.attached is not None:
            self.clients.detach(connection.attached)
        client = self.clients.attach(connection, session, columns, lines,
                                     str(params.get("flags") or ""))
        client.tty = str(params.get("tty") or "")  # tmux's client name and #{client_tty}
        client.termname = str(params.get("termname") or "")
        pid = params.get("pid")
        client.pid = pid if isinstance(pid, int) and pid > 0 else 0
        if params.get("start_directory"):  # attach -c: expanded as tmux's format_single
            window = session.current
            session.cwd = RequestContext(services=self.services, client=connection).expand(
                str(params["start_directory"]), session, window,
                window.panes.get(window.active_pane))
        self.services.key_push.attached(client)
        return {"client": client.id, "session": session.name, "columns": client.columns,
                "lines": client.lines}

    def handle_detach(self, connection: Connection, params: dict[str, Any]) -> messages.Empty:
        """Stop sending updates to this connection."""
        if connection.attached is not None:
            self.clients.detach(connection.attached)
        return {}

    def handle_resume(self, connection: Connection, params: dict[str, Any]) -> messages.Empty:
        """The attached client is back from a lock or a suspend (``client_lock``)."""
        from .client_lock import resume

        resume(self._attached(connection))
        return {}

    def handle_prompt_history(self, connection: Connection,
                              params: dict[str, Any]) -> messages.Empty:
        """A client's prompt submitted an entry: keep it in the server's history."""
        limit = self.engine.options.get("prompt-history-limit")
        try:
            self.services.prompt_history.add(str(params.get("type", "")),
                                             str(params.get("entry", "")),
                                             int(limit) if limit.isdigit() else 100)
        except ValueError as exc:
            raise ProtocolError(protocol.INVALID_PARAMS, str(exc)) from None
        return {}

    def handle_prompt_done(self, connection: Connection,
                           params: dict[str, Any]) -> messages.Empty:
        """A client finished a prompt a command waits for (``server/client_actions``)."""
        try:
            self.services.prompt_waits.report(int(params["wait"]), int(params.get("code", 0)))
        except (KeyError, TypeError, ValueError):
            raise ProtocolError(protocol.INVALID_PARAMS, "wait must be a number") from None
        return {}

    def handle_mode_done(self, connection: Connection, params: dict[str, Any]) -> messages.Empty:
        """A client closed the chooser it drew for a pane's mode (``server/mode_clients``)."""
        from .mode_clients import mode_done

        try:
            mode_done(self.engine, int(params["pane"]), str(params["mode"]))
        except (KeyError, TypeError, ValueError):
            raise ProtocolError(protocol.INVALID_PARAMS, "pane must be a number") from None
        return {}

    def handle_input(self, connection: Connection, params: dict[str, Any]) -> messages.Empty:
        """Write bytes to a pane of the attached session (not from a read-only client)."""
        client = self._attached(connection)
        if is_read_only(client):
            return {}
        pane = self._client_pane(client, params.get("pane"))
        self.clients.sizes.make_latest(client)  # a key press: tmux's latest client
        client.activity = time.time()  # #{client_activity}
        if "data_b64" in params:
            import base64

            data = base64.b64decode(str(params["data_b64"]))
        else:
            data = str(params.get("data", "")).encode("utf-8", "surrogateescape")
        if pane.modes:
            from .pane_modes import client_input

            if client_input(self.engine, pane, data):
                return {}
        found = self.engine.registry.find_pane(pane.id)
        targets = synchronized_panes(self.engine.options, found[1], pane) if found else (pane,)
        for target in targets:
            target.write(data)
        return {}

    def handle_resize(self, connection: Connection, params: dict[str, Any]) -> messages.Empty:
        """The attached client's pane area changed size."""
        client = self._attached(connection)
        columns, lines = _size(params)
        self.clients.resize(client, columns, lines)
        return {}

    def handle_select(self, connection: Connection, params: dict[str, Any]) -> messages.Empty:
        """Make a window current or a pane active (mouse clicks, tab clicks; not from a
        read-only client)."""
        client = self._attached(connection)
        if is_read_only(client):
            return {}
        session = client.session
        if params.get("window") is not None:
            window = session.windows.get(int(params["window"]))
            if window is None:
                raise ProtocolError(protocol.COMMAND_FAILED,
                                    f"can't find window: {params['window']}")
            session.select_window(window)
        if params.get("pane") is not None:
            pane = self._client_pane(client, params["pane"])
            found = self.engine.registry.find_pane(pane.id)
            if found:
                found[1].select_pane(pane)
        self.clients.sizes.make_latest(client)
        self.engine.registry.notify("select", session)
        return {}

    def handle_copy_state(self, connection: Connection,
                          params: dict[str, Any]) -> messages.Empty:
        """The client's copy-mode state of a pane, for tmux's copy-mode formats."""
        client = self._attached(connection)
        pane = self._client_pane(client, params.get("pane"))
        state = params.get("state")
        pane.copy_state = dict(state) if isinstance(state, dict) else None
        return {}

    def handle_history(self, connection: Connection,
                       params: dict[str, Any]) -> messages.HistoryResult:
        """Styled history lines of a pane (copy mode)."""
        client = self._attached(connection)
        pane = self._client_pane(client, params.get("pane"))
        if params.get("view"):
            from .view_mode import view_lines

            return view_lines(pane)  # type: ignore[return-value]
        emulator = pane.emulator
        size = emulator.history_size
        start = max(0, int(params.get("start", 0)))
        count = max(0, min(int(params.get("count", size)), 10000))
        return {"history_size": size,
                "lines": [emulator.history_runs(i) for i in range(start, min(size,
                                                                               start + count))]}

    def _client_pane(self, client: Any, pane_id: Any) -> Any:
        if pane_id is None:
            return client.session.current.active
        found = self.engine.registry.find_pane(int(pane_id))
        if found is None or found[0] is not client.session:
            raise ProtocolError(protocol.COMMAND_FAILED, f"can't find pane: %{pane_id}")
        return found[2]

    # ------------------------------------------------------------ lifetime
    def maybe_exit(self) -> None:
        """Stop when no request is running and the last session is gone (``exit-empty``)
        or, with ``exit-unattached``, the last attached client is, as tmux's server loop."""
        if self.in_flight or not self.engine.options.flag("exit-empty"):
            return
        if not self.had_session and not self._idle_passed:
            return  # starting: the command that makes the first session may not be here yet
        if self.engine.registry.sessions and not self.engine.options.flag("exit-unattached"):
            return
        if not self.clients.clients:
            self.services.lifetime.stop()

    async def run(self, ready_fd: int | None = None) -> None:
        """Serve until stopped."""
        loop = asyncio.get_running_loop()
        ensure_socket_dir(self.socket_path)
        if self.socket_path.exists():
            if await _alive(self.socket_path):
                raise SystemExit(f"server already running on {self.socket_path}")
            self.socket_path.unlink()
        self._open_store()
        old_umask = os.umask(0o177)
        try:
            server = await loop.create_unix_server(lambda: Connection(self),
                                                   path=str(self.socket_path))
        finally:
            os.umask(old_umask)
        os.chmod(self.socket_path, 0o600)
        socket_inode = self.socket_path.stat().st_ino
        listening = [sock.fileno() for sock in server.sockets]
        for fd in listening:
            self.services.request_probe.watch(fd)  # a connection waiting to be accepted

        def stop_listening() -> None:  # at once when the stop is decided (Lifetime.on_stop)
            for fd in listening:
                self.services.request_probe.forget(fd)
            listening.clear()
            server.close()

        self.services.lifetime.on_stop.append(stop_listening)
        loop.add_signal_handler(signal.SIGCHLD, self.engine.check_children)
        loop.add_signal_handler(signal.SIGTERM, self.services.lifetime.stop)
        loop.add_signal_handler(signal.SIGHUP, lambda: None)
        loop.add_signal_handler(signal.SIGINT, lambda: None)
        log.info("listening on %s (pid %d)", self.socket_path, os.getpid())
        await self._load_config()
        persister = self.services.persist  # after the config: it may say @resurrect off
        persister.installed = True
        if persister.restore():
            self.had_session = True
        persister.start()
        if ready_fd is not None:
            os.write(ready_fd, b"ready\n")
            os.close(ready_fd)
        # A client will attach (its renderer's zygote was started with the server): what its
        # attach needs and a session does not (the key tables) is made while the zygote is
        # still importing, after the first command that made a session was answered and
        # the thin client's first painted frame was sent (the paint request comes right
        # after that reply: the warm-up run at once held its first frame back ~15 ms).
        self._warm_for_attach = self.renderers.process is not None
        loop.call_later(10.0, self._idle_check)
        try:
            await self.stopping.wait()
        finally:
            log.info("shutting down")
            persister = self.services.persist
            if persister.installed and not persister.stopped:
                persister.final(clear=False)
            stop_listening()
            self.services.format_jobs.close()  # #() commands still running
            self.renderers.close()
            self.engine.kill_all()
            for connection in list(self.connections):
                connection.close()
            # committed before the socket goes: a next server finds everything this one kept
            self.services.store.close()
            try:  # unless a next server, started once this one stopped listening, took it
                if self.socket_path.stat().st_ino == socket_inode:
                    self.socket_path.unlink()
            except FileNotFoundError:
                pass

    async def _load_config(self) -> None:
        """Read tmux's config files (or ``-f``'s) before the first request is answered."""
        from .command_lists import load_config

        context = RequestContext(services=self.services, cwd=os.environ.get("HOME", "/"),
                                 env=dict(os.environ))
        try:
            causes = await load_config(run_argv, context, self.services.config_files)
        except Exception:  # a config must never keep the server from starting
            log.exception("loading the config files failed")
            return
        for cause in causes:
            log.warning("config: %s", cause)
        sessions = self.engine.registry.ordered_sessions()
        if sessions:  # (a session the files made, or a restored one) shows them now
            self.services.config_causes.show(self.engine, sessions[0])

    def _idle_check(self) -> None:
        """A server started for a command that made no session must not linger."""
        self._idle_passed = True
        self.maybe_exit()

    def _last_session_gone(self) -> None:
        self.had_session = True
        self.maybe_exit()

    def _open_store(self) -> None:
        from .boot import early_store, store_path

        handle = self.services.store
        path = store_path()
        store = handle.open(path, self.socket_path, early_store(path))
        if store is None:
            from .store_health import notice_text

            self.services.message_log.add(f"message: {notice_text(handle.unavailable)}")
            return
        self.engine.store = store
        self.engine.run_id = handle.run_id
        from .store_health import watch

        watch(self.clients, self.engine.registry, store)


def _import_paint() -> None:
    """Import what the thin client's ``paint`` request runs (:mod:`.paint`,
    :mod:`.first_frame`: ~3 ms), in the moments its client takes to ask."""
    from . import paint  # noqa: F401


def _error_reply(msg_id: Any, exc: Exception) -> dict[str, Any]:
    """The error reply for a request that raised: its protocol error, else an internal
    error (logged with its traceback)."""
    if isinstance(exc, ProtocolError):
        return protocol.error_reply(msg_id, exc.code, exc.message)
    log.exception("request failed")
    return protocol.error_reply(msg_id, protocol.INTERNAL_ERROR, f"internal error: {exc}")


def _size(params: dict[str, Any]) -> tuple[int, int]:
    try:
        columns, lines = int(params.get("columns", 80)), int(params.get("lines", 24))
    except (TypeError, ValueError):
        raise ProtocolError(protocol.INVALID_PARAMS, "columns and lines must be integers") \
            from None
    if not (1 <= columns <= 10000 and 1 <= lines <= 10000):
        raise ProtocolError(protocol.INVALID_PARAMS, "size out of range")
    return columns, lines


def _peer_uid(sock: socket.socket) -> int | None:
    """SO_PEERCRED's uid of the peer (None if the socket cannot tell)."""
    try:
        creds = sock.getsockopt(socket.SOL_SOCKET, socket.SO_PEERCRED, struct.calcsize("3i"))
    except OSError:
        return None
    return int(struct.unpack("3i", creds)[1])


def _binding_of_read_only_client(connection: Connection, params: dict[str, Any]) -> bool:
    """A key binding's (or the prompt's) commands from an attached read-only client."""
    return (params.get("view") is True and connection.attached is not None
            and is_read_only(connection.attached))


def _read_only_commands(argv: list[str], lists: Any) -> bool:
    """Whether a command request runs only commands a read-only client may run."""
    from .commands import UnknownCommand, find

    names = [argv[0]] if argv else []
    if isinstance(lists, list):
        names = [words[0] for words in lists if isinstance(words, list) and words]
    try:
        return bool(names) and all(find(str(name)).name in READ_ONLY_COMMANDS
                                   for name in names)
    except UnknownCommand:
        return False


async def _alive(path: Path) -> bool:
    try:
        _, writer = await asyncio.wait_for(asyncio.open_unix_connection(str(path)), 1.0)
    except (TimeoutError, OSError):
        return False
    writer.close()
    return True


class ServerOptions:
    """The server process's flags (what :func:`aisession_tui.cli.client.start_server`
    passes): ``--socket PATH`` (required), ``--ready-fd N``, ``--config FILE`` (repeated:
    the files to read instead of tmux's defaults, ``-f``), ``--explicit-config`` (read
    only those), ``--renderer`` (start the renderer zygote at once: a client will attach)
    and ``--daemonize`` (fork once more so the server is nobody's child)."""

    VALUES = ("--socket", "--ready-fd", "--config")
    FLAGS = ("--explicit-config", "--renderer", "--daemonize")

    def __init__(self, argv: list[str]) -> None:
        """Read ``argv`` (``--name VALUE`` or ``--name=VALUE``, as argparse took them;
        argparse itself is ~6 ms of imports): SystemExit with the reason on anything else."""
        values: dict[str, list[str]] = {name: [] for name in self.VALUES}
        flags: set[str] = set()
        index = 0
        while index < len(argv):
            word = argv[index]
            name, equals, value = word.partition("=")
            index += 1
            if name in self.VALUES:
                if not equals:
                    if index >= len(argv):
                        raise SystemExit(f"ai-session-server: {name} needs a value")
                    value = argv[index]
                    index += 1
                values[name].append(value)
            elif word in self.FLAGS:
                flags.add(word)
            else:
                raise SystemExit(f"ai-session-server: unknown argument {word!r}")
        if not values["--socket"]:
            raise SystemExit("ai-session-server: --socket PATH is required")
        self.socket = values["--socket"][-1]
        ready = values["--ready-fd"][-1] if values["--ready-fd"] else None
        if ready is not None and not ready.isdigit():
            raise SystemExit(f"ai-session-server: --ready-fd needs a number, not {ready!r}")
        self.ready_fd = int(ready) if ready is not None else None
        self.config = values["--config"]
        self.explicit_config = "--explicit-config" in flags
        self.renderer = "--renderer" in flags
        self.daemonize = "--daemonize" in flags


def main(argv: list[str] | None = None) -> None:
    """Entry point of the daemon process."""
    options = ServerOptions(sys.argv[1:] if argv is None else argv)
    if options.daemonize and os.fork() != 0:
        os._exit(0)
    socket_path = Path(options.socket)
    from .boot import allow_ssl, secured_home
    from .server_log import configure

    allow_ssl()  # asyncio is imported, without ssl (boot.early_start)
    tightened = secured_home()
    configure(log_path(socket_path))
    for notice in tightened:
        log.warning("%s", notice)
    # The emulator makes many short-lived tuples; default GC thresholds turn that into
    # frequent collections and 40-100 ms pauses under a flood (measured), which would stall
    # every other client. Freeze what start-up allocated and collect less often.
    # (boot.early_start turned the collector off for the imports: they make no garbage
    # worth a collection, and the passes were ~5% of their time.)
    gc.freeze()
    gc.set_threshold(50_000, 20, 100)
    gc.enable()
    from .boot import started

    renderers = started if started is not None else RendererHost(socket_path)
    if options.renderer:  # its Textual import overlaps the server's own start
        try:
            ensure_socket_dir(socket_path)
            renderers.ensure()
        except OSError:
            log.exception("the renderer zygote did not start")
    try:
        server = Server(socket_path, renderers=renderers)
        server.services.config_files = options.config if options.explicit_config else None
        asyncio.run(server.run(options.ready_fd))
    except SystemExit as exc:
        log.error("%s", exc)
        print(exc, file=sys.stderr)
        raise
    except Exception:
        log.exception("server crashed")
        raise


if __name__ == "__main__":
    main()
