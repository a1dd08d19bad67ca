"""MCP resources for command records, through the official MCP SDK client against a real
server: get_context names the record ids of every entry (merged history included) and
``aisession://record/{id}`` reads each one's full output."""

from __future__ import annotations

import pytest
from mcp import ClientSession
from mcp.client.stdio import stdio_client
from mcp_client import stdio_params, structured


async def test_get_context_record_ids_read_back_as_resources(server) -> None:
    server.ok("create", "--name", "rec", "--ai-context", "--max-tokens", "150")
    server.wait_for_text("rec", "$")
    for step in range(1, 7):
        server.ok("exec", "rec", f"seq {step}00 {step}40")
    params = stdio_params(server)
    async with stdio_client(params) as (read, write), ClientSession(read, write) as session:
        await session.initialize()
        templates = (await session.list_resource_templates()).resource_templates
        assert "aisession://record/{id}" in [t.uri_template for t in templates]

        context = structured(await session.call_tool("get_context", {"session": "rec"}))
        blocks = [m for m in context["messages"] if m["form"] in ("merged", "omitted")]
        assert blocks and all(block["record_ids"] for block in blocks)
        named = sorted({i for m in context["messages"] for i in m.get("record_ids", [])})
        assert len(named) == 6
        for step, record_id in enumerate(named, start=1):
            result = await session.read_resource(f"aisession://record/{record_id}")
            (content,) = result.contents
            assert content.mime_type == "text/plain"
            lines = content.text.splitlines()
            assert (lines[0], lines[-1]) == (f"{step}00", f"{step}40")

        with pytest.raises(Exception, match="no stored output 424242"):
            await session.read_resource("aisession://record/424242")
        with pytest.raises(Exception, match="must be a number"):
            await session.read_resource("aisession://record/abc")
        # The server is still there after the bad reads.
        again = await session.read_resource(f"aisession://record/{named[0]}")
        assert again.contents[0].text.startswith("100\n")
