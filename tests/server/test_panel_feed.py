"""The panel feed on a real server: ``record`` / ``context`` notifications and ``panel.state``.

A client attaches to a session; a second connection runs ``exec`` and ``context add``
(as the CLI would). The attached client must receive the parsed record and the pane's
live context with the AI layer's exact numbers, a client of another session must not,
and ``panel.state`` must return the same state on request.
"""

from __future__ import annotations

import asyncio
import json
import time
from typing import Any

import pytest

from aisession_tui.cli.async_client import AsyncClient, open_client
from aisession_tui.cli.client import ClientError

DEADLINE = 30.0
FAILING = "python3 -c \"assert 1 + 1 == 3, 'arithmetic is broken'\""


class Watcher:
    """An attached connection that keeps every notification it gets."""

    def __init__(self) -> None:
        self.seen: list[tuple[str, dict[str, Any]]] = []
        self.client: AsyncClient | None = None

    def on_notification(self, method: str, params: dict[str, Any]) -> None:
        self.seen.append((method, params))

    def of(self, method: str) -> list[dict[str, Any]]:
        return [params for name, params in self.seen if name == method]

    async def wait(self, method: str, predicate: Any = lambda p: True) -> dict[str, Any]:
        end = time.monotonic() + DEADLINE
        while True:
            for params in self.of(method):
                if predicate(params):
                    return params
            if time.monotonic() > end:
                raise AssertionError(f"no {method} notification matching within {DEADLINE}s: "
                                     f"{[name for name, _ in self.seen]}")
            await asyncio.sleep(0.02)


async def attached(server: Any, target: str) -> Watcher:
    watcher = Watcher()
    watcher.client = await open_client(server.socket, on_notification=watcher.on_notification)
    await watcher.client.request("attach", {"target": target, "columns": 80, "lines": 24})
    return watcher


async def command(server: Any, *argv: str) -> dict[str, Any]:
    client = await open_client(server.socket)
    try:
        return await client.request("command", {"argv": list(argv), "env": server.env,
                                                "cwd": str(server.home)})
    finally:
        await client.close()


def pane_of(server: Any, target: str) -> int:
    return int(server.ok("display-message", "-p", "-t", target, "#{pane_id}").strip()[1:])


def test_a_finished_command_pushes_its_record_then_its_context(server: Any) -> None:
    server.ok("new-session", "-d", "-s", "main", "-x", "80", "-y", "23")
    server.ok("new-session", "-d", "-s", "other", "-x", "80", "-y", "23")
    server.wait_for_text("main", "$")
    pane = pane_of(server, "main")

    async def scenario() -> None:
        watcher = await attached(server, "main")
        bystander = await attached(server, "other")
        result = await command(server, "exec", "main", FAILING)
        assert result["exit_code"] == 1, result
        record = await watcher.wait("record")
        assert record["pane"] == pane and record["exit_code"] == 1
        assert record["command"] == FAILING
        parsed = record["parsed"]
        assert parsed["kind"] == "traceback" and parsed["status"] == "failure"
        assert parsed["issues"][0]["file"] == "<string>" and parsed["issues"][0]["line"] == 1
        assert "arithmetic is broken" in parsed["issues"][0]["message"]

        context = await watcher.wait("context", lambda p: p["messages_total"] >= 2)
        assert context["pane"] == pane
        roles = [m["role"] for m in context["messages"]]
        assert roles[-2:] == ["user", "system"]
        assert context["messages"][-2]["text"] == FAILING
        assert context["tokens"] == sum(m["tokens"] for m in context["messages"]) > 0
        # The numbers are the AI layer's: the same as `context --json` and `stats`.
        shown = await command(server, "context", "main", "--json")
        agent_view = json.loads(shown["stdout"])
        assert context["tokens"] == agent_view["tokens"]
        assert context["max_tokens"] == agent_view["max_tokens"] == 4096
        assert context["raw_tokens"] == agent_view["raw_tokens"]
        assert context["saved_tokens"] == context["raw_tokens"] - context["tokens"]

        assert bystander.of("record") == [] and bystander.of("context") == []
        for item in (watcher, bystander):
            assert item.client is not None
            await item.client.close()

    asyncio.run(scenario())


def test_a_note_pushes_the_context_and_panel_state_returns_the_same(server: Any) -> None:
    server.ok("new-session", "-d", "-s", "main", "-x", "80", "-y", "23")
    server.wait_for_text("main", "$")
    pane = pane_of(server, "main")

    async def scenario() -> None:
        watcher = await attached(server, "main")
        assert watcher.client is not None
        empty = await watcher.client.request("panel.state", {})
        assert empty["pane"] == pane and empty["records"] == []
        assert empty["context"]["messages"] == [] and empty["context"]["tokens"] == 0
        assert empty["context"]["max_tokens"] == 4096

        await command(server, "exec", "main", "echo first")
        await command(server, "exec", "main", FAILING)
        added = await command(server, "context", "add", "main", "--role", "assistant",
                              "Looking at the assertion")
        assert added["exit_code"] == 0, added
        pushed = await watcher.wait("context", lambda p: any(
            m["role"] == "assistant" for m in p["messages"]))
        assert pushed["messages"][-1]["text"] == "Looking at the assertion"

        state = await watcher.client.request("panel.state", {"pane": f"%{pane}"})
        assert state["context"] == pushed
        commands = [record["command"] for record in state["records"]]
        assert commands == ["echo first", FAILING]
        assert [r["seq"] for r in state["records"]] == sorted(r["seq"] for r in state["records"])
        assert state["records"][0]["parsed"]["status"] != "failure"
        assert state["records"][1]["exit_code"] == 1
        await watcher.client.close()

    asyncio.run(scenario())


def test_panel_state_errors(server: Any) -> None:
    server.ok("new-session", "-d", "-s", "main", "-x", "80", "-y", "23")

    async def scenario() -> None:
        client = await open_client(server.socket)
        try:
            with pytest.raises(ClientError, match="needs a pane"):
                await client.request("panel.state", {})
            with pytest.raises(ClientError, match="can't find pane: %999"):
                await client.request("panel.state", {"pane": 999})
            with pytest.raises(ClientError, match="pane invalid"):
                await client.request("panel.state", {"pane": "x"})
            assert (await client.request("ping", {}))["sessions"] == 1
        finally:
            await client.close()

    asyncio.run(scenario())
