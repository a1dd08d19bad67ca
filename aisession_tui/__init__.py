"""ai-session: a terminal multiplexer for people who run AI coding agents.

Package map (see DESIGN.md): ``protocol`` (wire format, shared), ``server`` (the daemon),
``terminal`` (VT emulation, scrollback, key encoding), ``ai`` (tokens, context, parsers),
``store`` (SQLite + zstd), ``cli`` (argv -> requests). The Textual client lives in ``app``,
``widgets``, ``keymaps`` and ``themes``; the headless packages never import Textual or Rich.
"""

__version__ = "0.1.0"
