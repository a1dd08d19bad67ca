"""The ai-session server: a headless asyncio daemon owning every PTY, emulator and record.

Never imports Textual or Rich. Modules: ``daemon`` (socket, connections, dispatch),
``registry`` (sessions > windows > panes), ``targets`` (tmux target syntax), ``pane`` (a
child on a PTY), ``layout`` (the tree of cells), ``commands/`` (one module per command).
"""
