"""The prompts one server's commands wait for (``command-prompt``, ``confirm-before``,
``display-menu`` without ``-b``): each wait has an id the client reports back with its
``prompt-done`` request (:mod:`.client_actions`).

One :class:`PromptWaits` per server, owned by its ``Services`` root. Invariants: wait ids
are unique for the server's life; a wait is open from :meth:`PromptWaits.open` until its
waiter closes it, and a report for a wait that is not open is ignored.
"""

from __future__ import annotations

import asyncio
import itertools


class PromptWaits:
    """Open waits by id, each a future the client's report resolves with its code."""

    def __init__(self) -> None:
        self._open: dict[int, asyncio.Future[int]] = {}
        self._ids = itertools.count(1)

    def open(self) -> tuple[int, asyncio.Future[int]]:
        """A new wait: its id and the future its report resolves."""
        wait = next(self._ids)
        done: asyncio.Future[int] = asyncio.get_running_loop().create_future()
        self._open[wait] = done
        return wait, done

    def close(self, wait: int) -> None:
        """The waiter is done with ``wait`` (answered or given up)."""
        self._open.pop(wait, None)

    def report(self, wait: int, code: int) -> None:
        """The client finished the prompt of ``wait`` (an unknown wait is ignored)."""
        done = self._open.get(wait)
        if done is not None and not done.done():
            done.set_result(code)
