"""mcp in the CLI process: a Model Context Protocol server on stdio for agent CLIs.

It talks to the ai-session server named by ``-L``/``-S`` (or the pane's own server),
starting it when a tool needs it. Configure an agent CLI with the command ``ai-session mcp``
(see :mod:`aisession_tui.mcp_server`). Declared in :mod:`aisession_tui.server.commands.mcp`.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from ...server.commands.spec import Args, CommandResult

if TYPE_CHECKING:
    from ...server.context import LocalCommandContext


async def run(ctx: LocalCommandContext, args: Args) -> CommandResult:
    from ...mcp_server import serve

    await serve(ctx.socket_path)
    return CommandResult()
