"""display-message (display): expand a format for a target, strftime included as in tmux
(``%H`` is the hour); ``-p`` prints it, ``-a`` lists every variable with its value.

tmux 3.3a's rules: a format given both with ``-F`` and as the argument is an error
(``only one of -F or argument must be given``); ``-d`` is a number of milliseconds
(``delay invalid`` / ``delay too small``) sent with the message (``-N``: a key does not
dismiss it); without ``-p`` the message goes to the status line of ``-c``'s client (none
if it is not found) or of the clients attached to the target's session, and to no one
when none is attached (tmux prints nothing then); run with no client at all (a config
file at start, a hook) the message is an error line, as tmux's ``cmdq_error``. ``-I``
(the client's stdin as the output of an empty pane) answers ``pane is not empty``, as tmux
does for any pane that runs a program: ai-session has no empty panes. ``-v`` (tmux logs
each step of the expansion) is accepted and logs nothing.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from ._common import lines
from .spec import UINT_MAX, Args, CommandResult, CommandSpec, bounded_number

if TYPE_CHECKING:
    from collections.abc import Callable

    from ..clients import AttachedClient
    from ..context import CommandContext

DEFAULT_MESSAGE = "[#{session_name}] #{window_index}:#{window_name}, current pane " \
                  "#{pane_index} - (%H:%M %d-%b-%y)"


async def run(ctx: CommandContext, args: Args) -> CommandResult:
    # Imported here, in the server: the CLI loads every command module to parse its flags
    # and must not pay for the model (see tests/unit/test_headless_imports.py).
    from ..format_vars import VARIABLES, format_lookup
    from ..formats import expand
    from .spec import CommandError

    if args.has("I"):
        # tmux feeds the client's stdin to an empty pane (split-window -I / ''); every
        # ai-session pane runs a program, so it is never empty
        try:
            ctx.find_pane(args.get("t"))
        except CommandError:
            return CommandResult()
        raise CommandError("pane is not empty")
    if args.has("F") and args.positional:
        raise CommandError("only one of -F or argument must be given")
    delay = None
    if args.has("d"):
        delay = bounded_number(str(args.get("d")), 0, UINT_MAX, "delay")
    session, window, pane = ctx.find_pane(args.get("t"))
    lookup: Callable[[str], str | None] = format_lookup(ctx.services, session, window, pane)
    from ..client_formats import client_lookup, client_of

    own = client_of(ctx.client)
    if own is not None:
        lookup = client_lookup(lookup, own)
    if ctx.mouse is not None:  # a mouse key's command: #{mouse_x}...
        from ..mouse_target import with_mouse_formats

        lookup = with_mouse_formats(lookup, ctx.engine.registry, ctx.engine.options, ctx.mouse)
    if args.has("a"):

        out = []
        for name in VARIABLES:
            value = lookup(name)
            if value is not None:
                out.append(f"{name}={value}")
        return CommandResult(stdout=lines(out))
    template = args.get("F") or (args.positional[0] if args.positional else DEFAULT_MESSAGE)
    text = expand(template, lookup, expand_time=True)     # tmux: format_expand_time
    if ctx.client is None:  # no client (a config file at start, a hook): an error line
        return CommandResult(stderr=text + "\n")
    if args.has("p"):
        return CommandResult(stdout=text + "\n")
    no_dismiss = args.has("N")
    if args.has("c"):
        target = _client_named(ctx, args.get("c"))
        if target is not None:
            ctx.services.clients.show_message(target.session, text, only=target, delay=delay,
                                              no_dismiss=no_dismiss)
        return CommandResult()
    ctx.services.clients.post_message(session, text, delay=delay, no_dismiss=no_dismiss)
    return CommandResult()


def _client_named(ctx: CommandContext, name: str) -> AttachedClient | None:
    """The attached client called ``name`` (tmux's client name), or None."""
    from ..client_formats import client_name

    for client in ctx.services.clients.clients.values():
        if client_name(client) == name:
            return client
    return None


SPEC = CommandSpec(name="display-message", alias=("display",), flags="aINpvc:d:F:t:",
                   usage="[-aINpv] [-c target-client] [-d delay] [-F format] [-t target-pane] "
                         "[message]",
                   max_args=1, run=run, summary="Display a message or print a format")
