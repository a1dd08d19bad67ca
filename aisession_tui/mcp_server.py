"""``ai-session mcp``: a Model Context Protocol server on stdio (official ``mcp`` SDK).

Each tool runs one registered command on the ai-session server, exactly as the CLI would
(``command`` requests with argv over one long-lived socket connection, started on the
first call; the server is started when a tool needs one). Tools return the commands'
``--json`` data as structured results; a command that fails becomes a tool error carrying
the command's own message. Nothing but MCP frames is ever written to stdout.

Tools: list_sessions, create_session, exec_command, send_keys, capture_pane, get_context,
bus_send, bus_receive, list_agents.
"""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

from mcp.server.mcpserver import MCPServer
from mcp.server.mcpserver.exceptions import ToolError

from .cli.async_client import AsyncClient, open_client
from .cli.client import ClientError

INSTRUCTIONS = (
    "ai-session is a terminal multiplexer for AI agents. Sessions hold shells; "
    "exec_command runs a command in a session's shell and waits for its exit code; "
    "get_context gives a token-budgeted summary of what happened in a session; the bus "
    "tools let agents in different sessions message each other.")


class Bridge:
    """One connection to the ai-session server, reopened if it drops."""

    def __init__(self, socket_path: Path) -> None:
        self.socket_path = socket_path
        self._client: AsyncClient | None = None

    async def command(self, argv: list[str], *, ok_codes: tuple[int, ...] = (0,)
                      ) -> dict[str, Any]:
        """Run ``argv``; a failing exit code raises :class:`ToolError` with its stderr."""
        for attempt in (1, 2):
            try:
                if self._client is None or self._client.closed.is_set():
                    self._client = await open_client(self.socket_path, start=True)
                reply = await self._client.request("command", {
                    "argv": argv, "cwd": os.getcwd(), "env": dict(os.environ)})
                break
            except ClientError as exc:
                self._client = None
                if attempt == 2:
                    raise ToolError(f"ai-session server unavailable: {exc}") from None
        code = int(reply.get("exit_code", 0))
        if code not in ok_codes:
            message = (reply.get("stderr") or reply.get("stdout") or "").strip()
            raise ToolError(message or f"{argv[0]} failed with exit code {code}")
        return reply

    async def close(self) -> None:
        """Close the connection."""
        if self._client is not None:
            await self._client.close()


def _data(reply: dict[str, Any]) -> Any:
    data = reply.get("data")
    if data is None and reply.get("stdout", "").strip():
        return json.loads(reply["stdout"])
    return data


def build(socket_path: Path) -> tuple[MCPServer, Bridge]:
    """The MCP server with every tool bound to the ai-session server on ``socket_path``."""
    bridge = Bridge(socket_path)
    server = MCPServer("ai-session", instructions=INSTRUCTIONS)

    @server.tool()
    async def list_sessions() -> list[dict[str, Any]]:
        """List sessions with their status, windows, panes and AI context usage."""
        return _data(await bridge.command(["list", "--json"]))

    @server.tool()
    async def create_session(name: str | None = None, directory: str | None = None,
                             max_tokens: int | None = None) -> dict[str, Any]:
        """Create a detached session running a shell; returns its name and pane."""
        argv = ["create", "--json", "--ai-context"]
        if name:
            argv += ["--name", name]
        if directory:
            argv += ["--dir", directory]
        if max_tokens:
            argv += ["--max-tokens", str(max_tokens)]
        return _data(await bridge.command(argv))

    @server.tool()
    async def exec_command(session: str, command: str, timeout: float = 120.0
                           ) -> dict[str, Any]:
        """Run one command line in the session's shell and wait until it finishes.
        Returns exit_code, output (as shown on screen) and parsed (build/test results,
        errors with file:line) when a parser recognised the output."""
        reply = await bridge.command(["exec", session, command, "--json", "--timeout",
                                      f"{timeout:g}"], ok_codes=tuple(range(256)))
        data = reply.get("data")
        if data is None:
            if int(reply.get("exit_code", 0)) == 124:
                return {"session": session, "command": command, "timed_out": True,
                        "message": reply.get("stderr", "").strip()}
            raise ToolError(reply.get("stderr", "").strip() or "exec failed")
        return {**data, "timed_out": False}

    @server.tool()
    async def send_keys(target: str, keys: list[str], literal: bool = False
                        ) -> dict[str, Any]:
        """Send keys to a pane (tmux send-keys): key names such as Enter, C-c, Up, or
        text; with literal=true every item is typed as text."""
        argv = ["send-keys", "-t", target] + (["-l"] if literal else []) + list(keys)
        await bridge.command(argv)
        return {"target": target, "sent": len(keys)}

    @server.tool()
    async def capture_pane(target: str, start: int | None = None,
                           end: int | None = None) -> dict[str, Any]:
        """The text of a pane's screen (start/end: line numbers as in tmux capture-pane
        -S/-E; negative start reaches into the history)."""
        argv = ["capture-pane", "-p", "-t", target]
        if start is not None:
            argv += ["-S", str(start)]
        if end is not None:
            argv += ["-E", str(end)]
        reply = await bridge.command(argv)
        return {"target": target, "text": reply.get("stdout", "")}

    @server.tool()
    async def get_context(session: str, max_tokens: int | None = None) -> dict[str, Any]:
        """The token-budgeted AI context of a session's active pane: recent commands,
        their exit codes and summarised outputs (what ai-session's context verb shows)."""
        argv = ["context", session, "--json"]
        if max_tokens:
            argv += ["--max-tokens", str(max_tokens)]
        return _data(await bridge.command(argv))

    @server.tool()
    async def bus_send(to: str, payload: Any, sender: str = "mcp",
                       type: str = "custom", priority: str = "normal",
                       reply_to: int | None = None, topic: str | None = None
                       ) -> dict[str, Any]:
        """Send a message on the ai-session bus: to an agent, to "*" (broadcast) or,
        with topic set, to every agent subscribed to that topic. Types:
        task_assignment, status_update, data_share, coordination_request, response,
        help_request, custom. Answered once the message is stored."""
        if topic:
            argv = ["bus", "publish", "--topic", topic]
        elif to == "*":
            argv = ["bus", "broadcast"]
        else:
            argv = ["bus", "send", "--to", to]
        argv += ["--from", sender, "--type", type, "--priority", priority, "--json"]
        if reply_to is not None:
            argv += ["--reply-to", str(reply_to)]
        return _data(await bridge.command([*argv, "--", json.dumps(payload)]))

    @server.tool()
    async def bus_receive(agent: str, wait: float = 0.0, max_messages: int = 10
                          ) -> list[dict[str, Any]]:
        """Take up to max_messages messages from an agent's inbox (highest priority
        first); wait up to `wait` seconds for the first one. Empty list when none."""
        argv = ["bus", "recv", agent, "--max", str(max_messages), "--json"]
        if wait > 0:
            argv += ["--wait", f"{wait:g}"]
        reply = await bridge.command(argv, ok_codes=(0, 1))
        if int(reply.get("exit_code", 0)) == 1 and reply.get("data") is None:
            raise ToolError(reply.get("stderr", "").strip())
        return reply.get("data") or []

    @server.tool()
    async def list_agents() -> list[dict[str, Any]]:
        """Registered agents: name, session/pane, role, capabilities, status (idle,
        busy, waiting, offline), inbox size and open tasks."""
        return _data(await bridge.command(["agent", "list", "--json"]))

    return server, bridge


async def serve(socket_path: Path) -> None:
    """Speak MCP on stdin/stdout until the client closes stdin."""
    server, bridge = build(socket_path)
    try:
        await server.run_stdio_async()
    finally:
        await bridge.close()
