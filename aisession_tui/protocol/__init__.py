"""The wire protocol between ai-session clients and the server.

Frames are a 4-byte big-endian length followed by that many bytes of UTF-8 JSON. Messages
have JSON-RPC 2.0 shape: a request ``{"id", "method", "params"}``, a reply ``{"id",
"result"}`` or ``{"id", "error": {"code", "message"}}``, and server notifications
``{"method", "params"}`` with no id. The first request on every connection is ``hello``
carrying :data:`PROTOCOL_VERSION`; the server refuses any other version with a clear error.

A reply whose ``stdout`` is too long for one frame is streamed
(:func:`reply_frames`): ``reply.part`` notifications carrying ``{"id", "stdout"}`` pieces in
order, then the reply with the last piece; :class:`ReplyParts` joins them on the client side.

This module imports nothing from the rest of the package, so both sides (and the fast CLI
path) can use it. Invariant: a frame never exceeds :data:`MAX_FRAME` bytes; a peer that
announces a larger one gets an error and its frame is skipped, never buffered.
"""

from __future__ import annotations

import json
import struct
from collections.abc import Mapping
from typing import Any

PROTOCOL_VERSION = 1
"""Bumped whenever a message's shape changes incompatibly."""

MAX_FRAME = 16 * 1024 * 1024
"""Largest frame either side accepts (16 MiB: a large paste fits, a runaway does not)."""

HEADER = struct.Struct(">I")

# JSON-RPC 2.0 error codes, plus our own in the server range.
PARSE_ERROR = -32700
INVALID_REQUEST = -32600
METHOD_NOT_FOUND = -32601
INVALID_PARAMS = -32602
INTERNAL_ERROR = -32603
VERSION_MISMATCH = -32001
FRAME_TOO_LARGE = -32002
COMMAND_FAILED = -32003
NOT_HELLO = -32004


class ProtocolError(Exception):
    """A frame or message that breaks the protocol; ``code`` is a JSON-RPC error code."""

    def __init__(self, code: int, message: str) -> None:
        super().__init__(message)
        self.code = code
        self.message = message


def encode(message: dict[str, Any]) -> bytes:
    """Serialize one message as a length-prefixed frame.

    Text that is not valid Unicode (lone surrogates: bytes of a file name, argument or
    environment variable that are not UTF-8, kept by ``surrogateescape``) is sent as JSON
    ``\\udcXX`` escapes, so it crosses the wire unchanged instead of failing to encode;
    non-finite numbers are refused (JSON has none)."""
    try:
        text = json.dumps(message, separators=(",", ":"), ensure_ascii=False,
                          allow_nan=False)
    except (ValueError, RecursionError) as exc:
        raise ProtocolError(INVALID_PARAMS, f"cannot encode message: {exc}") from None
    try:
        body = text.encode("utf-8")
    except UnicodeEncodeError:
        body = json.dumps(message, separators=(",", ":"), ensure_ascii=True,
                          allow_nan=False).encode("ascii")
    if len(body) > MAX_FRAME:
        raise ProtocolError(FRAME_TOO_LARGE, f"message of {len(body)} bytes exceeds {MAX_FRAME}")
    return HEADER.pack(len(body)) + body


def decode_body(body: bytes) -> dict[str, Any]:
    """Parse one frame's body into a message dict, or raise :class:`ProtocolError`."""
    try:
        message = json.loads(body, parse_constant=_non_finite)
    except (UnicodeDecodeError, ValueError) as exc:
        raise ProtocolError(PARSE_ERROR, f"malformed JSON: {exc}") from None
    except RecursionError:
        raise ProtocolError(PARSE_ERROR, "malformed JSON: nested too deeply") from None
    if not isinstance(message, dict):
        raise ProtocolError(INVALID_REQUEST, "a message must be a JSON object")
    return message


def _non_finite(name: str) -> Any:
    raise ValueError(f"{name} is not a number JSON allows")


def request(msg_id: int, method: str, params: dict[str, Any] | None = None) -> dict[str, Any]:
    """Build a request message."""
    return {"jsonrpc": "2.0", "id": msg_id, "method": method, "params": params or {}}


def reply(msg_id: Any, result: Any) -> dict[str, Any]:
    """Build a successful reply."""
    return {"jsonrpc": "2.0", "id": msg_id, "result": result}


def error_reply(msg_id: Any, code: int, message: str) -> dict[str, Any]:
    """Build an error reply."""
    return {"jsonrpc": "2.0", "id": msg_id, "error": {"code": code, "message": message}}


def notification(method: str, params: Mapping[str, Any]) -> dict[str, Any]:
    """Build a server-to-client notification (no id, no reply expected)."""
    return {"jsonrpc": "2.0", "method": method, "params": params}


REPLY_PART = "reply.part"
"""Notification carrying one piece of a streamed reply's ``stdout``."""
STREAM_PIECE = 1024 * 1024
"""Characters of ``stdout`` per streamed piece (at most 4 MiB of UTF-8, well under a frame)."""


def reply_frames(msg_id: Any, result: Any) -> list[dict[str, Any]]:
    """The messages that carry ``result`` to request ``msg_id``: the reply alone, or, when
    its ``stdout`` is longer than :data:`STREAM_PIECE`, ``reply.part`` pieces before it."""
    stdout = result.get("stdout") if isinstance(result, dict) else None
    if not isinstance(stdout, str) or len(stdout) <= STREAM_PIECE:
        return [reply(msg_id, result)]
    ends = range(STREAM_PIECE, len(stdout), STREAM_PIECE)
    starts = range(0, len(stdout), STREAM_PIECE)
    parts = [notification(REPLY_PART, {"id": msg_id, "stdout": stdout[start:end]})
             for start, end in zip(starts, ends, strict=False)]
    last = dict(result, stdout=stdout[len(parts) * STREAM_PIECE:])
    return [*parts, reply(msg_id, last)]


class ReplyParts:
    """Client side of :func:`reply_frames`: collects the pieces of streamed replies."""

    def __init__(self) -> None:
        self._pieces: dict[Any, list[str]] = {}

    def absorb(self, message: dict[str, Any]) -> bool:
        """Keep ``message`` if it is a reply piece (True), else leave it (False)."""
        if message.get("method") != REPLY_PART or "id" in message:
            return False
        params = message.get("params")
        if not isinstance(params, dict) or not isinstance(params.get("stdout"), str):
            return False
        self._pieces.setdefault(params.get("id"), []).append(params["stdout"])
        return True

    def complete(self, msg_id: Any, result: Any) -> Any:
        """``result`` of request ``msg_id`` with the pieces received before it put back."""
        pieces = self._pieces.pop(msg_id, None)
        if pieces and isinstance(result, dict):
            pieces.append(result.get("stdout") or "")
            result = dict(result, stdout="".join(pieces))
        return result


class FrameDecoder:
    """Incremental decoder: feed bytes as they arrive, get whole messages out.

    Oversized frames are skipped (their bytes are discarded as they arrive) and reported
    once as a :class:`ProtocolError` in the output list, so one bad peer message never
    costs memory or desynchronizes the stream.
    """

    def __init__(self, max_frame: int = MAX_FRAME) -> None:
        self._buffer = bytearray()
        self._skip = 0
        self._max = max_frame

    @property
    def buffered(self) -> int:
        """Bytes of an unfinished frame held now."""
        return len(self._buffer)

    def feed(self, data: bytes) -> list[dict[str, Any] | ProtocolError]:
        """Consume ``data``; return the messages (or errors) completed by it, in order."""
        out: list[dict[str, Any] | ProtocolError] = []
        if self._skip:
            taken = min(self._skip, len(data))
            self._skip -= taken
            data = data[taken:]
        self._buffer += data
        buf = self._buffer
        pos = 0
        while len(buf) - pos >= HEADER.size:
            (length,) = HEADER.unpack_from(buf, pos)
            if length > self._max:
                out.append(ProtocolError(FRAME_TOO_LARGE,
                                         f"frame of {length} bytes exceeds the limit of {self._max}"))
                available = len(buf) - pos - HEADER.size
                if available >= length:
                    pos += HEADER.size + length
                    continue
                self._skip = length - available
                pos = len(buf)
                break
            if len(buf) - pos - HEADER.size < length:
                break
            body = bytes(buf[pos + HEADER.size: pos + HEADER.size + length])
            pos += HEADER.size + length
            try:
                out.append(decode_body(body))
            except ProtocolError as exc:
                out.append(exc)
        if pos:
            del buf[:pos]
        return out
