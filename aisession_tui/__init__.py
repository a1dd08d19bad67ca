"""ai-session: a terminal multiplexer for people who run AI coding agents.

Package map (see DESIGN.md): ``protocol`` (wire format, shared), ``server`` (the daemon),
``terminal`` (VT emulation, scrollback, key encoding), ``ai`` (tokens, context, parsers),
``store`` (SQLite + zstd), ``cli`` (argv -> requests). The Textual client lives in ``app``,
``widgets``, ``keymaps`` and ``themes``; the headless packages never import Textual or Rich.
"""

__version__ = "0.1.0"
TMUX_VERSION = "3.3a"
"""The tmux release whose behaviour ai-session follows (the oracle of its tests)."""
TMUX_VERSION_STRING = f"{TMUX_VERSION}-ai-session"
"""``#{version}`` and what follows ``tmux `` in ``-V`` (only letters and ``-`` after
tmux's version, which tmux version parsers strip). Here, at the package's root, for the
CLI's fast path, which imports nothing else to answer ``-V``."""
