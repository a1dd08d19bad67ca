"""A full disk under the store: errors are errors, nothing is half done, writing resumes.

``AI_SESSION_HOME`` lives on a 2 MiB tmpfs that the test fills. Then ``exec``,
``context add`` and ``bus send`` must each fail with an error naming the cause and the
database's path; a failed ``bus send`` delivers nothing; the server keeps serving and
``ping`` reports the failure. Once space returns, writing resumes and every acknowledged
item is in the store. Needs root (mount); skipped cleanly otherwise.
"""

from __future__ import annotations

import json
import os
import subprocess
from pathlib import Path

import pytest
from conftest import wait_until
from killing import command, stored_items

from aisession_tui.cli.client import connect


def _ping(socket: Path) -> dict:
    client = connect(socket, start=False)
    try:
        return client.request("ping", {})
    finally:
        client.close()


@pytest.fixture
def small_disk(server):
    server.data.mkdir()
    mounted = subprocess.run(["mount", "-t", "tmpfs", "-o", "size=2m", "tmpfs",
                              str(server.data)], check=False, capture_output=True, text=True)
    if mounted.returncode != 0:
        server.data.rmdir()
        pytest.skip(f"cannot mount a tmpfs here: {mounted.stderr.strip()}")
    try:
        yield server.data
    finally:
        server.stop()
        subprocess.run(["umount", "-l", str(server.data)], check=False)


def _fill(directory: Path) -> Path:
    filler = directory / "filler"
    with open(filler, "wb") as handle:
        try:
            while True:
                handle.write(b"\0" * 65536)
                handle.flush()
        except OSError:
            pass
    return filler


def test_disk_full_errors_are_errors_and_writing_resumes(server, small_disk: Path) -> None:
    cwd = str(server.home)
    database = small_disk / "ai-session.db"
    server.ok("new-session", "-d", "-s", "full")
    server.ok("agent", "register", "a")
    server.ok("agent", "register", "b", "--inbox-size", "100000")
    acked: dict[str, list[str]] = {"exec": [], "context": [], "bus": []}
    reply = command(server.socket, cwd, "exec", "full", "echo before-full")
    assert reply["exit_code"] == 0
    acked["exec"].append("echo before-full")
    filler = _fill(small_disk)

    errors: dict[str, str] = {}
    failed_bus: list[str] = []
    for index in range(200):
        if len(errors) == 3:
            break
        text = f"head -c 20000 /dev/urandom | base64 -w 0; echo ' {index}'"
        if "exec" not in errors:
            reply = command(server.socket, cwd, "exec", "full", text)
            if reply["exit_code"] == 0:
                acked["exec"].append(text)
            else:
                errors["exec"] = reply["stderr"]
        if "context" not in errors:
            note = f"note-{index} " + os.urandom(3000).hex()
            reply = command(server.socket, cwd, "context", "add", "full", note)
            if reply["exit_code"] == 0:
                acked["context"].append(note)
            else:
                errors["context"] = reply["stderr"]
        if "bus" not in errors:
            payload = json.dumps({"token": f"bus-{index}", "pad": os.urandom(3000).hex()},
                                 sort_keys=True)
            reply = command(server.socket, cwd, "bus", "send", "--from", "a", "--to", "b",
                            "--type", "data_share", payload)
            if reply["exit_code"] == 0:
                acked["bus"].append(payload)
            else:
                errors["bus"] = reply["stderr"]
                failed_bus.append(payload)
    assert set(errors) == {"exec", "context", "bus"}, errors
    for kind, message in errors.items():
        assert "full" in message and str(database) in message, (kind, message)
    # The server keeps serving, and says why it cannot write.
    assert "full" in (_ping(server.socket)["store_failure"] or "")
    assert server.ok("show-messages").count("serving from memory") == 1
    assert server.ok("display-message", "-p", "-t", "full", "#{session_name}") == "full\n"
    # A failed send delivered nothing: b's inbox holds exactly the acknowledged messages.
    result = server.run("bus", "recv", "b", "--all", "--json")
    received = json.loads(result.out) if result.code == 0 else []
    assert result.code == 0 or "no message for b" in result.err
    got = [json.dumps(m["payload"], sort_keys=True) for m in received]
    assert got == acked["bus"]

    filler.unlink()
    reply = command(server.socket, cwd, "exec", "full", "echo after-full")
    assert reply["exit_code"] == 0, reply["stderr"]
    acked["exec"].append("echo after-full")
    wait_until(lambda: _ping(server.socket)["store_failure"] is None,
               message="the store writable again")
    stored = stored_items(database)
    assert stored["integrity"] == {"ok"}
    for kind, items in acked.items():
        missing = [item[:40] for item in items if item not in stored[kind]]
        assert not missing, (kind, missing)
    assert not set(failed_bus) & stored["bus"]


def test_corrupt_database_is_an_error_not_silence(server) -> None:
    server.data.mkdir()
    database = server.data / "ai-session.db"
    database.write_bytes(b"this is not a database, " * 100)
    server.ok("new-session", "-d", "-s", "bad")
    result = server.run("exec", "bad", "echo hello")
    assert result.code == 1
    assert result.out == "hello\n"
    assert "cannot open the store" in result.err and str(database) in result.err
    assert "not a database" in result.err
    assert "not a database" in _ping(server.socket)["store_failure"]
    shown = server.ok("show-messages")
    assert "cannot open the store" in shown and "serving from memory" in shown
    assert server.ok("display-message", "-p", "-t", "bad", "#{session_name}") == "bad\n"


def test_a_read_only_store_is_an_error_not_silence(server, small_disk: Path) -> None:
    cwd = str(server.home)
    database = small_disk / "ai-session.db"
    server.ok("new-session", "-d", "-s", "ro")
    assert command(server.socket, cwd, "exec", "ro", "echo before-ro")["exit_code"] == 0
    server.stop()  # no file open: the disk can turn read-only under the next server
    subprocess.run(["mount", "-o", "remount,ro", str(small_disk)], check=True)
    try:
        server.ok("new-session", "-d", "-s", "ro")
        reply = command(server.socket, cwd, "exec", "ro", "echo while-ro")
        assert reply["exit_code"] == 1 and reply["stdout"] == "while-ro\n"
        assert "read" in reply["stderr"].lower() and str(database) in reply["stderr"]
        assert "read" in (_ping(server.socket)["store_failure"] or "").lower()
        assert "serving from memory" in server.ok("show-messages")
        assert server.ok("display-message", "-p", "-t", "ro", "#{session_name}") == "ro\n"
        server.stop()
    finally:
        subprocess.run(["mount", "-o", "remount,rw", str(small_disk)], check=True)
    stored = stored_items(database)
    assert "echo before-ro" in stored["exec"] and stored["integrity"] == {"ok"}
