"""set-buffer (setb): store text in a paste buffer (``-b name``, ``-a`` appends, ``-n``
renames). Copy mode in the client saves its selection with this command."""

from __future__ import annotations

from .spec import Args, CommandError, CommandResult, CommandSpec


async def run(ctx, args: Args) -> CommandResult:
    engine = ctx.engine
    name = args.get("b")
    if args.has("n"):
        new_name = args.get("n")
        text = engine.get_buffer(name)
        old = name or engine.buffers[0][0]
        engine.buffers = [(n, t) for n, t in engine.buffers if n != old]
        engine.set_buffer(new_name, text)
        return CommandResult()
    if not args.positional:
        raise CommandError("no data specified")
    data = args.positional[0]
    if args.has("a") and name is not None:
        try:
            data = engine.get_buffer(name) + data
        except CommandError:
            pass
    engine.set_buffer(name or engine.next_buffer_name(), data)
    return CommandResult()


SPEC = CommandSpec(name="set-buffer", alias=("setb",), flags="aw:b:t:n:",
                   usage="[-aw] [-b buffer-name] [-n new-buffer-name] [-t target-client] data",
                   max_args=1, run=run, summary="Set the contents of a paste buffer")
