"""The ai-session client: the Textual app attached to one session of a server (``app``),
its input fixes (``alt_keys``) and its redraw cap (``frame_rate``).

Only the client imports Textual; the headless packages (protocol, server, terminal, ai, bus,
store, cli) never import this package. ``widgets/``, ``keymaps/`` and ``themes/`` stay at the
package root, as the design names them. Importing this package imports nothing else (callers
raise the frame rate before Textual's first import).
"""
