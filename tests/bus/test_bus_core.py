"""MessageBus unit tests (issue 5): ordering per sender, a copy per subscriber, overflow,
bad payloads, request/response, barriers, task routing, journal durability."""

from __future__ import annotations

import asyncio

import pytest

from aisession_tui.bus import BusError, BusTimeout, MessageBus, parse_payload
from aisession_tui.bus.journal import MemoryJournal
from aisession_tui.bus.model import PRIORITIES, parse_priority, parse_type


async def test_one_senders_messages_arrive_in_order_among_interleaved_senders():
    bus = MessageBus()
    await bus.register("sink")
    for index in range(50):
        await bus.send("alpha", "sink", "data_share", {"n": index})
        await bus.send("beta", "sink", "data_share", {"n": index})
    received = bus.take("sink", None)
    for sender in ("alpha", "beta"):
        assert [m.payload["n"] for m in received if m.sender == sender] == list(range(50))


async def test_higher_priority_first_then_acceptance_order():
    bus = MessageBus()
    await bus.register("sink")
    await bus.send("a", "sink", "custom", 1)
    await bus.send("a", "sink", "custom", 2, priority=PRIORITIES["critical"])
    await bus.send("a", "sink", "custom", 3)
    assert [m.payload for m in bus.take("sink", None)] == [2, 1, 3]


async def test_broadcast_gives_every_other_agent_its_own_copy():
    bus = MessageBus()
    for name in ("lead", "fe", "be", "qa"):
        await bus.register(name)
    message, recipients = await bus.broadcast("lead", "status_update", {"phase": "review"})
    assert sorted(recipients) == ["be", "fe", "qa"]
    for name in recipients:
        assert [m.id for m in bus.take(name, None)] == [message.id]
    assert bus.take("lead", None) == []


async def test_topic_publish_reaches_each_matching_subscriber_once():
    bus = MessageBus()
    await bus.register("ci", topics=["build.*"])
    await bus.register("watcher", topics=["status.*", "build.*"])
    await bus.register("other", topics=["status.*"])
    _, recipients = await bus.publish("ci", "build.linux", "status_update", {"ok": True})
    assert recipients == ["watcher"]
    _, recipients = await bus.publish("ci", "status.deploy.eu", "status_update", {})
    assert sorted(recipients) == ["other", "watcher"]
    assert len(bus.take("watcher", None)) == 2 and len(bus.take("other", None)) == 1


async def test_live_listeners_each_see_every_message():
    bus = MessageBus()
    await bus.register("b")
    seen: list[list[int]] = [[], []]
    for box in seen:
        bus.listeners.append(lambda kind, data, box=box: kind == "message"
                             and box.append(data["id"]))
    sent = [(await bus.send("a", "b", "custom", n)).id for n in range(3)]
    assert seen == [sent, sent]


async def test_overflow_is_an_error_and_loses_nothing_already_queued():
    bus = MessageBus()
    await bus.register("small", inbox_limit=3)
    await bus.register("big")
    for n in range(3):
        await bus.send("a", "small", "custom", n)
    with pytest.raises(BusError, match="inbox full: small \\(3 messages\\)"):
        await bus.send("a", "small", "custom", 3)
    with pytest.raises(BusError, match="message not sent to anyone"):
        await bus.broadcast("a", "custom", "x")
    assert bus.pending("big") == 0
    assert [m.payload for m in bus.take("small", None)] == [0, 1, 2]
    await bus.send("a", "small", "custom", 4)


async def test_bad_payloads_types_names_and_unknown_agents_are_clear_errors():
    with pytest.raises(BusError, match="bad JSON payload"):
        parse_payload("{task: 1}")
    with pytest.raises(BusError, match="unknown message type: chat"):
        parse_type("chat")
    assert parse_type("task-assignment") == "task_assignment"
    with pytest.raises(BusError, match="unknown priority"):
        parse_priority("urgent")
    bus = MessageBus()
    with pytest.raises(BusError, match="unknown agent: ghost"):
        await bus.send("a", "ghost", "custom", {})
    with pytest.raises(BusError, match="invalid agent name"):
        await bus.register("has space")
    await bus.register("b")
    with pytest.raises(BusError, match="not JSON data"):
        await bus.send("a", "b", "custom", {1, 2})


async def test_receive_waits_then_times_out():
    bus = MessageBus()
    await bus.register("b")
    waiting = asyncio.create_task(bus.receive("b", timeout=30))
    await asyncio.sleep(0)
    assert bus.status(bus.agent("b")) == "waiting"
    await bus.send("a", "b", "custom", "late")
    assert [m.payload for m in await waiting] == ["late"]
    with pytest.raises(BusTimeout, match="no message for b"):
        await bus.receive("b", timeout=0.05)


async def test_request_gets_its_correlated_response_not_other_mail():
    bus = MessageBus()
    await bus.register("asker")
    await bus.register("helper")

    async def helper() -> None:
        [question] = await bus.receive("helper", timeout=30)
        await bus.send("helper", "asker", "custom", "unrelated")
        await bus.send("helper", "asker", "response", {"answer": 42}, reply_to=question.id)

    task = asyncio.create_task(helper())
    sent, response = await bus.request("asker", "helper", "help_request", {"q": "?"},
                                       timeout=30)
    await task
    assert response.payload == {"answer": 42}
    assert response.correlation_id == sent.id and response.reply_to == sent.id
    assert [m.payload for m in bus.take("asker", None)] == ["unrelated"]
    with pytest.raises(BusTimeout, match="no response from helper"):
        await bus.request("asker", "helper", "help_request", {}, timeout=0.05)


async def test_barrier_releases_all_when_the_last_arrives():
    bus = MessageBus()
    first = asyncio.create_task(bus.syncs.arrive("phase1", ["fe", "be", "qa"], "fe", 30))
    second = asyncio.create_task(bus.syncs.arrive("phase1", ["fe", "be", "qa"], "be", 30))
    await asyncio.sleep(0)
    assert not first.done() and bus.syncs.describe()[0]["missing"] == ["qa"]
    last = await bus.syncs.arrive("phase1", ["qa", "be", "fe"], "qa", 30)
    assert (await first) == (await second) == last
    assert last["round"] == 1 and bus.syncs.describe() == []


async def test_barrier_timeout_names_the_missing_and_withdraws_the_arrival():
    bus = MessageBus()
    with pytest.raises(BusTimeout, match="waiting for be"):
        await bus.syncs.arrive("p", ["fe", "be"], "fe", 0.05)
    assert bus.syncs.describe() == []
    with pytest.raises(BusError, match="not one of the agents"):
        await bus.syncs.arrive("p", ["fe", "be"], "qa", 1)
    waiter = asyncio.create_task(bus.syncs.arrive("p", ["fe", "be"], "fe", 30))
    await asyncio.sleep(0)
    with pytest.raises(BusError, match="waits for be, fe, not fe, qa"):
        await bus.syncs.arrive("p", ["fe", "qa"], "qa", 1)
    assert (await bus.syncs.arrive("p", ["fe", "be"], "be", 30))["round"] == 2
    await waiter


async def test_tasks_go_to_a_capable_agent_with_the_fewest_open_tasks():
    bus = MessageBus()
    await bus.register("designer", capabilities=["ui", "css"])
    await bus.register("stylist", capabilities=["css"])
    await bus.register("backend", capabilities=["api"])
    tasks = [await bus.tasks.submit("css", {"n": n}) for n in range(4)]
    assert [t.agent for t in tasks] == ["designer", "stylist", "designer", "stylist"]
    await bus.tasks.finish(tasks[0].id, result={"ok": 1})
    await bus.tasks.finish(tasks[2].id, failed=True, result="broken")
    assert (await bus.tasks.submit("css", {})).agent == "designer"
    assert (await bus.tasks.submit("ui,css", {})).agent == "designer"
    [assignment] = [m for m in bus.take("backend", None)] or [None]
    assert assignment is None
    states = [t.state for t in bus.tasks.list()]
    assert states == ["done", "assigned", "failed", "assigned", "assigned", "assigned"]


async def test_queued_task_is_assigned_when_a_capable_agent_registers():
    bus = MessageBus()
    await bus.register("lead")
    task = await bus.tasks.submit(("gpu",), {"train": True}, submitter="lead")
    assert task.state == "queued" and task.agent is None
    await bus.register("trainer", capabilities=["gpu"])
    assert task.state == "assigned" and task.agent == "trainer"
    [assignment] = bus.take("trainer", None)
    assert assignment.type == "task_assignment"
    assert assignment.payload == {"task_id": task.id, "requires": ["gpu"],
                                  "task": {"train": True}}
    await bus.tasks.finish(task.id, result={"loss": 0.1}, by="trainer")
    [note] = bus.take("lead", None)
    assert note.type == "response" and note.reply_to == assignment.id
    assert note.payload == {"task_id": task.id, "state": "done", "result": {"loss": 0.1}}
    with pytest.raises(BusError, match="already done"):
        await bus.tasks.finish(task.id)


async def test_unregister_refuses_pending_mail_and_reroutes_open_tasks():
    bus = MessageBus()
    await bus.register("a", capabilities=["x"])
    task = await bus.tasks.submit("x", {})
    with pytest.raises(BusError, match="1 undelivered message"):
        await bus.unregister("a")
    await bus.register("b", capabilities=["x"])
    outcome = await bus.unregister("a", force=True)
    assert outcome == {"name": "a", "discarded": 1, "rerouted_tasks": [task.id]}
    assert task.agent == "b"


async def test_every_inbox_copy_and_delivery_goes_to_the_journal_in_order():
    journal = MemoryJournal()
    bus = MessageBus(journal)
    await bus.register("x")
    await bus.register("y")
    message, _ = await bus.broadcast("lead", "status_update", {})
    bus.take("x")
    kinds = [op[0] for op in journal.operations]
    assert kinds == ["agent", "agent", "message", "delivered"]
    assert journal.operations[2][2] == ("x", "y")
    assert journal.operations[3] == ("delivered", "x", (message.id,))


async def test_an_agent_claims_a_queued_task_and_errors_are_clear():
    bus = MessageBus()
    await bus.register("lead")
    gpu = await bus.tasks.submit(("gpu",), {"train": True}, submitter="lead")
    docs = await bus.tasks.submit(("docs",), {"write": 1}, submitter="lead",
                                  priority=PRIORITIES["high"])
    await bus.register("writer", capabilities=["docs", "gpu-less"])
    assert docs.state == "assigned"  # pushed at registration
    with pytest.raises(BusError, match="no queued task that writer can do"):
        await bus.tasks.claim("writer")
    claimed = await bus.tasks.claim("writer", gpu.id)  # taking it on anyway, by name
    assert (claimed.state, claimed.agent) == ("assigned", "writer")
    with pytest.raises(BusError, match="already assigned to writer"):
        await bus.tasks.claim("lead", gpu.id)
    with pytest.raises(BusError, match="unknown agent: ghost"):
        await bus.tasks.claim("ghost", gpu.id)
    with pytest.raises(BusError, match="unknown task: 99"):
        await bus.tasks.claim("lead", 99)
    first = await bus.tasks.submit(("ops",), {"n": 1}, submitter="lead")
    urgent = await bus.tasks.submit(("ops",), {"n": 2}, submitter="lead",
                                    priority=PRIORITIES["high"])
    bus.agents["lead"].capabilities = ("ops",)
    assert (await bus.tasks.claim("lead")).id == urgent.id
    assert (await bus.tasks.claim("lead")).id == first.id
    await bus.tasks.finish(gpu.id, result={"ok": True}, by="writer")
    assert gpu.state == "done"
