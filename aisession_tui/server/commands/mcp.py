"""mcp: run a Model Context Protocol server on stdio for agent CLIs (Claude Code, ...).

Runs in the CLI process (``needs_server=False``) and talks to the ai-session server named
by ``-L``/``-S`` (or the pane's own server), starting it when a tool needs it. Configure
an agent CLI with the command ``ai-session mcp`` (see :mod:`aisession_tui.mcp_server`).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from .spec import Args, CommandResult, CommandSpec

if TYPE_CHECKING:
    from ..context import LocalCommandContext


async def run(ctx: LocalCommandContext, args: Args) -> CommandResult:
    from ...mcp_server import serve

    await serve(ctx.socket_path)
    return CommandResult()


SPEC = CommandSpec(name="mcp", usage="", run=run, needs_server=False,
                   summary="Serve ai-session's tools over MCP on stdio")
