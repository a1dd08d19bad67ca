"""refresh-client (refresh): redraw a client, or set a control client's state.

* no flag: a full-screen client is sent its whole screen again;
* ``-C WxH`` (or ``W,H``): a control client's size; its session's windows follow, as tmux's
  do (``%layout-change``);
* ``-f flags``: client flags, comma separated, ``!`` in front clears one: ``read-only``,
  ``ignore-size``, ``active-pane`` for any client, and for a control client
  ``no-output``, ``pause-after=N`` (seconds), ``wait-exit`` (:mod:`..client_flags`);
* ``-A %N:on|off|pause|continue`` (repeatable): a control client's output of one pane;
* ``-B name:target:format`` (repeatable) subscribes to a format (``%subscription-changed``
  when its value changes; target ``%N``, ``%*``, ``@*`` or empty for the session),
  ``-B name`` unsubscribes.

The client is ``-t target-client`` (a name from ``list-clients``), else the client that
asked, else the most recent one (``target=CLIENT``: ``client_formats.find_client``).
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from ..client_flags import set_flags
from ..client_formats import is_control
from .spec import CLIENT, Args, CommandError, CommandResult, CommandSpec

if TYPE_CHECKING:
    from ..context import CommandContext
    from ..control import ControlClient

def _pane_states(ctx: CommandContext, client: ControlClient, items: list[str]) -> None:
    for item in items:
        target, _, state = item.rpartition(":")
        if state not in ("on", "off", "pause", "continue") or not target:
            raise CommandError(f"bad pane argument: {item}")
        _, _, pane = ctx.find_pane(target)
        client.set_pane_state(pane.id, state)


def _subscriptions(client: ControlClient, items: list[str]) -> None:
    for item in items:
        name, _, rest = item.partition(":")
        if not rest:
            client.subscriptions.pop(name, None)
            for key in [key for key in client.subscription_values if key[0] == name]:
                del client.subscription_values[key]
            continue
        target, _, template = rest.partition(":")
        client.subscriptions[name] = (target, template)
    client.check_subscriptions()


def _size(ctx: CommandContext, client: ControlClient, text: str) -> None:
    match = re.fullmatch(r"(\d+)[x,](\d+)", text)
    if match is None:
        raise CommandError("bad size argument")
    columns, lines = int(match.group(1)), int(match.group(2))
    if not (1 <= columns <= 10000 and 1 <= lines <= 10000):
        raise CommandError("size too small or too big")
    client.columns, client.lines, client.size_set = columns, lines, True
    ctx.services.clients.sizes.recalculate(now=True)


async def run(ctx: CommandContext, args: Args) -> CommandResult:
    client = ctx.target.client  # an attached or a control client
    for flag in "Ff":  # any client (control-only flags are ignored for the others)
        if args.has(flag):  # -F is tmux's alias of -f
            set_flags(client, args.get(flag))
            ctx.services.clients.sizes.recalculate()  # ignore-size may have changed
    if any(args.has(flag) for flag in "ABC"):  # a control client's state
        if not is_control(client):
            raise CommandError("not a control client")
        if args.has("A"):
            _pane_states(ctx, client, args.all("A"))
        elif args.has("B"):
            _subscriptions(client, args.all("B"))
        else:
            _size(ctx, client, args.get("C"))
    elif not is_control(client):
        client.mark_structure()
    return CommandResult()


SPEC = CommandSpec(name="refresh-client", alias=("refresh",), flags="A:B:cC:Df:F:lLRSt:U",
                   repeatable="AB", max_args=1,
                   usage="[-cDlLRSU] [-A pane:state] [-B name:what:format] [-C XxY] "
                         "[-f flags] [-t target-client] [adjustment]",
                   run=run, target=CLIENT,
                   summary="Refresh a client, or set a control client's state")
