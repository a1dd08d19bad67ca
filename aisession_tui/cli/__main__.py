"""``python -m aisession_tui.cli``: the same entry point as the ``ai-session`` script."""

from .main import main

main()
