"""Commands a full-screen client carries out for the server: ``command-prompt`` and
``confirm-before`` run from the CLI, a hook, ``run-shell`` or a plugin script open their
prompt in the target client (tmux's ``-t target-client`` rule,
:func:`~aisession_tui.server.client_lock.target_client`), which then runs the answer as if
the user had typed it.

Invariants: the client gets the command's argv as tmux prints it (flags, values, then the
template), without ``-t``; a control-mode client has no prompt to show, so nothing is sent
to it and the command succeeds (tmux 3.3a does the same). The command returns at once:
the answer runs in the client, as with tmux's ``-b``.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from ..protocol import messages
from .client_formats import is_control
from .client_lock import target_client

if TYPE_CHECKING:
    from .commands.spec import Args
    from .context import CommandContext


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


def forward(ctx: CommandContext, name: str, args: Args) -> None:
    """Have the target client run ``name`` (its prompt); raises ``no current client``."""
    client = target_client(ctx, args.get("t"))
    if is_control(client) or getattr(client, "session", None) is None:
        return
    prompt: messages.ClientCommandMessage = {"argv": client_argv(name, args)}
    client.send(messages.CLIENT_COMMAND, prompt)
