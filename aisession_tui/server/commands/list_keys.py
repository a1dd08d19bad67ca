"""list-keys (lsk): print key bindings as tmux 3.3a's ``cmd-list-keys.c`` does.

Without ``-N``: ``bind-key`` lines that tmux can read back, aligned over what is printed
(``-T`` one table, ``key`` one key; ``-1`` changes nothing here, as in tmux). With ``-N``:
the notes, root then prefix (after the ``prefix`` option's key, or ``-P``), ``-a`` adding
the bindings without a note (their commands instead), ``-1`` the first line only; from an
attached client that line goes to the status line, as tmux shows it. A key given with
nothing to show is tmux's ``unknown key: KEY`` error (with ``-N``: no note for it).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from .spec import Args, CommandError, CommandResult, CommandSpec

if TYPE_CHECKING:
    from ..context import CommandContext


async def run(ctx: CommandContext, args: Args) -> CommandResult:
    from ..key_tables import KeyTableError, parse_key

    tables = ctx.services.key_tables
    table = args.get("T")
    only = None
    if args.positional:
        parsed = parse_key(args.positional[0])
        if parsed is None:
            raise CommandError(f"invalid key: {args.positional[0]}")
        only = parsed[1]
    if args.has("N"):
        if table is not None and table not in tables.tables:
            raise CommandError(f"table {table} doesn't exist")
        prefix = ctx.services.engine.options.get("prefix")
        lines, found = tables.notes(table, None if prefix in ("", "None") else prefix,
                                    only=only, every=args.has("a"), first=args.has("1"),
                                    prefix_text=args.get("P"))
        if only is not None and not found:  # nothing to show for that key: tmux's error
            raise CommandError(f"unknown key: {args.positional[0]}")
        if args.has("1"):
            client = ctx.client.attached if ctx.client is not None else None
            if lines and client is not None:
                ctx.services.clients.post_message(client.session, lines[0])
                return CommandResult()
            return CommandResult(stdout=lines[0] + "\n" if lines else "")
        return CommandResult(stdout="".join(line + "\n" for line in lines))
    try:
        lines = tables.list_keys(table, only)
    except KeyTableError as exc:
        raise CommandError(str(exc)) from None
    if only is not None and not lines:
        raise CommandError(f"unknown key: {args.positional[0]}")
    return CommandResult(stdout="".join(line + "\n" for line in lines))


SPEC = CommandSpec(name="list-keys", alias=("lsk",), flags="1aNP:T:",
                   usage="[-1aN] [-P prefix-string] [-T key-table] [key]", max_args=1,
                   run=run, summary="List key bindings")
