"""Textual's redraw cap, raised for the multiplexer before Textual is first imported.

Textual repaints a screen at most ``TEXTUAL_FPS`` times a second (60 by default) on a fixed
grid, so a keystroke's echo that arrives just after a repaint waits up to a whole 16.7 ms
tick. The multiplexer does not need that cap to bound its work: the server already sends
each pane at most ~60 frames a second (``protocol.messages.FRAME_INTERVAL``), so a higher
cap only lets an interactive update reach the screen as soon as it is applied.

Textual reads ``TEXTUAL_FPS`` once, when ``textual.constants`` is imported. The variable is
set for that import only and removed again, so the children of a server this process
auto-starts never inherit it (a Textual program run inside a pane keeps its own default).
A value the user set wins; if Textual is already imported nothing changes.
"""

from __future__ import annotations

import os
import sys

CLIENT_FPS = 240
"""Redraws a second the client allows itself (four times Textual's default)."""


def raise_frame_rate(fps: int = CLIENT_FPS) -> bool:
    """Import Textual with ``fps`` as its redraw cap; False if it was too late or the
    user chose a rate in ``TEXTUAL_FPS``."""
    if "textual.constants" in sys.modules or "TEXTUAL_FPS" in os.environ:
        return False
    os.environ["TEXTUAL_FPS"] = str(fps)
    try:
        import textual.constants  # noqa: F401  (reads TEXTUAL_FPS now)
    finally:
        del os.environ["TEXTUAL_FPS"]
    return True
