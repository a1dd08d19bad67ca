"""unbind-key (unbind): remove a key's binding, or with ``-a`` every binding of a table;
``-q`` keeps quiet about errors. Worded as tmux 3.3a's ``cmd-unbind-key.c``."""

from __future__ import annotations

from typing import TYPE_CHECKING

from .spec import Args, CommandError, CommandResult, CommandSpec

if TYPE_CHECKING:
    from ..context import CommandContext


async def run(ctx: CommandContext, args: Args) -> CommandResult:
    from ..key_tables import parse_key

    tables = ctx.services.key_tables
    quiet = args.has("q")

    def fail(message: str) -> CommandResult:
        if quiet:
            return CommandResult()
        raise CommandError(message)

    default = "root" if args.has("n") else "prefix"
    if args.has("a"):
        if args.positional:
            return fail("key given with -a")
        table = args.get("T") or default
        if table not in tables.tables:
            return fail(f"table {table} doesn't exist")
        tables.remove_table(table)
        return CommandResult()
    if not args.positional:
        return fail("missing key")
    key = args.positional[0]
    if parse_key(key) is None:
        return fail(f"unknown key: {key}")
    if args.has("T"):
        table = args.get("T")
        if table not in tables.tables:
            return fail(f"table {table} doesn't exist")
    else:
        table = default
    tables.unbind(table, key)
    return CommandResult()


SPEC = CommandSpec(name="unbind-key", alias=("unbind",), flags="anqT:",
                   usage="[-anq] [-T key-table] key", max_args=1, run=run,
                   summary="Remove key bindings")
