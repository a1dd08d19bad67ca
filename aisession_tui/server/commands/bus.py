"""bus send|broadcast|publish|recv|request|sync|history|subscribe: agents talk.

* ``bus send --from A --to B [--type T] [--priority P] [--reply-to ID] PAYLOAD``: a direct
  message (PAYLOAD is JSON). Answered only once the message is on disk. ``--topic X``
  instead of ``--to`` publishes.
* ``bus broadcast --from A [--type T] PAYLOAD``: a copy for every other agent.
* ``bus publish --from A --topic X [--type T] PAYLOAD``: a copy for every agent whose
  ``--topics`` match X.
* ``bus recv AGENT [--wait S] [--max N | --all] [--peek] [--json]``: take the next message
  (highest priority, then oldest); ``--wait`` blocks up to S seconds. Exit 1 when none.
  ``--json`` prints one message object (a list with ``--max``/``--all``/``--peek``).
* ``bus request --from A --to B [--type T] --timeout S PAYLOAD``: send and wait for the
  reply (a ``bus send --reply-to ID``); exit 1 on timeout.
* ``bus sync --name N --agents a,b --timeout S [--from A]``: a barrier; the calling agent
  arrives and waits for the others; exit 1 on timeout (saying who is missing).
* ``bus history [--limit N] [--agent A] [--type T] [--json]``.
* ``bus subscribe [--topic PATTERN] [--agent A] [--type T] [--history N]``: stream
  matching messages as JSON lines until Ctrl-C (runs in the CLI, holding a connection).
  ``--topic system.attention`` streams pane attention changes instead (a pane starts
  waiting for input, fails, finishes...): ``{session, window, pane, state, previous,
  prompt?, at}``.

``--from`` defaults to the agent registered for the pane the command runs in. The verbs
run here, in the server; the ``ai-session bus`` process (``needs_server=False``,
:mod:`aisession_tui.cli.commands.bus`) forwards them and streams ``subscribe`` itself.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from ._bus_common import bus_failure, bus_of, count, message_line, seconds
from ._common import json_result
from .spec import Args, CommandError, CommandResult, CommandSpec

if TYPE_CHECKING:
    from ...bus.core import MessageBus
    from ...bus.model import Message
    from ..context import CommandContext

USAGE = ("send|broadcast|publish|recv|request|sync|history|subscribe [--from A] [--to B] "
         "[--topic X] [--type T] [--priority P] [--reply-to ID] [--wait S] [--max N] "
         "[--all] [--peek] [--name N] [--agents a,b] [--timeout S] [--limit N] "
         "[--agent A] [--history N] [--json] [PAYLOAD|AGENT]")
VERBS = ("send", "broadcast", "publish", "recv", "request", "sync", "history", "subscribe")


def _payload(args: Args, verb: str) -> object:
    from ...bus.model import parse_payload

    if len(args.positional) != 2:
        raise CommandError(f"bus {verb} needs one PAYLOAD argument (JSON, e.g. "
                           "'{\"task\": \"...\"}')")
    return parse_payload(args.positional[1])


def _sent(args: Args, message: Message, recipients: list[str], what: str) -> CommandResult:
    data = {**message.to_dict(), "recipients": recipients}
    if args.has("json"):
        return json_result(data)
    return CommandResult(stdout=f"✅ {what} message {message.id} ({message.type}) to "
                                f"{', '.join(recipients) or 'no agent'}\n", data=data)


async def send(ctx: CommandContext, args: Args, bus: MessageBus, verb: str) -> CommandResult:
    from ...bus.model import parse_priority, parse_type

    payload = _payload(args, verb)
    sender = await ctx.services.bus.sender(args.get("from"), ctx.client_pane)
    kind = parse_type(args.get("type"))
    priority = parse_priority(args.get("priority"))
    topic = args.get("topic")
    if verb == "broadcast":
        message, recipients = await bus.broadcast(sender, kind, payload, priority=priority)
        return _sent(args, message, recipients, "Broadcast")
    if verb == "publish" or (verb == "send" and topic and not args.has("to")):
        if not topic:
            raise CommandError("bus publish needs --topic X")
        message, recipients = await bus.publish(sender, topic, kind, payload,
                                                priority=priority)
        return _sent(args, message, recipients, f"Published on {topic}:")
    if not args.has("to"):
        raise CommandError("bus send needs --to AGENT (or --topic X)")
    reply_to = None
    if args.has("reply-to"):
        try:
            reply_to = int(str(args.get("reply-to")).lstrip("#"))
        except ValueError:
            raise CommandError(f"--reply-to expects a message id: {args.get('reply-to')}") \
                from None
    message = await bus.send(sender, args.get("to"), kind, payload, priority=priority,
                             reply_to=reply_to)
    return _sent(args, message, [args.get("to")], "Sent")


async def recv(ctx: CommandContext, args: Args, bus: MessageBus) -> CommandResult:
    if len(args.positional) > 2:
        raise CommandError("bus recv takes one AGENT")
    name = args.positional[1] if len(args.positional) == 2 else \
        await ctx.services.bus.sender(None, ctx.client_pane)
    several = args.has("all") or args.has("max") or args.has("peek")
    if args.has("peek"):
        messages = bus.peek(name)
    else:
        limit = None if args.has("all") else count(args.get("max"), "--max", 1)
        messages = await bus.receive(name, limit=limit, timeout=seconds(args.get("wait"),
                                                                        "--wait"))
    data = [m.to_dict() for m in messages]
    if not messages:
        return CommandResult(stderr=f"no message for {name}\n", exit_code=1, data=data)
    if args.has("json"):
        return json_result(data if several else data[0])
    return CommandResult(stdout="".join(message_line(m) + "\n" for m in data), data=data)


async def request(ctx: CommandContext, args: Args, bus: MessageBus) -> CommandResult:
    from ...bus.model import parse_priority, parse_type

    payload = _payload(args, "request")
    sender = await ctx.services.bus.sender(args.get("from"), ctx.client_pane)
    if not args.has("to"):
        raise CommandError("bus request needs --to AGENT")
    timeout = seconds(args.get("timeout"), "--timeout") or 30.0
    sent, response = await bus.request(sender, args.get("to"), parse_type(args.get("type")),
                                       payload, timeout=timeout,
                                       priority=parse_priority(args.get("priority")))
    data = {"request": sent.to_dict(), "response": response.to_dict()}
    if args.has("json"):
        return json_result(data)
    return CommandResult(stdout=message_line(data["response"]) + "\n", data=data)


async def sync(ctx: CommandContext, args: Args, bus: MessageBus) -> CommandResult:
    from ...bus.model import parse_list

    if not args.has("name") or not args.has("agents"):
        raise CommandError("bus sync needs --name N and --agents a,b")
    me = await ctx.services.bus.sender(args.get("from"), ctx.client_pane)
    timeout = seconds(args.get("timeout"), "--timeout") or 60.0
    answer = await bus.syncs.arrive(args.get("name"), list(parse_list(args.get("agents"))),
                                    me, timeout)
    if args.has("json"):
        return json_result(answer)
    return CommandResult(stdout=f"✅ Sync point {answer['name']} released (round "
                                f"{answer['round']}): {', '.join(answer['agents'])}\n",
                         data=answer)


async def history(ctx: CommandContext, args: Args, bus: MessageBus) -> CommandResult:
    from ...bus.model import parse_type

    kind = parse_type(args.get("type")) if args.has("type") else None
    agent = args.get("agent")
    if agent is not None:
        bus.agent(agent)
    messages = [m.to_dict() for m in bus.recent(count(args.get("limit"), "--limit", 20),
                                                agent=agent, type=kind)]
    if args.has("json"):
        return json_result(messages)
    if not messages:
        return CommandResult(stdout="No messages\n")
    return CommandResult(stdout="".join(message_line(m) + "\n" for m in messages),
                         data=messages)


async def run(ctx: CommandContext, args: Args) -> CommandResult:
    from ...bus.model import BusError

    verb = args.positional[0]
    if verb not in VERBS:
        raise CommandError(f"unknown bus command: {verb} ({', '.join(VERBS)})")
    try:
        bus = await bus_of(ctx)
        if verb in ("send", "broadcast", "publish"):
            return await send(ctx, args, bus, verb)
        if verb == "recv":
            return await recv(ctx, args, bus)
        if verb == "request":
            return await request(ctx, args, bus)
        if verb == "sync":
            return await sync(ctx, args, bus)
        if verb == "history":
            return await history(ctx, args, bus)
    except BusError as exc:
        raise bus_failure(exc) from None
    raise CommandError("bus subscribe streams from the command line: ai-session bus "
                       "subscribe")


SPEC = CommandSpec(name="bus", usage=USAGE,
                   long_options={"from": True, "to": True, "topic": True, "type": True,
                                 "priority": True, "reply-to": True, "wait": True,
                                 "max": True, "all": False, "peek": False, "name": True,
                                 "agents": True, "timeout": True, "limit": True,
                                 "agent": True, "history": True, "json": False},
                   min_args=1, max_args=2, intermixed=True, needs_server=False, run=run,
                   summary="Send, receive, broadcast, publish and stream bus messages")
