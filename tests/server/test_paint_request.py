"""The ``paint`` request (server/paint.py): a session's frames for a terminal of a given
size, drawn by the server while a client's renderer starts.

Each test speaks the protocol itself on a real server: the frames are fed to the
project's emulator at the terminal's size and read back as text.
"""

from __future__ import annotations

import base64
import socket
import time
from typing import Any

import pytest
from conftest import DEADLINE, IsolatedServer, wait_until

from aisession_tui import protocol
from aisession_tui.protocol import messages
from aisession_tui.terminal.emulator import Emulator

ENV = {"TERM": "xterm-256color"}


class PaintClient:
    """A connection that asked the server to paint."""

    def __init__(self, server: IsolatedServer, **params: Any) -> None:
        self.sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        self.sock.connect(str(server.socket))
        self.decoder = protocol.FrameDecoder()
        self.messages: list[dict[str, Any]] = []
        self.sock.sendall(protocol.encode(protocol.request(1, "hello", {
            "version": protocol.PROTOCOL_VERSION})))
        self.sock.sendall(protocol.encode(protocol.request(2, messages.PAINT, params)))

    def next(self) -> dict[str, Any]:
        deadline = time.monotonic() + DEADLINE
        while not self.messages:
            self.sock.settimeout(max(0.1, deadline - time.monotonic()))
            data = self.sock.recv(1 << 16)
            assert data, "the server closed the connection"
            for item in self.decoder.feed(data):
                assert isinstance(item, dict), item
                if item.get("id") != 1:
                    self.messages.append(item)
        return self.messages.pop(0)

    def frame(self) -> bytes | None:
        """The next frame's bytes (None: the server cannot paint)."""
        message = self.next()
        assert message.get("method") == messages.PAINT_FRAME, message
        frame = message["params"]["frame"]
        return None if frame is None else base64.b64decode(frame)

    def close(self) -> None:
        self.sock.close()


def shown(frame: bytes, columns: int, lines: int) -> list[str]:
    emulator = Emulator(columns, lines, history_limit=0)
    emulator.feed(frame)
    return emulator.display()


def _size(server: IsolatedServer, target: str) -> str:
    return server.ok("display-message", "-p", "-t", target,
                     "#{window_width}x#{window_height}").strip()


def test_the_first_frame_comes_at_the_terminals_size_and_follows_the_pane(
        server: IsolatedServer) -> None:
    """The session's window takes the size the renderer's attach will give it (the
    terminal less its status line) before the first frame; a change of the pane sends a
    new frame; the request is no client; it ends when the session does."""
    server.ok("new-session", "-d", "-s", "p", "printf 'paint-%s\\n' marker; exec cat")
    server.wait_for_text("p", "paint-marker")
    client = PaintClient(server, target="p", columns=100, lines=30, env=ENV)
    try:
        frame = client.frame()
        assert frame is not None and frame.startswith(b"\x1b[?1049h")
        screen = shown(frame, 100, 30)
        assert screen[0].startswith("paint-marker")
        assert screen[-1].startswith("[p] 0:")
        assert _size(server, "p") == "100x29"
        assert server.ok("list-clients").strip() == ""
        server.ok("send-keys", "-t", "p", "typed-later", "Enter")  # cat echoes it
        later = wait_until(lambda: (lambda lines: lines if any(
            "typed-later" in line for line in lines) else None)(
                shown(client.frame() or b"", 100, 30)), DEADLINE,
            message="a frame with the pane's new line")
        assert later[-1].startswith("[p] 0:")
        server.ok("kill-session", "-t", "p")
        assert client.next() == {"jsonrpc": "2.0", "id": 2,
                                 "result": {"ended": "session closed"}}
    finally:
        client.close()


def test_only_the_first_frame_switches_to_the_alternate_screen(
        server: IsolatedServer) -> None:
    """A frame drawn over an earlier one does not switch screens again (a terminal may
    clear on each switch); a request whose client painted before (a repaint at a new
    size: ``alternate`` false) never does."""
    server.ok("new-session", "-d", "-s", "alt", "printf 'one\n'; exec cat")
    server.wait_for_text("alt", "one")
    client = PaintClient(server, target="alt", columns=80, lines=24, env=ENV)
    again = PaintClient(server, target="alt", columns=80, lines=24, env=ENV,
                        alternate=False)
    try:
        first = client.frame()
        assert first is not None and first.startswith(b"\x1b[?1049h")
        repaint = again.frame()
        assert repaint is not None and b"\x1b[?1049h" not in repaint
        assert first == b"\x1b[?1049h" + repaint
        server.ok("send-keys", "-t", "alt", "two", "Enter")
        later = client.frame()
        assert later is not None and b"\x1b[?1049h" not in later
    finally:
        client.close()
        again.close()


def test_a_session_it_cannot_draw_exactly_gets_no_frame(server: IsolatedServer) -> None:
    """A pane in a mode (clock-mode: not drawn by the painter): ``frame`` None with the
    painter's reason, then the request ends."""
    server.ok("new-session", "-d", "-s", "two", "exec cat")
    server.ok("clock-mode", "-t", "two")
    client = PaintClient(server, target="two", columns=90, lines=25, env=ENV)
    try:
        assert client.next()["params"] == {"frame": None, "reason": "a pane in clock-mode"}
        assert client.next()["result"] == {"ended": "cannot paint"}
    finally:
        client.close()
    server.ok("has-session", "-t", "two")


def test_a_colour_system_the_painter_cannot_match_gets_no_frame(
        server: IsolatedServer) -> None:
    server.ok("new-session", "-d", "-s", "mono", "exec cat")
    client = PaintClient(server, target="mono", columns=90, lines=25,
                         env={"TERM": "xterm-256color", "NO_COLOR": "1"})
    try:
        assert client.frame() is None
    finally:
        client.close()


@pytest.mark.parametrize(("params", "error"), [
    ({"target": "nosuch", "columns": 80, "lines": 24}, "can't find session: nosuch"),
    ({"target": "here", "columns": 0, "lines": 24}, "columns and lines"),
    ({"target": "here", "columns": "wide", "lines": 24}, "columns and lines"),
])
def test_bad_requests_get_an_error_and_the_server_goes_on(
        server: IsolatedServer, params: dict[str, Any], error: str) -> None:
    server.ok("new-session", "-d", "-s", "here", "exec cat")
    client = PaintClient(server, **params)
    try:
        answer = client.next()
        assert error in answer["error"]["message"]
    finally:
        client.close()
    server.ok("has-session", "-t", "here")


def test_a_paint_connection_that_goes_away_ends_its_request(
        server: IsolatedServer) -> None:
    """The client closes the connection (its renderer took over): the request ends and
    the server, with its session, goes on; the session still ends the server when
    killed (no request left running)."""
    server.ok("new-session", "-d", "-s", "gone", "exec cat")
    client = PaintClient(server, target="gone", columns=80, lines=24, env=ENV)
    assert client.frame() is not None
    client.close()
    server.ok("has-session", "-t", "gone")
    server.ok("kill-session", "-t", "gone")
    wait_until(lambda: server.run("has-session").code != 0, DEADLINE,
               message="the server exits with its last session")


class AttachingRenderer:
    """A connection that attaches as a renderer does, with a thin client's ticket."""

    def __init__(self, server: IsolatedServer, target: str, ticket: str) -> None:
        self.sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        self.sock.connect(str(server.socket))
        self.decoder = protocol.FrameDecoder()
        self.sock.sendall(protocol.encode(protocol.request(1, "hello", {
            "version": protocol.PROTOCOL_VERSION})))
        self.sock.sendall(protocol.encode(protocol.request(2, messages.ATTACH, {
            "target": target, "columns": 80, "lines": 23, "ticket": ticket})))
        self.seen: list[dict[str, Any]] = []

    def until(self, wanted: Any) -> dict[str, Any]:
        """Read until a message ``wanted`` accepts; that message."""
        deadline = time.monotonic() + DEADLINE
        while True:
            for item in self.seen:
                if wanted(item):
                    return item
            self.sock.settimeout(max(0.1, deadline - time.monotonic()))
            data = self.sock.recv(1 << 16)
            assert data, "the server closed the connection"
            self.seen.extend(item for item in self.decoder.feed(data) if isinstance(item, dict))

    def result(self) -> dict[str, Any]:
        return self.until(lambda item: item.get("id") == 2)["result"]

    def close(self) -> None:
        self.sock.close()


def _painting(server: IsolatedServer, session: str, ticket: str) -> PaintClient:
    client = PaintClient(server, target=session, columns=80, lines=24, env=ENV, ticket=ticket)
    assert client.frame() is not None
    return client


@pytest.mark.parametrize("detach", [("detach-client", "-s", "on-way"), ("detach-client", "-a")])
def test_an_attach_on_its_way_is_detached_with_its_session(
        server: IsolatedServer, detach: tuple[str, ...]) -> None:
    """``detach-client -s``/``-a`` (what ``attach -d`` runs) while the server paints for a
    thin client whose renderer has not attached yet: the paint ends ``detached`` with the
    session's name, and the renderer's attach that comes with that ticket is refused as
    detached - never a client, no ``client-attached`` hook. A paint for another session is
    left alone by ``-s``."""
    server.ok("new-session", "-d", "-s", "on-way", "printf 'way\\n'; exec cat")
    server.ok("new-session", "-d", "-s", "other", "printf 'other\\n'; exec cat")
    server.wait_for_text("on-way", "way")
    server.wait_for_text("other", "other")
    server.ok("set-hook", "-g", "client-attached", "set -g @hooked yes")
    painted = _painting(server, "on-way", "ticket-one")
    elsewhere = _painting(server, "other", "ticket-two")
    try:
        server.ok(*detach)
        assert painted.next() == {"jsonrpc": "2.0", "id": 2, "result": {
            "ended": "detached", "session": "on-way"}}
        if detach[1] == "-s":
            server.ok("send-keys", "-t", "other", "still-painted", "Enter")
            assert any("still-painted" in line for line in wait_until(
                lambda: (lambda lines: lines if any("still-painted" in line for line in lines)
                         else None)(shown(elsewhere.frame() or b"", 80, 24)), DEADLINE,
                message="the other session still painted"))
        renderer = AttachingRenderer(server, "on-way", "ticket-one")
        try:
            assert renderer.result() == {"client": 0, "session": "on-way", "detached": True}
        finally:
            renderer.close()
        assert server.ok("list-clients").strip() == ""
        assert server.ok("show-options", "-gqv", "@hooked").strip() == ""
    finally:
        painted.close()
        elsewhere.close()


def test_a_detached_ticket_stays_detached_and_an_arrived_one_is_a_client(
        server: IsolatedServer) -> None:
    """A ticket detached after its paint ended (the painter declined, the terminal was
    resized) is still refused, and a new paint for it ends at once; a renderer that
    attached before the detach is an ordinary client, detached as one (``detached``
    notification, ``client-attached`` ran)."""
    server.ok("new-session", "-d", "-s", "keep", "printf 'keep\\n'; exec cat")
    server.wait_for_text("keep", "keep")
    server.ok("set-hook", "-g", "client-attached", "set -g @hooked yes")
    first = _painting(server, "keep", "ticket-ended")
    first.close()  # the paint ends before the detach
    arrived = _painting(server, "keep", "ticket-arrived")
    attached = AttachingRenderer(server, "keep", "ticket-arrived")
    try:
        result = attached.result()
        assert result["client"] > 0 and "detached" not in result
        wait_until(lambda: server.ok("show-options", "-gqv", "@hooked").strip() == "yes",
                   DEADLINE, message="client-attached ran")
        server.ok("detach-client", "-s", "keep")
        assert attached.until(lambda item: item.get("method") == messages.DETACHED)[
            "params"] == {"session": "keep"}
        again = PaintClient(server, target="keep", columns=80, lines=24, env=ENV,
                            ticket="ticket-ended")
        try:
            assert again.next()["result"] == {"ended": "detached", "session": "keep"}
        finally:
            again.close()
        late = AttachingRenderer(server, "keep", "ticket-ended")
        try:
            assert late.result()["detached"] is True
        finally:
            late.close()
    finally:
        arrived.close()
        attached.close()


@pytest.mark.fake_pty
def test_the_warm_up_for_an_attach_waits_for_the_first_painted_frame(
        server: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    """On a cold start whose client will attach, the key tables' defaults (what the
    attach needs and a session does not) are loaded after the first command that made a
    session was answered and after the paint request that follows sent its first frame -
    not in between, where the paint request would wait for them."""
    from aisession_tui.server import daemon

    monkeypatch.setattr(daemon, "WARM_AFTER", 3600.0)  # only the first frame starts it
    server.ok("start-server")
    running = server.servers[-1].server
    running._warm_for_attach = True  # as when its renderer's zygote started with it
    tables = running.services.key_tables
    server.ok("new-session", "-d", "-s", "warm")
    assert tables._defaults is not None, "loaded before the first frame"
    client = PaintClient(server, target="warm", columns=80, lines=24, env=ENV)
    try:
        assert client.frame() is not None
        wait_until(lambda: tables._defaults is None, message="defaults loaded")
    finally:
        client.close()
