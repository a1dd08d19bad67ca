"""next-attention (nexta): go to the next pane that needs its user (ai-session's own).

Panes are taken in order (sessions by name, windows by index, panes by index), starting
after the current pane and wrapping; the first whose attention state
(:mod:`aisession_tui.ai.attention`) is ``waiting`` - or, with ``-e``, also ``error`` (its
last command failed) - is made current: its window becomes its session's current window
and the pane the active one, and an attached client that sent the command (a key binding:
``bind-key a next-attention``) switches to it. ``-p`` only prints the pane
(``session:window.pane %N state``) and moves nothing. No such pane is an error that
changes nothing: ``no pane needs attention``.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from .spec import Args, CommandError, CommandResult, CommandSpec

if TYPE_CHECKING:
    from ..context import CommandContext


async def run(ctx: CommandContext, args: Args) -> CommandResult:
    wanted = ("waiting", "error") if args.has("e") else ("waiting",)
    registry = ctx.engine.registry
    ordered = sorted(registry.all_panes(), key=lambda found: (
        found[0].name, found[1].index, list(found[1].panes).index(found[2].id)))
    try:
        _, _, current = ctx.find_pane(None)
        at = next(i for i, found in enumerate(ordered) if found[2].id == current.id)
    except (CommandError, StopIteration):
        at = -1
    ai = ctx.services.ai
    for step in range(1, len(ordered) + 1):
        session, window, pane = ordered[(at + step) % len(ordered)]
        state = ai.attention(pane)
        if state in wanted:
            break
    else:
        raise CommandError("no pane needs attention")
    where = f"{session.name}:{window.index}.{list(window.panes).index(pane.id)}"
    if args.has("p"):
        return CommandResult(stdout=f"{where} %{pane.id} {state}\n")
    from ..dispatch import run_argv

    switched = await run_argv(ctx, ["switch-client", "-t", f"%{pane.id}"])
    if switched.exit_code != 0:  # no attached client: make it current in its session
        for argv in (["select-window", "-t", f"%{pane.id}"],
                     ["select-pane", "-t", f"%{pane.id}"]):
            done = await run_argv(ctx, argv)
            if done.exit_code != 0:
                return done
    return CommandResult()


SPEC = CommandSpec(name="next-attention", alias=("nexta",), flags="ep",
                   usage="[-ep]", run=run,
                   summary="Go to the next pane waiting for input (-e: or failed)")
