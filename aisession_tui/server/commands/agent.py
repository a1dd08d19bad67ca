"""agent register|list|unregister: who is on the message bus.

* ``agent register NAME [--session S] [--pane %N] [--role R] [--capabilities a,b]
  [--topics 'status.*,build.*'] [--inbox-size N] [--json]``: register or update an agent.
  It is bound to ``--pane``, else the active pane of ``--session``, else the pane the
  command runs in (``AI_SESSION_PANE``), else nothing. Inside its pane, bus commands use
  it as the default ``--from``. ``--topics`` subscribes its inbox to topic patterns.
  Queued tasks it can do are assigned to it at once.
* ``agent list [--json]``: agents with status (idle, busy, waiting, offline), inbox and
  open tasks.
* ``agent unregister NAME [--force] [--json]``: refused while messages wait in its inbox
  unless ``--force``; its open tasks are routed to other agents.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from ._bus_common import bus_failure, bus_of, count
from ._common import json_result
from .spec import Args, CommandError, CommandResult, CommandSpec

if TYPE_CHECKING:
    from ..context import CommandContext

USAGE = ("register NAME [--session S] [--pane %N] [--role R] [--capabilities a,b] "
         "[--topics p,q] [--inbox-size N] [--json] | list [--json] | "
         "unregister NAME [--force] [--json]")


async def register(ctx: CommandContext, args: Args, name: str) -> CommandResult:
    from ...bus.model import BusError, parse_list

    session_name, pane_id = None, None
    if args.has("pane"):
        session, _, pane = ctx.find_pane(args.get("pane"))
        session_name, pane_id = session.name, f"%{pane.id}"
    elif args.has("session"):
        session = ctx.find_session(args.get("session"))
        session_name, pane_id = session.name, f"%{session.current.active.id}"
    elif ctx.client_pane:
        found = ctx.engine.registry.find_pane(int(ctx.client_pane.lstrip("%")))
        if found is not None:
            session_name, pane_id = found[0].name, f"%{found[2].id}"
    bus = await bus_of(ctx)
    try:
        agent = await bus.register(
            name, session=session_name, pane=pane_id, role=args.get("role"),
            capabilities=parse_list(args.get("capabilities")),
            topics=parse_list(args.get("topics")),
            inbox_limit=count(args.get("inbox-size"), "inbox size", bus.default_inbox_limit),
            run_id=ctx.engine.run_id)
    except BusError as exc:
        raise bus_failure(exc) from None
    facts = bus.agent_dict(agent)
    if args.has("json"):
        return json_result(facts)
    where = f"pane {agent.pane} of {agent.session}" if agent.pane else "no pane"
    lines = [f"✅ Registered agent: {agent.name} ({where})"]
    if agent.role:
        lines.append(f"   Role: {agent.role}")
    lines.append(f"   Capabilities: {', '.join(agent.capabilities) or '-'}")
    if agent.topics:
        lines.append(f"   Topics: {', '.join(agent.topics)}")
    if facts["open_tasks"]:
        lines.append(f"   Tasks assigned: {facts['open_tasks']}")
    return CommandResult(stdout="\n".join(lines) + "\n", data=facts)


async def list_agents(ctx: CommandContext, args: Args) -> CommandResult:
    bus = await bus_of(ctx)
    agents = bus.list_agents()
    if args.has("json"):
        return json_result(agents)
    if not agents:
        return CommandResult(stdout="No agents registered\n")
    header = f"{'NAME':<16} {'STATUS':<8} {'ROLE':<12} {'PANE':<6} {'INBOX':>5} " \
             f"{'TASKS':>5}  CAPABILITIES"
    rows = [header] + [
        f"{a['name']:<16} {a['status']:<8} {a['role'] or '-':<12} {a['pane'] or '-':<6} "
        f"{a['inbox']:>5} {a['open_tasks']:>5}  {','.join(a['capabilities']) or '-'}"
        for a in agents]
    return CommandResult(stdout="\n".join(rows) + "\n", data=agents)


async def unregister(ctx: CommandContext, args: Args, name: str) -> CommandResult:
    from ...bus.model import BusError

    bus = await bus_of(ctx)
    try:
        outcome = await bus.unregister(name, force=args.has("force"))
    except BusError as exc:
        raise bus_failure(exc) from None
    if args.has("json"):
        return json_result(outcome)
    text = f"✅ Unregistered agent: {name}"
    if outcome["discarded"]:
        text += f" ({outcome['discarded']} undelivered message(s) discarded)"
    if outcome["rerouted_tasks"]:
        text += f"\n   Tasks routed again: {', '.join(map(str, outcome['rerouted_tasks']))}"
    return CommandResult(stdout=text + "\n", data=outcome)


async def run(ctx: CommandContext, args: Args) -> CommandResult:
    verb, *rest = args.positional
    if verb == "list":
        if rest:
            raise CommandError("agent list takes no arguments")
        return await list_agents(ctx, args)
    if verb in ("register", "unregister"):
        if len(rest) != 1:
            raise CommandError(f"usage: agent {verb} NAME")
        return await (register if verb == "register" else unregister)(ctx, args, rest[0])
    raise CommandError(f"unknown agent command: {verb} (register, list or unregister)")


SPEC = CommandSpec(name="agent", usage=USAGE,
                   long_options={"session": True, "pane": True, "role": True,
                                 "capabilities": True, "topics": True, "inbox-size": True,
                                 "force": False, "json": False},
                   min_args=1, max_args=2, intermixed=True, starts_server=True, run=run,
                   summary="Register, list and unregister bus agents")
