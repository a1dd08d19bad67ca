"""Attaches on their way: thin clients whose session the server paints while their
renderer starts, so that detaching a session's clients detaches them too.

A thin client (:mod:`aisession_tui.cli.thin_attach`) names its attach with a random
``ticket``, sent with its ``paint`` request (:mod:`.paint`) and, through its renderer, with
the ``attach`` that follows. From the first ``paint`` until that ``attach`` the terminal
shows the session, yet the client is not attached: ``attach -d`` and ``detach-client
-s``/``-a`` (:mod:`.commands.detach_client`) would leave it, and it would attach just
after. tmux has no such phase (its client is attached when it shows anything), and there
``attach -d`` leaves no other client of the session. So:

* :meth:`PendingAttaches.expect` records the ticket and its session at each ``paint``;
* :meth:`PendingAttaches.revoke` (a detach of that session's clients, or of all clients)
  marks it detached and wakes its painter, which ends the request with ``detached``: the
  thin client prints tmux's ``[detached (from session NAME)]`` and exits;
* :meth:`PendingAttaches.arrive` takes the ticket at the renderer's ``attach``: a revoked
  one is refused with the same words (the renderer never becomes a client, no hook runs,
  no size counts), any other is forgotten (from then on it is an attached client).

Invariants: a ticket is forgotten at its ``attach``, or :data:`KEEP` seconds after it was
last painted for (a client that never attaches); at most :data:`LIMIT` are kept (the
oldest go first); nothing here sends anything itself - the painter and ``handle_attach``
answer their own requests.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Mapping

KEEP = 120.0
"""Seconds a ticket is kept after its last ``paint`` (a renderer that starts that slowly,
or a client that went away before it attached)."""
LIMIT = 1000
"""Most tickets kept at once."""
TICKET_LENGTH = 64
"""Longest ticket accepted (the thin client's are 32 hex digits)."""


class Pending:
    """One attach on its way. (A plain slotted class: this module loads with the server,
    and a dataclass costs ~0.5 ms of a cold start to build.)"""

    __slots__ = ("detached", "seen", "session_id", "wakers")

    def __init__(self, session_id: int, seen: float) -> None:
        self.session_id = session_id
        self.seen = seen
        self.detached: str | None = None
        """The name of the session it was detached from (None: not detached)."""
        self.wakers: list[Callable[[], None]] = []
        """The painters painting for it (told when it is detached)."""


def valid_ticket(value: object) -> str | None:
    """``value`` as a ticket, or None when it is not one."""
    if isinstance(value, str) and 0 < len(value) <= TICKET_LENGTH:
        return value
    return None


class PendingAttaches:
    """The tickets of attaches on their way, by ticket."""

    def __init__(self) -> None:
        self.tickets: dict[str, Pending] = {}

    def expect(self, ticket: str, session_id: int, waker: Callable[[], None]) -> Pending:
        """A ``paint`` for ``ticket`` of session ``session_id``: record it (again) with
        the painter's ``waker``; the entry (already detached, maybe)."""
        self._expire()
        now = time.monotonic()
        pending = self.tickets.pop(ticket, None)
        if pending is None:
            pending = Pending(session_id, now)
        pending.seen = now
        if pending.detached is None:
            pending.session_id = session_id  # (a repaint of another session: that one)
        pending.wakers.append(waker)
        self.tickets[ticket] = pending  # the newest last: the oldest go first
        while len(self.tickets) > LIMIT:
            del self.tickets[next(iter(self.tickets))]
        return pending

    def painted(self, ticket: str, waker: Callable[[], None]) -> None:
        """A ``paint`` for ``ticket`` ended: its painter is not told any more."""
        pending = self.tickets.get(ticket)
        if pending is not None:
            pending.seen = time.monotonic()
            if waker in pending.wakers:
                pending.wakers.remove(waker)

    def revoke(self, names: Mapping[int, str]) -> int:
        """Detach the attaches on their way to the sessions in ``names`` (id -> name, the
        name they were detached from); how many."""
        self._expire()
        count = 0
        for pending in self.tickets.values():
            if pending.detached is not None or pending.session_id not in names:
                continue
            pending.detached = names[pending.session_id]
            count += 1
            for waker in list(pending.wakers):
                waker()
        return count

    def arrive(self, ticket: object) -> Pending | None:
        """The ``attach`` of ``ticket``: its entry, now forgotten (None: not expected)."""
        valid = valid_ticket(ticket)
        if valid is None:
            return None
        return self.tickets.pop(valid, None)

    def _expire(self) -> None:
        cutoff = time.monotonic() - KEEP
        for ticket in [ticket for ticket, pending in self.tickets.items()
                       if pending.seen < cutoff and not pending.wakers]:
            del self.tickets[ticket]
