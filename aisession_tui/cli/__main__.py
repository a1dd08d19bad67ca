"""``python -m aisession_tui.cli``: the same entry point as the ``ai-session`` script."""

from .fast import main

main()
