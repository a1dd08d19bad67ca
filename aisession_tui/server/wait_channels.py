"""``wait-for`` channels (tmux's ``cmd-wait-for.c``): signals and locks by name.

Invariants: ``signal`` wakes every current waiter; a signal with nobody waiting is
remembered and consumed by the next ``wait``, as tmux does. A locked channel has one
owner; ``unlock`` hands it to the oldest queued locker (which then owns it) or frees it;
unlocking a channel nobody locked is an error. A waiter that is cancelled leaves its
queue.
"""

from __future__ import annotations

import asyncio

from .commands.spec import CommandError


class WaitChannels:
    """Every ``wait-for`` channel of one server."""

    def __init__(self) -> None:
        self.waiters: dict[str, list[asyncio.Future[None]]] = {}
        self.signalled: set[str] = set()
        self.locks: dict[str, list[asyncio.Future[None]]] = {}
        self.locked: set[str] = set()

    def signal(self, name: str) -> None:
        """``wait-for -S``: wake every waiter, or remember the signal for the next one."""
        waiters = self.waiters.pop(name, [])
        if not waiters:
            self.signalled.add(name)
        for future in waiters:
            if not future.done():
                future.set_result(None)

    async def lock(self, name: str) -> None:
        """``wait-for -L``: take the channel's lock, waiting for its owner to let go."""
        queue = self.locks.setdefault(name, [])
        if name in self.locked:
            future: asyncio.Future[None] = asyncio.get_running_loop().create_future()
            queue.append(future)
            await future
        self.locked.add(name)

    def unlock(self, name: str) -> None:
        """``wait-for -U``: pass the lock to the next locker, or free it."""
        if name not in self.locked:
            raise CommandError(f"channel {name} not locked")
        queue = self.locks.get(name, [])
        while queue:
            future = queue.pop(0)
            if not future.done():
                future.set_result(None)  # ownership passes to the next locker
                return
        self.locked.discard(name)

    async def wait(self, name: str) -> None:
        """``wait-for``: return at the channel's next signal (or a remembered one)."""
        if name in self.signalled:
            self.signalled.discard(name)
            return
        future: asyncio.Future[None] = asyncio.get_running_loop().create_future()
        self.waiters.setdefault(name, []).append(future)
        try:
            await future
        finally:
            waiters = self.waiters.get(name)
            if waiters and future in waiters:
                waiters.remove(future)
