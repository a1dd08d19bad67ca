"""task submit|list|claim|done: work routed to capable agents.

* ``task submit --requires a,b [--from A] [--priority P] [--json] PAYLOAD``: create a task
  needing those capabilities; it goes at once to the capable agent with the fewest open
  tasks (as a ``task_assignment`` message in its inbox), or stays ``queued`` until a
  capable agent registers.
* ``task list [--state queued|assigned|done|failed] [--json]``.
* ``task claim [ID] [--from A] [--json]``: agent A takes a queued task (ID; without it,
  the best queued task A has the capabilities for: highest priority, oldest); an error
  when the task is not queued or nothing is left for A.
* ``task done ID [--failed] [--result JSON] [--from A] [--json]``: finish a task; the
  submitter (when it is an agent) gets a ``response`` message with the result.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from ._bus_common import bus_failure, bus_of, preview
from ._common import json_result
from .spec import Args, CommandError, CommandResult, CommandSpec

if TYPE_CHECKING:
    from ...bus.core import MessageBus
    from ..context import CommandContext

USAGE = ("submit --requires a,b [--from A] [--priority P] [--json] PAYLOAD | "
         "list [--state S] [--json] | claim [ID] [--from A] [--json] | done ID [--failed] [--result JSON] [--json]")


async def submit(ctx: CommandContext, args: Args, bus: MessageBus) -> CommandResult:
    from ...bus.model import SYSTEM_SENDER, parse_list, parse_payload, parse_priority

    if len(args.positional) != 2:
        raise CommandError("task submit needs one PAYLOAD argument (JSON)")
    payload = parse_payload(args.positional[1])
    requires = parse_list(args.get("requires"))
    submitter = args.get("from") or await ctx.services.bus.agent_for_pane(ctx.client_pane) \
        or SYSTEM_SENDER
    task = await bus.tasks.submit(requires, payload, submitter=submitter,
                                  priority=parse_priority(args.get("priority")))
    data = task.to_dict()
    if args.has("json"):
        return json_result(data)
    if task.state == "assigned":
        text = f"✅ Task {task.id} assigned to {task.agent}"
    else:
        text = (f"⏳ Task {task.id} queued: no agent has "
                f"{', '.join(requires) or 'any capability'} yet")
    return CommandResult(stdout=text + "\n", data=data)


async def list_tasks(ctx: CommandContext, args: Args, bus: MessageBus) -> CommandResult:
    from ...bus.model import TASK_STATES

    state = args.get("state")
    if state is not None and state not in TASK_STATES:
        raise CommandError(f"unknown task state: {state} ({', '.join(TASK_STATES)})")
    tasks = [task.to_dict() for task in bus.tasks.list(state)]
    if args.has("json"):
        return json_result(tasks)
    if not tasks:
        return CommandResult(stdout="No tasks\n")
    rows = [f"{'ID':>4} {'STATE':<9} {'AGENT':<16} {'REQUIRES':<16} TASK"]
    rows += [f"{t['id']:>4} {t['state']:<9} {t['agent'] or '-':<16} "
             f"{','.join(t['requires']) or '-':<16} {preview(t['payload'], 50)}"
             for t in tasks]
    return CommandResult(stdout="\n".join(rows) + "\n", data=tasks)


async def done(ctx: CommandContext, args: Args, bus: MessageBus) -> CommandResult:
    from ...bus.model import parse_payload

    if len(args.positional) != 2:
        raise CommandError("task done needs the task ID")
    try:
        task_id = int(args.positional[1].lstrip("#"))
    except ValueError:
        raise CommandError(f"task id invalid: {args.positional[1]}") from None
    result = parse_payload(args.get("result")) if args.has("result") else None
    by = args.get("from") or await ctx.services.bus.agent_for_pane(ctx.client_pane)
    task = await bus.tasks.finish(task_id, failed=args.has("failed"), result=result, by=by)
    data = task.to_dict()
    if args.has("json"):
        return json_result(data)
    mark = "❌" if task.state == "failed" else "✅"
    return CommandResult(stdout=f"{mark} Task {task.id} {task.state}\n", data=data)


async def claim(ctx: CommandContext, args: Args, bus: MessageBus) -> CommandResult:
    task_id = None
    if len(args.positional) == 2:
        try:
            task_id = int(args.positional[1].lstrip("#"))
        except ValueError:
            raise CommandError(f"task id invalid: {args.positional[1]}") from None
    agent = await ctx.services.bus.sender(args.get("from"), ctx.client_pane)
    task = await bus.tasks.claim(agent, task_id)
    data = task.to_dict()
    if args.has("json"):
        return json_result(data)
    return CommandResult(stdout=f"✅ Task {task.id} claimed by {agent}\n", data=data)


async def run(ctx: CommandContext, args: Args) -> CommandResult:
    from ...bus.model import BusError

    verb = args.positional[0]
    handlers = {"submit": submit, "list": list_tasks, "claim": claim, "done": done}
    if verb not in handlers:
        raise CommandError(f"unknown task command: {verb} (submit, list, claim or done)")
    if verb == "list" and len(args.positional) > 1:
        raise CommandError("task list takes no arguments")
    try:
        return await handlers[verb](ctx, args, await bus_of(ctx))
    except BusError as exc:
        raise bus_failure(exc) from None


SPEC = CommandSpec(name="task", usage=USAGE,
                   long_options={"requires": True, "from": True, "priority": True,
                                 "state": True, "failed": False, "result": True,
                                 "json": False},
                   min_args=1, max_args=2, intermixed=True, starts_server=True, run=run,
                   summary="Submit, list, claim and finish tasks routed to capable agents")
