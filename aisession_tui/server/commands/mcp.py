"""mcp: run a Model Context Protocol server on stdio for agent CLIs (Claude Code, ...).

Runs in the CLI process (``needs_server=False``): :mod:`aisession_tui.cli.commands.mcp`.
Declared here so every front end parses and lists it; asked of the server, it says so.
"""

from __future__ import annotations

from .spec import CommandSpec

SPEC = CommandSpec(name="mcp", usage="", needs_server=False,
                   summary="Serve ai-session's tools over MCP on stdio")
