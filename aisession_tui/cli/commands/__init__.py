"""The CLI-process side of the one command registry: how the ``ai-session`` process runs a
command whose spec says ``needs_server=False``.

Every command, wherever it runs, is declared once in :mod:`aisession_tui.server.commands`
(name, aliases, flags, usage), so the CLI, the server, control mode and the TUI's prompt
parse and list the same commands. A verb that needs the caller's process (its terminal,
its stdio, a held connection, no server at all) has its implementation here, one module
per verb, because the server never imports the CLI, the client or the MCP bridge.
:data:`CLI_RUNNERS` names those modules; :func:`local_runner` imports one only when its
verb runs, so the CLI's start-up stays light. A ``needs_server=False`` verb missing from the
table (``list-commands``, ``shim``) runs its spec's own ``run`` in the CLI process.
"""

from __future__ import annotations

import importlib

from ...server.commands.spec import CommandSpec, Runner

CLI_RUNNERS: dict[str, str] = {
    "attach-session": "attach_session",
    "bus": "bus",
    "cleanup": "cleanup",
    "mcp": "mcp",
}
"""Command name -> the module beside this file that runs it in the CLI process."""


def local_runner(spec: CommandSpec) -> Runner:
    """What runs ``spec`` in the CLI process (``spec.needs_server`` is False)."""
    module = CLI_RUNNERS.get(spec.name)
    if module is None:
        return spec.run
    runner: Runner = importlib.import_module(f"{__name__}.{module}").run
    return runner
