"""TaskBoard: tasks routed to a capable agent with the fewest open tasks.

A task needs a set of capabilities. On submit (and whenever an agent registers or leaves)
each queued task goes to the registered agent that has all of them, preferring agents that
are not offline, then the fewest open (assigned, unfinished) tasks, then the earliest
registration. Assigning puts a ``task_assignment`` message in that agent's inbox whose
payload is ``{"task_id", "requires", "task"}``; if that inbox is full the next candidate
is tried, and with no candidate the task stays ``queued``. ``done``/``failed`` record the
result and send a ``response`` (``reply_to`` the assignment) to the submitter when the
submitter is a registered agent. An agent may also ``claim`` a queued task it can do (pull). States only move queued ->
assigned -> done|failed
(an unregistered agent's assigned tasks go back to queued and are routed again).
"""

from __future__ import annotations

import builtins  # TaskBoard.list (the verb's name) shadows the type inside the class
from typing import TYPE_CHECKING, Any

from ..ai.redact import redact_value
from .model import PRIORITIES, SYSTEM_SENDER, BusError, Task, check_payload, parse_list

if TYPE_CHECKING:
    from .core import MessageBus


class TaskBoard:
    """The tasks of one bus."""

    def __init__(self, bus: MessageBus) -> None:
        self.bus = bus
        self.tasks: dict[int, Task] = {}
        self.next_id = 1
        self._routing: set[int] = set()

    def restore(self, tasks: list[Task], next_id: int) -> None:
        """Adopt tasks read back from the store."""
        for task in tasks:
            self.tasks[task.id] = task
        self.next_id = max(self.next_id, next_id)

    def open_count(self, agent: str) -> int:
        """Assigned, unfinished tasks of ``agent``."""
        return sum(1 for task in self.tasks.values()
                   if task.state == "assigned" and task.agent == agent)

    def get(self, task_id: int) -> Task:
        """A task, or a clear error."""
        task = self.tasks.get(task_id)
        if task is None:
            raise BusError(f"unknown task: {task_id} (see 'ai-session task list')")
        return task

    def list(self, state: str | None = None) -> list[Task]:
        """Tasks in submission order, optionally of one state."""
        return [task for task in self.tasks.values() if state is None or task.state == state]

    async def submit(self, requires: tuple[str, ...] | str, payload: Any, *,
                     submitter: str = SYSTEM_SENDER,
                     priority: int = PRIORITIES["normal"]) -> Task:
        """Create a task and route it (it stays queued when no agent can do it)."""
        needed = parse_list(requires) if isinstance(requires, str) else tuple(requires)
        check_payload(payload)
        task = Task(id=self.next_id, submitted_at=self.bus.clock(), submitter=submitter,
                    requires=needed, payload=redact_value(payload), priority=priority)
        self.next_id += 1
        self.tasks[task.id] = task
        await self._save(task)
        await self._route(task)
        return task

    async def finish(self, task_id: int, *, failed: bool = False, result: Any = None,
                     by: str | None = None) -> Task:
        """Mark an assigned task done (or failed) with its result."""
        task = self.get(task_id)
        if task.state in ("done", "failed"):
            raise BusError(f"task {task_id} is already {task.state}")
        if task.state == "queued":
            raise BusError(f"task {task_id} is still queued (no agent has it yet)")
        if by is not None and by != task.agent and by in self.bus.agents:
            raise BusError(f"task {task_id} is assigned to {task.agent}, not {by}")
        check_payload(result)
        task.state = "failed" if failed else "done"
        task.result = result = redact_value(result)
        task.finished_at = self.bus.clock()
        await self._save(task)
        if task.submitter in self.bus.agents:
            try:
                await self.bus.send(task.agent or SYSTEM_SENDER, task.submitter, "response",
                                    {"task_id": task.id, "state": task.state,
                                     "result": result}, reply_to=task.message_id)
            except BusError:
                pass  # the state is recorded; a full inbox only loses the courtesy note
        return task

    async def claim(self, agent: str, task_id: int | None = None) -> Task:
        """``agent`` takes a queued task itself (pull instead of push): task ``task_id``
        (a queued task is one no capable agent could take, so naming it is the agent's
        decision to do it anyway), or, without an id, the queued task whose capabilities
        it has with the highest priority, oldest first. The agent must be registered; an
        assigned or finished task cannot be claimed."""
        if agent not in self.bus.agents:
            raise BusError(f"unknown agent: {agent} (register it with 'ai-session agent "
                           f"register {agent}')")
        capable = self.bus.agents[agent]
        if task_id is None:
            doable = [task for task in self.list("queued") if capable.can(task.requires)]
            if not doable:
                raise BusError(f"no queued task that {agent} can do")
            task = min(doable, key=lambda each: (-each.priority, each.id))
        else:
            task = self.get(task_id)
            if task.state != "queued":
                owner = f" to {task.agent}" if task.state == "assigned" else ""
                raise BusError(f"task {task_id} is already {task.state}{owner}; "
                               "only a queued task can be claimed")
        task.state, task.agent, task.assigned_at = "assigned", agent, self.bus.clock()
        await self._save(task)
        return task

    async def assign_queued(self) -> builtins.list[Task]:
        """Route every queued task again (after an agent registered)."""
        assigned = []
        for task in self.list("queued"):
            if await self._route(task):
                assigned.append(task)
        return assigned

    async def release_agent(self, name: str) -> builtins.list[int]:
        """Put an unregistered agent's open tasks back in the queue and route them."""
        moved = []
        for task in self.list("assigned"):
            if task.agent == name:
                task.state, task.agent, task.assigned_at = "queued", None, None
                await self._save(task)
                moved.append(task.id)
        await self.assign_queued()
        return moved

    def candidates(self, task: Task) -> builtins.list[str]:
        """Capable agents, best first."""
        order = {name: index for index, name in enumerate(self.bus.agents)}
        capable = [agent for agent in self.bus.agents.values() if agent.can(task.requires)]
        capable.sort(key=lambda agent: (self.bus.is_offline(agent),
                                        self.open_count(agent.name), order[agent.name]))
        return [agent.name for agent in capable]

    async def _route(self, task: Task) -> bool:
        if task.id in self._routing:
            return False
        self._routing.add(task.id)
        try:
            return await self._route_to_best(task)
        finally:
            self._routing.discard(task.id)

    async def _route_to_best(self, task: Task) -> bool:
        for name in self.candidates(task):
            try:
                message = await self.bus.send(
                    task.submitter, name, "task_assignment",
                    {"task_id": task.id, "requires": list(task.requires),
                     "task": task.payload}, priority=task.priority)
            except BusError:
                continue
            task.state, task.agent = "assigned", name
            task.assigned_at, task.message_id = self.bus.clock(), message.id
            await self._save(task)
            return True
        return False

    async def _save(self, task: Task) -> None:
        await self.bus.journal.write(("task", task))
        self.bus.task_changed(task)
