"""The panes' open ``pipe-pane`` commands: one server's :class:`PanePipes`, owned by its
engine beside the panes (the command itself is :mod:`.commands.pipe_pane`).

Invariants: at most one pipe per pane (a new one replaces the old); a pipe is listed from
the moment it opens until it closes, which it does when its pane's child exits or the pane
is piped again. Writes to the command never block the server: they go through the
subprocess's transport, and a command that stops reading loses output past
:data:`MAXIMUM_BACKLOG` bytes (tmux drops it too).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from .pane import Pane

MAXIMUM_BACKLOG = 4 << 20


class PanePipe:
    """One running pipe-pane command."""

    def __init__(self, owner: PanePipes, pane: Pane, process: Any, output: bool,
                 input_: bool) -> None:
        self.owner = owner
        self.pane = pane
        self.process = process
        self.output = output
        self.reader: Any = None
        if output:
            pane.listeners.on_data.append(self.pane_data)
        pane.listeners.on_exit.append(self.pane_exited)
        if input_ and process.stdout is not None:
            import asyncio

            self.reader = asyncio.get_running_loop().create_task(self.copy_to_pane())

    def pane_data(self, pane: Pane, data: bytes) -> None:
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

    def pane_exited(self, pane: Pane) -> None:
        self.close()

    def close(self) -> None:
        """Stop the pipe: the command sees end of input; it is not killed (tmux's way)."""
        self.owner.forget(self)
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


class PanePipes:
    """Pane id -> its open pipe."""

    def __init__(self) -> None:
        self._open: dict[int, PanePipe] = {}

    def get(self, pane_id: int) -> PanePipe | None:
        """The pane's open pipe, if any."""
        return self._open.get(pane_id)

    def is_piped(self, pane_id: int) -> bool:
        """Whether the pane has an open pipe (``#{pane_pipe}``)."""
        return pane_id in self._open

    def open(self, pane: Pane, process: Any, output: bool, input_: bool) -> PanePipe:
        """Connect ``process`` to ``pane`` (``output``: the pane's output to its stdin;
        ``input_``: its stdout to the pane), closing the pane's old pipe first."""
        old = self._open.get(pane.id)
        if old is not None:
            old.close()
        pipe = self._open[pane.id] = PanePipe(self, pane, process, output, input_)
        return pipe

    def forget(self, pipe: PanePipe) -> None:
        """``pipe`` closed: the pane has no pipe (unless a newer one replaced it)."""
        if self._open.get(pipe.pane.id) is pipe:
            del self._open[pipe.pane.id]
