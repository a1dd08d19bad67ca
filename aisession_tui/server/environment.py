"""tmux's environments: the global one and each session's (``set-environment``,
``show-environment``, ``update-environment``) and how they reach a new pane.

An :class:`Environment` maps a name to a value, or to None for a variable *removed* with
``set-environment -r`` (shown as ``-NAME``: it is taken out of a new pane's environment);
``hidden`` names (``-h``, ``%hidden``) are kept out of ``show-environment`` without ``-h``.

The global environment's values are :data:`command_lists.GLOBAL_ENVIRON` (the one ``$VAR``
reads while parsing). A session's environment is made the first time it is needed from
the ``update-environment`` option and the environment of the client that created the
session (a listed variable the client has is set, one it lacks is removed), as tmux does
at session creation.

A new pane starts from the creating client's environment (ai-session keeps that), then
every global variable that differs from the server's start-up environment, then the
session's variables; removed variables are taken out (see :func:`apply`).
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from .command_lists import environ as global_values

if TYPE_CHECKING:
    from .commands.spec import Args
    from .context import CommandContext
    from .options import Options
    from .registry import Session


@dataclass
class Environment:
    """Variables (None: removed) and which of them are hidden."""

    values: dict[str, str | None] = field(default_factory=dict)
    hidden: set[str] = field(default_factory=set)

    def set(self, name: str, value: str, hidden: bool = False) -> None:
        """``set-environment NAME VALUE`` (``-h``: hidden)."""
        self.values[name] = value
        if hidden:
            self.hidden.add(name)
        else:
            self.hidden.discard(name)

    def remove(self, name: str) -> None:
        """``-r``: kept as removed, so a new pane does not get it."""
        self.values[name] = None
        self.hidden.discard(name)

    def unset(self, name: str) -> None:
        """``-u``: forgotten."""
        self.values.pop(name, None)
        self.hidden.discard(name)


_GLOBAL_EXTRA = Environment()
"""Removed and hidden global variables (their values live in GLOBAL_ENVIRON)."""
_SESSIONS: dict[int, Environment] = {}


class GlobalEnvironment(Environment):
    """The global environment as an :class:`Environment` over GLOBAL_ENVIRON."""

    def __init__(self) -> None:
        super().__init__(values={}, hidden=_GLOBAL_EXTRA.hidden)
        merged: dict[str, str | None] = dict(global_values())
        merged.update({k: v for k, v in _GLOBAL_EXTRA.values.items() if v is None})
        self.values = merged

    def set(self, name: str, value: str, hidden: bool = False) -> None:
        global_values()[name] = value
        _GLOBAL_EXTRA.values.pop(name, None)
        super().set(name, value, hidden)

    def remove(self, name: str) -> None:
        global_values().pop(name, None)
        _GLOBAL_EXTRA.values[name] = None
        super().remove(name)

    def unset(self, name: str) -> None:
        global_values().pop(name, None)
        _GLOBAL_EXTRA.values.pop(name, None)
        super().unset(name)


def global_environment() -> GlobalEnvironment:
    """The global environment (``-g``)."""
    return GlobalEnvironment()


def update_environment_names(options: Options, session: Session) -> list[str]:
    """The ``update-environment`` option's names, as the session sees it."""
    return options.array("update-environment", f"${session.id}")


def session_environment(options: Options, session: Session) -> Environment:
    """The session's environment, made from ``update-environment`` on first use."""
    environment = _SESSIONS.get(session.id)
    if environment is None:
        environment = Environment()
        for name in update_environment_names(options, session):
            if name in session.env:
                environment.set(name, session.env[name])
            else:
                environment.remove(name)
        _SESSIONS[session.id] = environment
    return environment


def apply(env: dict[str, str], options: Options, session: Session) -> None:
    """Bring a new pane's environment (built from the client's) in line with the global
    and the session environments."""
    started = os.environ
    for name, value in global_values().items():
        if started.get(name) != value:
            env[name] = value
    for name, removed in _GLOBAL_EXTRA.values.items():
        if removed is None:
            env.pop(name, None)
    for name, kept in session_environment(options, session).values.items():
        if kept is None:
            env.pop(name, None)
        else:
            env[name] = kept


def target_environment(ctx: CommandContext, args: Args) -> tuple[Environment, Session | None]:
    """The environment ``set-environment``/``show-environment`` act on: the global one
    with ``-g``, else ``-t``'s session's (tmux's wording when there is none)."""
    from .commands.spec import CommandError

    if args.has("g"):
        return global_environment(), None
    try:
        session = ctx.find_session(args.get("t"))
    except CommandError:
        target = args.get("t")
        raise CommandError(f"no such session: {target}" if target is not None
                           else "no current session") from None
    return session_environment(ctx.engine.options, session), session
