"""The AI layer through the real CLI: context, notes, raw outputs, stats, compression,
attention. Each test runs its own isolated server with a real bash."""

from __future__ import annotations

import json
import sys

from conftest import wait_until

FAILING_TESTS = """
def test_ok():
    assert 1 == 1

def test_bad_total():
    total = 41
    assert total == 42

def test_bad_name():
    assert "ada".upper() == "Ada"
"""
PYTEST = f"{sys.executable} -m pytest -q -p no:cacheprovider test_demo.py"


def start(server, *extra: str) -> None:
    (server.home / "test_demo.py").write_text(FAILING_TESTS)
    server.ok("create", "--name", "dev", "--ai-context", "--dir", str(server.home), *extra)
    server.wait_for_text("dev", "$")


def context_json(server, *extra: str) -> dict:
    return json.loads(server.ok("context", "dev", "--json", *extra))


def test_failing_pytest_lands_in_the_context_with_its_locations(server) -> None:
    start(server)
    result = server.run("exec", "dev", PYTEST, "--json")
    assert result.code == 1
    record = json.loads(result.out)
    failures = {f["test"]: f["line"] for f in record["parsed"]["failures"]}
    assert failures == {"test_demo.py::test_bad_total": 7, "test_demo.py::test_bad_name": 10}
    data = context_json(server)
    assert data["max_tokens"] == 4096 and data["messages_total"] == 2
    user, output = data["messages"]
    assert (user["role"], user["text"]) == ("user", PYTEST)
    assert output["role"] == "system" and output["exit_code"] == 1
    assert "test_demo.py:7" in output["text"] and "test_bad_name" in output["text"]
    assert output["text"].endswith("[exit 1]")
    assert data["tokens"] == sum(m["tokens"] for m in data["messages"])
    text = server.ok("context", "dev")
    assert "Messages: 2 | Tokens: " in text and "/ 4,096 | Compressions: 0" in text
    assert f"USER: {PYTEST}" in text and "Token Efficiency:" in text


def test_context_add_and_raw_output(server) -> None:
    start(server)
    server.run("exec", "dev", PYTEST)
    out = server.ok("context", "add", "dev", "--role", "assistant", "Fixing test_bad_total first")
    assert "assistant note #3" in out
    notes = [m for m in context_json(server)["messages"] if m["kind"] == "note"]
    assert [(m["role"], m["text"]) for m in notes] == [("assistant", "Fixing test_bad_total first")]
    assert server.run("context", "add", "dev", "--role", "robot", "hi").code == 1
    raw_id = context_json(server)["messages"][1]["raw_id"]
    raw = server.ok("context", "dev", "--raw", str(raw_id))
    assert "FAILED test_demo.py::test_bad_total" in raw and "1 passed" in raw
    assert server.run("context", "dev", "--raw", "99999").code == 1


def test_compression_with_a_small_budget_keeps_locations_and_test_ids(server) -> None:
    start(server, "--max-tokens", "600")
    for _ in range(4):
        server.run("exec", "dev", PYTEST)
    server.ok("exec", "dev", "seq 1 30")
    data = context_json(server)
    assert data["max_tokens"] == 600 and data["tokens"] <= 600
    assert data["compressions"] >= 1
    assert data["raw_tokens"] > data["tokens"]
    text = "\n".join(m["text"] for m in data["messages"])
    for fact in (
        "test_demo.py::test_bad_total",
        "test_demo.py::test_bad_name",
        "test_demo.py:7",
        "test_demo.py:10",
        "exit 1",
    ):
        assert fact in text
    assert data["messages"][-1]["form"] == "verbatim"  # the newest output, as it came
    assert data["messages"][-1]["text"].startswith("1\n2\n3\n")
    compressed = [m for m in data["messages"] if m["form"] in ("summary", "merged")]
    assert compressed
    first_raw = server.ok("context", "dev", "--raw", "1")  # compression never deletes
    assert "FAILED test_demo.py::test_bad_name" in first_raw
    tight = context_json(server, "--max-tokens", "120")
    assert tight["tokens"] <= 120 and tight["compressions"] == data["compressions"]


def test_stats_numbers_are_consistent(server) -> None:
    start(server)
    server.run("exec", "dev", PYTEST)
    server.ok("exec", "dev", "echo hello")
    server.ok("context", "add", "dev", "--role", "agent", "noted")
    context = context_json(server)
    stats = json.loads(server.ok("stats", "--global", "--json"))
    assert stats["sessions"] == 1 and stats["commands"] == 2 and stats["messages"] == 5
    assert stats["raw_tokens"] == context["raw_tokens"]
    assert stats["context_tokens"] == context["tokens"]
    assert stats["saved_tokens"] == stats["raw_tokens"] - stats["context_tokens"]
    (session,) = stats["per_session"]
    assert session["session"] == "dev" and session["raw_tokens"] == stats["raw_tokens"]
    assert json.loads(server.ok("stats", "dev", "--json"))["raw_tokens"] == stats["raw_tokens"]
    text = server.ok("stats", "--global")
    assert f"Raw Token Usage: {stats['raw_tokens']:,}" in text
    assert "Estimated Cost" not in text
    detailed = server.ok("list", "--detailed")
    assert "Messages: 5" in detailed
    assert f"Token Usage: {context['tokens']:,} / 4,096" in detailed
    assert "Attention: %0 idle" in detailed


def test_attention_waiting_error_and_format_variables(server) -> None:
    start(server)

    def attention() -> str:
        return server.ok("display-message", "-p", "-t", "dev", "#{pane_attention}").strip()

    assert attention() == "idle"
    server.ok("send-keys", "-t", "dev", 'read -p "Continue? [y/N] " answer', "Enter")
    wait_until(lambda: attention() == "waiting", message="pane waiting")
    server.ok("send-keys", "-t", "dev", "y", "Enter")
    wait_until(lambda: attention() == "idle", message="pane idle again")
    server.run("exec", "dev", "false")
    assert attention() == "error"
    expected = str(context_json(server)["tokens"])  # waits until the record is in
    tokens = server.ok(
        "display-message", "-p", "-t", "dev", "#{pane_context_tokens} #{session_context_tokens}"
    ).split()
    assert tokens[0] == tokens[1] == expected
    assert int(tokens[0]) > 0
