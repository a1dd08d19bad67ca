"""list-commands (lscm): every command with its alias and usage, from the registry, as
tmux 3.3a's template ``#{command_list_name}#{?command_list_alias, (#{command_list_alias}),}
#{command_list_usage}`` prints it, or ``-F``'s (an empty line is left out). The alias is
tmux's (the first: ``a`` for attach-session is ai-session's own). A command argument
names one command exactly, by name or alias; anything else lists nothing."""

from __future__ import annotations

from typing import TYPE_CHECKING

from . import all_specs
from ._common import lines
from .spec import Args, CommandResult, CommandSpec

if TYPE_CHECKING:
    from ..context import LocalCommandContext


TEMPLATE = ("#{command_list_name}#{?command_list_alias, (#{command_list_alias}),} "
            "#{command_list_usage}")


def _table_order(spec: CommandSpec) -> str:
    """tmux's command table order: by name, except that display-popup comes before
    display-panes there."""
    return "display-pa!" if spec.name == "display-popup" else spec.name


async def run(ctx: LocalCommandContext, args: Args) -> CommandResult:
    from ..formats import expand

    wanted = args.positional[0] if args.positional else None
    template = args.get("F") or TEMPLATE
    printed = []
    for spec in sorted(all_specs(), key=_table_order):
        if wanted is not None and wanted != spec.name and wanted not in spec.alias[:1]:
            continue
        values = {"command_list_name": spec.name,
                  "command_list_alias": spec.alias[0] if spec.alias else "",
                  "command_list_usage": spec.usage}
        line = expand(template, values.get)
        if line:
            printed.append(line)
    return CommandResult(stdout=lines(printed))


SPEC = CommandSpec(name="list-commands", alias=("lscm",), flags="F:", usage="[-F format] "
                   "[command]", max_args=1, run=run, needs_server=False,
                   summary="List commands")
