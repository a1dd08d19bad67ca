"""What services may use of a client connection (the daemon's ``Connection``).

Services that answer requests or push notifications depend on this protocol, never on
the daemon, so the daemon can import them and not the other way round.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Protocol

if TYPE_CHECKING:
    from .clients import AttachedClient
    from .control import ControlClient


class Peer(Protocol):
    """One client connection as services see it."""

    closed: bool
    read_only: bool
    """Its user may only read (``server-access -r``)."""
    attached: AttachedClient | None
    """Its attached (full-screen) client, if it attached."""
    control: ControlClient | None
    """Its control-mode client, if it started one."""

    @property
    def write_buffer_size(self) -> int:
        """Bytes written but not yet taken by the client."""
        ...

    def send(self, message: dict[str, Any]) -> None:
        """Write one frame (dropped if the connection is gone)."""
        ...

    async def drain(self) -> None:
        """Wait while the client is not reading."""
        ...

    def close(self) -> None:
        """Close the connection."""
        ...
