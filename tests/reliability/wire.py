"""Raw protocol access for the reliability tests: frames in, replies out."""

from __future__ import annotations

import socket
from pathlib import Path
from typing import Any

from aisession_tui import protocol


def hello_frame(msg_id: int = 1, version: Any = protocol.PROTOCOL_VERSION) -> bytes:
    return protocol.encode(protocol.request(msg_id, "hello", {"version": version}))


def raw_frame(body: bytes) -> bytes:
    return protocol.HEADER.pack(len(body)) + body


def exchange(path: Path, payloads: list[bytes], expected: int | None = None,
             timeout: float = 30) -> list[Any]:
    """Send raw bytes; read replies until ``expected`` (default: one per payload) arrived
    or the server closed the connection."""
    sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    sock.connect(str(path))
    sock.settimeout(timeout)
    decoder = protocol.FrameDecoder()
    replies: list[Any] = []
    try:
        for payload in payloads:
            sock.sendall(payload)
        want = len(payloads) if expected is None else expected
        while len(replies) < want:
            data = sock.recv(65536)
            if not data:
                break
            replies.extend(decoder.feed(data))
    finally:
        sock.close()
    return replies


def codes(replies: list[Any]) -> list[Any]:
    return [r["error"]["code"] if isinstance(r, dict) and "error" in r else "ok"
            for r in replies]
