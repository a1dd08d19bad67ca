"""The server's access list, as tmux 3.3a's ``server-acl.c``: which users (uids) may
connect, and which of them only read.

The server's own user and root are always allowed and cannot be changed; other users are
added with ``server-access -a`` (write by default), made read-only with ``-r`` or
read-write with ``-w``, and removed with ``-d``, which also ends their connections. A
connection from a user not on the list is refused with tmux's ``access not allowed``.

A read-only connection (its user's ``-r``, or a control client's ``refresh-client -f
read-only``) may run only the commands tmux marks read-only (``attach-session``,
``detach-client``, ``list-clients``, ``switch-client``); anything else gets ``client is
read-only``, and its keys and mouse never reach a pane.

Invariants: the list is keyed by uid and listed in uid order; root is never listed; the
server's own uid and root stay allowed and writable.
"""

from __future__ import annotations

import os
import pwd
from typing import Protocol

READ_ONLY_COMMANDS = frozenset({"attach-session", "detach-client", "list-clients",
                                "switch-client"})
"""The commands a read-only client may run (tmux's ``CMD_READONLY``)."""

NOT_ALLOWED = "access not allowed"
READ_ONLY = "client is read-only"


class Peer(Protocol):
    """A connection as the access list sees it (the daemon's ``Connection``)."""

    uid: int | None
    read_only: bool

    def refuse(self, text: str) -> None:
        """Tell the peer ``text`` and end its connection."""


class ServerAccess:
    """The access list: uid -> read-only, and the connections it governs."""

    def __init__(self, owner: int | None = None) -> None:
        self.owner = os.getuid() if owner is None else owner
        self.users: dict[int, bool] = {0: False, self.owner: False}
        self.peers: set[Peer] = set()
        """Live connections (joined, not yet left)."""

    def join(self, peer: Peer) -> bool:
        """A new connection: False if its user may not connect; else it is kept, read-only
        as its user is."""
        uid = self.owner if peer.uid is None else peer.uid
        if uid not in self.users:
            return False
        peer.read_only = self.users[uid]
        self.peers.add(peer)
        return True

    def leave(self, peer: Peer) -> None:
        """A connection ended."""
        self.peers.discard(peer)

    def allow(self, uid: int, read_only: bool = False) -> None:
        """Add a user (or change whether they only read), their connections with them."""
        self.users[uid] = read_only
        for peer in self.peers:
            if peer.uid == uid:
                peer.read_only = read_only

    def deny(self, uid: int) -> None:
        """Remove a user and end their connections (tmux's ``access not allowed``)."""
        self.users.pop(uid, None)
        for peer in [peer for peer in self.peers if peer.uid == uid]:
            self.peers.discard(peer)
            peer.refuse(NOT_ALLOWED)

    def listing(self) -> list[str]:
        """``server-access -l``: ``name (W)`` or ``name (R)`` per user in uid order, root
        left out."""
        lines = []
        for uid in sorted(self.users):
            if uid == 0:
                continue
            try:
                name = pwd.getpwuid(uid).pw_name
            except KeyError:
                name = "unknown"
            lines.append(f"{name} ({'R' if self.users[uid] else 'W'})")
        return lines

    def owns(self, uid: int) -> bool:
        """The server's own user or root: always allowed, never changed."""
        return uid in (0, self.owner)
