"""display-panes (displayp): show each pane's number on a client; a number key selects
the pane. The full-screen client draws them (as with ``prefix q``); a control client has
nothing to draw on and succeeds, as in tmux 3.3a. The client is ``-t``, else the asking
one, else the most recently active one (``no current client`` without any)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from ...protocol import messages
from .spec import Args, CommandResult, CommandSpec

if TYPE_CHECKING:
    from ..context import CommandContext


async def run(ctx: CommandContext, args: Args) -> CommandResult:
    from ..client_formats import is_control
    from ..client_lock import target_client

    client = target_client(ctx, args.get("t"))
    if not is_control(client):
        client.send(messages.DISPLAY_PANES, {})
    return CommandResult()


SPEC = CommandSpec(name="display-panes", alias=("displayp",), flags="bNd:t:",
                   usage="[-bN] [-d duration] [-t target-client] [template]", max_args=1,
                   run=run, summary="Show pane numbers")
