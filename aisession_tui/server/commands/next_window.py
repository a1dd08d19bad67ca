"""next-window (next): select the next window, wrapping around."""

from __future__ import annotations

from .select_window import relative_runner
from .spec import CommandSpec

SPEC = CommandSpec(name="next-window", alias=("next",), flags="at:",
                   usage="[-a] [-t target-session]", run=relative_runner(1),
                   summary="Select the next window")
