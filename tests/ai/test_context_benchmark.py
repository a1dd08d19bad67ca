"""The context benchmark's measuring code (benchmarks/context_savings.py) on the recorded
agent sessions: every approach stays within its budget, facts are counted the same way for
all, and the table has a row per budget. Nothing here looks at timings."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

BENCHMARKS = Path(__file__).resolve().parents[2] / "benchmarks"


@pytest.fixture(scope="module")
def bench():
    sys.path.insert(0, str(BENCHMARKS))
    try:
        import context_savings
    finally:
        sys.path.remove(str(BENCHMARKS))
    return context_savings


def test_sessions_corpus_is_real_recorded_steps(bench) -> None:
    corpus = bench.session_corpus()
    assert len(corpus) >= 30
    sessions = {name.split("/")[1] for name, *_ in corpus}
    assert {"python_calc", "rust_tally", "c_stack", "js_cart", "ts_money"} <= sessions
    assert all(cwd and cwd.startswith("/") for *_, cwd in corpus)
    assert all(isinstance(code, int) for _, _, _, code, _ in corpus)


def test_every_approach_fits_the_budget_and_counts_facts_alike(bench, monkeypatch) -> None:
    monkeypatch.setattr(bench, "BUDGETS", (1024, 2048))
    turns = bench.prepare(bench.session_corpus()[:24])
    result = bench.run(turns)
    assert [row["max_tokens"] for row in result["runs"]] == [1024, 2048]
    for row in result["runs"]:
        approaches = row["approaches"]
        assert set(approaches) == set(bench.APPROACHES)
        totals = {entry["facts"] for entry in approaches.values()}
        assert len(totals) == 1  # the same facts are looked for in every text
        for entry in approaches.values():
            assert entry["tokens"] <= row["max_tokens"]
            assert 0 <= entry["facts_kept"] <= entry["facts"]
        assert row["newest_verbatim_when_fits"]
    lines = bench.table("replay", result)
    assert lines[2].startswith("| budget | ai-session saved / facts")
    assert len(lines) == 4 + len(result["runs"])


def test_plain_approaches_cut_as_described(bench) -> None:
    text = "\n".join(f"line {n} with some words in it" for n in range(400))
    tail = bench.last_lines(text, 100)
    assert text.endswith(tail) and bench.tokens.count_tokens(tail) <= 100
    both = bench.head_tail(text, 100)
    assert both.startswith("line 0 ") and both.endswith("line 399 with some words in it")
    assert bench.tokens.count_tokens(both) <= 100
