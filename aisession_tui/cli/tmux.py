"""``python -m aisession_tui.cli.tmux``: ai-session invoked as ``tmux`` (the shim's target).

Same CLI as ``ai-session``, with tmux's identity (see :mod:`aisession_tui.protocol.identity`).
"""

from __future__ import annotations

import sys

from . import fast


def main() -> None:
    """Run the CLI as ``tmux`` (its fast path first) and exit with its code."""
    code = fast.run(sys.argv[1:], as_tmux=True)
    if code is None:
        from .main import run

        code = run(sys.argv[1:], as_tmux=True)
    sys.exit(code)


if __name__ == "__main__":
    main()
