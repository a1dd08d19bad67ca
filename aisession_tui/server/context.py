"""What a command sees while it runs: the services, the requesting client, target lookups.

:class:`CommandContext` is the protocol every server-side command's ``run`` is typed with;
:class:`RequestContext` implements it, built per request (by the daemon for a ``command``
request, by control mode for each line). ``client_pane`` is the requesting process's
``AI_SESSION_PANE`` when it runs inside a pane of this server, which makes "current" mean
that pane (as ``$TMUX_PANE`` does for tmux).

A command whose spec declares a target kind (``target=PANE``...) finds ``-t`` resolved in
``ctx.target`` (and ``-s`` in ``ctx.source``): :func:`with_targets` resolves them once,
before ``run``, on a copy of the request's context.

Commands that run in the CLI process (``needs_server=False``) get a
:class:`LocalCommandContext` instead; both share :class:`BaseContext` (the socket, the
caller's directory and environment).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import TYPE_CHECKING, Any, Protocol

from . import targets
from .client_formats import client_lookup, client_of, find_client
from .commands.spec import CLIENT, NONE, Args, CommandSpec
from .format_vars import format_lookup
from .formats import expand
from .pane import Pane
from .registry import Session, Window

if TYPE_CHECKING:
    from .engine import Engine
    from .mouse_target import MouseEvent
    from .peer import Peer
    from .services import Services


class BaseContext(Protocol):
    """What every command may rely on, wherever it runs."""

    @property
    def socket_path(self) -> Path:
        """The server's socket."""
        ...


class LocalCommandContext(BaseContext, Protocol):
    """What a command that runs in the CLI process gets (see ``cli/local.py``)."""

    def request_command(self, argv: list[str]) -> dict[str, Any] | None:
        """Run ``argv`` on the server; None when no server answers."""
        ...


class CommandContext(BaseContext, Protocol):
    """What a command running in the server gets."""

    services: Services
    cwd: str
    env: dict[str, str]
    client_pane: str | None
    client: Peer | None
    """The requesting connection, if any."""
    stdin: str | None
    """The client's standard input, when it sent it (``load-buffer -``); else None."""
    target: targets.Target
    """``-t`` resolved as the spec's ``target`` kind (:data:`targets.NO_TARGET` if none)."""
    source: targets.Target
    """``-s`` resolved as the spec's ``source`` kind (:data:`targets.NO_TARGET` if none)."""
    mouse: MouseEvent | None
    """The mouse event of the key binding the command runs for (None: not a mouse key)."""

    @property
    def engine(self) -> Engine:
        """The model operations."""
        ...

    def with_targets(self, target: targets.Target, source: targets.Target
                     ) -> CommandContext:
        """This context for one command whose target and source are resolved."""
        ...

    @property
    def current(self) -> targets.Current:
        """What "current" means for this request."""
        ...

    def find_session(self, text: str | None) -> Session:
        """Resolve ``-t`` as a target-session."""
        ...

    def find_window(self, text: str | None) -> tuple[Session, Window]:
        """Resolve ``-t`` as a target-window."""
        ...

    def find_pane(self, text: str | None) -> tuple[Session, Window, Pane]:
        """Resolve ``-t`` as a target-pane."""
        ...

    def expand(self, template: str, session: Session | None = None,
               window: Window | None = None, pane: Pane | None = None) -> str:
        """Expand a tmux format for the given objects."""
        ...


@dataclass
class RequestContext:
    """One request's view of the server (implements :class:`CommandContext`)."""

    services: Services
    cwd: str = "/"
    env: dict[str, str] = field(default_factory=dict)
    client_pane: str | None = None
    client: Peer | None = None
    formats: dict[str, str] = field(default_factory=dict)
    """Variables this request adds to every format it expands (a hook's ``#{hook}``,
    ``#{hook_session}``...), looked up before the objects' own."""
    stdin: str | None = None
    target: targets.Target = targets.NO_TARGET
    source: targets.Target = targets.NO_TARGET
    mouse: MouseEvent | None = None
    """The mouse event of the key binding this request runs for (``-t =``,
    ``#{mouse_x}``...), from a full-screen client."""

    @property
    def socket_path(self) -> Path:
        """The server's socket."""
        return self.services.socket_path

    def with_targets(self, target: targets.Target, source: targets.Target
                     ) -> RequestContext:
        """A copy for one command, with its resolved target and source."""
        return replace(self, target=target, source=source)

    @property
    def engine(self) -> Engine:
        """The model operations."""
        return self.services.engine

    @property
    def current(self) -> targets.Current:
        """What "current" means for this request."""
        return targets.Current(self.engine.registry, self.client_pane, self.mouse)

    def find_session(self, text: str | None) -> Session:
        """Resolve ``-t`` as a target-session."""
        return targets.find_session(self.current, text)

    def find_window(self, text: str | None) -> tuple[Session, Window]:
        """Resolve ``-t`` as a target-window."""
        return targets.find_window(self.current, text)

    def find_pane(self, text: str | None) -> tuple[Session, Window, Pane]:
        """Resolve ``-t`` as a target-pane."""
        return targets.find_pane(self.current, text)

    def expand(self, template: str, session: Session | None = None,
               window: Window | None = None, pane: Pane | None = None) -> str:
        """Expand a tmux format for the given objects (and the requesting client's
        ``#{client_*}`` variables, when a client asks)."""
        lookup: Callable[[str], str | None] = format_lookup(self.services, session, window,
                                                             pane)
        client = client_of(self.client)
        if client is not None:
            lookup = client_lookup(lookup, client)
        if self.mouse is not None:
            from .mouse_target import with_mouse_formats  # (not at start: ~1 ms)

            lookup = with_mouse_formats(lookup, self.engine.registry, self.engine.options,
                                        self.mouse)
        if self.formats:
            objects, added = lookup, self.formats
            lookup = lambda name: added[name] if name in added else objects(name)  # noqa: E731
        return expand(template, lookup)


def _resolve(ctx: CommandContext, kind: str, text: str | None) -> targets.Target:
    if kind == NONE:
        return targets.NO_TARGET
    if kind == CLIENT:
        return targets.Target(kind, client=find_client(ctx.services, ctx.client, text))
    return targets.resolve(ctx.current, kind, text)


def with_targets(ctx: CommandContext, spec: CommandSpec, args: Args) -> CommandContext:
    """``ctx`` for running ``spec``: its ``-s`` source, then its ``-t`` target resolved
    (tmux's order), or ``ctx`` itself when the spec names no target kind."""
    if spec.target == NONE and spec.source == NONE:
        return ctx
    source = _resolve(ctx, spec.source, args.get("s"))
    target = _resolve(ctx, spec.target, args.get("t"))
    return ctx.with_targets(target, source)
