"""new-window (neww): add a window to a session; ``-P`` prints where it is."""

from __future__ import annotations

from typing import TYPE_CHECKING

from ._common import env_flags, start_command
from .spec import Args, CommandError, CommandResult, CommandSpec

if TYPE_CHECKING:
    from ..context import CommandContext
    from ..registry import Session


async def run(ctx: CommandContext, args: Args) -> CommandResult:
    text = args.get("t")
    index = None
    after = None
    if text and ":" in text and text.split(":", 1)[1].lstrip("-").isdigit():
        session = ctx.find_session(text.split(":", 1)[0] or None)
        index = int(text.split(":", 1)[1])
    elif text and text.lstrip("-").isdigit() and not ctx.engine.registry.session_by_name(text):
        session = ctx.current.session()
        index = int(text)
    else:
        session = ctx.find_session(text)
    if args.has("a") or args.has("b"):
        _, after = ctx.find_window(text)
    if after is not None:
        index = None  # -a / -b: the place comes from the target window, shifted as needed
    if index is not None and index in session.windows:
        if args.has("k"):
            ctx.engine.kill_window(session, session.windows[index])
            if session.id not in ctx.engine.registry.sessions:
                raise CommandError("session closed")
        else:
            raise CommandError(f"create window failed: index {index} in use")
    if after is not None:  # tmux inserts at the place, shifting the windows from it up
        place = after.index if args.has("b") else after.index + 1
        if place in session.windows:
            _shift_from(session, place)
        index = place
        after = None
    window = ctx.engine.new_window(session, index=index, name=args.get("n"),
                                   cwd=args.get("c") or None, env=env_flags(args),
                                   command=start_command(args), select=not args.has("d"),
                                   after=after)
    if args.has("P"):
        template = args.get("F") or "#{session_name}:#{window_index}.#{pane_index}"
        return CommandResult(stdout=ctx.expand(template, session, window) + "\n")
    return CommandResult()


def _shift_from(session: Session, index: int) -> None:
    """Move windows at >= ``index`` up by one to make room (``-b``)."""
    for old in sorted((i for i in session.windows if i >= index), reverse=True):
        window = session.windows.pop(old)
        window.index = old + 1
        session.windows[old + 1] = window
    if session.current_index >= index:
        session.current_index += 1


SPEC = CommandSpec(
    name="new-window", alias=("neww",), flags="abdkPSc:e:F:n:t:", repeatable="e",
    usage="[-abdkPS] [-c start-directory] [-e environment] [-F format] [-n window-name] "
          "[-t target-window] [shell-command]",
    max_args=None, run=run, summary="Create a new window")
