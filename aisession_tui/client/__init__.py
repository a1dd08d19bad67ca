"""The ai-session client: the Textual app attached to one session of a server (``app``),
its input fixes (``alt_keys``) and its redraw cap (``frame_rate``); the renderer zygote
(``zygote``), one per server, and the renderers it forks (``renderer``), which draw on the
terminal a thin ``attach`` process hands over (:mod:`aisession_tui.cli.thin_attach`).

Only the client imports Textual; the headless packages (protocol, server, terminal, ai, bus,
store, cli) never import this package. ``widgets/``, ``keymaps/`` and ``themes/`` stay at the
package root, as the design names them. Importing this package imports nothing else (callers
raise the frame rate before Textual's first import).
"""
