"""A spare renderer: a client's app built before any client asks for it.

The zygote (:mod:`aisession_tui.client.zygote`) forks a spare while it is idle. The spare
builds a :class:`~aisession_tui.client.renderer.ThinClientApp` - the user's config and
keymap loaded, the app composed, mounted and styled - on a dormant driver (no terminal, no
threads), then blocks: its mount handler calls :meth:`Spare.take_client`, which waits in
one ``recvmsg`` on a socket pair shared with the zygote alone. The whole event loop stops
there, so a waiting spare costs no CPU. When a thin client connects, the zygote passes
that connection down the pair (``SCM_RIGHTS``) instead of forking; the spare reads the
client's request and terminal as a fresh renderer would
(:func:`~aisession_tui.client.renderer.receive_request`), takes them and goes on: lays
itself out at the terminal's size and attaches (on a connection to the server it opened
and greeted while it waited, when the client names that server) with its driver still
dormant; the driver wakes with the first frame, which goes out with the terminal's
set-up in one write before the driver's threads start.

Invariants:
* a spare serves at most one client and never sees another's: the pair carries exactly one
  connection, and a spare is forked from the zygote, never from a renderer that served;
* what the spare built from its own environment is checked against the client's: the
  config directory's files (:func:`config_fingerprint`) and ``NO_COLOR``. When they
  differ the prepared app ends without a byte written and a fresh app serves the client
  in the same process; the Rich console (colour system from ``TERM``/``COLORTERM``) is
  always made anew from the client's environment;
* a spare whose zygote is gone (end of file on the pair) exits;
* a spare is laid out at the size of the terminal the last spare took (the zygote's
  ``size_hint``, inherited at the fork, else the driver's default): once it has its
  client's terminal it reports that size up the pair (one line) and closes its end. The
  hint lives in the zygote's memory only: it ends with the zygote, so with its server,
  and never outlives either as a file.
"""

from __future__ import annotations

import asyncio
import gc
import os
import socket
import sys
from pathlib import Path
from typing import Any, NoReturn

from rich.console import Console
from textual import constants, events

from aisession_tui.cli.async_client import open_client
from aisession_tui.cli.client import ClientError
from aisession_tui.client.app import load_options, prepare_terminal_process
from aisession_tui.client.renderer import (
    AttachRefused,
    Channel,
    HeldDriver,
    ThinClientApp,
    exit_message,
    finish,
    receive_request,
    run_app,
    start_control,
    take_terminal,
)
from aisession_tui.client.zygote import HANDOFF
from aisession_tui.config import config_dir

UNKNOWN_SERVER = Path("/nonexistent/ai-session-spare")
"""The socket a spare's options name until its client's request says which server."""


def config_fingerprint() -> tuple[Any, ...]:
    """The config directory of this process's environment and its files' sizes and times
    (``config.toml``, ``keymap.toml``, ``themes/``): what :func:`load_options` reads."""
    directory = config_dir()
    entries: list[tuple[str, int, int]] = []
    for folder in (directory, directory / "themes"):
        try:
            names = sorted(os.listdir(folder))
        except OSError:
            continue
        for name in names:
            try:
                stat = os.stat(folder / name)
            except OSError:
                continue
            entries.append((f"{folder.name}/{name}", stat.st_mtime_ns, stat.st_size))
    return str(directory), tuple(entries), "NO_COLOR" in os.environ


class Spare:
    """The spare's end of the pair, and how it turns into a client's renderer."""

    def __init__(self, pair: socket.socket, server_socket: str = "",
                 size_hint: tuple[int, int] | None = None) -> None:
        self.pair: socket.socket | None = pair
        """The spare's end of its pair with the zygote (None once closed)."""
        self.server_socket = server_socket
        """The zygote's server, connected to before the client comes ("": not known)."""
        self.fingerprint = config_fingerprint()
        self.dormant_size = size_hint or HeldDriver.DORMANT_SIZE
        """Laid out at the last client's terminal size (the zygote's hint, else the
        driver's default): the next client's is likely the same, and then taking it costs
        no layout."""
        self.handoff: tuple[Channel, dict[str, Any]] | None = None
        """A client the prepared app could not serve (:meth:`take_client` said False)."""

    def wait_for_client(self) -> socket.socket | None:
        """Block until the zygote passes a client's connection; None when it is gone.
        What the build made is collected and frozen first: the attach does not pay for
        a collection that scans it."""
        gc.collect()
        gc.freeze()
        assert self.pair is not None
        self.pair.setblocking(True)
        try:
            data, fds, _, _ = socket.recv_fds(self.pair, 16, 1)
        except OSError:
            data, fds = b"", []
        if data != HANDOFF or len(fds) != 1:
            for fd in fds:
                os.close(fd)
            self.report(None)
            return None
        return socket.socket(fileno=fds[0])

    def report(self, size: tuple[int, int] | None) -> None:
        """Tell the zygote the client's terminal size (None: nothing to tell), for the
        next spare's layout; the pair is closed then (a failure only costs that layout)."""
        pair, self.pair = self.pair, None
        if pair is None:
            return
        try:
            if size is not None:
                pair.sendall(f"{size[0]} {size[1]}\n".encode())
        except OSError:
            pass
        finally:
            pair.close()

    async def connect_early(self, app: ThinClientApp) -> None:
        """Open the app's connection to the zygote's server and say hello now, so the
        attach waits for one round trip to the server less (a failure only costs that)."""
        if not self.server_socket:
            return
        try:
            app.client = await open_client(Path(self.server_socket),
                                           on_notification=app.on_server_notification)
        except (ClientError, OSError):
            app.client = None

    def take_client(self, app: ThinClientApp) -> bool:
        """Wait for the client, take its terminal and environment, wake the driver."""
        connection = self.wait_for_client()
        if connection is None:
            os._exit(0)  # the zygote (so the server) is gone
        channel = Channel(connection)
        try:
            request, fds = receive_request(channel)
            take_terminal(fds, request)
        except AttachRefused as exc:
            finish(channel, {"exit": 1, "stderr": f"ai-session: {exc}\n"}, 0)
        except Exception as exc:  # noqa: BLE001 - the client must hear of any failure
            finish(channel, {"exit": 1, "stderr": f"ai-session: the client failed: {exc!r}\n"},
                   1)
        app.channel = channel
        if config_fingerprint() != self.fingerprint:
            self.report(None)
            self.handoff = (channel, request)  # built for another config: a fresh app
            app.exit()
            return False
        options = app.options
        target = request.get("target")
        options.socket_path = Path(str(request.get("socket", "")))
        if app.client is not None and not same_file(options.socket_path, self.server_socket):
            early, app.client = app.client, None  # the client asked for another server
            asyncio.get_running_loop().create_task(early.close())
        options.target = str(target) if target else None
        options.flags = str(request.get("flags") or "")
        options.client_pid = int(request.get("pid") or 0)
        options.start_directory = str(request.get("directory") or "")
        options.ticket = str(request.get("ticket") or "")
        options.cwd = os.getcwd()
        options.env = dict(os.environ)
        adopt_environment(app)
        driver = app._driver
        app._size = None  # the terminal's size, not the dormant one
        if isinstance(driver, HeldDriver):
            size = driver.take_terminal()
            if tuple(size) != self.dormant_size:
                # laid out at that size while the server answers, the driver still dormant
                app.post_message(events.Resize(size, size))
            self.report((size.width, size.height))
        else:
            self.report(None)
        app.side_panel.styles.width = app.panel_width()
        return True

    def wake(self, app: ThinClientApp) -> None:
        """Once the first frame is ready: the driver starts on the client's terminal
        (modes and that frame written, then its threads), and the thread relaying the
        client's signals."""
        assert app.channel is not None
        driver = app._driver
        if isinstance(driver, HeldDriver):
            driver.awaken()
        start_control(app.channel, app)


def same_file(path: Path, other: str) -> bool:
    try:
        return bool(other) and os.path.samefile(path, other)
    except OSError:
        return False


def adopt_environment(app: ThinClientApp) -> None:
    """Make the app's Rich console anew from the client's environment (its colour
    system comes from ``TERM`` and ``COLORTERM``), as Textual makes it in ``App``."""
    environ = dict(os.environ)
    environ.pop("NO_COLOR", None)
    app.console = Console(
        color_system=constants.COLOR_SYSTEM,  # type: ignore[arg-type]  # as Textual does
        file=app.console.file, markup=True,
        highlight=False, emoji=False, legacy_windows=False, _environ=environ,
        force_terminal=True, safe_box=False, soft_wrap=False)
    app.error_console = Console(markup=False, highlight=False, stderr=True)
    app._original_stdout = sys.__stdout__
    app._original_stderr = sys.__stderr__


def serve_spare(pair: socket.socket, server_socket: str = "",
                size_hint: tuple[int, int] | None = None) -> NoReturn:
    """Build the app, wait for a client, serve it to the end; exit this process."""
    spare = Spare(pair, server_socket, size_hint)
    prepare_terminal_process()
    app = ThinClientApp(load_options(UNKNOWN_SERVER, None), None, spare)
    code = 1
    result: dict[str, Any] = {"exit": 1, "stderr": "ai-session: the client failed\n"}
    try:
        asyncio.run(app.run_async())
        if spare.handoff is not None:
            channel, request = spare.handoff
            result = run_app(channel, request)
        else:
            result = exit_message(app)
        code = 0
    except Exception as exc:  # noqa: BLE001 - the client must hear of any failure
        result = {"exit": 1, "stderr": f"ai-session: the client failed: {exc!r}\n"}
    if app.channel is None:
        os._exit(code)  # no client came
    finish(app.channel, result, code)
