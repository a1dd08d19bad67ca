"""`ai-session mcp` driven by the official MCP SDK client over stdio against a real server:
initialize, list the tools, call each one (issue 5)."""

from __future__ import annotations

import json

from mcp import ClientSession
from mcp.client.stdio import stdio_client
from mcp_client import stdio_params, structured

EXPECTED_TOOLS = {"list_sessions", "create_session", "exec_command", "send_keys",
                  "capture_pane", "get_context", "bus_send", "bus_receive", "list_agents"}


async def test_mcp_session_lists_and_calls_every_tool(server):
    params = stdio_params(server)
    async with stdio_client(params) as (read, write), ClientSession(read, write) as session:
        init = await session.initialize()
        assert init.server_info.name == "ai-session"
        tools = {tool.name for tool in (await session.list_tools()).tools}
        assert tools >= EXPECTED_TOOLS

        created = structured(await session.call_tool("create_session", {"name": "mcp"}))
        assert created["name"] == "mcp"
        sessions = structured(await session.call_tool("list_sessions", {}))
        assert [s["name"] for s in sessions] == ["mcp"]

        ran = structured(await session.call_tool(
            "exec_command", {"session": "mcp", "command": "echo hi-from-mcp; false"}))
        assert ran["exit_code"] == 1
        assert "hi-from-mcp" in ran["output"]
        assert "parsed" not in ran  # a plain output says it all: each fact once
        assert ran["job"] >= 1

        sent = structured(await session.call_tool(
            "send_keys", {"target": "mcp", "keys": ["echo typed-by-mcp", "Enter"]}))
        assert sent["sent"] == 2
        server.wait_for_text("mcp", "typed-by-mcp\n")
        captured = structured(await session.call_tool("capture_pane", {"target": "mcp"}))
        assert "typed-by-mcp" in captured["text"]

        context = structured(await session.call_tool("get_context", {"session": "mcp"}))
        assert "hi-from-mcp" in json.dumps(context)

        server.ok("agent", "register", "reviewer", "--role", "review")
        agents = structured(await session.call_tool("list_agents", {}))
        assert [a["name"] for a in agents] == ["reviewer"]
        message = structured(await session.call_tool(
            "bus_send", {"to": "reviewer", "payload": {"pr": 7}, "sender": "lead",
                         "type": "task_assignment", "priority": "high"}))
        assert message["to"] == "reviewer" and message["priority"] == "high"
        received = structured(await session.call_tool(
            "bus_receive", {"agent": "reviewer", "wait": 5}))
        assert [(m["from"], m["payload"]) for m in received] == [("lead", {"pr": 7})]
        assert structured(await session.call_tool("bus_receive",
                                                   {"agent": "reviewer"})) == []

        failed = await session.call_tool("bus_send", {"to": "nobody", "payload": 1})
        assert failed.is_error
        assert "unknown agent: nobody" in failed.content[0].text

