"""move-pane (movep): join-pane under tmux's other name (see join_pane.py)."""

from __future__ import annotations

from .join_pane import run
from .spec import PANE, CommandSpec

SPEC = CommandSpec(name="move-pane", alias=("movep",), flags="bdfhvl:p:s:t:",
                   usage="[-bdfhv] [-l size] [-s src-pane] [-t dst-pane]", run=run,
                   target=PANE, summary="Move a pane into another window, splitting a pane there")
