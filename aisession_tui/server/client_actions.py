"""Commands a full-screen client carries out for the server: ``command-prompt`` and
``confirm-before`` run from the CLI, a hook, ``run-shell`` or a plugin script open their
prompt in the target client (tmux's ``-t target-client`` rule,
:func:`~aisession_tui.server.client_lock.target_client`), which then runs the answer as if
the user had typed it.

Invariants: the client gets the command's argv as tmux prints it (flags, values, then the
template), without ``-t``; a control-mode client has no prompt to show, so nothing is sent
to it and the command succeeds (tmux 3.3a does the same). Without ``-b`` (and, for
command-prompt, ``-i``) the command waits, as tmux's, until the prompt is answered and its
commands ran: the client reports it with a ``prompt-done`` request naming the wait, and
its code is the command's exit code (confirm-before: 0 for ``y``, else 1, as tmux gives a
command-line client). A client that goes away ends the wait with 1. The open waits are
the server's :class:`~.prompt_waits.PromptWaits` (``ctx.services.prompt_waits``).
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from typing import TYPE_CHECKING

from ..protocol import messages
from .client_formats import is_control
from .client_lock import target_client

if TYPE_CHECKING:
    from .clients import AttachedClient
    from .commands.spec import Args
    from .context import CommandContext

GONE_CHECK = 0.5
"""Seconds between checks that a waited-for client is still attached."""


def client_argv(name: str, args: Args) -> list[str]:
    """``name`` with ``args`` as argv again, ``-t`` left out (it named the client)."""
    argv = [name]
    for flag, value in args.flags.items():
        if flag == "t":
            continue
        for item in value if isinstance(value, list) else [value]:
            argv.extend([f"-{flag}"] if item is True else [f"-{flag}", str(item)])
    argv.extend(args.positional)
    return argv


async def forward(ctx: CommandContext, name: str, args: Args) -> int:
    """Have the target client run ``name`` (its prompt) and, unless ``-b`` or ``-i``,
    wait until it is done; the exit code. Raises ``no current client``."""
    client = target_client(ctx, args.get("t"))
    if is_control(client):
        return 0
    prompt: messages.ClientCommandMessage = {"argv": client_argv(name, args)}
    if args.has("b") or args.has("i"):
        client.send(messages.CLIENT_COMMAND, prompt)
        return 0

    def send(wait: int) -> None:
        prompt["wait"] = wait
        client.send(messages.CLIENT_COMMAND, prompt)

    return await wait_for_client(ctx, client, send)


async def wait_for_client(ctx: CommandContext, client: AttachedClient,
                          send: Callable[[int], None]) -> int:
    """Call ``send`` with a new wait id (it sends the client what it is to report done)
    and wait until the client reports it (its code) or goes away (1)."""
    waits = ctx.services.prompt_waits
    wait, done = waits.open()
    try:
        send(wait)
        while True:
            try:
                return await asyncio.wait_for(asyncio.shield(done), GONE_CHECK)
            except TimeoutError:
                if _gone(ctx, client):
                    return 1
    finally:
        waits.close(wait)


def _gone(ctx: CommandContext, client: AttachedClient) -> bool:
    """Whether ``client`` left (detached, exited) while its prompt was open."""
    return client not in ctx.services.clients.clients.values()

