"""create (seed verb): create a detached session, printed in the seed's style.

``create [--name N] [--dir D] [--ai-context] [--max-tokens N] [--json] [-- cmd ...]``.
``--ai-context`` and ``--max-tokens`` are recorded on the session (``AI_SESSION_MAX_TOKENS``
gives the default budget).
"""

from __future__ import annotations

import os
from typing import TYPE_CHECKING

from ._common import json_result
from .spec import Args, CommandError, CommandResult, CommandSpec, parse_int

if TYPE_CHECKING:
    from ..context import CommandContext

DEFAULT_MAX_TOKENS = 4096


def default_max_tokens(env: dict[str, str]) -> int:
    """``AI_SESSION_MAX_TOKENS`` or 4096."""
    value = env.get("AI_SESSION_MAX_TOKENS") or os.environ.get("AI_SESSION_MAX_TOKENS")
    try:
        return int(value) if value else DEFAULT_MAX_TOKENS
    except ValueError:
        return DEFAULT_MAX_TOKENS


async def run(ctx: CommandContext, args: Args) -> CommandResult:
    engine = ctx.engine
    max_tokens = (parse_int(args.get("max-tokens"), "max tokens") if args.has("max-tokens")
                  else default_max_tokens(ctx.env))
    if max_tokens < 1:
        raise CommandError(f"max tokens invalid: {max_tokens}")
    directory = args.get("dir") or ctx.cwd
    if not os.path.isdir(directory):
        raise CommandError(f"no such directory: {directory}")
    columns, _, rows = engine.options.get("default-size").partition("x")
    session = engine.new_session(
        name=args.get("name"), cwd=directory, env=dict(ctx.env), columns=int(columns),
        lines=int(rows), window_name=None, command=list(args.positional) or None,
        ai_context=args.has("ai-context"), max_tokens=max_tokens)
    if args.has("json"):
        return json_result({"name": session.name, "id": f"${session.id}",
                            "pane": f"%{session.current.active.id}", "cwd": session.cwd,
                            "ai_context": session.ai_context, "max_tokens": max_tokens})
    text = [f"✅ Created session: {session.name}",
            f"   AI Features: {'Enabled ✨' if session.ai_context else 'Disabled'}",
            f"   Max Tokens: {max_tokens:,}",
            f"   Directory: {session.cwd}",
            f"   Pane: %{session.current.active.id}"]
    return CommandResult(stdout="\n".join(text) + "\n")


SPEC = CommandSpec(name="create", usage="[--name NAME] [--dir DIR] [--ai-context] "
                   "[--max-tokens N] [--json] [-- command ...]",
                   long_options={"name": True, "dir": True, "ai-context": False,
                                 "max-tokens": True, "json": False},
                   max_args=None, intermixed=True, starts_server=True, run=run,
                   summary="Create a session (seed verb)")
