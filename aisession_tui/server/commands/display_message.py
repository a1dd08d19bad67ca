"""display-message (display): expand a format for a target, strftime included as in tmux
(``%H`` is the hour); ``-p`` prints it, ``-a`` lists every variable with its value."""

from __future__ import annotations

from ._common import lines
from .spec import Args, CommandResult, CommandSpec

DEFAULT_MESSAGE = "[#{session_name}] #{window_index}:#{window_name}, current pane " \
                  "#{pane_index} - (%H:%M %d-%b-%y)"


async def run(ctx, args: Args) -> CommandResult:
    # Imported here, in the server: the CLI loads every command module to parse its flags
    # and must not pay for the model (see tests/unit/test_headless_imports.py).
    from ..format_vars import VARIABLES, format_lookup
    from ..formats import expand

    session, window, pane = ctx.find_pane(args.get("t"))
    lookup = format_lookup(ctx.server, session, window, pane)
    from ..client_formats import client_lookup, client_of

    if client_of(ctx.client) is not None:
        lookup = client_lookup(lookup, client_of(ctx.client))
    if args.has("a"):

        out = []
        for name in VARIABLES:
            value = lookup(name)
            if value is not None:
                out.append(f"{name}={value}")
        return CommandResult(stdout=lines(out))
    template = args.get("F") or (args.positional[0] if args.positional else DEFAULT_MESSAGE)
    text = expand(template, lookup, expand_time=True)     # tmux: format_expand_time
    if not args.has("p") and ctx.server.show_message(session, text):
        return CommandResult()
    return CommandResult(stdout=text + "\n")


SPEC = CommandSpec(name="display-message", alias=("display",), flags="aINpvc:d:F:t:",
                   usage="[-aINpv] [-c target-client] [-d delay] [-F format] [-t target-pane] "
                         "[message]",
                   max_args=1, run=run, summary="Display a message or print a format")
