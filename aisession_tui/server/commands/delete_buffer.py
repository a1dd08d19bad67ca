"""delete-buffer (deleteb): remove a paste buffer (the newest without ``-b``)."""

from __future__ import annotations

from .spec import Args, CommandError, CommandResult, CommandSpec


async def run(ctx, args: Args) -> CommandResult:
    engine = ctx.engine
    name = args.get("b")
    if name is None:
        if not engine.buffers:
            raise CommandError("no buffer")
        name = engine.buffers[0][0]
    if all(n != name for n, _ in engine.buffers):
        raise CommandError(f"no buffer {name}")
    engine.buffers = [(n, t) for n, t in engine.buffers if n != name]
    return CommandResult()


SPEC = CommandSpec(name="delete-buffer", alias=("deleteb",), flags="b:",
                   usage="[-b buffer-name]", run=run, summary="Delete a paste buffer")
