"""set-option (set): set a server, session or window option, or a user option ``@name``.

``-g`` global; without it, as tmux, a window option (or ``-w``) is set on the window of
``-t`` (the current one by default), a session option on the session of ``-t`` (the current
one), a server option (or ``-s``) globally. ``-u`` unsets, ``-o`` refuses to overwrite,
``-q`` hides errors about unknown options, ``-a`` appends.
"""

from __future__ import annotations

from ..options import option_kind
from .spec import Args, CommandError, CommandResult, CommandSpec


def option_scope(ctx, args: Args) -> str | None:
    """Where the option lives, as tmux decides: ``None`` (global) with ``-g``, ``-s`` or
    for a server option; else the window (``@N``: ``-w``/``-p`` or a window option) or the
    session (``$N``) named by ``-t``, the current one without it."""
    name = args.positional[0] if args.positional else ""
    if args.has("g") or args.has("s") or option_kind(name) == "server":
        return None
    if args.has("w") or args.has("p") or option_kind(name) == "window":
        _, window = ctx.find_window(args.get("t"))
        return f"@{window.id}"
    return f"${ctx.find_session(args.get('t')).id}"


async def run(ctx, args: Args) -> CommandResult:
    options = ctx.engine.options
    name = args.positional[0]
    value = args.positional[1] if len(args.positional) > 1 else None
    scope = option_scope(ctx, args)
    try:
        if args.has("o") and options.get(name, scope) and not args.has("u"):
            raise CommandError(f"already set: {name}")
        if args.has("a") and value is not None:
            value = options.get(name, scope) + value
        options.set(name, value, scope, unset=args.has("u"))
    except CommandError:
        if args.has("q"):
            return CommandResult()
        raise
    ctx.engine.options_changed(name)
    return CommandResult()


SPEC = CommandSpec(name="set-option", alias=("set",), flags="aFgopqsuUwt:",
                   usage="[-aFgopqsuUw] [-t target-pane] option [value]", min_args=1,
                   max_args=2, run=run, summary="Set an option")
