"""pipe-pane (pipep): connect a pane to a shell command, as tmux 3.3a does.

``pipe-pane [-IOo] [-t target-pane] [shell-command]`` runs ``shell-command`` with
``/bin/sh -c`` in the client's directory. ``-O`` (the default when neither is given) sends
what the pane's program writes to the command's stdin; ``-I`` sends what the command writes
to the pane, as if typed. Without a command the pane's pipe is closed; with ``-o`` the
open pipe is closed and a new one opened only if none was (a toggle for key bindings). One pipe per pane: a new one replaces the
old. The pipe closes when the pane goes; ``#{pane_pipe}`` is 1 while it is open.

Writes to the command never block the server: they go through the subprocess's
transport, and a command that stops reading loses output past ``MAXIMUM_BACKLOG`` bytes
(tmux drops it too).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from .spec import PANE, Args, CommandResult, CommandSpec

if TYPE_CHECKING:
    from ..context import CommandContext

MAXIMUM_BACKLOG = 4 << 20
PIPES: dict[int, Any] = {}
"""Pane id -> its open pipe (one server per process)."""


class PanePipe:
    """One running pipe-pane command."""

    def __init__(self, pane: Any, process: Any, output: bool, input_: bool) -> None:
        self.pane = pane
        self.process = process
        self.output = output
        self.reader = None
        if output:
            pane.listeners.on_data.append(self.pane_data)
        pane.listeners.on_exit.append(self.pane_exited)
        if input_ and process.stdout is not None:
            import asyncio

            self.reader = asyncio.get_running_loop().create_task(self.copy_to_pane())

    def pane_data(self, pane: Any, data: bytes) -> None:
        stdin = self.process.stdin
        if stdin is None or stdin.is_closing():
            return
        if stdin.transport.get_write_buffer_size() > MAXIMUM_BACKLOG:
            return
        try:
            stdin.write(data)
        except (ConnectionError, RuntimeError):
            pass

    async def copy_to_pane(self) -> None:
        while True:
            chunk = await self.process.stdout.read(65536)
            if not chunk:
                return
            self.pane.write(chunk)

    def pane_exited(self, pane: Any) -> None:
        self.close()

    def close(self) -> None:
        """Stop the pipe: the command sees end of input; it is not killed (tmux's way)."""
        PIPES.pop(self.pane.id, None)
        if self.pane_data in self.pane.listeners.on_data:
            self.pane.listeners.on_data.remove(self.pane_data)
        if self.pane_exited in self.pane.listeners.on_exit:
            self.pane.listeners.on_exit.remove(self.pane_exited)
        if self.reader is not None:
            self.reader.cancel()
        stdin = self.process.stdin
        if stdin is not None and not stdin.is_closing():
            stdin.close()
        import asyncio

        asyncio.get_running_loop().create_task(self._reap())

    async def _reap(self) -> None:
        await self.process.wait()


async def run(ctx: CommandContext, args: Args) -> CommandResult:
    import asyncio
    import os

    pane = ctx.target.pane
    old = PIPES.get(pane.id)
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
    PIPES[pane.id] = PanePipe(pane, process, output, input_)
    return CommandResult()


def is_piped(pane_id: int) -> bool:
    """Whether the pane has an open pipe (``#{pane_pipe}``)."""
    return pane_id in PIPES


SPEC = CommandSpec(name="pipe-pane", alias=("pipep",), flags="IOot:", max_args=None,
                   usage="[-IOo] [-t target-pane] [shell-command]", run=run, target=PANE,
                   summary="Pipe a pane's output to a shell command")
