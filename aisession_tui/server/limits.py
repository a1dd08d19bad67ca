"""Bounds on what clients may make the server hold, and checks on what they send.

* At most :data:`MAX_CONNECTIONS_PER_UID` connections per peer uid; one more is told why
  and closed.
* Partial frames buffered by all connections together stay under
  :data:`MAX_BUFFERED_TOTAL` bytes (each may still send a frame up to the protocol's
  ``MAX_FRAME``, but ten idle half-sent 16 MiB frames no longer add up to 160 MiB); the
  connection that would cross the line is told and closed.
* A client's standard input (``load-buffer -``) is held up to :data:`MAX_STDIN`.
* A connection must say ``hello`` within :data:`HELLO_DEADLINE` seconds.
* A command's argv, cwd and environment hold strings without NUL (no C string, so no
  tmux argument, file name or environment variable, can hold one); a ``client_pane`` is
  a string. Violations are :class:`~aisession_tui.protocol.ProtocolError` replies.
"""

from __future__ import annotations

import os
from typing import Any

from .. import protocol
from ..protocol import ProtocolError

MAX_CONNECTIONS_PER_UID = 128
MAX_BUFFERED_TOTAL = 48 * 1024 * 1024
MAX_STDIN = 1024 * 1024 * 1024
"""Characters of standard input one connection may send for ``load-buffer -`` (in pieces
of at most a frame each; tmux reads it whole into memory too)."""
HELLO_DEADLINE = float(os.environ.get("AI_SESSION_HELLO_DEADLINE") or 10.0)
"""Seconds a new connection has to say hello (the variable exists for tests)."""
TRIM_AFTER = 1024 * 1024
"""A frame at least this large is followed by giving freed memory back to the system."""


class ConnectionLimits:
    """Counts connections per uid and bytes buffered per connection."""

    def __init__(self, max_per_uid: int = MAX_CONNECTIONS_PER_UID,
                 max_buffered: int = MAX_BUFFERED_TOTAL) -> None:
        self.max_per_uid = max_per_uid
        self.max_buffered = max_buffered
        self.per_uid: dict[int, int] = {}
        self.buffered: dict[int, int] = {}
        self.total_buffered = 0

    def admit(self, uid: int) -> str | None:
        """Count a new connection of ``uid``; the refusal text when it has too many."""
        count = self.per_uid.get(uid, 0)
        if count >= self.max_per_uid:
            return (f"too many connections (uid {uid} already has {count}, the limit is "
                    f"{self.max_per_uid})")
        self.per_uid[uid] = count + 1
        return None

    def release(self, uid: int | None, key: int) -> None:
        """A connection is gone: uncount it and its buffer."""
        if uid is not None and self.per_uid.get(uid, 0) > 0:
            self.per_uid[uid] -= 1
            if not self.per_uid[uid]:
                del self.per_uid[uid]
        self.set_buffered(key, 0)

    def set_buffered(self, key: int, size: int) -> str | None:
        """Record that connection ``key`` now buffers ``size`` bytes; the refusal text when
        all connections together would hold more than the bound."""
        previous = self.buffered.pop(key, 0)
        self.total_buffered -= previous
        if size and self.total_buffered + size > self.max_buffered:
            return (f"server input buffers full ({self.total_buffered + size} bytes of "
                    f"partial frames, the limit is {self.max_buffered}); send smaller "
                    "requests")
        if size:
            self.buffered[key] = size
            self.total_buffered += size
        return None


def _no_nul(what: str, value: str) -> None:
    if "\0" in value:
        raise ProtocolError(protocol.INVALID_PARAMS, f"{what} contains a NUL character")


def check_command(params: dict[str, Any]) -> tuple[list[str], str, dict[str, str], str | None]:
    """(argv, cwd, env, client_pane) of a ``command`` request, or an INVALID_PARAMS error."""
    argv = params.get("argv")
    if not isinstance(argv, list) or not argv or not all(isinstance(a, str) for a in argv):
        raise ProtocolError(protocol.INVALID_PARAMS, "argv must be a non-empty list of strings")
    for index, word in enumerate(argv):
        _no_nul(f"argument {index}", word)
    cwd = params.get("cwd") or "/"
    if not isinstance(cwd, str):
        raise ProtocolError(protocol.INVALID_PARAMS, "cwd must be a string")
    _no_nul("cwd", cwd)
    env = params.get("env") or {}
    if not isinstance(env, dict) or not all(isinstance(v, str) for v in env.values()):
        raise ProtocolError(protocol.INVALID_PARAMS, "env must be an object of strings")
    for key, value in env.items():
        _no_nul(f"environment variable {key!r}", key + value)
        if not key or "=" in key:
            raise ProtocolError(protocol.INVALID_PARAMS,
                                f"invalid environment variable name: {key!r}")
    client_pane = params.get("client_pane")
    if client_pane is not None and not isinstance(client_pane, str):
        raise ProtocolError(protocol.INVALID_PARAMS, "client_pane must be a string")
    return argv, cwd, env, client_pane


def check_command_lists(lists: Any) -> list[list[str]] | None:
    """A ``command`` request's ``commands`` (``;``-separated lists), or None when absent."""
    if lists is None:
        return None
    if not isinstance(lists, list) or not lists or not all(
            isinstance(words, list) and words and all(isinstance(a, str) for a in words)
            for words in lists):
        raise ProtocolError(protocol.INVALID_PARAMS,
                            "commands must be a non-empty list of argv lists")
    for words in lists:
        for index, word in enumerate(words):
            _no_nul(f"argument {index}", word)
    return lists


_libc: Any = None


def trim_memory() -> None:
    """Give freed heap memory back to the system (glibc ``malloc_trim``): after a large
    frame the arena would otherwise keep its peak size for good."""
    global _libc
    if _libc is None:
        import ctypes  # loaded on the first trim, not at every server start
        import ctypes.util

        name = ctypes.util.find_library("c")
        try:
            _libc = ctypes.CDLL(name) if name else False
        except OSError:
            _libc = False
    if _libc and hasattr(_libc, "malloc_trim"):
        _libc.malloc_trim(0)
