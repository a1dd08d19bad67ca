"""pipe-pane (pipep): connect a pane to a shell command, as tmux 3.3a does.

``pipe-pane [-IOo] [-t target-pane] [shell-command]`` runs ``shell-command`` with
``/bin/sh -c`` in the client's directory. ``-O`` (the default when neither is given) sends
what the pane's program writes to the command's stdin; ``-I`` sends what the command writes
to the pane, as if typed. Without a command the pane's pipe is closed; with ``-o`` the
open pipe is closed and a new one opened only if none was (a toggle for key bindings). One
pipe per pane: a new one replaces the old. The pipe closes when the pane goes;
``#{pane_pipe}`` is 1 while it is open.

The open pipes are the engine's (:class:`~..pane_pipes.PanePipes`, beside the panes), where
what a pipe does with the pane's output and a command that stops reading is described.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from .spec import PANE, Args, CommandResult, CommandSpec

if TYPE_CHECKING:
    from ..context import CommandContext

async def run(ctx: CommandContext, args: Args) -> CommandResult:
    import asyncio
    import os

    pane = ctx.target.pane
    pipes = ctx.engine.pipes
    old = pipes.get(pane.id)
    if old is not None:  # the old pipe always goes, as in tmux
        old.close()
    command = " ".join(args.positional)
    if not command or pane.dead:
        return CommandResult()
    if args.has("o") and old is not None:  # -o: a toggle, the second call only closes
        return CommandResult()
    output = args.has("O") or not args.has("I")
    input_ = args.has("I")
    cwd = ctx.cwd if os.path.isdir(ctx.cwd) else "/"
    # tmux's pipe-pane runs in the session's environment as it is now
    env = ctx.engine.child_env(ctx.target.session, pane.id, {})
    process = await asyncio.create_subprocess_exec(
        "/bin/sh", "-c", command, cwd=cwd, env=env,
        stdin=asyncio.subprocess.PIPE if output else asyncio.subprocess.DEVNULL,
        stdout=asyncio.subprocess.PIPE if input_ else asyncio.subprocess.DEVNULL,
        stderr=asyncio.subprocess.DEVNULL, start_new_session=True)
    pipes.open(pane, process, output, input_)
    return CommandResult()


SPEC = CommandSpec(name="pipe-pane", alias=("pipep",), flags="IOot:", max_args=None,
                   usage="[-IOo] [-t target-pane] [shell-command]", run=run, target=PANE,
                   summary="Pipe a pane's output to a shell command")
