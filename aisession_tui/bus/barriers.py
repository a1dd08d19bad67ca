"""Sync points: named barriers that release when every listed agent has arrived.

A barrier is created by its first arrival with the set of agents it waits for; a later
arrival naming another set is an error (two phases must not share a name by accident).
An arrival that times out, or whose caller goes away, is withdrawn, so a retry starts
clean. When the last agent arrives every waiter is released with the same answer and the
name is free again for the next round (its ``round`` counter goes up). Barriers live in
memory only: a waiting agent is a live request, which a server restart ends anyway.
"""

from __future__ import annotations

import asyncio
from typing import TYPE_CHECKING, Any

from .model import BusError, BusTimeout, check_name

if TYPE_CHECKING:
    from .core import MessageBus


class Barrier:
    """One round of a named barrier."""

    def __init__(self, name: str, agents: frozenset[str], round_number: int) -> None:
        self.name = name
        self.agents = agents
        self.round = round_number
        self.arrived: dict[str, asyncio.Future[dict[str, Any]]] = {}

    @property
    def missing(self) -> list[str]:
        """Agents not arrived yet, sorted."""
        return sorted(self.agents - set(self.arrived))


class SyncPoints:
    """All barriers of a bus."""

    def __init__(self, bus: MessageBus) -> None:
        self.bus = bus
        self.barriers: dict[str, Barrier] = {}
        self.rounds: dict[str, int] = {}

    def waiting(self, agent: str) -> bool:
        """True when ``agent`` waits at some barrier."""
        return any(agent in barrier.arrived for barrier in self.barriers.values())

    def describe(self) -> list[dict[str, Any]]:
        """Open barriers as data."""
        return [{"name": b.name, "agents": sorted(b.agents), "arrived": sorted(b.arrived),
                 "missing": b.missing, "round": b.round} for b in self.barriers.values()]

    async def arrive(self, name: str, agents: list[str], me: str,
                     timeout: float) -> dict[str, Any]:
        """``me`` arrives at barrier ``name`` of ``agents``; returns when all arrived,
        raises :class:`BusTimeout` (naming who is missing) after ``timeout`` seconds."""
        check_name(name, "sync point name")
        wanted = frozenset(agents)
        if not wanted:
            raise BusError("a sync point needs at least one agent (--agents a,b)")
        if me not in wanted:
            raise BusError(f"{me} is not one of the agents of sync point {name} "
                           f"({', '.join(sorted(wanted))})")
        if timeout <= 0:
            raise BusError(f"timeout must be positive (got {timeout:g})")
        barrier = self.barriers.get(name)
        if barrier is None:
            round_number = self.rounds.get(name, 0) + 1
            self.rounds[name] = round_number
            barrier = self.barriers[name] = Barrier(name, wanted, round_number)
        elif barrier.agents != wanted:
            raise BusError(f"sync point {name} waits for {', '.join(sorted(barrier.agents))}"
                           f", not {', '.join(sorted(wanted))}")
        if me in barrier.arrived:
            raise BusError(f"{me} already waits at sync point {name}")
        future: asyncio.Future[dict[str, Any]] = asyncio.get_running_loop().create_future()
        barrier.arrived[me] = future
        if not barrier.missing:
            del self.barriers[name]
            answer = {"name": name, "agents": sorted(wanted), "round": barrier.round,
                      "released_by": me}
            for waiter in barrier.arrived.values():
                if not waiter.done():
                    waiter.set_result(answer)
            try:
                await self.bus.system_notice(f"sync.{name}", answer)
            except BusError:
                pass  # a full inbox must not keep a barrier from releasing
            return answer
        try:
            return await asyncio.wait_for(asyncio.shield(future), timeout)
        except TimeoutError:
            raise BusTimeout(f"sync point {name}: timed out after {timeout:g}s waiting "
                             f"for {', '.join(barrier.missing)}") from None
        finally:
            if not future.done():
                barrier.arrived.pop(me, None)
                if not barrier.arrived and self.barriers.get(name) is barrier:
                    del self.barriers[name]
