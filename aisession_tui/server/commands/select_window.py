"""select-window (selectw): make a window current; ``-l/-n/-p`` last, next, previous."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from .spec import Args, CommandError, CommandResult, CommandSpec

if TYPE_CHECKING:
    from collections.abc import Callable, Coroutine

    from ..context import CommandContext
    from ..registry import Session, Window


def step(session: Session, offset: int) -> Window:
    """The window ``offset`` places from the current one, wrapping around."""
    windows = session.ordered_windows()
    position = windows.index(session.current)
    return windows[(position + offset) % len(windows)]


def relative_runner(offset: int
                    ) -> Callable[[CommandContext, Args], Coroutine[Any, Any, CommandResult]]:
    """A ``run`` that moves ``offset`` windows from the current one (next/previous)."""

    async def run_relative(ctx: CommandContext, args: Args) -> CommandResult:
        session = ctx.find_session(args.get("t"))
        session.select_window(step(session, offset))
        ctx.engine.registry.notify("session-window-changed", session)
        return CommandResult()

    return run_relative


async def run(ctx: CommandContext, args: Args) -> CommandResult:
    if args.has("l") or args.has("n") or args.has("p"):
        session = ctx.find_session(args.get("t"))
        if args.has("l"):
            if session.last_index is None or session.last_index not in session.windows:
                raise CommandError("no last window")
            window = session.windows[session.last_index]
        else:
            window = step(session, 1 if args.has("n") else -1)
    else:
        session, window = ctx.find_window(args.get("t"))
        if args.has("T") and window is session.current and session.last_index in \
                session.windows:
            window = session.windows[session.last_index]
    session.select_window(window)
    ctx.engine.registry.notify("session-window-changed", session)
    return CommandResult()


SPEC = CommandSpec(name="select-window", alias=("selectw",), flags="lnpTt:",
                   usage="[-lnpT] [-t target-window]", run=run,
                   summary="Make a window the current one")
