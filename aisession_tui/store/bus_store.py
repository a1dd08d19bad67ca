"""SQLite tables of the message bus, and the SQL for each journal operation.

Every row carries ``bus``: the socket path of the server that owns it, so servers started
with different ``-L`` names keep separate buses in one database. Tables:

* ``bus_agents``: registered agents (capabilities and topic patterns as JSON lists);
* ``bus_messages``: every message ever sent (the history; payload as JSON text);
* ``bus_inbox``: one row per undelivered copy (agent, message id); a row is deleted when
  its agent receives the message, so after a crash exactly the undelivered copies remain;
* ``bus_tasks``: tasks and their state.

:func:`apply` runs one journal operation (see :mod:`aisession_tui.bus.journal`);
:func:`load` reads a bus back. Both run on the store's writer thread. The bus's model
(:mod:`aisession_tui.bus.model`, and with it the bus package) is imported by the functions
that build its objects, not here: the server creates these tables when it opens the
store at start, and a server that never uses the bus never loads it (issue 17).
"""

from __future__ import annotations

import json
import sqlite3
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from ..bus.model import Agent, Message, Task

SCHEMA = """
CREATE TABLE IF NOT EXISTS bus_agents (
    bus TEXT NOT NULL, name TEXT NOT NULL, session TEXT, pane TEXT, role TEXT,
    capabilities TEXT NOT NULL, topics TEXT NOT NULL, inbox_limit INTEGER NOT NULL,
    registered_at REAL NOT NULL, run_id INTEGER, PRIMARY KEY (bus, name));
CREATE TABLE IF NOT EXISTS bus_messages (
    bus TEXT NOT NULL, id INTEGER NOT NULL, at REAL NOT NULL, sender TEXT NOT NULL,
    recipient TEXT, topic TEXT, type TEXT NOT NULL, priority INTEGER NOT NULL,
    payload TEXT NOT NULL, reply_to INTEGER, correlation_id INTEGER,
    PRIMARY KEY (bus, id));
CREATE TABLE IF NOT EXISTS bus_inbox (
    bus TEXT NOT NULL, agent TEXT NOT NULL, message_id INTEGER NOT NULL,
    PRIMARY KEY (bus, agent, message_id));
CREATE TABLE IF NOT EXISTS bus_tasks (
    bus TEXT NOT NULL, id INTEGER NOT NULL, submitted_at REAL NOT NULL,
    submitter TEXT NOT NULL, requires TEXT NOT NULL, payload TEXT NOT NULL,
    priority INTEGER NOT NULL, state TEXT NOT NULL, agent TEXT, assigned_at REAL,
    finished_at REAL, result TEXT, message_id INTEGER, PRIMARY KEY (bus, id));
"""

HISTORY_ON_LOAD = 1000


def create_tables(connection: sqlite3.Connection) -> None:
    """Create the bus tables if missing (idempotent)."""
    connection.executescript(SCHEMA)


def apply(connection: sqlite3.Connection, bus: str, operation: tuple[Any, ...]) -> None:
    """Execute one journal operation (no commit)."""
    kind = operation[0]
    if kind == "message":
        message: Message = operation[1]
        connection.execute(
            "INSERT INTO bus_messages VALUES (?,?,?,?,?,?,?,?,?,?,?)",
            (bus, message.id, message.at, message.sender, message.recipient, message.topic,
             message.type, message.priority, json.dumps(message.payload), message.reply_to,
             message.correlation_id))
        connection.executemany("INSERT OR IGNORE INTO bus_inbox VALUES (?,?,?)",
                               [(bus, agent, message.id) for agent in operation[2]])
    elif kind == "delivered":
        connection.executemany("DELETE FROM bus_inbox WHERE bus=? AND agent=? AND "
                               "message_id=?",
                               [(bus, operation[1], mid) for mid in operation[2]])
    elif kind == "agent":
        agent: Agent = operation[1]
        connection.execute(
            "INSERT OR REPLACE INTO bus_agents VALUES (?,?,?,?,?,?,?,?,?,?)",
            (bus, agent.name, agent.session, agent.pane, agent.role,
             json.dumps(list(agent.capabilities)), json.dumps(list(agent.topics)),
             agent.inbox_limit, agent.registered_at, agent.run_id))
    elif kind == "unregister":
        connection.execute("DELETE FROM bus_agents WHERE bus=? AND name=?",
                           (bus, operation[1]))
        connection.execute("DELETE FROM bus_inbox WHERE bus=? AND agent=?",
                           (bus, operation[1]))
    elif kind == "task":
        task: Task = operation[1]
        connection.execute(
            "INSERT OR REPLACE INTO bus_tasks VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?)",
            (bus, task.id, task.submitted_at, task.submitter, json.dumps(list(task.requires)),
             json.dumps(task.payload), task.priority, task.state, task.agent,
             task.assigned_at, task.finished_at,
             None if task.result is None else json.dumps(task.result), task.message_id))
    else:
        raise ValueError(f"unknown bus operation: {kind}")


def _message(row: tuple[Any, ...]) -> Message:
    from ..bus.model import Message

    (mid, at, sender, recipient, topic, kind, priority, payload, reply_to,
     correlation_id) = row
    return Message(id=mid, at=at, sender=sender, recipient=recipient, topic=topic, type=kind,
                   priority=priority, payload=json.loads(payload), reply_to=reply_to,
                   correlation_id=correlation_id)


_MESSAGE_COLUMNS = ("m.id, m.at, m.sender, m.recipient, m.topic, m.type, m.priority, "
                    "m.payload, m.reply_to, m.correlation_id")


def load(connection: sqlite3.Connection, bus: str) -> dict[str, Any]:
    """Everything a restarted server needs: agents, undelivered inbox copies (agent,
    message) in acceptance order, tasks, the recent history and the next ids."""
    from ..bus.model import Agent, Task

    create_tables(connection)
    agents = [Agent(name=name, session=session, pane=pane, role=role,
                    capabilities=tuple(json.loads(caps)), topics=tuple(json.loads(topics)),
                    inbox_limit=limit, registered_at=at, run_id=run_id)
              for (name, session, pane, role, caps, topics, limit, at, run_id)
              in connection.execute(
                  "SELECT name, session, pane, role, capabilities, topics, inbox_limit, "
                  "registered_at, run_id FROM bus_agents WHERE bus=? ORDER BY registered_at",
                  (bus,))]
    inbox = [(row[0], _message(row[1:])) for row in connection.execute(
        f"SELECT i.agent, {_MESSAGE_COLUMNS} FROM bus_inbox i JOIN bus_messages m "
        "ON m.bus = i.bus AND m.id = i.message_id WHERE i.bus=? ORDER BY m.id", (bus,))]
    history = [_message(row) for row in connection.execute(
        f"SELECT {_MESSAGE_COLUMNS} FROM bus_messages m WHERE m.bus=? ORDER BY m.id DESC "
        "LIMIT ?", (bus, HISTORY_ON_LOAD))]
    history.reverse()
    tasks = [Task(id=tid, submitted_at=at, submitter=submitter,
                  requires=tuple(json.loads(requires)), payload=json.loads(payload),
                  priority=priority, state=state, agent=agent, assigned_at=assigned_at,
                  finished_at=finished_at,
                  result=None if result is None else json.loads(result),
                  message_id=message_id)
             for (tid, at, submitter, requires, payload, priority, state, agent, assigned_at,
                  finished_at, result, message_id) in connection.execute(
                 "SELECT id, submitted_at, submitter, requires, payload, priority, state, "
                 "agent, assigned_at, finished_at, result, message_id FROM bus_tasks "
                 "WHERE bus=? ORDER BY id", (bus,))]
    next_message = connection.execute("SELECT COALESCE(MAX(id), 0) + 1 FROM bus_messages "
                                      "WHERE bus=?", (bus,)).fetchone()[0]
    next_task = connection.execute("SELECT COALESCE(MAX(id), 0) + 1 FROM bus_tasks "
                                   "WHERE bus=?", (bus,)).fetchone()[0]
    return {"agents": agents, "inbox": inbox, "history": history, "tasks": tasks,
            "next_message_id": next_message, "next_task_id": next_task}


def history(connection: sqlite3.Connection, bus: str, limit: int) -> list[Message]:
    """The last ``limit`` messages, oldest first."""
    rows = connection.execute(
        f"SELECT {_MESSAGE_COLUMNS} FROM bus_messages m WHERE m.bus=? ORDER BY m.id DESC "
        "LIMIT ?", (bus, limit)).fetchall()
    return [_message(row) for row in reversed(rows)]
