"""MCP tools and resources that watch panes: ``wait_for``, capture diffs, resources with
update notifications (``subscriptions/listen``) for screens, attention and inboxes.

* ``wait_for(target, text|regex|state, timeout)``: until the pane's screen shows the text
  (or a line matches the regex) or its attention state is the one asked (``waiting``,
  ``idle``, ``error``, ``running``, ``done``; ``prompt`` = back at the shell prompt:
  idle, error or done); a timeout is an answer (``timed_out``), not an error.
* :class:`CaptureMemory` keeps each pane's last captured rows per MCP session, so
  ``capture_pane(changes_only=true)`` sends only the rows that changed.
* Resources: ``aisession://pane/{id}/screen`` (the screen, masked, no trailing blank
  rows), ``aisession://attention`` (every pane's attention state),
  ``aisession://session/{name}/context`` (what get_context returns; updated when one of
  its commands ends) and
  ``aisession://agent/{name}/inbox`` (an agent's unread messages, not taken). The bridge
  subscribes to the server's ``system.attention`` changes and bus messages; each change
  publishes ``ResourceUpdated`` for the pane's screen and the attention list, each message
  for its recipients' inboxes, to the clients listening (``subscriptions/listen``).

Invariants: reads are masked by the store's redactor; nothing here writes to a pane.
"""

from __future__ import annotations

import asyncio
import json
import re
import time
from typing import TYPE_CHECKING, Any

from mcp.server.mcpserver.exceptions import ResourceError, ToolError
from mcp.server.subscriptions import InMemorySubscriptionBus
from mcp.shared.subscriptions import ResourceUpdated
from mcp.types import ToolAnnotations

if TYPE_CHECKING:
    from mcp.server.mcpserver import MCPServer

    from .mcp_server import Bridge

WAIT_STATES = ("running", "waiting", "idle", "error", "done", "prompt")
POLL_INTERVAL = 0.1
MAX_WAIT = 600.0
ATTENTION_URI = "aisession://attention"


def screen_uri(pane: str) -> str:
    return f"aisession://pane/{pane.lstrip('%')}/screen"


def context_uri(session: str) -> str:
    return f"aisession://session/{session}/context"


def inbox_uri(agent: str) -> str:
    return f"aisession://agent/{agent}/inbox"


def rows_of(stdout: str) -> list[str]:
    """Captured rows, masked, trailing blank rows dropped."""
    from .ai.redact import redact

    rows = redact(stdout).split("\n")
    while rows and not rows[-1].strip():
        rows.pop()
    return [row.rstrip() for row in rows]


class CaptureMemory:
    """The rows each target showed at its last capture (for ``changes_only``)."""

    def __init__(self) -> None:
        self.last: dict[str, list[str]] = {}

    def diff(self, target: str, rows: list[str]) -> dict[str, Any]:
        before = self.last.get(target)
        self.last[target] = rows
        if before is None:
            return {"first": True, "changed": [{"row": i, "text": t} for i, t in enumerate(rows)],
                    "total_rows": len(rows)}
        rows_changed = [i for i, text in enumerate(rows)
                        if i >= len(before) or before[i] != text]
        cleared = [i for i in range(len(rows), len(before)) if before[i]]
        changed: list[dict[str, Any]] = [{"row": i, "text": rows[i]} for i in rows_changed]
        changed += [{"row": i, "text": ""} for i in cleared]
        return {"changed": changed, "total_rows": len(rows),
                "unchanged_rows": len(rows) - len(rows_changed)}


class PaneEvents:
    """Turns the server's notifications into MCP resource updates: published on the
    ``subscriptions/listen`` bus (protocol 2026-07-28) and sent as
    ``notifications/resources/updated`` to sessions that used ``resources/subscribe``
    (earlier protocol versions)."""

    def __init__(self, subscriptions: InMemorySubscriptionBus) -> None:
        self.subscriptions = subscriptions
        self.subscribed: dict[str, set[Any]] = {}
        """URI -> the sessions that sent ``resources/subscribe`` for it."""
        self._tasks: set[asyncio.Task[None]] = set()

    async def on_subscribe(self, ctx: Any, params: Any) -> Any:
        from mcp.types import EmptyResult

        self.subscribed.setdefault(str(params.uri), set()).add(ctx.session)
        return EmptyResult()

    async def on_unsubscribe(self, ctx: Any, params: Any) -> Any:
        from mcp.types import EmptyResult

        self.subscribed.get(str(params.uri), set()).discard(ctx.session)
        return EmptyResult()

    async def _tell(self, uri: str) -> None:
        await self.subscriptions.publish(ResourceUpdated(uri=uri))
        for session in list(self.subscribed.get(uri, ())):
            try:
                await session.send_resource_updated(uri)
            except Exception:  # the session is gone: forget it
                self.subscribed[uri].discard(session)

    def on_notification(self, method: str, params: dict[str, Any]) -> None:
        uris: list[str] = []
        if method == "bus.attention":
            facts = params.get("attention") or {}
            uris = [screen_uri(str(facts.get("pane", ""))), ATTENTION_URI]
            if facts.get("state") in ("idle", "error", "done") and facts.get("previous") in (
                    "running", "waiting") and facts.get("session"):
                uris.append(context_uri(str(facts["session"])))  # a command ended
        elif method == "bus.message":
            message = params.get("message") or {}
            uris = [inbox_uri(name) for name in message.get("recipients") or ()]
        for uri in uris:
            task = asyncio.get_running_loop().create_task(self._tell(uri))
            self._tasks.add(task)
            task.add_done_callback(self._tasks.discard)


def register(server: MCPServer, bridge: Bridge, events: PaneEvents) -> None:
    """Add wait_for, the watched resources and ``resources/subscribe`` to ``server``."""
    from mcp.types import SubscribeRequestParams, UnsubscribeRequestParams

    lowlevel = server._lowlevel_server  # the SDK has no public seam for this handler
    lowlevel.add_request_handler("resources/subscribe", SubscribeRequestParams,
                                 events.on_subscribe)
    lowlevel.add_request_handler("resources/unsubscribe", UnsubscribeRequestParams,
                                 events.on_unsubscribe)

    @server.tool(annotations=ToolAnnotations(read_only_hint=True, destructive_hint=False,
                                             idempotent_hint=True))
    async def wait_for(target: str, text: str | None = None, regex: str | None = None,
                       state: str | None = None, timeout: float = 30.0) -> dict[str, Any]:
        """Wait until a pane shows `text` (or a line matching `regex`) on its screen, or
        its attention `state` is reached: waiting (asks for input), idle, error (last
        command failed), running, done (exited), or prompt (back at the shell: idle,
        error or done). At most `timeout` seconds; then timed_out=true with the state and
        the last lines. Give exactly one of text, regex, state."""
        if sum(value is not None for value in (text, regex, state)) != 1:
            raise ToolError("give exactly one of text, regex or state")
        if state is not None and state not in WAIT_STATES:
            raise ToolError(f"state must be one of {', '.join(WAIT_STATES)}: {state}")
        if not 0 < timeout <= MAX_WAIT:
            raise ToolError(f"timeout must be between 0 and {MAX_WAIT:g} seconds")
        pattern = None
        if regex is not None:
            try:
                pattern = re.compile(regex)
            except re.error as exc:
                raise ToolError(f"regex invalid: {exc}") from None
        started = time.monotonic()
        while True:
            now_state = (await bridge.command(["display-message", "-p", "-t", target,
                                               "#{pane_attention}"]))["stdout"].strip()
            rows = rows_of((await bridge.command(["capture-pane", "-p", "-t", target]))
                           .get("stdout", ""))
            found: dict[str, Any] | None = None
            if state is not None:
                wanted = ("idle", "error", "done") if state == "prompt" else (state,)
                if now_state in wanted:
                    found = {}
            else:
                for row in reversed(rows):
                    if (text is not None and text in row) or (
                            pattern is not None and pattern.search(row)):
                        found = {"line": row}
                        break
            elapsed = round((time.monotonic() - started) * 1000)
            if found is not None:
                return {"target": target, "matched": True, "state": now_state,
                        "elapsed_ms": elapsed, **found}
            if time.monotonic() - started >= timeout:
                return {"target": target, "matched": False, "timed_out": True,
                        "state": now_state, "elapsed_ms": elapsed,
                        "last_lines": "\n".join(rows[-5:])}
            await asyncio.sleep(POLL_INTERVAL)

    @server.resource("aisession://pane/{id}/screen", name="pane-screen",
                     mime_type="text/plain",
                     description="A pane's screen (secrets masked, no trailing blank rows); "
                                 "updated when the pane's attention state changes.")
    async def pane_screen(id: str) -> str:
        if not id.isdigit():
            raise ResourceError(f"pane id must be a number (the N of %N): {id}")
        reply = await bridge.command(["capture-pane", "-p", "-t", f"%{id}"], ok_codes=(0, 1))
        if int(reply.get("exit_code", 0)) != 0:
            raise ResourceError(reply.get("stderr", "").strip() or f"no pane %{id}")
        return "\n".join(rows_of(reply.get("stdout", "")))

    @server.resource(ATTENTION_URI, name="attention", mime_type="application/json",
                     description="Every pane's attention state (running, waiting, idle, "
                                 "error, done); updated on every change.")
    async def attention() -> str:
        reply = await bridge.command(["list-panes", "-a", "-F",
                                      "#{session_name}\t#{window_index}\t#{pane_id}\t"
                                      "#{pane_attention}\t#{pane_current_command}"],
                                     ok_codes=(0, 1))
        rows = []
        for line in reply.get("stdout", "").splitlines():
            parts = line.split("\t")
            if len(parts) == 5:
                rows.append({"session": parts[0], "window": int(parts[1]), "pane": parts[2],
                             "state": parts[3], "command": parts[4]})
        return json.dumps(rows)

    @server.resource("aisession://session/{name}/context", name="session-context",
                     mime_type="application/json",
                     description="A session's token-budgeted AI context (what get_context "
                                 "returns); updated when a command of it ends.")
    async def session_context(name: str) -> str:
        reply = await bridge.command(["context", name, "--json"], ok_codes=(0, 1))
        if int(reply.get("exit_code", 0)) != 0:
            raise ResourceError(reply.get("stderr", "").strip() or f"no session {name}")
        data = reply.get("data")
        return json.dumps(data) if data is not None else str(reply.get("stdout", ""))

    @server.resource("aisession://agent/{name}/inbox", name="agent-inbox",
                     mime_type="application/json",
                     description="An agent's unread messages (peeked, not taken); updated "
                                 "when a message reaches it.")
    async def agent_inbox(name: str) -> str:
        reply = await bridge.command(["bus", "recv", name, "--peek", "--all", "--json"],
                                     ok_codes=(0, 1))
        if reply.get("data") is None and reply.get("stderr", "").strip():
            raise ResourceError(reply["stderr"].strip())
        return json.dumps(reply.get("data") or [])
