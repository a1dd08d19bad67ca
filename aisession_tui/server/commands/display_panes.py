"""display-panes (displayp): show each pane's number on a client; a number key selects
the pane (runs the template, ``select-pane -t "%%%"``, with its id). ``-d`` is checked
here (tmux's ``delay invalid``/``too small``/``too large``); the flags and template go to
the client, which draws the marks and takes the key (``-b``: tmux's command returns at
once; here it always does, as the client draws and chooses on its own). A control
client has nothing to draw on and succeeds, as in tmux 3.3a. The client is ``-t``, else the asking
one, else the most recently active one (``no current client`` without any)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from ...protocol import messages
from .spec import UINT_MAX, Args, CommandResult, CommandSpec, bounded_number

if TYPE_CHECKING:
    from ..context import CommandContext


async def run(ctx: CommandContext, args: Args) -> CommandResult:
    from ..client_formats import is_control
    from ..client_lock import target_client

    client = target_client(ctx, args.get("t"))
    delay = args.get("d")
    if delay is not None:
        bounded_number(str(delay), 0, UINT_MAX, "delay")
    if not is_control(client):
        forwarded = [f"-{flag}" for flag in "bN" if args.has(flag)]
        if delay is not None:
            forwarded += ["-d", str(delay)]
        client.send(messages.DISPLAY_PANES, {"args": forwarded + list(args.positional)})
    return CommandResult()


SPEC = CommandSpec(name="display-panes", alias=("displayp",), flags="bNd:t:",
                   usage="[-bN] [-d duration] [-t target-client] [template]", max_args=1,
                   run=run, summary="Show pane numbers")
