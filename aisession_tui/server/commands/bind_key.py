"""bind-key (bind): bind a key to a command list in a key table (``-T``, ``-n`` root,
``-r`` repeat, ``-N`` note), as tmux 3.3a's ``cmd-bind-key.c``.

The commands after the key are one ``{ }`` block, a single string holding a command line,
or words split at ``;``. A key with no command only changes an existing binding's note.
Unknown keys and commands are refused and leave the tables unchanged.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from .spec import Args, CommandError, CommandResult, CommandSpec

if TYPE_CHECKING:
    from .. import cmdlang
    from ..context import CommandContext
    from ..key_tables import KeyTables


def positional_blocks(args: Args, name: str) -> frozenset[int]:
    """Which positional arguments were ``{ }`` blocks in the command being run."""
    from ..command_lists import RUNNING

    running = RUNNING.get()
    if running is None or running.argv[0] != name or not args.positional:
        return frozenset()
    start = len(running.argv) - len(args.positional)
    if list(running.argv[start:]) != args.positional:
        return frozenset()
    return frozenset(index - start for index in running.blocks if index >= start)


def running_block(args: Args, blocks: frozenset[int]) -> tuple[cmdlang.Command, ...] | None:
    """The commands of a ``{ }`` block given as the only command, as the file parsed them
    (a line each, so a failing command skips only the rest of its line and list-keys
    prints `` \\;\\; `` between lines, as tmux's)."""
    from ..command_lists import RUNNING

    running = RUNNING.get()
    if running is None or len(args.positional) != 2 or 1 not in blocks:
        return None
    return running.block(args.positional[1])


def apply_bind(tables: KeyTables, args: Args, blocks: frozenset[int],
               parsed_block: tuple[cmdlang.Command, ...] | None = None) -> None:
    """Bind as ``args`` says (raises CommandError with tmux's wording); ``parsed_block``:
    the commands of the block, as parsed with their file."""
    from ..key_tables import KeyTableError, binding_commands

    table = args.get("T") or ("root" if args.has("n") else "prefix")
    key = args.positional[0]
    words = args.positional[1:]
    commands: tuple[cmdlang.Command, ...] | None = None
    if parsed_block is not None:
        commands = parsed_block or None
    elif words:
        item_blocks = frozenset(index - 1 for index in blocks if index >= 1)
        if len(words) == 1 and 0 not in item_blocks:
            item_blocks = frozenset({0})  # one string: a command line, as tmux parses it
        try:
            commands = binding_commands(words, item_blocks, tables.resolve)
        except ValueError as exc:
            raise CommandError(str(exc)) from None
        if not commands:
            commands = None
    try:
        tables.bind(table, key, commands, note=args.get("N"), repeat=args.has("r"))
    except KeyTableError as exc:
        raise CommandError(str(exc)) from None


async def run(ctx: CommandContext, args: Args) -> CommandResult:
    blocks = positional_blocks(args, "bind-key")
    apply_bind(ctx.services.key_tables, args, blocks, running_block(args, blocks))
    return CommandResult()


SPEC = CommandSpec(name="bind-key", alias=("bind",), flags="nrN:T:",
                   usage="[-nr] [-T key-table] [-N note] key [command [arguments]]",
                   min_args=1, max_args=None, run=run,
                   summary="Bind a key to a command list")
