"""MCP results an agent can afford: exec_command stays under its token budget with the
left-out counts and a way to read the rest (get_output), secrets masked in exec output and
capture_pane, capture_pane without trailing blank rows, tool annotations, a real version
and instructions - all through the official SDK client (issue 14)."""

from __future__ import annotations

import asyncio
import json

from mcp import ClientSession
from mcp.client.stdio import stdio_client
from mcp_client import stdio_params, structured

from aisession_tui import __version__

TOKEN = "ghp_abcdefghijklmnopqrstuvwxyz0123456789"


async def test_mcp_bounded_masked_and_annotated(server):
    params = stdio_params(server)
    async with stdio_client(params) as (read, write), ClientSession(read, write) as session:
        init = await session.initialize()
        assert init.server_info.version == __version__
        assert "exec_command" in (init.instructions or "")
        tools = {tool.name: tool for tool in (await session.list_tools()).tools}
        assert tools["capture_pane"].annotations.read_only_hint is True
        assert tools["exec_command"].annotations.destructive_hint is True
        assert tools["get_output"].annotations.idempotent_hint is True

        structured(await session.call_tool("create_session", {"name": "m"}))
        huge = await session.call_tool("exec_command", {"session": "m",
                                                        "command": "seq 1 100000"})
        data = structured(huge)
        assert data["exit_code"] == 0 and data["omitted_lines"] > 99_000
        assert data["tail"].endswith("100000") and data["head"].startswith("1\n2")
        assert len(huge.content[0].text) < 4 * 4000
        page = structured(await session.call_tool(
            "get_output", {"session": "m", "id": data["id"], "offset": -3, "limit": 2}))
        assert page["text"] == "99998\n99999" and page["total_lines"] == 100000
        assert page["next_offset"] == 99999
        first = structured(await session.call_tool(
            "get_output", {"session": "m", "id": data["id"], "offset": 0, "limit": 2}))
        assert first["text"] == "1\n2"
        missing = await session.call_tool("get_output", {"session": "m", "id": 999999})
        assert missing.is_error and "no stored output 999999" in missing.content[0].text
        too_big = await session.call_tool("exec_command", {"session": "m", "command": "true",
                                                           "max_tokens": 10**6})
        assert too_big.is_error and "max_tokens" in too_big.content[0].text

        secret = structured(await session.call_tool(
            "exec_command", {"session": "m", "command": f"echo 'token: {TOKEN}'"}))
        assert TOKEN not in json.dumps(secret)
        for _ in range(200):  # exec_command returns when echo ends; the prompt comes next
            screen = structured(await session.call_tool("capture_pane", {"target": "m"}))
            if screen["text"].endswith("$"):
                break
            await asyncio.sleep(0.1)
        assert TOKEN not in screen["text"] and "token:" in screen["text"]
        assert screen["text"] == screen["text"].rstrip() and screen["text"].endswith("$")
