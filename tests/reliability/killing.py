"""Helpers for the kill -9 tests: a raw client per thread, the server's children, and
what the store holds after a crash (read on a connection of our own)."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path
from typing import Any

from conftest import children_of, kill_hard

from aisession_tui.cli.client import ClientError, connect

__all__ = ["ClientError", "children_of", "command", "kill_hard", "stored_items"]


def command(socket: Path, cwd: str, *argv: str) -> dict[str, Any]:
    """One ``command`` request on a fresh connection (raises ClientError when the server is
    gone); returns the reply (stdout, stderr, exit_code)."""
    client = connect(socket, start=False)
    try:
        return client.request("command", {"argv": list(argv), "cwd": cwd, "env": {}})
    finally:
        client.close()


def stored_items(database: Path) -> dict[str, set[str]]:
    """Everything the store holds that the load tests look for, by kind."""
    from aisession_tui.store.db import unpack

    connection = sqlite3.connect(database)
    try:
        commands = {row[0] for row in connection.execute("SELECT text FROM commands")}
        notes = {unpack(row[0]).decode() for row in connection.execute(
            "SELECT text_zstd FROM context_messages")
            if row[0]}
        messages = {json.dumps(json.loads(row[0]), sort_keys=True)
                    for row in connection.execute("SELECT payload FROM bus_messages")}
        tasks = {json.dumps(json.loads(row[0]), sort_keys=True)
                 for row in connection.execute("SELECT payload FROM bus_tasks")}
        integrity = connection.execute("PRAGMA integrity_check").fetchone()[0]
    finally:
        connection.close()
    return {"exec": commands, "context": notes, "bus": messages, "task": tasks,
            "integrity": {integrity}}


__all__ = ["ClientError", "children_of", "command", "kill_hard", "stored_items"]
