"""What went wrong reading the config files at start, and tmux 3.3a's ``cfg_show_causes``:
shown once, in view mode on the active pane of the first session there is after the files
are read (one they made, or the next ``new-session``). ``show-messages`` lists them too.

One :class:`ConfigCauses` per server, owned by its ``Services`` root and reached through the
command context (``ctx.services.config_causes``).

Invariant: shown at most once per server; never while the files are still being read.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from .engine import Engine
    from .registry import Session


class ConfigCauses:
    """The config files' errors (``file:line: message``), in the order they were met."""

    def __init__(self) -> None:
        self.lines: list[str] = []
        self.shown = False
        """Whether :meth:`show` has shown them (it does once)."""

    def show(self, engine: Engine, session: Session | None) -> None:
        """Show the errors on ``session``'s active pane (see the module docstring)."""
        from .command_lists import loading_config

        if not self.lines or self.shown or loading_config():
            return
        if session is None or session.id not in engine.registry.sessions:
            return
        from .view_mode import add_lines

        self.shown = True
        add_lines(engine, session.current.active, list(self.lines), parse=False)
