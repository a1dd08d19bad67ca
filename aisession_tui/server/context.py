"""What a command sees while it runs: the engine, the requesting client, target lookups.

A :class:`CommandContext` is built per request. ``client_pane`` is the requesting process's
``AI_SESSION_PANE`` when it runs inside a pane of this server, which makes "current" mean
that pane (as ``$TMUX_PANE`` does for tmux).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from . import targets
from .client_formats import client_lookup, client_of
from .format_vars import format_lookup
from .formats import expand
from .pane import Pane
from .registry import Session, Window

if TYPE_CHECKING:
    from .daemon import Server
    from .engine import Engine


@dataclass
class CommandContext:
    """One request's view of the server."""

    server: Server
    cwd: str = "/"
    env: dict[str, str] = field(default_factory=dict)
    client_pane: str | None = None
    client: Any = None

    @property
    def engine(self) -> Engine:
        """The model operations."""
        return self.server.engine

    @property
    def current(self) -> targets.Current:
        """What "current" means for this request."""
        return targets.Current(self.engine.registry, self.client_pane)

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
        lookup = format_lookup(self.server, session, window, pane)
        client = client_of(self.client)
        if client is not None:
            lookup = client_lookup(lookup, client)
        return expand(template, lookup)
