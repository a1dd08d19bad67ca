"""``ai-session mcp``: a Model Context Protocol server on stdio (official ``mcp`` SDK).

Each tool runs one registered command on the ai-session server, exactly as the CLI would
(``command`` requests with argv over one long-lived socket connection, started on the
first call; the server is started when a tool needs one). Tools return the commands'
``--json`` data as structured results; a command that fails becomes a tool error carrying
the command's own message. Nothing but MCP frames is ever written to stdout.

Tools (annotated read-only or not): list_sessions, create_session, exec_command,
send_keys, capture_pane, get_context, bus_send, bus_receive, list_agents, get_output (a
stored output by lines), job_list/job_wait/job_output/job_answer/job_cancel,
agent_register/agent_unregister, bus_sync, task_submit/task_list/task_claim/task_complete, and from
:mod:`aisession_tui.mcp_panes` wait_for (text, regex or attention state, with a timeout)
and the resources aisession://pane/{id}/screen, aisession://attention and
aisession://agent/{name}/inbox, updated through ``resources/subscribe`` and
``subscriptions/listen`` when attention changes or a message arrives; capture_pane
changes_only=true sends only the rows changed since the last capture.
Resources: ``aisession://record/{id}``, the full stored output of command record ``id``
(every get_context entry names the record ids it covers in ``record_ids``).
An exec_command that times out leaves a job the agent can reach (its id is in the result);
an MCP cancellation (``notifications/cancelled``) of a running exec_command interrupts its
command (C-c, then C-\\, then SIGKILL; the job says ``cancelled_by``), and the session's
next exec_command waits for that interruption instead of finding the pane busy. Results are
bounded (exec_command under max_tokens, at most 20,000) and secrets are masked.
"""

from __future__ import annotations

import asyncio
import json
import os
import uuid
from collections.abc import Callable
from pathlib import Path
from typing import Any

from mcp.server.mcpserver import MCPServer
from mcp.server.mcpserver.exceptions import ResourceError, ToolError
from mcp.types import CallToolResult, ToolAnnotations

from .cli.async_client import AsyncClient, open_client
from .cli.client import ClientError
from .mcp_panes import CaptureMemory, PaneEvents, register
from .mcp_results import as_text, finished_for_model, tool_result
from .server.commands.exec import JOB_STARTED

INTERRUPT_GRACE = 1.0
"""Seconds between C-c, C-\\ and SIGKILL when an MCP cancellation interrupts a command."""
INTERRUPT_WAIT = 15.0
"""Longest wait for a cancelled exec's job to be announced, or interrupted."""

INSTRUCTIONS = (
    "ai-session is a terminal multiplexer for AI agents. Workflow: create_session once, "
    "then exec_command for each command line. Its result is compact: the exit code (no "
    "exit line means exit 0), parsed "
    "facts (failing tests, file:line errors, exception type and message) and a bounded "
    "head/tail of the output; read more with get_output(id, offset, limit). If the "
    "result says state=waiting, the command asks for input: read `prompt`, answer with "
    "job_answer(job, text), then job_wait(job). A timed_out command keeps running as "
    "its job: job_wait, job_output or job_cancel. wait_for waits for text or a pane "
    "state; subscribe to aisession://attention to hear when a pane needs you. "
    "get_context summarises a session; the bus tools message other agents.")


class Bridge:
    """One connection to the ai-session server, reopened if it drops.

    It also carries what MCP cancellation needs: the job ids exec announces
    (``--notify-job``) and, per session, the interruption still under way after a
    cancelled ``exec_command`` (the session's next exec waits for it, bounded)."""

    def __init__(self, socket_path: Path) -> None:
        self.socket_path = socket_path
        self._client: AsyncClient | None = None
        self.announced: dict[str, asyncio.Future[int]] = {}
        self.interrupting: dict[str, asyncio.Task[None]] = {}
        self.listeners: list[Callable[[str, dict[str, Any]], None]] = []
        """Called with every other notification (attention changes, bus messages)."""

    def _on_notification(self, method: str, params: dict[str, Any]) -> None:
        if method == JOB_STARTED:
            future = self.announced.get(str(params.get("token")))
            if future is not None and not future.done():
                future.set_result(int(params["job"]))
            return
        for listener in self.listeners:
            listener(method, params)

    async def _connect(self, *, start: bool) -> AsyncClient:
        client = await open_client(self.socket_path, start=start,
                                   on_notification=self._on_notification)
        try:  # attention changes and bus messages drive the resource updates
            await client.request("bus.subscribe", {"topic": "system.attention"})
            await client.request("bus.subscribe", {})
        except ClientError:
            pass
        return client

    async def connect_if_running(self) -> None:
        """Connect now when a server runs (so resource listeners hear changes before the
        first tool call); a server is never started for this."""
        if self._client is None:
            try:
                self._client = await self._connect(start=False)
            except ClientError:
                self._client = None

    async def command(self, argv: list[str], *, ok_codes: tuple[int, ...] = (0,)
                      ) -> dict[str, Any]:
        """Run ``argv``; a failing exit code raises :class:`ToolError` with its stderr."""
        for attempt in (1, 2):
            try:
                if self._client is None or self._client.closed.is_set():
                    self._client = await self._connect(start=True)
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

    async def exec_interruptible(self, session: str, argv: list[str]) -> dict[str, Any]:
        """Run an ``exec`` argv; if the MCP call is cancelled meanwhile, the command it
        started is interrupted (``job cancel``: C-c, C-\\, SIGKILL) by a task of its own,
        which the session's next :meth:`exec_interruptible` waits for."""
        await self.settle_interruption(session)
        token = uuid.uuid4().hex
        announced: asyncio.Future[int] = asyncio.get_running_loop().create_future()
        self.announced[token] = announced
        request = asyncio.ensure_future(self.command([*argv, "--notify-job", token],
                                                     ok_codes=tuple(range(256))))
        try:
            return await asyncio.shield(request)
        except asyncio.CancelledError:
            task = asyncio.get_running_loop().create_task(
                self._interrupt(token, request, announced))
            self.interrupting[session] = task
            raise
        finally:
            if request.done():
                self.announced.pop(token, None)

    async def _interrupt(self, token: str, request: asyncio.Future[Any],
                         announced: asyncio.Future[int]) -> None:
        try:
            await asyncio.wait({request, announced}, timeout=INTERRUPT_WAIT,
                               return_when=asyncio.FIRST_COMPLETED)
            if announced.done():
                await self.command(["job", "cancel", str(announced.result()), "--grace",
                                    f"{INTERRUPT_GRACE:g}"], ok_codes=tuple(range(256)))
        except (ToolError, ClientError):
            pass
        finally:
            self.announced.pop(token, None)
            if not request.done():
                request.cancel()

    async def settle_interruption(self, session: str) -> None:
        """Wait (at most :data:`INTERRUPT_WAIT` s) for a cancelled exec's interruption."""
        task = self.interrupting.pop(session, None)
        if task is not None and not task.done():
            try:
                await asyncio.wait_for(asyncio.shield(task), INTERRUPT_WAIT)
            except TimeoutError:
                pass

    async def close(self) -> None:
        """Close the connection."""
        for task in list(self.interrupting.values()):
            if not task.done():
                await asyncio.wait({task}, timeout=INTERRUPT_WAIT)
        if self._client is not None:
            await self._client.close()


DEFAULT_MAX_TOKENS = 4000
HARD_MAX_TOKENS = 20000
"""Every tool result stays below the ~25k-token tool-output cap of agent clients."""
READ_ONLY = ToolAnnotations(read_only_hint=True, destructive_hint=False, idempotent_hint=True)


def _data(reply: dict[str, Any]) -> Any:
    data = reply.get("data")
    if data is None and reply.get("stdout", "").strip():
        return json.loads(reply["stdout"])
    return data


def build(socket_path: Path) -> tuple[MCPServer, Bridge]:
    """The MCP server with every tool bound to the ai-session server on ``socket_path``."""
    bridge = Bridge(socket_path)
    from mcp.server.subscriptions import InMemorySubscriptionBus

    from . import __version__

    subscriptions = InMemorySubscriptionBus()
    server = MCPServer("ai-session", instructions=INSTRUCTIONS, version=__version__,
                       subscriptions=subscriptions)
    pane_events = PaneEvents(subscriptions)
    bridge.listeners.append(pane_events.on_notification)
    captures = CaptureMemory()
    register(server, bridge, pane_events)

    @server.tool(annotations=READ_ONLY)
    async def list_sessions() -> list[dict[str, Any]]:
        """List sessions with their status, windows, panes and AI context usage."""
        return _data(await bridge.command(["list", "--json"]))

    @server.tool(annotations=ToolAnnotations(destructive_hint=False, idempotent_hint=False))
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

    @server.tool(annotations=ToolAnnotations(destructive_hint=True, idempotent_hint=False,
                                             open_world_hint=True))
    async def exec_command(session: str, command: str, timeout: float = 120.0,
                           detail: str = "parsed", max_tokens: int = DEFAULT_MAX_TOKENS,
                           head: int = 20, tail: int = 40, queue: bool = False,
                           wait_to_end: bool = False, background: bool = False
                           ) -> CallToolResult:
        """Run one command line in the session's shell. Returns within `timeout` seconds
        one of: the finished result (exit_code, job, parsed facts: failing tests,
        errors with file:line, exception type and message; the output, or a bounded
        head/tail with omitted_* counts and the `id` that reads all of it via
        get_output); state "waiting" with the prompt text when the command asks for
        input (answer with job_answer, then job_wait);
        or timed_out with the command left running as a job. Every result names its
        `job` (job_wait, job_output, job_answer, job_cancel); background=true returns
        the job at once. detail: summary | parsed | full. A busy pane is an immediate
        error unless queue=true."""
        if max_tokens > HARD_MAX_TOKENS:
            raise ToolError(f"max_tokens is at most {HARD_MAX_TOKENS}")
        argv = ["exec", session, command, "--json", "--timeout", f"{timeout:g}",
                "--detail", detail, "--max-tokens", str(max_tokens), "--head", str(head),
                "--tail", str(tail)]
        if queue:
            argv.append("--queue")
        if wait_to_end:
            argv.append("--wait-to-end")
        if background:
            argv.append("--background")
        reply = await bridge.exec_interruptible(session, argv)
        data = _data(reply) if reply.get("stdout", "").lstrip().startswith("{") else None
        if data is None:
            if int(reply.get("exit_code", 0)) == 124:
                message = reply.get("stderr", "").strip()
                result: dict[str, Any] = {"session": session, "state": "timed_out",
                                          "message": message}
                if "as job " in message:
                    result["job"] = int(message.split("as job ")[1].split()[0])
                return tool_result(result)
            raise ToolError(reply.get("stderr", "").strip() or "exec failed")
        facts = finished_for_model(data)
        return tool_result(facts, text=as_text(facts))

    @server.tool(annotations=READ_ONLY)
    async def get_output(session: str, id: int, offset: int = 0, limit: int = 200
                         ) -> dict[str, Any]:
        """Lines of a finished command's full stored output (secrets masked): `id` from
        exec_command or any of get_context's record_ids, `offset` the first line (negative: counted from the end), at
        most `limit` lines (1..2000). next_offset is absent at the end."""
        if not 1 <= limit <= 2000:
            raise ToolError("limit must be between 1 and 2000")
        found = _data(await bridge.command(["context", session, "--raw", str(id), "--json"]))
        lines = (found.get("output") or "").splitlines()
        start = max(0, len(lines) + offset) if offset < 0 else min(offset, len(lines))
        chunk = lines[start:start + limit]
        result: dict[str, Any] = {"id": id, "offset": start, "total_lines": len(lines),
                                  "text": "\n".join(chunk)}
        if start + limit < len(lines):
            result["next_offset"] = start + limit
        return result

    @server.tool(annotations=ToolAnnotations(destructive_hint=True, idempotent_hint=False))
    async def send_keys(target: str, keys: list[str], literal: bool = False
                        ) -> dict[str, Any]:
        """Send keys to a pane (tmux send-keys): key names such as Enter, C-c, Up, or
        text; with literal=true every item is typed as text."""
        argv = ["send-keys", "-t", target] + (["-l"] if literal else []) + list(keys)
        await bridge.command(argv)
        return {"target": target, "sent": len(keys)}

    @server.tool(annotations=READ_ONLY)
    async def capture_pane(target: str, start: int | None = None,
                           end: int | None = None, changes_only: bool = False
                           ) -> dict[str, Any]:
        """The text of a pane's screen, trailing blank rows dropped and secrets masked
        (start/end: line numbers as in tmux capture-pane -S/-E; negative start reaches
        into the history). changes_only=true: only the rows that differ from your last
        capture of this target ({row, text}; a cleared row has text "")."""
        argv = ["capture-pane", "-p", "-t", target]
        if start is not None:
            argv += ["-S", str(start)]
        if end is not None:
            argv += ["-E", str(end)]
        reply = await bridge.command(argv)
        from .mcp_panes import rows_of

        rows = rows_of(reply.get("stdout", ""))
        if changes_only:
            return {"target": target, **captures.diff(f"{target} {start} {end}", rows)}
        captures.last[f"{target} {start} {end}"] = rows
        return {"target": target, "text": "\n".join(rows)}

    @server.tool(annotations=READ_ONLY)
    async def get_context(session: str, max_tokens: int | None = None) -> dict[str, Any]:
        """The token-budgeted AI context of a session's active pane: recent commands,
        their exit codes and summarised outputs (what ai-session's context verb shows).
        Every entry names the command records it covers in `record_ids` (merged and
        omitted history too): read one in full with the resource
        aisession://record/{id} or get_output(session, id)."""
        argv = ["context", session, "--json"]
        if max_tokens:
            argv += ["--max-tokens", str(max_tokens)]
        return _data(await bridge.command(argv))

    @server.resource("aisession://record/{id}", name="record", mime_type="text/plain",
                     description="The full stored output of a command record (secrets "
                                 "masked): every get_context entry names its record ids "
                                 "in record_ids.")
    async def record(id: str) -> str:
        if not id.isdigit():
            raise ResourceError(f"record id must be a number: {id}")
        reply = await bridge.command(["context", "--raw", id, "--json"], ok_codes=(0, 1))
        if int(reply.get("exit_code", 0)) != 0:
            raise ResourceError(reply.get("stderr", "").strip() or f"no record {id}")
        return str(_data(reply).get("output") or "")

    @server.tool(annotations=ToolAnnotations(destructive_hint=False, idempotent_hint=False))
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

    @server.tool(annotations=ToolAnnotations(destructive_hint=False, idempotent_hint=False))
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

    @server.tool(annotations=READ_ONLY)
    async def list_agents() -> list[dict[str, Any]]:
        """Registered agents: name, session/pane, role, capabilities, status (idle,
        busy, waiting, offline), inbox size and open tasks."""
        return _data(await bridge.command(["agent", "list", "--json"]))

    @server.tool(annotations=READ_ONLY)
    async def job_list(state: str | None = None) -> list[dict[str, Any]]:
        """Jobs (commands exec_command started) with their state: running, waiting,
        finished, failed or killed (filter with `state`)."""
        argv = ["job", "list", "--json"] + (["--state", state] if state else [])
        return _data(await bridge.command(argv))

    @server.tool(annotations=READ_ONLY)
    async def job_wait(job: int, timeout: float = 60.0, wait_to_end: bool = False
                       ) -> CallToolResult:
        """Wait up to `timeout` seconds for a job to end or to wait for input (then
        `prompt` holds the question). timed_out=true when neither happened. An ended
        job brings its output not read yet (at most 200 lines; next_offset for
        job_output when more remain)."""
        reply = await bridge.command(["job", "wait", str(job), "--json", "--timeout",
                                      f"{timeout:g}"] + (["--wait-to-end"] if wait_to_end
                                                         else []),
                                     ok_codes=tuple(range(256)))
        if not reply.get("stdout", "").lstrip().startswith("{"):
            raise ToolError(reply.get("stderr", "").strip() or "job wait failed")
        facts = {key: value for key, value in _data(reply).items()
                 if key not in ("session", "pane", "command", "duration_ms")}
        if facts.get("state") in ("finished", "failed", "killed"):
            facts.pop("id", None)
            read = _data(await bridge.command(["job", "output", str(job), "--offset=0",
                                               "--limit", "200", "--json"]))
            if read.get("text"):
                from .mcp_results import squeeze

                facts["output"] = squeeze(read["text"])
            if "next_offset" in read:
                facts["next_offset"] = read["next_offset"]
        return tool_result(facts, text=as_text(
            facts | {"state": None} if "exit_code" in facts else facts))

    @server.tool(annotations=ToolAnnotations(read_only_hint=True, destructive_hint=False,
                                             idempotent_hint=False))
    async def job_output(job: int, offset: int = 0, limit: int = 200) -> dict[str, Any]:
        """Lines of a job's output so far (secrets masked). offset 0 = from where you
        last read this job; positive = that line; negative = the last -offset lines.
        next_offset is present while more lines remain."""
        if not 1 <= limit <= 2000:
            raise ToolError("limit must be between 1 and 2000")
        return _data(await bridge.command(["job", "output", str(job), f"--offset={offset}",
                                           "--limit", str(limit), "--json"]))

    @server.tool(annotations=ToolAnnotations(destructive_hint=True, idempotent_hint=False))
    async def job_answer(job: int, text: str, enter: bool = True) -> CallToolResult:
        """Type `text` (one line, then Enter unless enter=false) for a job that waits
        for input; an error if it is not waiting. Then job_wait for what follows."""
        await bridge.command(["job", "answer", str(job), "--", text]
                             + ([] if enter else ["--no-enter"]))
        return tool_result({"job": job, "sent": len(text)})

    @server.tool(annotations=ToolAnnotations(destructive_hint=True, idempotent_hint=False))
    async def job_cancel(job: int, grace: float = 2.0) -> dict[str, Any]:
        """Interrupt a job: C-c, then C-\\, then SIGKILL, `grace` seconds apart;
        says which step stopped it."""
        return _data(await bridge.command(["job", "cancel", str(job), "--json", "--grace",
                                           f"{grace:g}"]))

    @server.tool(annotations=ToolAnnotations(destructive_hint=False, idempotent_hint=False))
    async def agent_register(name: str, role: str | None = None,
                             capabilities: list[str] | None = None,
                             topics: list[str] | None = None,
                             session: str | None = None) -> dict[str, Any]:
        """Register an agent on the bus (needed before bus_receive): a name, a role,
        capabilities that tasks can require, topics it subscribes to, its session."""
        argv = ["agent", "register", name, "--json"]
        if role:
            argv += ["--role", role]
        if capabilities:
            argv += ["--capabilities", ",".join(capabilities)]
        if topics:
            argv += ["--topics", ",".join(topics)]
        if session:
            argv += ["--session", session]
        return _data(await bridge.command(argv))

    @server.tool(annotations=ToolAnnotations(destructive_hint=True, idempotent_hint=True))
    async def agent_unregister(name: str, force: bool = False) -> dict[str, Any]:
        """Remove an agent from the bus (force: even with messages or tasks open)."""
        return _data(await bridge.command(["agent", "unregister", name, "--json"]
                                          + (["--force"] if force else [])))

    @server.tool(annotations=ToolAnnotations(destructive_hint=False, idempotent_hint=False))
    async def bus_sync(name: str, agent: str, agents: list[str], timeout: float = 30.0
                       ) -> dict[str, Any]:
        """A barrier: `agent` arrives at barrier `name` and waits up to `timeout`
        seconds for every agent in `agents` to arrive too."""
        reply = await bridge.command(["bus", "sync", "--name", name, "--from", agent,
                                      "--agents", ",".join(agents), "--timeout",
                                      f"{timeout:g}"], ok_codes=(0, 1))
        if int(reply.get("exit_code", 0)) != 0:
            raise ToolError(reply.get("stderr", "").strip() or "sync failed")
        return {"name": name, "agent": agent, "released": True,
                "message": reply.get("stdout", "").strip()}

    @server.tool(annotations=ToolAnnotations(destructive_hint=False, idempotent_hint=False))
    async def task_submit(requires: list[str], payload: Any, sender: str | None = None,
                          priority: str = "normal") -> dict[str, Any]:
        """Submit a task needing `requires` capabilities: it goes to the capable agent
        with the fewest open tasks (a task_assignment in its inbox) or stays queued."""
        argv = ["task", "submit", "--requires", ",".join(requires), "--priority", priority,
                "--json"] + (["--from", sender] if sender else [])
        return _data(await bridge.command([*argv, "--", json.dumps(payload)]))

    @server.tool(annotations=READ_ONLY)
    async def task_list(state: str | None = None) -> list[dict[str, Any]]:
        """Tasks (state: queued, assigned, done, failed)."""
        return _data(await bridge.command(["task", "list", "--json"]
                                          + (["--state", state] if state else [])))

    @server.tool(annotations=ToolAnnotations(destructive_hint=False, idempotent_hint=False))
    async def task_claim(agent: str, id: int | None = None) -> dict[str, Any]:
        """`agent` takes a queued task it has the capabilities for: task `id`, or the
        best queued one (highest priority, oldest). Finish it with task_complete."""
        argv = ["task", "claim", "--from", agent, "--json"]
        return _data(await bridge.command(argv + ([str(id)] if id is not None else [])))

    @server.tool(annotations=ToolAnnotations(destructive_hint=False, idempotent_hint=False))
    async def task_complete(id: int, result: Any = None, failed: bool = False,
                            sender: str | None = None) -> dict[str, Any]:
        """Finish task `id` (failed=true for a failure) with a JSON `result`; the
        submitter gets a response message."""
        argv = ["task", "done", str(id), "--json"] + (["--failed"] if failed else [])
        if result is not None:
            argv += ["--result", json.dumps(result)]
        if sender:
            argv += ["--from", sender]
        return _data(await bridge.command(argv))

    return server, bridge


async def serve(socket_path: Path) -> None:
    """Speak MCP on stdin/stdout until the client closes stdin."""
    server, bridge = build(socket_path)
    await bridge.connect_if_running()
    try:
        await server.run_stdio_async()
    finally:
        await bridge.close()
