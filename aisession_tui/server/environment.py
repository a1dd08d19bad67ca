"""tmux's environments: the global one and each session's (``set-environment``,
``show-environment``, ``update-environment``) and how they reach a new pane.

An :class:`Environment` maps a name to a value, or to None for a variable *removed* with
``set-environment -r`` (shown as ``-NAME``: it is taken out of a new pane's environment);
``hidden`` names (``-h``, ``%hidden``) are kept out of ``show-environment`` without ``-h``.

One server's environments are an :class:`Environments` its engine owns (beside the options
and sessions they describe), so two servers in one process share none of them. The global
environment's values are the dict ``$VAR`` reads while parsing. A session's environment is
made the first time it is needed from the ``update-environment`` option and the
environment of the client that created the session (a listed variable the client has is
set, one it lacks is removed), as tmux does at session creation.

A new pane starts from the creating client's environment (ai-session keeps that), then
every global variable that differs from the server's start-up environment, then the
session's variables; removed variables are taken out (see :meth:`Environments.apply`).
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

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


class Environments:
    """One server's environments: the global one and each session's.

    The global values are tmux's ``global_environ``, seeded from the server's own
    environment on first use; the same dict is what ``$VAR`` reads and ``VAR=value``
    writes while the command language parses (:func:`.command_lists.parse_text`).
    """

    def __init__(self) -> None:
        self._values: dict[str, str] = {}
        self._seeded = False
        self.global_extra = Environment()
        """Removed and hidden global variables (the values are :attr:`global_values`)."""
        self._sessions: dict[int, Environment] = {}

    @property
    def global_values(self) -> dict[str, str]:
        """The global variables that have a value (seeded from the process's on first
        use)."""
        if not self._seeded:
            self._seeded = True
            self._values.update(os.environ)
        return self._values

    def global_environment(self) -> GlobalEnvironment:
        """The global environment (``-g``)."""
        return GlobalEnvironment(self)

    def session(self, options: Options, session: Session) -> Environment:
        """The session's environment, made from ``update-environment`` on first use."""
        environment = self._sessions.get(session.id)
        if environment is None:
            environment = Environment()
            for name in update_environment_names(options, session):
                if name in session.env:
                    environment.set(name, session.env[name])
                else:
                    environment.remove(name)
            self._sessions[session.id] = environment
        return environment

    def apply(self, env: dict[str, str], options: Options, session: Session) -> None:
        """Bring a new pane's environment (built from the client's) in line with the
        global and the session environments."""
        started = os.environ
        for name, value in self.global_values.items():
            if started.get(name) != value:
                env[name] = value
        for name, removed in self.global_extra.values.items():
            if removed is None:
                env.pop(name, None)
        for name, kept in self.session(options, session).values.items():
            if kept is None:
                env.pop(name, None)
            else:
                env[name] = kept


class GlobalEnvironment(Environment):
    """The global environment of :class:`Environments` as an :class:`Environment`: a
    snapshot of its variables whose changes go to the server's."""

    def __init__(self, owner: Environments) -> None:
        extra = owner.global_extra
        super().__init__(values={}, hidden=extra.hidden)
        self._owner = owner
        merged: dict[str, str | None] = dict(owner.global_values)
        merged.update({k: v for k, v in extra.values.items() if v is None})
        self.values = merged

    def set(self, name: str, value: str, hidden: bool = False) -> None:
        self._owner.global_values[name] = value
        self._owner.global_extra.values.pop(name, None)
        super().set(name, value, hidden)

    def remove(self, name: str) -> None:
        self._owner.global_values.pop(name, None)
        self._owner.global_extra.values[name] = None
        super().remove(name)

    def unset(self, name: str) -> None:
        self._owner.global_values.pop(name, None)
        self._owner.global_extra.values.pop(name, None)
        super().unset(name)


def update_environment_names(options: Options, session: Session) -> list[str]:
    """The ``update-environment`` option's names, as the session sees it."""
    return options.array("update-environment", f"${session.id}")


def target_environment(ctx: CommandContext, args: Args) -> tuple[Environment, Session | None]:
    """The environment ``set-environment``/``show-environment`` act on: the global one
    with ``-g``, else ``-t``'s session's (tmux's wording when there is none)."""
    from .commands.spec import CommandError

    if args.has("g"):
        return ctx.engine.environments.global_environment(), None
    try:
        session = ctx.find_session(args.get("t"))
    except CommandError:
        target = args.get("t")
        raise CommandError(f"no such session: {target}" if target is not None
                           else "no current session") from None
    return ctx.engine.environments.session(ctx.engine.options, session), session
