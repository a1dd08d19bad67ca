"""``stats`` reports savings with retention through the real CLI: facts kept / total per
session and global, and the median saving per command beside the total, so one huge
output (``seq``) cannot make the figure."""

from __future__ import annotations

import json
import sys

FAILING_TESTS = """
def test_ok():
    assert 1 == 1

def test_bad_total():
    total = 41
    assert total == 42, "totals differ"
"""
PYTEST = f"{sys.executable} -m pytest -q -p no:cacheprovider test_demo.py"


def test_stats_give_facts_kept_and_the_median_saving(server) -> None:
    (server.home / "test_demo.py").write_text(FAILING_TESTS)
    server.ok("create", "--name", "work", "--ai-context", "--dir", str(server.home),
              "--max-tokens", "800")
    server.ok("create", "--name", "calm", "--ai-context", "--dir", str(server.home))
    server.wait_for_text("work", "$")
    server.wait_for_text("calm", "$")
    server.run("exec", "work", PYTEST)
    server.ok("exec", "work", "seq 1 20000")
    server.ok("exec", "work", "echo done")
    server.ok("exec", "calm", "echo quiet")

    stats = json.loads(server.ok("stats", "--global", "--json"))
    calm, work = stats["per_session"]  # sorted by name
    assert (calm["session"], work["session"]) == ("calm", "work")
    # The seq output makes the total; the median per command is far lower.
    assert work["savings_percent"] > 90
    assert work["median_savings_percent"] < work["savings_percent"]
    # Facts: the failing test id, its location, the assertion, each command + exit code.
    assert work["facts_total"] >= 6
    assert 0 < work["facts_kept"] <= work["facts_total"]
    assert calm["savings_percent"] == 0.0 and calm["median_savings_percent"] == 0.0
    assert calm["facts_total"] == 2 and calm["facts_kept"] == 2  # command+exit, cwd
    assert stats["facts_total"] == work["facts_total"] + calm["facts_total"]
    assert stats["facts_kept"] == work["facts_kept"] + calm["facts_kept"]
    assert stats["facts_kept_percent"] == round(
        100 * stats["facts_kept"] / stats["facts_total"], 1)
    assert stats["median_savings_percent"] is not None

    context = json.loads(server.ok("context", "work", "--json"))
    text = "\n".join(m["text"] for m in context["messages"])
    assert "test_demo.py::test_bad_total" in text  # the failing test survived compaction

    one = json.loads(server.ok("stats", "work", "--json"))
    assert one["facts_total"] == work["facts_total"] and one["scope"] == "work"
    shown = server.ok("stats", "--global")
    assert f"Facts Kept: {stats['facts_kept']:,} / {stats['facts_total']:,}" in shown
    assert f"Median Savings per Command: {stats['median_savings_percent']}%" in shown
    assert "facts kept" in shown and "median" in shown


def test_stats_without_commands_say_n_a(server) -> None:
    server.ok("create", "--name", "empty", "--ai-context")
    stats = json.loads(server.ok("stats", "--json"))
    assert stats["facts_total"] == 0 and stats["median_savings_percent"] is None
    assert "Facts Kept: n/a" in server.ok("stats")
