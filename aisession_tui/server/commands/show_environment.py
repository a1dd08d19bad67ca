"""show-environment (showenv): the global (-g) or a session's environment, sorted by name,
as tmux 3.3a prints it: ``NAME=value``, ``-NAME`` for a removed variable, hidden ones only
with -h, ``-s`` as Bourne shell commands; one name shows that variable or fails with
``unknown variable: NAME``."""

from __future__ import annotations

from typing import TYPE_CHECKING

from .spec import Args, CommandError, CommandResult, CommandSpec

if TYPE_CHECKING:
    from ..context import CommandContext


def _escape(value: str) -> str:
    out = []
    for char in value:
        if char in "$`\"\\":
            out.append("\\")
        out.append(char)
    return "".join(out)


def _line(name: str, value: str | None, shell: bool) -> str:
    if not shell:
        return f"{name}={value}" if value is not None else f"-{name}"
    if value is None:
        return f"unset {name};"
    return f'{name}="{_escape(value)}"; export {name};'


async def run(ctx: CommandContext, args: Args) -> CommandResult:
    from ..environment import target_environment

    environment, _session = target_environment(ctx, args)
    hidden_only = args.has("h")
    shell = args.has("s")
    if args.positional:
        name = args.positional[0]
        if name not in environment.values:
            raise CommandError(f"unknown variable: {name}")
        names = [name]
    else:
        names = sorted(environment.values)
    out = [_line(name, environment.values[name], shell) for name in names
           if (name in environment.hidden) == hidden_only]
    return CommandResult(stdout="".join(line + "\n" for line in out))


SPEC = CommandSpec(name="show-environment", alias=("showenv",), flags="hgst:",
                   usage="[-hgs] [-t target-session] [name]", max_args=1, run=run,
                   summary="Show the variables of an environment")
