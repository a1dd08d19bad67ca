"""Savings with retention (ai/retention.py): per command tokens raw and held, facts kept,
the median saving per command, on captures of real tools (tests/fixtures/parsers)."""

from __future__ import annotations

from pathlib import Path

from aisession_tui.ai.context import PaneContext, command_messages, count_messages
from aisession_tui.ai.parsers import parse_output
from aisession_tui.ai.retention import command_usage, summarize, turns_of
from aisession_tui.terminal.plaintext import render_plain

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "parsers"
RUNS = [("pytest/q_failures.txt", "pytest -q", 1), ("cargo/build_errors.txt", "cargo build", 101),
        ("tsc/errors.txt", "tsc --noEmit", 2), ("pytest/q_failures.txt", "pytest -q", 1)]


def fill(context: PaneContext, runs: list[tuple[str, str, int]]) -> None:
    for record, (path, command, code) in enumerate(runs, start=1):
        plain = (render_plain((FIXTURES / path).read_bytes()) if path.endswith(".txt")
                 else path)
        parsed = parse_output(plain, command, code).to_dict()
        messages = command_messages(command, plain, code, parsed, at=1_700_000_000.0 + record,
                                    finished_at=1_700_000_000.5 + record, record_id=record,
                                    cwd="/srv")
        count_messages(messages)
        context.append(messages)


def test_a_roomy_context_keeps_every_fact_and_saves_nothing() -> None:
    context = PaneContext(max_tokens=100_000)
    fill(context, RUNS)
    usage = command_usage(context.view(), context.messages)
    assert [u.turn for u in usage] == [2, 4, 6, 8] and [u.record_id for u in usage] == [1, 2, 3, 4]
    assert all(u.verbatim and u.facts_kept == u.facts_total > 3 for u in usage)
    assert all(u.raw_tokens == u.context_tokens for u in usage)
    summary = summarize(usage)
    assert summary["median_savings_percent"] == 0.0
    assert summary["facts_kept_percent"] == 100.0
    assert summary["command_raw_tokens"] == context.raw_tokens


def test_a_tight_context_and_the_median_that_one_huge_output_cannot_make() -> None:
    context = PaneContext(max_tokens=700)
    huge = "\n".join(str(n) for n in range(1, 20_001))
    fill(context, [*RUNS, (huge, "seq 1 20000", 0), ("done", "echo done", 0)])
    window = context.view()
    usage = command_usage(window, context.messages)
    summary = summarize(usage)
    kept, total, _ = context.retention(window)  # the context's own figure agrees
    assert (summary["facts_kept"], summary["facts_total"]) == (kept, total)
    assert summary["command_context_tokens"] <= window.tokens
    total_saved = 100 * (context.raw_tokens - window.tokens) / context.raw_tokens
    assert total_saved > 95  # the seq output makes the total
    assert summary["median_savings_percent"] < total_saved
    seq = next(u for u in usage if u.record_id == 5)
    assert seq.raw_tokens > 30_000 and seq.context_tokens < 200
    newest = usage[-1]
    assert newest.verbatim and newest.facts_kept == newest.facts_total


def test_turns_pair_each_command_with_its_output() -> None:
    context = PaneContext(max_tokens=100_000)
    fill(context, RUNS[:2])
    assert turns_of(context.messages) == {1: 2, 2: 2, 3: 4, 4: 4}
