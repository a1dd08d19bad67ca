"""new-session (new): create a session with one window; ``-P`` prints where it is.
``-t`` makes it a member of a session group instead (session_groups.py): it shows the
target session's windows, and is named ``GROUP-N`` without ``-s``."""

from __future__ import annotations

import time
from typing import TYPE_CHECKING

from ._common import env_flags, start_command
from .spec import Args, CommandError, CommandResult, CommandSpec, parse_int

if TYPE_CHECKING:
    from ..context import CommandContext
    from ..registry import Session


async def run(ctx: CommandContext, args: Args) -> CommandResult:
    engine = ctx.engine
    name = args.get("s")
    if args.has("A") and name is not None:
        existing = engine.registry.session_by_name(name)
        if existing is not None:
            existing.last_used = time.time()
            return CommandResult()
    if args.has("t") and (args.has("n") or args.positional):
        raise CommandError("command or window name given with target")
    default_columns, _, default_lines = engine.options.get("default-size").partition("x")
    columns = parse_int(args.get("x", default_columns), "width")
    rows = parse_int(args.get("y", default_lines), "height")
    if columns < 1 or rows < 1:
        raise CommandError("size too small")
    env = dict(ctx.env)
    env.update(env_flags(args))
    group, source = None, None
    if args.has("t"):
        group, source = _group_target(ctx, str(args.get("t")))
        if name is None:
            name = f"{group}-{engine.registry.peek_session_id()}"
    if source is not None:
        session = engine.new_grouped_session(name=str(name), cwd=args.get("c") or ctx.cwd,
                                             env=env, source=source)
    else:
        session = engine.new_session(name=name, cwd=args.get("c") or ctx.cwd, env=env,
                                     columns=columns, lines=rows, window_name=args.get("n"),
                                     command=start_command(args))
    if group is not None:
        from ..session_groups import join

        if source is not None and source.group is None:
            join(source, group)
        join(session, group)
    if args.has("e"):  # as tmux: -e goes into the session's environment
        session_env = engine.environments.session(engine.options, session)
        for name_, value in env_flags(args).items():
            session_env.set(name_, value)
    if args.has("x") or args.has("y"):  # as tmux: the session remembers the size asked for
        engine.options.set("default-size", f"{columns}x{rows}", f"${session.id}")
    ctx.services.config_causes.show(engine, session)  # the first after the config files
    if args.has("P"):
        template = args.get("F") or "#{session_name}:"
        return CommandResult(stdout=ctx.expand(template, session) + "\n")
    return CommandResult()


def _group_target(ctx: CommandContext, target: str) -> tuple[str, Session | None]:
    """``-t``: the group to join and the session whose windows the new one shows. A session
    target (tmux's rules) gives its group (or a new one named after it); anything else
    names a group, joined by a first member with a window of its own if it has none."""
    from ..session_groups import members

    try:
        source: Session | None = ctx.find_session(target)
    except CommandError:
        source = None
    if source is not None:
        return source.group or source.name, source
    existing = members(ctx.engine.registry, target)
    return target, existing[0] if existing else None


SPEC = CommandSpec(
    name="new-session", alias=("new",), flags="AdDEPXc:e:F:f:n:s:t:x:y:", repeatable="e",
    usage="[-AdDEPX] [-c start-directory] [-e environment] [-F format] [-f flags] "
          "[-n window-name] [-s session-name] [-t target-session] [-x width] [-y height] "
          "[shell-command]",
    max_args=None, starts_server=True, run=run, summary="Create a new session")
