"""What the MCP tests share: the ``ai-session mcp`` stdio server of an isolated server, as
the official SDK client starts it, and a tool result's structured data.

Not a test module; the test_mcp_* modules import ``stdio_params`` and ``structured``."""

from __future__ import annotations

import json
import sys
from typing import Any

from mcp.client.stdio import StdioServerParameters


def stdio_params(server: Any) -> StdioServerParameters:
    """``ai-session -L NAME mcp`` with the isolated server's environment and home."""
    return StdioServerParameters(
        command=sys.executable, args=["-m", "aisession_tui.cli", "-L", server.name, "mcp"],
        env=server.env, cwd=str(server.home))


def structured(result: Any) -> Any:
    """A successful tool result's data: its structured content (unwrapped from the SDK's
    ``{"result": ...}``), else its text read as JSON."""
    assert not result.is_error, result.content
    content = result.structured_content
    if content is None:
        return json.loads(result.content[0].text)
    return content.get("result", content) if set(content) == {"result"} else content
