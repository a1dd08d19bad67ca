"""Running one command line: find the command, parse its argv, resolve the target (and
source) its spec declares, run it in a context, carry its window changes to the other
members of session groups, then its ``after-<command>`` hook when it succeeded.

Errors a user can cause (unknown command, bad flags, a command that cannot do what it
was asked, a write the disk refused) become stderr and exit code 1, never an exception.
"""

from __future__ import annotations

from ..store.db import StoreError
from .commands import UnknownCommand, find
from .commands.spec import CommandError, CommandResult, UsageError, parse_args
from .context import CommandContext, with_targets
from .session_groups import synchronize as synchronize_groups


async def run_argv(context: CommandContext, argv: list[str]) -> CommandResult:
    """Parse and run ``argv`` (name first) in ``context``."""
    try:
        spec = find(argv[0])
    except UnknownCommand as exc:
        return CommandResult(stderr=f"{exc}\n", exit_code=1)
    try:
        args = parse_args(spec, argv[1:])
        try:
            result = await spec.run(with_targets(context, spec, args), args)
        finally:  # a group member's window changes reach the other members
            synchronize_groups(context.services.engine)
        if result.exit_code == 0:
            context.services.hooks.after_command(context, spec.name, args.get("t"))
        return result
    except UsageError as exc:
        return CommandResult(stderr=f"{exc}\n", exit_code=1)
    except CommandError as exc:
        return CommandResult(stderr=f"{exc}\n", exit_code=1)
    except StoreError as exc:  # a write the disk refused: the caller hears why
        return CommandResult(stderr=f"ai-session: {exc}\n", exit_code=1)
