"""Small pieces several command modules share (environment flags, sizes, printing)."""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Any

from .spec import Args, CommandError, CommandResult, parse_int

if TYPE_CHECKING:
    from ..context import CommandContext


def env_flags(args: Args, flag: str = "e") -> dict[str, str]:
    """``-e K=V`` flags as a dict; a value without ``=`` is an error, as in tmux."""
    env: dict[str, str] = {}
    for item in args.all(flag):
        key, eq, value = item.partition("=")
        if not eq or not key:
            raise CommandError(f"invalid environment: {item}")
        env[key] = value
    return env


def size_flag(text: str | None, total: int, what: str = "size") -> tuple[int | None,
                                                                          int | None]:
    """``-l N`` / ``-l N%`` as (cells, percent)."""
    if text is None:
        return None, None
    if text.endswith("%"):
        percent = parse_int(text[:-1], what)
        if not 0 < percent <= 100:
            raise CommandError(f"{what} invalid: {text}")
        return None, percent
    cells = parse_int(text, what)
    if cells < 1:
        raise CommandError(f"{what} too small: {text}")
    return cells, None


def start_command(args: Args) -> list[str] | None:
    """Positional words as the child's command, or None for the default shell."""
    return list(args.positional) or None


def truthy(value: str) -> bool:
    """A ``-f`` filter's expansion counts as true when non-empty and not ``0``."""
    return value not in ("", "0")


def lines(items: list[str]) -> str:
    """Join output lines, each newline-terminated."""
    return "".join(f"{item}\n" for item in items)


def json_result(data: Any, exit_code: int = 0) -> CommandResult:
    """A ``--json`` reply: pretty JSON on stdout, the data alongside."""
    return CommandResult(stdout=json.dumps(data, indent=2, ensure_ascii=False) + "\n",
                         exit_code=exit_code, data=data)


def destination(ctx: CommandContext, text: str | None) -> tuple[Any, int | None]:
    """A dst-window that may not exist yet: (session, index or None for "first free").

    ``S:I`` / ``:I`` / ``I`` name an index (free or not), ``S:`` or ``S`` a session (its
    first free index), ``+N`` / ``-N`` the index N after / before the current window's
    (free or not), any other window target (``@N``, a name) that window's index.
    """
    if not text:
        return ctx.current.session(), None
    session_part, colon, window_part = text.rpartition(":")
    if not colon:
        window_part = text
    bare = window_part.lstrip("=")
    if bare.isdigit():
        if colon:
            session = ctx.find_session(session_part or None)
        else:
            session = ctx.current.session()
        return session, int(bare)
    if colon and not window_part:
        return ctx.find_session(session_part or None), None
    if window_part[:1] in ("+", "-") and (window_part[1:].isdigit() or len(window_part) == 1):
        # an offset from the current window's index, free or not (tmux's WINDOW_INDEX)
        session = ctx.find_session(session_part or None) if colon else ctx.current.session()
        step = int(window_part[1:] or "1") * (1 if window_part[0] == "+" else -1)
        if session.current_index + step < 0 or step == 0:
            raise CommandError(f"can't find window: {window_part}")
        return session, session.current_index + step
    if not colon:  # a session's name alone: its first free index, as tmux's WINDOW_INDEX
        try:
            return ctx.find_session(text), None
        except CommandError:
            pass
    try:
        session, window = ctx.find_window(text)
    except CommandError:
        if colon:
            raise
        return ctx.find_session(text), None
    return session, window.index
