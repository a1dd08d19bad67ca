"""set-option (set): set a server, session, window or pane option, or a user option ``@name``.

Which table is changed follows tmux 3.3a (``options_scope_from_name``): a server option is
always global; a session option goes to the session of ``-t`` (the current one), or the
global session table with ``-g``; a window option to the window of ``-t``, or the global
window table with ``-g``; ``-p`` sets a pane's own value of an option panes may override. A
user option ``@name`` goes where the flags say (``-s``, ``-p``, ``-w``, else a session).

Flags: ``-u`` unsets (a global table goes back to the default), ``-U`` also unsets the
option in every pane of the window, ``-o`` refuses to overwrite (``already set``), ``-a``
appends (with the option's separator: ``set -a status-style bold``), ``-F`` expands the
value as a format, ``-q`` keeps quiet about unknown options and missing targets. An option
name may be a unique prefix (``set -g status-j centre``) and an array item ``name[N]``.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from ..option_table import BY_NAME, PANE, SERVER, SESSION
from ..options import resolve_option
from .spec import Args, CommandError, CommandResult, CommandSpec

if TYPE_CHECKING:
    from ..context import CommandContext
    from ..pane import Pane
    from ..registry import Session, Window


def _target(ctx: CommandContext, args: Args
            ) -> tuple[Session | None, Window | None, Pane | None]:
    """(session, window, pane) of ``-t`` or the current pane; Nones where there is none."""
    try:
        return ctx.find_pane(args.get("t"))
    except CommandError:
        try:
            session = ctx.find_session(args.get("t"))
        except CommandError:
            return None, None, None
        return session, None, None


def _missing(kind: str, args: Args) -> CommandError:
    target = args.get("t")
    return CommandError(f"no such {kind}: {target}" if target else f"no current {kind}")


def table_chain(ctx: CommandContext, args: Args, name: str | None, window_command: bool = False) -> list[str]:
    """The table the command acts on, then its parents (what ``-A`` inherits from).

    ``name`` None (``show`` of a whole table) or a user option: the flags decide; a table
    option: its own scope decides, as in tmux."""
    session, window, pane = _target(ctx, args)
    option = None if name is None or name.startswith("@") else BY_NAME[name]
    if option is None:
        if args.has("s"):
            return ["server"]
        wants_pane = args.has("p")
        wants_window = window_command or args.has("w")
        wants_session = not wants_pane and not wants_window
    else:
        if option.scope & SERVER:
            return ["server"]
        wants_session = bool(option.scope & SESSION)
        wants_pane = bool(option.scope & PANE) and args.has("p")
        wants_window = not wants_session and not wants_pane
    if wants_pane:
        if pane is None or window is None:  # (a pane always has its window)
            raise _missing("pane", args)
        return [f"%{pane.id}", f"@{window.id}", "window"]
    if wants_window:
        if args.has("g"):
            return ["window"]
        if window is None:
            raise _missing("window", args)
        return [f"@{window.id}", "window"]
    if args.has("g"):
        return ["session"]
    if session is None:
        raise _missing("session", args)
    return [f"${session.id}", "session"]


def expand_for_target(ctx: CommandContext, args: Args, text: str) -> str:
    """``text`` expanded as a format for the target (tmux expands option names so)."""
    session, window, pane = _target(ctx, args)
    return ctx.expand(text, session, window, pane)


async def run(ctx: CommandContext, args: Args, window_command: bool = False) -> CommandResult:
    options = ctx.engine.options
    argument = args.positional[0]
    if "#" in argument:
        argument = expand_for_target(ctx, args, argument)
    value = args.positional[1] if len(args.positional) > 1 else None
    if value is not None and args.has("F"):
        value = expand_for_target(ctx, args, value)
    try:
        name, index = resolve_option(argument)
        chain = table_chain(ctx, args, name, window_command)
    except CommandError:
        if args.has("q"):
            return CommandResult()
        raise
    table = chain[0]
    option = BY_NAME.get(name)
    if index is not None and (option is None or not option.array):
        raise CommandError(f"not an array: {argument}")
    unset = args.has("u") or args.has("U")
    if not unset and args.has("o"):
        own = options.table(table).get(name)
        already = own is not None and (index is None or
                                       (isinstance(own, dict) and index in own))
        if already:
            if args.has("q"):
                return CommandResult()
            raise CommandError(f"already set: {argument}")
    if args.has("U") and table.startswith("@"):
        _, window = ctx.find_window(f"{table}")
        for pane in window.panes.values():
            options.set(name, None, f"%{pane.id}", unset=True, index=index)
    options.set(name, value, table, unset=unset, index=index, append=args.has("a"))
    ctx.engine.options_changed(name)
    return CommandResult()


SPEC = CommandSpec(name="set-option", alias=("set",), flags="aFgopqsuUwt:",
                   usage="[-aFgopqsuUw] [-t target-pane] option [value]", min_args=1,
                   max_args=2, run=run, summary="Set an option")
