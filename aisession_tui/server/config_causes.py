"""The config files' errors shown as tmux 3.3a's ``cfg_show_causes`` shows them: once, in
view mode on the active pane of the first session there is after the files are read (one
they made, or the next ``new-session``). ``show-messages`` keeps them too
(:data:`.command_lists.CONFIG_CAUSES`).

Invariant: shown at most once per server; never while the files are still being read.
"""

from __future__ import annotations

from typing import Any

from .command_lists import CONFIG_CAUSES, loading_config
from .view_mode import add_lines

SHOWN: list[bool] = []
"""Holds True once the causes were shown."""


def show_config_causes(engine: Any, session: Any) -> None:
    """Show the errors on ``session``'s active pane (see the module docstring)."""
    if not CONFIG_CAUSES or SHOWN or loading_config():
        return
    if session is None or session.id not in engine.registry.sessions:
        return
    SHOWN.append(True)
    add_lines(engine, session.current.active, list(CONFIG_CAUSES), parse=False)
