"""A renderer: the attached client's app, drawing on a terminal another process passed.

Forked by the zygote (:mod:`aisession_tui.client.zygote`) with Textual already imported,
one per thin client (:mod:`aisession_tui.cli.thin_attach`). :func:`serve` reads the
client's request - one JSON line carrying the socket, target, environment and cwd, with
the terminal's stdin/stdout/stderr descriptors attached (``SCM_RIGHTS``) - makes those
descriptors its own 0, 1 and 2, takes the client's environment and directory (``DISPLAY``,
``WAYLAND_DISPLAY`` and cwd for copy-pipe; ``TERM`` and ``COLORTERM`` for the colours),
and runs :class:`ThinClientApp` against them, talking to the server as ``attach`` always
did. The connection stays open as a control channel: the client sends ``winch``, ``tstp``
and ``cont`` lines (its signals; the renderer has no controlling terminal, so none reach
it), the renderer sends ``suspend`` (the terminal is released: stop yourself) and, last,
``exit`` with the code and the text to print (``[detached (from session s)]``).

Draw once: :class:`ThinClientApp` holds every byte for the terminal (the alternate screen
switch included) and every frame until the session's structure and a screen for each of
its visible panes have arrived, then writes the setup and one complete frame in a single
write. The previous screen stays until the real one replaces it: no blank frame, no
status line with an empty session name.

A spare renderer (:mod:`aisession_tui.client.spare`) runs the same app, built before its
client comes on a dormant :class:`HeldDriver` that wakes on the client's terminal; a
renderer forked for its client starts dormant too (at the terminal's size): neither
touches the terminal - modes, key thread, bytes - before its first frame.

Painted start: a client whose request says ``paint`` may have the server paint its
terminal while this renderer starts. The renderer answers ``accepted`` as soon as it has
the terminal, and before its first write learns whether the client paints (its
``painting`` line); if it does, says ``takeover`` and waits for ``released``
(:meth:`ThinClientApp.claim_terminal`). A painted terminal is not switched to the
alternate screen again (it is there; not every terminal ignores the switch) and the first
frame rewrites the same cells; the modes restored at the end are the client's from before
it made the terminal raw (``modes`` in the request).

Invariants: a renderer never touches another client or the server beyond its own
connection; a client that sends no terminal within :data:`TERMINAL_TIMEOUT` gets an
``exit`` line saying so; descriptors that are not a terminal are refused.
"""

from __future__ import annotations

import asyncio
import io
import json
import os
import re
import signal
import socket
import sys
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any, ClassVar, NoReturn, Protocol

from rich.cells import cell_len
from textual import events, on
from textual.drivers import linux_driver
from textual.drivers._writer_thread import WriterThread
from textual.geometry import Size
from textual.screen import Screen

from aisession_tui.client.actions import HANDLERS, ClientActions, Handler
from aisession_tui.client.app import (
    AppOptions,
    MultiplexerApp,
    MultiplexerScreen,
    load_options,
    prepare_terminal_process,
)
from aisession_tui.client.terminal_driver import TerminalDriver, terminal_size
from aisession_tui.protocol import messages

TERMINAL_TIMEOUT = 5.0
"""Seconds a client has, once connected, to send its request and terminal."""
FIRST_FRAME_DEADLINE = 3.0
"""Seconds the first frame waits for the session's screens before it is drawn anyway."""
REQUEST_LIMIT = 1 << 20
"""Largest request line accepted (the environment travels in it)."""
HANDOVER_TIMEOUT = 10.0
"""Seconds the renderer waits for its thin client's answers before its first write
(``painting``, ``released``); a client silent that long is taken as gone."""
CLIENT_GONE_GRACE = 5.0
"""Seconds a renderer whose thin client is gone has to end its app; then it exits anyway
(an app that no longer answers would otherwise run on with nobody to draw for)."""


class AttachRefused(Exception):
    """The client's request cannot be served; the text is for the user."""


def warm(socket_path: Path | None = None) -> None:
    """What the zygote does once so a renderer starts at full speed: the Alt-key parser,
    and one headless run of the app (against a socket where no server answers, so it
    stops at once) that imports what Textual imports lazily and fills its module-level
    caches (selectors, styles, handler signatures) before any renderer is forked."""
    prepare_terminal_process()  # COLUMNS/LINES go again per client
    options = AppOptions(socket_path or Path("/nonexistent/ai-session-warm-up"))
    app = MultiplexerApp(options)
    try:
        asyncio.run(app.run_async(headless=True, size=(200, 50)))
    except Exception:  # noqa: BLE001 - a warm-up that fails only costs speed
        return
    WARM_RULES.remember(app.stylesheet)


class ParsedRules:
    """The CSS rules the warm-up parsed, for renderers whose CSS variables are the same.

    Textual parses every widget's ``DEFAULT_CSS`` again for each app (its parse cache
    belongs to the app's stylesheet and is cleared whenever the variables are set). A
    renderer with the warm-up's variables (the same theme) starts from the warm-up's
    parsed rules instead; any other theme parses as before. Only Textual's private
    stylesheet attributes are involved: if they change, renderers just parse again.
    """

    def __init__(self) -> None:
        self.variables: dict[str, str] | None = None
        self.rules: dict[Any, Any] = {}

    def remember(self, stylesheet: Any) -> None:
        try:
            cache = stylesheet._parse_cache
            keys = cache.keys()
            self.rules = {key: cache.get(key) for key in keys}
            self.variables = dict(stylesheet._variables)
        except AttributeError:
            self.variables = None

    def offer(self, stylesheet: Any) -> None:
        """Have ``stylesheet`` use the remembered rules whenever its variables match."""
        if self.variables is None or not hasattr(stylesheet, "_parse_cache"):
            return
        set_variables = stylesheet.set_variables

        def set_and_reuse(variables: dict[str, str]) -> None:
            set_variables(variables)
            if variables == self.variables:
                cache = stylesheet._parse_cache
                cache.grow(max(cache.maxsize, len(self.rules) + 64))
                for key, rules in self.rules.items():
                    cache.set(key, rules)

        stylesheet.set_variables = set_and_reuse


WARM_RULES = ParsedRules()


class Channel:
    """The control connection to the thin client: JSON lines both ways."""

    def __init__(self, connection: socket.socket) -> None:
        self.connection = connection
        self.lock = threading.Lock()
        self.buffer = b""
        self.paint = False
        """The client may paint the terminal while this renderer starts (its request said
        so): the first write waits for the hand-over (:meth:`ThinClientApp.claim_terminal`)."""
        self.modes: list[Any] | None = None
        """The terminal's modes before the client touched them (``tcgetattr``'s list)."""
        self.pending: list[dict[str, Any]] = []
        """Lines read during the hand-over that the control loop has still to apply."""

    def send(self, message: dict[str, Any]) -> None:
        data = (json.dumps(message) + "\n").encode()
        with self.lock:
            try:
                self.connection.sendall(data)
            except OSError:
                pass

    def read_line(self) -> dict[str, Any] | None:
        """The next message, None at end of file."""
        while b"\n" not in self.buffer:
            try:
                data = self.connection.recv(65536)
            except OSError:
                return None
            if not data:
                return None
            self.buffer += data
            if len(self.buffer) > REQUEST_LIMIT:
                raise AttachRefused("request too large")
        line, self.buffer = self.buffer.split(b"\n", 1)
        try:
            message = json.loads(line)
        except ValueError:
            raise AttachRefused("malformed request") from None
        if not isinstance(message, dict):
            raise AttachRefused("malformed request")
        return message

    def wait_for(self, key: str) -> dict[str, Any] | None:
        """The next line carrying ``key`` (other lines are kept for the control loop);
        None when the client is gone or silent for :data:`HANDOVER_TIMEOUT`."""
        self.connection.settimeout(HANDOVER_TIMEOUT)
        try:
            while True:
                try:
                    message = self.read_line()
                except AttachRefused:
                    continue
                if message is None or key in message:
                    return message
                self.pending.append(message)
        finally:
            self.connection.settimeout(None)


def receive_request(channel: Channel) -> tuple[dict[str, Any], list[int]]:
    """The client's request and terminal descriptors (stdin, stdout, stderr)."""
    connection = channel.connection
    connection.settimeout(TERMINAL_TIMEOUT)
    try:
        data, fds, _, _ = socket.recv_fds(connection, 65536, 3)
    except TimeoutError:
        raise AttachRefused(f"no terminal received within {TERMINAL_TIMEOUT:g}s") from None
    except OSError as exc:
        raise AttachRefused(f"could not receive the terminal: {exc}") from None
    try:
        if len(fds) != 3:
            raise AttachRefused("the request carried no terminal")
        channel.buffer = data
        if not data:
            raise AttachRefused("the client went away")
        try:
            request = channel.read_line()
        except TimeoutError:
            raise AttachRefused("the request was never finished") from None
        if request is None:
            raise AttachRefused("the client went away")
        if not all(os.isatty(fd) for fd in fds[:2]):
            raise AttachRefused("open terminal failed: not a terminal")
        if request.get("paint"):  # the client paints until told to stop: say we are here
            channel.paint = True
            modes = request.get("modes")
            channel.modes = modes if valid_modes(modes) else None
            channel.send({"accepted": True})
    except BaseException:
        for fd in fds:
            os.close(fd)
        raise
    connection.settimeout(None)
    return request, fds


def valid_modes(modes: Any) -> bool:
    """Whether ``modes`` is ``tcgetattr``'s list as the client sends it (numbers, the
    control characters as numbers)."""
    return (isinstance(modes, list) and len(modes) == 7
            and all(type(value) is int for value in modes[:6])
            and isinstance(modes[6], list)
            and all(type(value) is int and 0 <= value < 256 for value in modes[6]))


def take_terminal(fds: list[int], request: dict[str, Any]) -> None:
    """Make the client's terminal this process's 0/1/2 and take its environment."""
    for target, fd in enumerate(fds):
        os.dup2(fd, target)
        if fd > 2:
            os.close(fd)
    streams = {
        "stdin": io.TextIOWrapper(io.FileIO(0, "r", closefd=False), encoding="utf-8",
                                  errors="surrogateescape"),
        "stdout": io.TextIOWrapper(io.FileIO(1, "w", closefd=False), encoding="utf-8",
                                   errors="surrogateescape", line_buffering=True),
        "stderr": io.TextIOWrapper(io.FileIO(2, "w", closefd=False), encoding="utf-8",
                                   errors="backslashreplace", line_buffering=True)}
    for name, stream in streams.items():  # Textual reads sys.__stdin__ and writes __stderr__
        setattr(sys, name, stream)
        setattr(sys, f"__{name}__", stream)
    env = request.get("env")
    if isinstance(env, dict):
        os.environ.clear()
        os.environ.update({str(k): str(v) for k, v in env.items()})
    for name in ("COLUMNS", "LINES"):
        os.environ.pop(name, None)
    try:
        os.chdir(str(request.get("cwd") or "/"))
    except OSError:
        os.chdir(os.environ.get("HOME") or "/")


ENTER_ALTERNATE = "\x1b[?1049h"
"""What Textual's driver writes to switch to the alternate screen."""


ROW_START = re.compile(r"\x1b\[\d+;1H")
"""A cursor move to the first column of a row: where each row of a full update starts."""
SGR = re.compile(r"\x1b\[[0-9;:]*m")
ERASE_AFTER = 4
"""Blanks at a row's end worth replacing by one erase-to-end-of-line (``ESC[K``: 3 bytes)."""


def erase_blank_ends(data: str, width: int) -> str:
    """``data`` with each full-width row's trailing blanks of the default style replaced
    by ``ESC[K`` (erase to the end of the line), as tmux draws: the same screen in a
    tenth of the bytes for a terminal to read.

    A row is taken as Textual's full update writes it - a move to its first column, the
    text with SGR codes only, a newline - and only when its text is exactly ``width``
    cells wide (so the blanks reach the terminal's edge) and the style before the blanks
    is the reset one (Rich closes each styled run with ``ESC[0m``): the erased cells then
    look the same as the blanks (the default background). Any other row is left as is."""
    pieces = data.split("\n")
    for index in range(len(pieces) - 1):  # each piece here is followed by a newline
        piece = pieces[index]
        stripped = piece.rstrip(" ")
        blanks = len(piece) - len(stripped)
        if blanks < ERASE_AFTER:
            continue
        starts = list(ROW_START.finditer(stripped))
        if not starts:
            continue
        row = stripped[starts[-1].end():]
        plain = SGR.sub("", row)
        if "\x1b" in plain or cell_len(plain) + blanks != width:
            continue
        styles = SGR.findall(row)
        if styles and styles[-1] not in ("\x1b[0m", "\x1b[m"):
            continue
        pieces[index] = stripped + "\x1b[K"
    return "\n".join(pieces)


@contextmanager
def threads_started_later(started: list[threading.Thread]) -> Iterator[None]:
    """Within: the threads Textual's Linux driver makes (its writer and key reader) are
    collected in ``started`` instead of started. Starting a thread waits until the
    system schedules it - milliseconds each on a busy machine - so a spare starts them
    once the first frame is out (:meth:`HeldDriver.awaken`)."""

    class Later(threading.Thread):
        def start(self) -> None:
            started.append(self)

    class LaterWriter(WriterThread):
        def start(self) -> None:
            started.append(self)

    made = {"Thread": Later, "WriterThread": LaterWriter}
    kept = {name: getattr(linux_driver, name) for name in made}
    for name, value in made.items():
        setattr(linux_driver, name, value)
    try:
        yield
    finally:
        for name, value in kept.items():
            setattr(linux_driver, name, value)


class HeldDriver(TerminalDriver):
    """The client's terminal driver (:mod:`aisession_tui.client.terminal_driver`: sized
    as tmux sizes a client), holding its output until the first complete frame.

    A spare's driver starts *dormant* (:attr:`dormant`): no terminal, no threads, nothing
    written, a fixed size, like Textual's headless driver. Once the client is here
    (:meth:`take_terminal`) the app lays itself out at the terminal's size while still
    dormant; :meth:`awaken`, called when the first frame is ready, writes the terminal's
    set-up and that frame in one write, then starts the driver's threads.

    The first frame's rows end in ``ESC[K`` instead of blanks (:func:`erase_blank_ends`)."""

    holding = True
    held: list[str]
    dormant = False
    release_when_awake = False
    DORMANT_SIZE = (80, 24)
    """The size a dormant driver reports when its spare knows no better (the client's
    terminal replaces it): a spare lays out at its :attr:`SpareLink.dormant_size`."""

    def __init__(self, app: Any, **kwargs: Any) -> None:
        if isinstance(app, ThinClientApp) and app.spare is not None:
            self.dormant = True
            kwargs["size"] = app.spare.dormant_size
        elif isinstance(app, ThinClientApp) and app.channel is not None:
            # a renderer forked for its client: the terminal is here, but nothing touches
            # it (modes, threads, bytes) until the first frame, as for a spare
            self.dormant = True
            kwargs["size"] = terminal_size()
        super().__init__(app, **kwargs)

    def write(self, data: str) -> None:
        if self.holding:
            if not hasattr(self, "held"):
                self.held = []
            self.held.append(data)
            return
        super().write(data)

    def release(self) -> None:
        """Write what was held, in one piece, and stop holding (a dormant driver does
        once it is awake)."""
        if not self.holding:
            return
        if self.dormant:
            self.release_when_awake = True
            return
        self.holding = False
        held = self.take_held()
        if held:
            super().write(held)

    def take_held(self) -> str:
        """What was held, in one piece (the first frame's blank row ends erased)."""
        held = "".join(getattr(self, "held", ()))
        self.held = []
        return erase_blank_ends(held, self._app.size.width) if held else held

    def start_application_mode(self) -> None:
        if not self.dormant:  # (dormant: the app sizes itself from DORMANT_SIZE)
            super().start_application_mode()  # type: ignore[no-untyped-call]

    def take_terminal(self) -> Size:
        """The client is here (its terminal is this process's 0/1/2): the size is the
        terminal's from now on (returned), and nothing the app wrote while dormant goes
        out."""
        self._size = self._get_terminal_size()
        self.held = []
        return Size(*self._size)

    def awaken(self) -> None:
        """Start on the terminal taken (:meth:`take_terminal`): the terminal set-up goes
        before what the app wrote since; a frame released meanwhile goes out with it, in
        one write from this thread, before the driver's threads are started (each start
        waits for the system to schedule the thread).

        First the thin client hands the terminal over (:meth:`ThinClientApp.
        claim_terminal`). When it painted the session meanwhile, the switch to the
        alternate screen is left out (the terminal is there; some terminals would clear
        it) and the frame rewrites the same cells; the modes restored at the end are the
        ones the client had before it made the terminal raw."""
        stdin = sys.__stdin__
        assert stdin is not None, "take_terminal() first"
        app = self._app
        painted = app.claim_terminal() if isinstance(app, ThinClientApp) else False
        if painted is None:  # the client is gone: not a byte for its terminal
            app.exit(None, 1, "[client gone]")
            return
        self.dormant = False
        self._file = sys.__stderr__
        self.fileno = stdin.fileno()
        self.input_tty = stdin.isatty()
        written, self.held = getattr(self, "held", []), []
        threads: list[threading.Thread] = []
        with threads_started_later(threads):
            super().start_application_mode()  # type: ignore[no-untyped-call]
        if painted:
            self.held = [piece for piece in self.held if piece != ENTER_ALTERNATE]
        channel = app.channel if isinstance(app, ThinClientApp) else None
        if channel is not None and channel.modes is not None:
            self.attrs_before = list(channel.modes)
        self.held.extend(written)
        if self.release_when_awake:
            self.holding = False
            held = self.take_held()
            try:
                assert self._file is not None
                self._file.write(held)
                self._file.flush()
            except OSError:
                pass  # the terminal is gone: the control channel ends this renderer
        for thread in threads:
            threading.Thread.start(thread)

    def disable_input(self) -> None:
        if not self.dormant:
            super().disable_input()

    def stop_application_mode(self) -> None:
        if self.dormant:  # never started: nothing to restore
            return
        if self.holding:  # nothing was shown: leave the terminal as it was
            self.holding = False
            self.held = []
        super().stop_application_mode()


async def _suspend_client(actions: ClientActions, args: list[str]) -> None:
    app = actions.app
    if isinstance(app, ThinClientApp):
        app.suspend_terminal()


class ThinClientActions(ClientActions):
    """suspend-client is this client's: the attaching process stops itself."""

    handlers: ClassVar[dict[str, Handler]] = {**HANDLERS, "suspend-client": _suspend_client}


class HeldScreen(MultiplexerScreen):
    """The screen of :class:`ThinClientApp`: renders nothing before the first frame is due
    (Textual lays the screen out on mount and would render a frame only to drop it)."""

    def _compositor_refresh(self) -> None:
        app = self.app
        if isinstance(app, ThinClientApp) and not app.first_frame_ready:
            return
        super()._compositor_refresh()


SETTLE_STEP = 0.02
"""Seconds between two looks at a spare's message queues while its build settles."""
SETTLE_LIMIT = 2.0
"""Longest a spare waits for its build to settle before it waits for a client anyway."""


async def settle(app: MultiplexerApp) -> None:
    """Return once no message pump of ``app`` (the app, its screens, every widget) has a
    message waiting, or after :data:`SETTLE_LIMIT`."""
    deadline = asyncio.get_running_loop().time() + SETTLE_LIMIT
    while asyncio.get_running_loop().time() < deadline:
        await asyncio.sleep(SETTLE_STEP)
        pumps = [app, *app.screen_stack]
        pumps.extend(app.screen.walk_children(with_self=False))
        if all(pump._message_queue.empty() for pump in pumps):
            return


class SpareLink(Protocol):
    """How a spare's app gets its client (:mod:`aisession_tui.client.spare`)."""

    dormant_size: tuple[int, int]
    """The terminal size the app is laid out at before its client comes."""

    async def connect_early(self, app: ThinClientApp) -> None:
        """Connect ``app`` to its server before the client comes, when it can."""
        ...

    def take_client(self, app: ThinClientApp) -> bool:
        """Block until a client comes, then make this process its renderer; False when
        the prepared app cannot serve it (the app exits, a fresh one serves it)."""
        ...

    def wake(self, app: ThinClientApp) -> None:
        """Once the first frame is ready: start the driver on the client's terminal (the
        set-up and that frame written at once), and its control channel."""
        ...


class ThinClientApp(MultiplexerApp):
    """The attached client, drawn once, suspended at the thin client's word.

    With ``spare``, the app is built (composed, mounted, styled) before its client
    exists: once the build has settled, a worker blocks in ``spare.take_client`` - the
    whole event loop waits in one system call, at no CPU - until the zygote hands it a
    client; only then does the app connect (:meth:`serve_spare`)."""

    actions_class = ThinClientActions

    def __init__(self, options: Any, channel: Channel | None,
                 spare: SpareLink | None = None) -> None:
        self.spare = spare
        super().__init__(options)
        self.channel = channel
        self.driver_class = HeldDriver
        WARM_RULES.offer(self.stylesheet)
        self.first_frame_ready = False
        self._screens_seen: set[int] = set()
        self._session_seen = False
        self._keys_later: dict[str, Any] | None = None
        """A spare's key tables from the server, applied once the first frame is out (no
        key is read before: the driver's key thread starts with that frame)."""
        self.suspended = False
        self._begin_batch()  # no frame at all until the session is here

    def get_default_screen(self) -> Screen[None]:
        return HeldScreen()

    @on(events.Mount)
    def mount_for_client(self, event: events.Mount) -> None:
        """Runs before MultiplexerApp.on_mount (the connection), which Textual calls next;
        a spare's app skips it and connects once its client is here (:meth:`serve_spare`)."""
        if self.spare is not None:
            event.prevent_default()
            # a task of its own: the app's message queue is handled while it settles
            self.run_worker(self.serve_spare(), name="spare", exit_on_error=True)
            return
        self.set_timer(FIRST_FRAME_DEADLINE, self.show_first_frame)

    async def serve_spare(self) -> None:
        """Let the build settle (every widget's pending messages handled, so no styling is
        left for the attach), wait for the client (blocking the loop), then connect."""
        assert self.spare is not None
        await settle(self)
        await self.spare.connect_early(self)
        if not self.spare.take_client(self):
            return
        self.set_timer(FIRST_FRAME_DEADLINE, self.show_first_frame)
        await super().on_mount()  # the connection's worker: attach (the driver wakes with
        # the first frame, in _display)

    def on_server_notification(self, method: str, params: dict[str, Any]) -> None:
        if method == messages.KEYS and self.spare is not None and not self.first_frame_ready:
            self._keys_later = params  # the tables cost ~2 ms; the frame does not need them
            return
        super().on_server_notification(method, params)
        if self.first_frame_ready:
            return
        if method == messages.SESSION:
            self._session_seen = True
        elif method == messages.SCREEN and params.get("full"):
            self._screens_seen.add(params.get("pane", -1))
        if self._session_seen and set(self.window_view.panes) <= self._screens_seen:
            self.show_first_frame()

    def claim_terminal(self) -> bool | None:
        """Before the first write to the terminal, when the thin client may paint it
        (:mod:`aisession_tui.cli.thin_attach`): learn whether it does (``painting``) and
        if so have it stop (``takeover``; its ``released`` says whether it wrote a frame).
        Whether the terminal shows a painted frame; None when the client is gone."""
        channel = self.channel
        if channel is None or not channel.paint:
            return False
        answer = channel.wait_for("painting")
        if answer is None:
            return None
        if not answer.get("painting"):
            return False
        channel.send({"takeover": True})
        released = channel.wait_for("released")
        if released is None:
            return None
        return bool(released.get("painted"))

    def show_first_frame(self) -> None:
        """Draw the whole screen from now on (once: later calls do nothing)."""
        if self.first_frame_ready:
            return
        self.first_frame_ready = True
        self._end_batch()
        self.screen.refresh(layout=True)

    def _display(self, screen: Screen[Any], renderable: Any) -> None:
        super()._display(screen, renderable)
        driver = self._driver
        if self.first_frame_ready and isinstance(driver, HeldDriver) and driver.holding \
                and renderable is not None:
            driver.release()
            if driver.dormant and self.channel is not None:
                # set-up and frame written, then the threads start
                if self.spare is not None:
                    self.spare.wake(self)
                else:
                    driver.awaken()
                    start_control(self.channel, self)
            if self._keys_later is not None:  # before any key event is handled
                keys, self._keys_later = self._keys_later, None
                super().on_server_notification(messages.KEYS, keys)

    # ------------------------------------------------------------ suspend
    def suspend_terminal(self) -> None:
        """Give the terminal back and tell the thin client to stop itself."""
        driver = self._driver
        if self.suspended or driver is None:
            return
        self.suspended = True
        driver.suspend_application_mode()
        if self.channel is not None:
            self.channel.send({"suspend": True})

    def resume_terminal(self) -> None:
        """The thin client was continued: take the terminal again and redraw it all."""
        driver = self._driver
        if not self.suspended or driver is None:
            return
        self.suspended = False
        driver.resume_application_mode()
        self.screen.refresh(layout=True)


def control_loop(channel: Channel, app: ThinClientApp) -> None:
    """The thin client's signals, as lines, applied on the app's loop (a thread)."""
    while True:
        try:
            message = channel.pending.pop(0) if channel.pending else channel.read_line()
        except AttachRefused:
            continue
        if message is None:  # the thin client is gone (killed, or its terminal closed)
            watchdog = threading.Timer(CLIENT_GONE_GRACE, exit_process, (1,))
            watchdog.daemon = True
            watchdog.start()
            try:
                app.call_from_thread(app.exit, None, 1, "[client gone]")
            except RuntimeError:
                pass  # the app had already ended
            return
        event = message.get("event")
        try:
            if event == "winch":
                os.kill(os.getpid(), signal.SIGWINCH)
            elif event == "tstp":
                app.call_from_thread(app.suspend_terminal)
            elif event == "cont":
                app.call_from_thread(app.resume_terminal)
        except RuntimeError:
            return  # the app is not running (any more)


def exit_process(code: int) -> None:
    """End this renderer at once (:func:`control_loop`'s last resort)."""
    os._exit(code)


def run_app(channel: Channel, request: dict[str, Any]) -> dict[str, Any]:
    """Run the client on the request's session; the ``exit`` message."""
    socket_path = Path(str(request.get("socket", "")))
    target = request.get("target")
    prepare_terminal_process()  # the Alt-key parser (also before the zygote's warm-up)
    options = load_options(socket_path, str(target) if target else None)
    options.flags = str(request.get("flags") or "")
    options.client_pid = int(request.get("pid") or 0)
    options.start_directory = str(request.get("directory") or "")
    options.ticket = str(request.get("ticket") or "")
    app = ThinClientApp(options, channel)
    asyncio.run(app.run_async())  # (the control thread starts with the first frame)
    return exit_message(app)


def start_control(channel: Channel, app: ThinClientApp) -> None:
    """The thread applying the thin client's signals (:func:`control_loop`)."""
    threading.Thread(target=control_loop, args=(channel, app), daemon=True,
                     name="thin-client-control").start()


def exit_message(app: ThinClientApp) -> dict[str, Any]:
    """The ``exit`` message for the thin client, once ``app`` has ended."""
    message = app.exit_message
    code = app.return_code or 0
    if code:
        return {"exit": code, "stderr": f"{message}\n" if message else ""}
    return {"exit": 0, "stdout": f"{message}\n" if message else ""}


def finish(channel: Channel, result: dict[str, Any], code: int) -> NoReturn:
    """Send the client its ``exit`` message, flush the terminal and end this process."""
    channel.send(result)
    try:
        sys.stdout.flush()
        sys.stderr.flush()
    except (OSError, ValueError):
        pass
    os._exit(code)


def serve(connection: socket.socket) -> NoReturn:
    """Serve one thin client to the end, then exit this process."""
    channel = Channel(connection)
    code = 1
    try:
        request, fds = receive_request(channel)
        take_terminal(fds, request)
        result = run_app(channel, request)
        code = 0
    except AttachRefused as exc:
        result = {"exit": 1, "stderr": f"ai-session: {exc}\n"}
        code = 0  # refused cleanly: the client has its message
    except Exception as exc:  # noqa: BLE001 - the client must hear of any failure
        result = {"exit": 1, "stderr": f"ai-session: the client failed: {exc!r}\n"}
    finish(channel, result, code)
