"""join-pane (joinp): move a pane into another window by splitting a pane there, the
reverse of break-pane; move-pane (movep) is the same command under another name.

``-s`` the pane to move (the current one by default), ``-t`` the pane to split (the
current one by default): in the same window, another window or another session. The split
is split-window's: ``-h`` side by side, ``-v`` (default) stacked, ``-b`` before the target,
``-f`` across the whole window, ``-l N`` / ``-l N%`` the moved pane's size (a percentage
of the target pane's size, also with ``-f``, as tmux 3.3a does), ``-p N`` the older
percentage form. The pane keeps its PTY, its child and its screen; only its size follows
its new cell. The window it leaves closes when it was its last pane (and the session when
that was its last window). Without ``-d`` the pane becomes active and its window current.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from .spec import PANE, Args, CommandError, CommandResult, CommandSpec, parse_int

if TYPE_CHECKING:
    from ..context import CommandContext


def moved_size(args: Args, total: int) -> int | None:
    """``-l N`` / ``-l N%`` / ``-p N`` as cells, percentages of ``total`` (the target
    pane's width or height); None lets the split halve the target."""
    text = args.get("l")
    if text is None and args.has("p"):
        text = f"{args.get('p')}%"
    if text is None:
        return None
    percent = text.endswith("%")
    value = parse_int(text[:-1] if percent else text, "size")
    if value < 0:
        raise CommandError(f"size too small: {text}")
    return total * value // 100 if percent else value


async def run(ctx: CommandContext, args: Args) -> CommandResult:
    target_session, target_window, target = (ctx.target.session, ctx.target.window,
                                             ctx.target.pane)
    # -s after -t, as this command always looked them up (tmux: -s first).
    source_session, source_window, source = ctx.find_pane(args.get("s"))
    horizontal = args.has("h")
    total = target.columns if horizontal else target.lines
    ctx.engine.join_pane(source_session, source_window, source, target_session,
                         target_window, target, horizontal=horizontal,
                         size=moved_size(args, total), before=args.has("b"),
                         full=args.has("f"), select=not args.has("d"))
    return CommandResult()


SPEC = CommandSpec(name="join-pane", alias=("joinp",), flags="bdfhvl:p:s:t:",
                   usage="[-bdfhv] [-l size] [-s src-pane] [-t dst-pane]", run=run,
                   target=PANE, summary="Move a pane into another window, splitting a pane there")
