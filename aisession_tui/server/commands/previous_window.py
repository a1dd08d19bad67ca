"""previous-window (prev): select the previous window, wrapping around."""

from __future__ import annotations

from .select_window import relative_runner
from .spec import CommandSpec

SPEC = CommandSpec(name="previous-window", alias=("prev",), flags="at:",
                   usage="[-a] [-t target-session]", run=relative_runner(-1),
                   summary="Select the previous window")
