"""wait-for (wait): block until a channel is signalled (``-S`` wakes every waiter; a
signal with nobody waiting is remembered for the next waiter, as tmux does); ``-L`` and
``-U`` lock and unlock a channel."""

from __future__ import annotations

from .spec import Args, CommandError, CommandResult, CommandSpec


async def run(ctx, args: Args) -> CommandResult:
    import asyncio

    server = ctx.server
    name = args.positional[0]
    loop = asyncio.get_running_loop()
    if args.has("S"):
        waiters = server.waiters.pop(name, [])
        if not waiters:
            server.signalled.add(name)
        for future in waiters:
            if not future.done():
                future.set_result(None)
        return CommandResult()
    if args.has("L"):
        queue = server.locks.setdefault(name, [])
        if name in server.locked:
            future = loop.create_future()
            queue.append(future)
            await future
        server.locked.add(name)
        return CommandResult()
    if args.has("U"):
        if name not in server.locked:
            raise CommandError(f"channel {name} not locked")
        queue = server.locks.get(name, [])
        while queue:
            future = queue.pop(0)
            if not future.done():
                future.set_result(None)  # ownership passes to the next locker
                return CommandResult()
        server.locked.discard(name)
        return CommandResult()
    if name in server.signalled:
        server.signalled.discard(name)
        return CommandResult()
    future = loop.create_future()
    server.waiters.setdefault(name, []).append(future)
    try:
        await future
    finally:
        waiters = server.waiters.get(name)
        if waiters and future in waiters:
            waiters.remove(future)
    return CommandResult()


SPEC = CommandSpec(name="wait-for", alias=("wait",), flags="LSU", usage="[-L|-S|-U] channel",
                   min_args=1, max_args=1, run=run, summary="Wait for, signal, or lock a channel")
