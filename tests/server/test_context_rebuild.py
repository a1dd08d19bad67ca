"""Contexts come back after a crash: a real server runs a few commands and a note, is
killed with SIGKILL (with the shells it started, as after a reboot), starts again, and
``context --json`` gives the same entries, ids, record ids and counts. A record that is
damaged or missing in the store meanwhile costs that record only, and the context says so.
"""

from __future__ import annotations

import json
import sqlite3
import sys

from conftest import kill_hard, wait_until

FAILING_TESTS = """
def test_ok():
    assert 1 == 1

def test_bad_total():
    total = 41
    assert total == 42, "totals differ"
"""
PYTEST = f"{sys.executable} -m pytest -q -p no:cacheprovider test_demo.py"


def _idle_snapshot(server) -> bool:
    """A snapshot taken after the last command ended (so no program is offered again)."""
    with sqlite3.connect(server.data / "ai-session.db") as connection:
        saved = connection.execute("SELECT max(saved_at) FROM resurrect").fetchone()[0]
        ended = connection.execute("SELECT max(finished_at) FROM commands").fetchone()[0]
    return bool(saved and ended and saved > ended)


def _run_history(server) -> dict:
    (server.home / "test_demo.py").write_text(FAILING_TESTS)
    server.ok("create", "--name", "dev", "--ai-context", "--dir", str(server.home),
              "--max-tokens", "500")
    server.wait_for_text("dev", "$")
    server.run("exec", "dev", PYTEST)
    server.ok("exec", "dev", "seq 1 400")
    server.ok("context", "add", "dev", "--role", "agent", "fixing test_bad_total next")
    server.run("exec", "dev", PYTEST)
    server.ok("exec", "dev", "printf 'a\\nb\\n'")
    before = json.loads(server.ok("context", "dev", "--json"))
    assert before["compressions"] >= 1  # the restart has boundaries to get right
    return before


def _crash_and_restart(server, damage=None) -> None:
    """Kill -9 once the pane was saved at its prompt, then start again."""
    wait_until(lambda: _idle_snapshot(server), message="a snapshot at the prompt")
    pid = server.server_pid()
    assert pid
    kill_hard(pid)
    wait_until(lambda: server.run("has-session").code == 1, message="server gone")
    server.socket.unlink(missing_ok=True)
    if damage is not None:
        with sqlite3.connect(server.data / "ai-session.db") as connection:
            damage(connection)
    server.ok("start-server")
    wait_until(lambda: server.run("has-session", "-t", "dev").code == 0,
               message="dev resurrected")


def _comparable(data: dict) -> dict:
    return {key: value for key, value in data.items() if key != "pane"}


def test_context_is_the_same_after_kill_9(server) -> None:
    before = _run_history(server)
    stats_before = json.loads(server.ok("stats", "dev", "--json"))
    _crash_and_restart(server)
    after = json.loads(server.ok("context", "dev", "--json"))
    assert _comparable(after) == _comparable(before)
    stats_after = json.loads(server.ok("stats", "dev", "--json"))
    for key in ("raw_tokens", "context_tokens", "commands", "messages", "compressions",
                "facts_total", "facts_kept", "median_savings_percent"):
        assert stats_after[key] == stats_before[key], key
    record_ids = [i for m in after["messages"] for i in m.get("record_ids", [])]
    assert server.ok("context", "dev", "--raw", str(record_ids[0])).startswith(".F")
    # New commands go on from there, and a second restart keeps them all.
    server.ok("exec", "dev", "echo after-restart")
    grown = json.loads(server.ok("context", "dev", "--json"))
    assert grown["messages_total"] == before["messages_total"] + 2
    _crash_and_restart(server)
    assert _comparable(json.loads(server.ok("context", "dev", "--json"))) == \
        _comparable(grown)


def test_a_damaged_and_a_missing_record_cost_only_themselves(server) -> None:
    before = _run_history(server)
    ids = sorted({i for m in before["messages"] for i in m.get("record_ids", [])})
    assert len(ids) == 4
    broken, gone = ids[1], ids[2]

    def damage(connection: sqlite3.Connection) -> None:
        connection.execute("UPDATE commands SET output_zstd=? WHERE id=?",
                           (b"not zstd at all", broken))
        connection.execute("DELETE FROM commands WHERE id=?", (gone,))

    _crash_and_restart(server, damage)
    after = json.loads(server.ok("context", "dev", "--json"))
    note = after["messages"][-1]
    assert note["kind"] == "note" and note["role"] == "system"
    assert f"record {broken} ($ seq 1 400): output unreadable" in note["text"]
    assert f"record {gone} ($ {PYTEST}): missing from the store" in note["text"]
    # Everything else is as it was: same ids, texts and counts; the damaged records keep
    # their place and id, as the summary that was stored (their raw output is lost).
    assert [m["id"] for m in after["messages"][:-1]] == [m["id"] for m in before["messages"]]
    for old, new in zip(before["messages"], after["messages"][:-1], strict=True):
        if {broken, gone} & set(old.get("record_ids", [])):
            assert new["record_ids"] == old["record_ids"]
            if new["kind"] == "output":
                assert new["form"] != "verbatim"
        else:
            assert new == old
    assert after["messages_total"] == before["messages_total"] + 1
    assert after["raw_tokens"] == before["raw_tokens"] + note["tokens"]
    assert server.run("context", "dev", "--raw", str(ids[0])).code == 0
    assert server.run("context", "dev", "--raw", str(gone)).code == 1
    log = "".join(path.read_text(errors="replace") for path in server.data.glob("logs/*.log"))
    assert f"record {broken}" in log and f"record {gone}" in log
