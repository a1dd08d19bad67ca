"""bus in the CLI process: ``ai-session bus VERB ...`` forwards the verb to the server
(starting it if needed, with the caller's pane), where
:mod:`aisession_tui.server.commands.bus` runs it, except ``subscribe``, which holds a
connection here and prints each matching message as one JSON line until Ctrl-C.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from ...server.commands._bus_common import bus_failure, count
from ...server.commands.bus import VERBS
from ...server.commands.spec import Args, CommandError, CommandResult

if TYPE_CHECKING:
    from ...server.context import LocalCommandContext


async def subscribe(ctx: LocalCommandContext, args: Args) -> CommandResult:
    """Stream from the CLI process: hold a ``bus.subscribe`` request, print each message
    as one JSON line, stop on Ctrl-C / SIGTERM / a closed stdout."""
    import asyncio
    import json
    import signal
    import sys

    from ...bus.model import BusError, parse_type
    from ...cli.async_client import open_client
    from ...cli.client import ClientError

    if len(args.positional) > 1:
        raise CommandError("bus subscribe takes no arguments (filter with --topic/--agent)")
    try:
        types = [parse_type(args.get("type"))] if args.has("type") else None
    except BusError as exc:
        raise bus_failure(exc) from None
    stop = asyncio.Event()

    def show(method: str, params: dict[str, Any]) -> None:
        if method == "bus.message":
            try:
                sys.stdout.write(json.dumps(params["message"], ensure_ascii=False) + "\n")
                sys.stdout.flush()
            except (BrokenPipeError, ValueError):
                stop.set()
        elif method == "bus.attention":
            try:
                sys.stdout.write(json.dumps(params["attention"], ensure_ascii=False) + "\n")
                sys.stdout.flush()
            except (BrokenPipeError, ValueError):
                stop.set()
        elif method == "bus.overflow":
            sys.stderr.write(f"ai-session: {params.get('message')}\n")

    loop = asyncio.get_running_loop()
    for number in (signal.SIGINT, signal.SIGTERM):
        loop.add_signal_handler(number, stop.set)
    try:
        client = await open_client(ctx.socket_path, start=True, on_notification=show)
    except ClientError as exc:
        return CommandResult(stderr=f"{exc}\n", exit_code=1)
    held = loop.create_task(client.request("bus.subscribe", {
        "topic": args.get("topic"), "agent": args.get("agent"), "types": types,
        "history": count(args.get("history"), "--history", 1) if args.has("history")
        else 0, "hold": True}))
    stopped = loop.create_task(stop.wait())
    try:
        await asyncio.wait({held, stopped}, return_when=asyncio.FIRST_COMPLETED)
    finally:
        stopped.cancel()
        for number in (signal.SIGINT, signal.SIGTERM):
            loop.remove_signal_handler(number)
    if held.done():
        try:
            held.result()
        except ClientError as exc:
            await client.close()
            return CommandResult(stderr=f"{exc}\n", exit_code=1)
    held.cancel()
    await client.close()
    return CommandResult()


def rebuild_argv(args: Args) -> list[str]:
    """The words after ``bus`` that parse back to ``args`` (long options, then ``--``
    and the positional words, so a payload such as ``-1`` stays a payload)."""
    words: list[str] = []
    for key, value in args.flags.items():
        words += [f"--{key}"] if value is True else [f"--{key}", str(value)]
    return [*words, "--", *args.positional]


def forward(socket_path: Any, argv: list[str]) -> CommandResult:
    """Run ``argv`` on the server from the CLI process (starting it if needed), with the
    caller's pane, as the CLI's own request path does."""
    import os

    from ...cli.client import ClientError, connect

    try:
        client = connect(socket_path, start=True)
    except ClientError as exc:
        return CommandResult(stderr=f"{exc}\n", exit_code=1)
    inside = os.environ.get("AI_SESSION", "").split(",", 1)[0]
    client_pane = os.environ.get("AI_SESSION_PANE") if inside == str(socket_path) else None
    try:
        reply = client.request("command", {"argv": argv, "cwd": os.getcwd(),
                                           "env": dict(os.environ),
                                           "client_pane": client_pane})
    except ClientError as exc:
        return CommandResult(stderr=f"{exc}\n", exit_code=1)
    except KeyboardInterrupt:
        return CommandResult(exit_code=130)
    finally:
        client.close()
    return CommandResult(stdout=reply.get("stdout", ""), stderr=reply.get("stderr", ""),
                         exit_code=int(reply.get("exit_code", 0)), data=reply.get("data"))


async def run(ctx: LocalCommandContext, args: Args) -> CommandResult:
    verb = args.positional[0]
    if verb not in VERBS:
        raise CommandError(f"unknown bus command: {verb} ({', '.join(VERBS)})")
    if verb == "subscribe":
        return await subscribe(ctx, args)
    return forward(ctx.socket_path, ["bus", *rebuild_argv(args)])
