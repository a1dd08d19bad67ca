"""An asyncio client for long-lived connections: the TUI, the MCP bridge, benchmarks.

:func:`open_client` connects (starting the server when asked), says ``hello`` and returns an
:class:`AsyncClient` whose :meth:`~AsyncClient.request` awaits the matching reply while
notifications go to ``on_notification`` (or queue up in :attr:`notifications`). Replies
and notifications may interleave freely; a lost connection fails every pending request.
"""

from __future__ import annotations

import asyncio
import itertools
from collections.abc import Callable
from pathlib import Path
from typing import Any

from .. import protocol
from .client import ClientError, start_server


class AsyncClient:
    """One greeted connection."""

    def __init__(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter,
                 on_notification: Callable[[str, dict[str, Any]], None] | None = None) -> None:
        self.reader = reader
        self.writer = writer
        self.on_notification = on_notification
        self.notifications: asyncio.Queue[tuple[str, dict[str, Any]]] = asyncio.Queue()
        self._ids = itertools.count(1)
        self._pending: dict[int, asyncio.Future[Any]] = {}
        self._parts = protocol.ReplyParts()
        self._reader_task = asyncio.get_running_loop().create_task(self._read_loop())
        self.closed = asyncio.Event()

    async def request(self, method: str, params: dict[str, Any] | None = None) -> Any:
        """Send a request and await its result (errors raise :class:`ClientError`)."""
        msg_id = next(self._ids)
        future: asyncio.Future[Any] = asyncio.get_running_loop().create_future()
        self._pending[msg_id] = future
        try:
            self.writer.write(protocol.encode(protocol.request(msg_id, method, params)))
            await self.writer.drain()
        except (ConnectionError, RuntimeError):
            self._pending.pop(msg_id, None)
            raise ClientError("server exited unexpectedly") from None
        return await future

    def send_nowait(self, method: str, params: dict[str, Any] | None = None) -> None:
        """Fire a request without waiting for its reply (keystrokes)."""
        msg_id = next(self._ids)
        try:
            self.writer.write(protocol.encode(protocol.request(msg_id, method, params)))
        except (ConnectionError, RuntimeError):
            pass

    async def _read_loop(self) -> None:
        decoder = protocol.FrameDecoder()
        try:
            while True:
                data = await self.reader.read(1 << 18)
                if not data:
                    break
                for message in decoder.feed(data):
                    if isinstance(message, protocol.ProtocolError):
                        continue
                    self._dispatch(message)
        except (ConnectionError, asyncio.CancelledError):
            pass
        finally:
            for future in self._pending.values():
                if not future.done():
                    future.set_exception(ClientError("server exited unexpectedly"))
            self._pending.clear()
            self.closed.set()

    def _dispatch(self, message: dict[str, Any]) -> None:
        msg_id = message.get("id")
        if self._parts.absorb(message):
            return
        if msg_id is None:
            method, params = message.get("method", ""), message.get("params", {})
            if self.on_notification is not None:
                self.on_notification(method, params)
            else:
                self.notifications.put_nowait((method, params))
            return
        future = self._pending.pop(msg_id, None)
        if future is None or future.done():
            return
        result = self._parts.complete(msg_id, message.get("result"))
        if "error" in message:
            future.set_exception(ClientError(message["error"].get("message", "error")))
        else:
            future.set_result(result)

    async def close(self) -> None:
        """Close the connection."""
        self._reader_task.cancel()
        try:
            self.writer.close()
            await self.writer.wait_closed()
        except (ConnectionError, RuntimeError):
            pass


async def open_client(path: Path, *, start: bool = False,
                      on_notification: Callable[[str, dict[str, Any]], None] | None = None
                      ) -> AsyncClient:
    """Connect to the server on ``path`` (starting it if ``start``) and say hello."""
    try:
        reader, writer = await asyncio.open_unix_connection(str(path))
    except OSError:
        if not start:
            raise ClientError(f"no server running on {path}") from None
        await asyncio.to_thread(start_server, path)
        try:
            reader, writer = await asyncio.open_unix_connection(str(path))
        except OSError:
            raise ClientError(f"no server running on {path}") from None
    client = AsyncClient(reader, writer, on_notification)
    await client.request("hello", {"version": protocol.PROTOCOL_VERSION})
    return client
