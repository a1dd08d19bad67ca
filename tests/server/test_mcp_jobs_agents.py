"""The product over MCP through the official SDK client: jobs (background, prompt,
answer, output cursor, cancel, a timed-out call's job), agents,
barriers and tasks - each tool once, with its errors (issue 14)."""

from __future__ import annotations

from mcp import ClientSession
from mcp.client.stdio import stdio_client
from mcp_client import stdio_params, structured


async def test_mcp_jobs(server):
    async with stdio_client(stdio_params(server)) as (read, write), \
            ClientSession(read, write) as session:
        await session.initialize()
        structured(await session.call_tool("create_session", {"name": "j"}))
        asked = structured(await session.call_tool("exec_command", {
            "session": "j", "command": "read -p 'Deploy? [y/N] ' a; echo answer=$a"}))
        assert asked["state"] == "waiting" and "Deploy?" in asked["prompt"]
        job = asked["job"]
        listed = structured(await session.call_tool("job_list", {"state": "waiting"}))
        assert [row["job"] for row in listed] == [job]
        structured(await session.call_tool("job_answer", {"job": job, "text": "y"}))
        done = structured(await session.call_tool("job_wait", {"job": job, "timeout": 30}))
        assert done["state"] == "finished" and done["exit_code"] == 0
        assert "answer=y" in done["output"]  # the output not read yet comes with the end
        out = structured(await session.call_tool("job_output", {"job": job}))
        assert out["text"] == ""  # read already: nothing new since
        tail = structured(await session.call_tool("job_output", {"job": job, "offset": -3}))
        assert "answer=y" in tail["text"]
        late = await session.call_tool("job_answer", {"job": job, "text": "y"})
        assert late.is_error and "already finished" in late.content[0].text
        missing = await session.call_tool("job_wait", {"job": 4242})
        assert missing.is_error and "no job 4242" in missing.content[0].text

        bg = structured(await session.call_tool("exec_command", {
            "session": "j", "command": "sleep 100", "background": True}))
        stopped = structured(await session.call_tool("job_cancel", {"job": bg["job"], "grace": 20}))
        assert stopped["state"] == "failed" and stopped["stopped_by"] == "C-c"
        again = await session.call_tool("job_cancel", {"job": bg["job"]})
        assert again.is_error and "nothing to cancel" in again.content[0].text

        slow = structured(await session.call_tool("exec_command", {
            "session": "j", "command": "sleep 200", "timeout": 1}))
        assert slow["state"] == "timed_out"
        stopped = structured(await session.call_tool("job_cancel", {"job": slow["job"]}))
        assert stopped["state"] == "failed"


async def test_mcp_agents_sync_and_tasks(server):
    async with stdio_client(stdio_params(server)) as (read, write), \
            ClientSession(read, write) as session:
        await session.initialize()
        worker = structured(await session.call_tool("agent_register", {
            "name": "worker", "role": "dev", "capabilities": ["python"]}))
        assert worker["name"] == "worker"
        structured(await session.call_tool("agent_register", {"name": "lead"}))
        task = structured(await session.call_tool("task_submit", {
            "requires": ["python"], "payload": {"fix": "bug"}, "sender": "lead"}))
        tasks = structured(await session.call_tool("task_list", {}))
        assert [t["id"] for t in tasks] == [task["id"]]
        inbox = structured(await session.call_tool("bus_receive", {"agent": "worker"}))
        assert inbox and inbox[0]["type"] == "task_assignment"
        finished = structured(await session.call_tool("task_complete", {
            "id": task["id"], "result": {"ok": True}, "sender": "worker"}))
        assert finished["state"] == "done"
        unknown = await session.call_tool("task_complete", {"id": 999})
        assert unknown.is_error
        queued = structured(await session.call_tool("task_submit", {
            "requires": ["gpu"], "payload": {"train": 1}, "sender": "lead"}))
        assert queued["state"] == "queued"
        nothing = await session.call_tool("task_claim", {"agent": "lead"})
        assert nothing.is_error and "no queued task that lead can do" in nothing.content[0].text
        taken = structured(await session.call_tool("task_claim", {
            "agent": "lead", "id": queued["id"]}))
        assert (taken["state"], taken["agent"]) == ("assigned", "lead")
        twice = await session.call_tool("task_claim", {"agent": "worker", "id": queued["id"]})
        assert twice.is_error and "already assigned to lead" in twice.content[0].text
        alone = structured(await session.call_tool("bus_sync", {
            "name": "b1", "agent": "lead", "agents": ["lead"], "timeout": 5}))
        assert alone["released"] is True
        stuck = await session.call_tool("bus_sync", {
            "name": "b2", "agent": "lead", "agents": ["lead", "worker"], "timeout": 1})
        assert stuck.is_error and "worker" in stuck.content[0].text
        gone = structured(await session.call_tool("agent_unregister",
                                                   {"name": "worker", "force": True}))
        assert gone
        nobody = await session.call_tool("agent_unregister", {"name": "nobody"})
        assert nobody.is_error


async def test_mcp_cancellation_interrupts_the_command(server):
    """notifications/cancelled (the SDK sends it when a call times out on the client)
    interrupts the running command with C-c; the session's next exec_command runs."""
    import pytest
    from mcp.shared.exceptions import MCPError

    async with stdio_client(stdio_params(server)) as (read, write), \
            ClientSession(read, write) as session:
        await session.initialize()
        structured(await session.call_tool("create_session", {"name": "c"}))
        with pytest.raises(MCPError):
            await session.call_tool("exec_command", {"session": "c", "command": "sleep 300"},
                                    read_timeout_seconds=2)
        after = structured(await session.call_tool("exec_command", {
            "session": "c", "command": "echo next", "timeout": 60}))
        assert after["exit_code"] == 0 and "next" in after["output"]
        jobs = structured(await session.call_tool("job_list", {}))
        sleeper = next(row for row in jobs if row["command"] == "sleep 300")
        assert sleeper["state"] == "failed" and sleeper["cancelled_by"] == "C-c"
        assert sleeper["exit_code"] == 130
