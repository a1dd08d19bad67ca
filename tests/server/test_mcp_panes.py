"""wait_for, capture_pane changes_only and the watched resources (pane screen, attention,
agent inbox) with their update notifications, through the official SDK client (issue 14
item 7), errors included."""

from __future__ import annotations

import json

import anyio
from mcp import ClientSession
from mcp.client.stdio import stdio_client
from mcp_client import stdio_params, structured


async def test_wait_for_and_capture_changes(server):
    async with stdio_client(stdio_params(server)) as (read, write), \
            ClientSession(read, write) as session:
        await session.initialize()
        structured(await session.call_tool("create_session", {"name": "w"}))
        first = structured(await session.call_tool("capture_pane", {
            "target": "w", "changes_only": True}))
        assert first["first"] is True
        structured(await session.call_tool("send_keys", {
            "target": "w", "keys": ["sleep 1; echo done-$((6*7))", "Enter"]}))
        seen = structured(await session.call_tool("wait_for", {
            "target": "w", "text": "done-42", "timeout": 60}))
        assert seen["matched"] and seen["line"] == "done-42"
        back = structured(await session.call_tool("wait_for", {
            "target": "w", "state": "prompt", "timeout": 60}))
        assert back["matched"] and back["state"] in ("idle", "error")
        changes = structured(await session.call_tool("capture_pane", {
            "target": "w", "changes_only": True}))
        texts = [row["text"] for row in changes["changed"]]
        assert "done-42" in texts
        again = structured(await session.call_tool("capture_pane", {
            "target": "w", "changes_only": True}))
        assert again["changed"] == [] and again["unchanged_rows"] == again["total_rows"]
        structured(await session.call_tool("send_keys", {
            "target": "w", "keys": ["echo next-1", "Enter"]}))
        structured(await session.call_tool("wait_for", {
            "target": "w", "text": "next-1", "timeout": 60}))
        # the typed command line holds "next-1" too: wait for the prompt after its output
        structured(await session.call_tool("wait_for", {
            "target": "w", "state": "prompt", "timeout": 60}))
        newer = structured(await session.call_tool("capture_pane", {
            "target": "w", "changes_only": True}))
        done_row = texts.index("done-42")
        assert all(row["row"] > done_row for row in newer["changed"])
        assert "next-1" in [row["text"] for row in newer["changed"]]
        late = structured(await session.call_tool("wait_for", {
            "target": "w", "regex": r"^never \d+$", "timeout": 0.5}))
        assert late["matched"] is False and late["timed_out"] is True
        both = await session.call_tool("wait_for", {"target": "w", "text": "a", "state": "idle"})
        assert both.is_error and "exactly one" in both.content[0].text
        bad = await session.call_tool("wait_for", {"target": "w", "regex": "(", "timeout": 1})
        assert bad.is_error and "regex invalid" in bad.content[0].text
        missing = await session.call_tool("wait_for", {"target": "nosuch", "text": "x"})
        assert missing.is_error and "nosuch" in missing.content[0].text
        context = await session.call_tool("get_context", {"session": "nosuch"})
        assert context.is_error and "can't find session: nosuch" in context.content[0].text


async def test_resources_and_their_updates(server):
    import warnings

    updates: list[str] = []
    arrived = anyio.Event()

    async def on_message(message) -> None:
        root = getattr(message, "root", message)
        uri = getattr(getattr(root, "params", None), "uri", None)
        if uri is not None:
            updates.append(str(uri))
            arrived.set()

    async def next_update(suffix: str) -> None:
        nonlocal arrived
        with anyio.fail_after(60):
            while not any(uri.endswith(suffix) for uri in updates):
                await arrived.wait()
                arrived = anyio.Event()

    async with stdio_client(stdio_params(server)) as (read, write), \
            ClientSession(read, write, message_handler=on_message) as session:
        await session.initialize()
        structured(await session.call_tool("create_session", {"name": "r"}))
        panes = json.loads((await session.read_resource("aisession://attention"))
                           .contents[0].text)
        pane_id = next(row["pane"] for row in panes if row["session"] == "r")
        uri = f"aisession://pane/{pane_id.lstrip('%')}/screen"
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            await session.subscribe_resource(uri)
            await session.subscribe_resource("aisession://attention")
            await session.subscribe_resource("aisession://agent/inboxer/inbox")
        structured(await session.call_tool("send_keys", {
            "target": "r", "keys": ["read -p 'Ship it? [y/N] ' a", "Enter"]}))
        await next_update(f"/{pane_id.lstrip('%')}/screen")
        await next_update("aisession://attention")
        screen = (await session.read_resource(uri)).contents[0].text
        assert "Ship it? [y/N]" in screen and not screen.endswith("\n")
        panes = json.loads((await session.read_resource("aisession://attention"))
                           .contents[0].text)
        assert next(row["state"] for row in panes if row["pane"] == pane_id) == "waiting"
        structured(await session.call_tool("agent_register", {"name": "inboxer"}))
        structured(await session.call_tool("bus_send", {
            "to": "inboxer", "payload": {"hello": 1}}))
        await next_update("inboxer/inbox")
        inbox = json.loads((await session.read_resource("aisession://agent/inboxer/inbox"))
                           .contents[0].text)
        assert [m["payload"] for m in inbox] == [{"hello": 1}]
        import pytest
        from mcp.shared.exceptions import MCPError

        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            await session.subscribe_resource("aisession://session/r/context")
        structured(await session.call_tool("send_keys", {"target": "r", "keys": ["n", "Enter"]}))
        await next_update("session/r/context")
        context = json.loads((await session.read_resource("aisession://session/r/context"))
                             .contents[0].text)
        assert "read -p" in json.dumps(context)
        with pytest.raises(MCPError, match="can't find session: nosuch"):
            await session.read_resource("aisession://session/nosuch/context")

        with pytest.raises(MCPError, match="pane id must be a number"):
            await session.read_resource("aisession://pane/x/screen")
