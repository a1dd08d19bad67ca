"""``python -m aisession_tui.cli.tmux``: ai-session invoked as ``tmux`` (the shim's target).

Same CLI as ``ai-session``, with tmux's identity (see :mod:`aisession_tui.protocol.identity`).
"""

from __future__ import annotations

import sys

from .main import run


def main() -> None:
    """Run the CLI as ``tmux`` and exit with its code."""
    sys.exit(run(sys.argv[1:], as_tmux=True))


if __name__ == "__main__":
    main()
