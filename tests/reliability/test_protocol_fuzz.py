"""A seeded protocol fuzzer: random frames (garbage, truncated, oversized, deep, odd
types, lone surrogates, NUL, non-finite numbers) against a live server. Every request
that has an id and reaches the server whole gets exactly one reply; the server never
crashes, and still serves a real command afterwards."""

from __future__ import annotations

import json
import random
import socket
from typing import Any

from conftest import wait_until

from aisession_tui import protocol

SEED = 1104
CONNECTIONS = 30
PER_CONNECTION = 120
METHODS = ["hello", "ping", "command", "attach", "detach", "input", "resize", "select",
           "history", "bus.send", "bus.recv", "panel.state", "no.such", "", "hello"]
COMMANDS = ["display-message", "list-sessions", "has-session", "list-windows",
            "list-panes", "show-options", "set-option", "rename-window", "send-keys",
            "capture-pane", "select-window", "resize-pane", "list-buffers", "set-buffer",
            "show-buffer", "bus", "agent", "task", "context", "no-such-command"]


def _scalar(rng: random.Random) -> Any:
    return rng.choice([
        None, True, False, 0, -1, 1, 2**31, -(2**63), 1e308, 0.5, "", "x", "%0", "@0",
        "$0", "s", "\0", "a\0b", "\udcff", "é", "#{session_name}", "-t", "=", "999999",
        "a" * rng.randrange(1, 300),
    ])


def _value(rng: random.Random, depth: int = 0) -> Any:
    roll = rng.random()
    if depth > 3 or roll < 0.6:
        return _scalar(rng)
    if roll < 0.8:
        return [_value(rng, depth + 1) for _ in range(rng.randrange(0, 4))]
    return {str(_scalar(rng)): _value(rng, depth + 1) for _ in range(rng.randrange(0, 4))}


def _params(rng: random.Random, method: str) -> Any:
    if rng.random() < 0.1:
        return _value(rng)
    params: dict[str, Any] = {}
    if method == "command":
        params["argv"] = [rng.choice(COMMANDS)] + [str(_scalar(rng))
                                                   for _ in range(rng.randrange(0, 4))]
        if rng.random() < 0.3:
            params["argv"] = _value(rng)
    if method == "hello":
        params["version"] = rng.choice([1, 1, True, 1.0, "1", None, 2])
    for key in ("target", "pane", "window", "columns", "lines", "data", "data_b64",
                "start", "count", "env", "cwd", "client_pane", "agent", "to", "payload"):
        if rng.random() < 0.2:
            params[key] = _value(rng)
    return params


def _frame(rng: random.Random, msg_id: int, broken: bool) -> tuple[bytes, bool]:
    """(bytes to send, whether a whole request with an id is in them)."""
    roll = rng.random() * 0.12 if broken else 0.12 + rng.random() * 0.88
    if roll < 0.05:
        return bytes(rng.randrange(256) for _ in range(rng.randrange(1, 40))), False
    if roll < 0.08:
        return protocol.HEADER.pack(protocol.MAX_FRAME + rng.randrange(1, 1000)), False
    if roll < 0.10:
        depth = rng.randrange(500, 50_000)
        body = b'{"id":%d,"method":"ping","params":' % msg_id + b"[" * depth + b"]" * depth + b"}"
        return protocol.HEADER.pack(len(body)) + body, False
    if roll < 0.12:
        body = b'{"id":%d,"method":"ping","params":{"x":NaN}}' % msg_id
        return protocol.HEADER.pack(len(body)) + body, False
    method = rng.choice(METHODS)
    message: dict[str, Any] = {"jsonrpc": "2.0", "id": msg_id, "method": method,
                               "params": _params(rng, method)}
    if rng.random() < 0.05:
        message["method"] = _value(rng)
    body = json.dumps(message, ensure_ascii=True).encode()
    return protocol.HEADER.pack(len(body)) + body, True


def _run_connection(path: str, rng: random.Random) -> tuple[set[int], set[int]]:
    sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    sock.connect(path)
    sock.settimeout(8)
    decoder = protocol.FrameDecoder()
    expected: set[int] = set()
    answered: set[int] = set()
    greeted = rng.random() < 0.9
    if greeted:
        sock.sendall(protocol.encode(protocol.request(0, "hello", {"version": 1})))
        expected.add(0)
    stream = b""
    broken = False
    breaks_at = rng.randrange(1, PER_CONNECTION) if rng.random() < 0.4 else -1
    for msg_id in range(1, PER_CONNECTION):
        data, whole = _frame(rng, msg_id, msg_id == breaks_at)
        stream += data
        if not whole:
            broken = True
            break  # what follows a broken frame is not framed the way we meant
        expected.add(msg_id)
    try:
        sock.sendall(stream)
        if broken:
            # Nothing after this is framed as we meant: hang up; the server must notice.
            sock.shutdown(socket.SHUT_WR)
            expected = set()
        else:
            sock.sendall(protocol.encode(protocol.request(10_000, "ping")))
            expected.add(10_000)
        while not expected or not expected <= answered:
            data = sock.recv(65536)
            if not data:
                break
            for item in decoder.feed(data):
                if isinstance(item, dict) and isinstance(item.get("id"), int) and (
                        "result" in item or "error" in item):
                    assert item["id"] not in answered, f"two replies to {item['id']}"
                    answered.add(item["id"])
    except OSError:
        pass
    finally:
        sock.close()
    return expected, answered


def test_fuzzed_frames_are_answered_and_the_server_survives(server) -> None:
    server.ok("new-session", "-d", "-s", "fuzz")
    pid = server.server_pid()
    rng = random.Random(SEED)
    unanswered = 0
    checked = 0
    for _ in range(CONNECTIONS):
        expected, answered = _run_connection(str(server.socket), rng)
        if 0 in answered and 10_000 in expected:
            # A greeted, whole stream: every request in it was answered, once.
            checked += 1
            unanswered += len(expected - answered)
        assert server.server_pid() == pid, "the server died"
    assert checked >= CONNECTIONS // 3
    print(f"{checked} whole streams checked, {unanswered} requests unanswered")
    assert unanswered == 0
    assert server.ok("display-message", "-p", "-t", "fuzz", "#{session_name}") == "fuzz\n"
    log = "".join(path.read_text(errors="replace")
                  for path in (server.data / "logs").glob("*.log*"))
    assert "server crashed" not in log
    wait_until(lambda: server.run("has-session", "-t", "fuzz").code == 0)
