"""source-file (source): run the commands of tmux-language files (see command_lists)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from .spec import Args, CommandResult, CommandSpec

if TYPE_CHECKING:
    from ..context import CommandContext


async def run(ctx: CommandContext, args: Args) -> CommandResult:
    from ..command_lists import source_file
    from ..dispatch import run_argv

    out: list[str] = []
    err: list[str] = []
    code = 0
    for path in args.positional:
        if args.has("F"):
            path = ctx.expand(path)
        result = await source_file(run_argv, ctx, path, quiet=args.has("q"),
                                   parse_only=args.has("n"), verbose=args.has("v"))
        out.append(result.stdout)
        err.append(result.stderr)
        code = code or result.exit_code
    return CommandResult(stdout="".join(out), stderr="".join(err), exit_code=code)


SPEC = CommandSpec(name="source-file", alias=("source",), flags="Fnqv",
                   usage="[-Fnqv] path ...", min_args=1, max_args=None, run=run,
                   summary="Run the commands in tmux-language files")
