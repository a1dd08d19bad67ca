"""list-commands (lscm): every command with its aliases and usage, from the registry."""

from __future__ import annotations

from typing import TYPE_CHECKING

from . import all_specs, find
from ._common import lines
from .spec import Args, CommandResult, CommandSpec

if TYPE_CHECKING:
    from ..context import LocalCommandContext


async def run(ctx: LocalCommandContext, args: Args) -> CommandResult:
    specs = [find(args.positional[0])] if args.positional else list(all_specs())
    return CommandResult(stdout=lines([spec.usage_line for spec in specs]))


SPEC = CommandSpec(name="list-commands", alias=("lscm",), flags="F:", usage="[-F format] "
                   "[command]", max_args=1, run=run, needs_server=False,
                   summary="List commands")
