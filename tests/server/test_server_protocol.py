"""The wire protocol against a real server: hello, bad input, attach and screen updates."""

from __future__ import annotations

import asyncio
import socket
import struct

import pytest

from aisession_tui import protocol
from aisession_tui.cli.async_client import open_client
from aisession_tui.cli.client import ClientError


def raw_exchange(path, payloads: list[bytes]) -> list[dict]:
    """Send raw bytes, read back every reply that arrives before the server goes quiet."""
    sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    sock.connect(str(path))
    sock.settimeout(20)
    decoder = protocol.FrameDecoder()
    replies: list = []
    for payload in payloads:
        sock.sendall(payload)
    expected = len(payloads)
    while len(replies) < expected:
        data = sock.recv(65536)
        if not data:
            break
        replies.extend(decoder.feed(data))
    sock.close()
    return replies


def test_bad_requests_get_errors_and_server_keeps_serving(server):
    server.ok("new-session", "-d", "-s", "keep")
    hello = protocol.encode(protocol.request(1, "hello", {"version": protocol.PROTOCOL_VERSION}))
    garbage = struct.pack(">I", 5) + b"{nope"
    not_object = protocol.HEADER.pack(2) + b"[]"
    unknown = protocol.encode(protocol.request(2, "no.such.method"))
    bad_params = protocol.encode(protocol.request(3, "command", {"argv": "ls"}))
    oversized = struct.pack(">I", protocol.MAX_FRAME + 1)
    replies = raw_exchange(server.socket, [hello, garbage, not_object, unknown, bad_params])
    codes = [r["error"]["code"] if "error" in r else "ok" for r in replies]
    assert codes == ["ok", protocol.PARSE_ERROR, protocol.INVALID_REQUEST,
                     protocol.METHOD_NOT_FOUND, protocol.INVALID_PARAMS]
    replies = raw_exchange(server.socket, [hello, oversized])
    assert replies[1]["error"]["code"] == protocol.FRAME_TOO_LARGE
    assert server.run("has-session", "-t", "keep").code == 0


def test_hello_must_come_first_and_version_must_match(server):
    server.ok("new-session", "-d", "-s", "v")
    replies = raw_exchange(server.socket, [protocol.encode(protocol.request(1, "ping"))])
    assert replies[0]["error"]["code"] == protocol.NOT_HELLO
    replies = raw_exchange(server.socket, [protocol.encode(protocol.request(
        1, "hello", {"version": protocol.PROTOCOL_VERSION + 99}))])
    assert replies[0]["error"]["code"] == protocol.VERSION_MISMATCH
    assert "version mismatch" in replies[0]["error"]["message"]
    assert server.run("has-session", "-t", "v").code == 0


def test_client_killed_mid_stream_does_not_hurt_the_server(server):
    server.ok("new-session", "-d", "-s", "flood", "-x", "200", "-y", "50")
    sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    sock.connect(str(server.socket))
    sock.sendall(protocol.encode(protocol.request(1, "hello",
                                                  {"version": protocol.PROTOCOL_VERSION})))
    sock.sendall(protocol.encode(protocol.request(2, "attach", {"target": "flood",
                                                               "columns": 200, "lines": 50})))
    server.ok("send-keys", "-t", "flood", "seq 1 200000", "Enter")
    sock.sendall(struct.pack(">I", 100) + b"{half")  # a frame cut off, then gone
    sock.close()
    server.wait_for_text("flood", "200000")
    assert server.run("has-session", "-t", "flood").code == 0


def test_attach_receives_session_full_screen_then_echo(server):
    server.ok("new-session", "-d", "-s", "att", "-x", "100", "-y", "30")
    server.wait_for_text("att", "$")

    async def scenario() -> None:
        client = await open_client(server.socket)
        reply = await client.request("attach", {"target": "att", "columns": 90,
                                                "lines": 20})
        assert reply["session"] == "att"
        method, params = await asyncio.wait_for(client.notifications.get(), 20)
        # the key tables and the client's flags (read-only or not) come first, then the session
        while method in ("keys", "client-flags"):
            method, params = await asyncio.wait_for(client.notifications.get(), 20)
        assert method == "session" and params["name"] == "att"
        pane = params["windows"][0]["panes"][0]
        assert (pane["width"], pane["height"]) == (90, 20)
        method, params = await asyncio.wait_for(client.notifications.get(), 20)
        assert method == "screen" and params["full"] and params["columns"] == 90
        assert "$" in "".join(run[0] for run in params["rows"]["0"])
        await client.request("input", {"pane": pane["id"], "data": "echo zebra\r"})
        seen = ""
        while "zebra\n" not in seen and "zebra" not in seen.split("echo zebra", 1)[-1]:
            method, params = await asyncio.wait_for(client.notifications.get(), 20)
            if method == "screen":
                seen += "\n".join("".join(r[0] for r in runs) for runs in
                                  params["rows"].values())
        await client.close()

    asyncio.run(scenario())
    assert server.ok("display-message", "-p", "-t", "att", "#{session_attached}") == "0\n"


def test_attach_to_missing_session_is_an_error(server):
    server.ok("new-session", "-d", "-s", "x")

    async def scenario() -> None:
        client = await open_client(server.socket)
        with pytest.raises(ClientError, match="can't find session: nope"):
            await client.request("attach", {"target": "nope", "columns": 80, "lines": 24})
        await client.close()

    asyncio.run(scenario())


def test_bind_key_reaches_the_attached_client_before_its_reply(server):
    """A client routes keys with its copy of the tables: a ``bind-key`` it runs (its ``:``
    prompt, a binding) must send the new tables before the reply, so the next key it reads
    meets the new binding (tmux looks keys up in the server: no window at all)."""
    server.ok("new-session", "-d", "-s", "kb", "-x", "80", "-y", "24")

    async def scenario() -> None:
        client = await open_client(server.socket)
        await client.request("attach", {"target": "kb", "columns": 80, "lines": 24})
        reply = client.request("command", {"argv": ["bind-key", "-n", "F5",
                                                    "display-message", "bound-now"]})
        await asyncio.wait_for(reply, 20)
        seen = []
        while not client.notifications.empty():
            seen.append(client.notifications.get_nowait())
        tables = [params for method, params in seen if method == "keys"]
        assert tables, f"no keys notification before the reply: {[m for m, _ in seen]}"
        assert any(binding[1] == "F5" and binding[4] == [["display-message", "bound-now"]]
                   for binding in tables[-1]["bindings"])
        await client.close()

    asyncio.run(scenario())
