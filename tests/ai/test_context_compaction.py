"""Fact-preserving compaction: per-message steps (verbatim, summary, fact line, omitted),
the newest output kept whole while it fits in half the budget, facts kept in merged
history, deduplication across runs, reported omission, and the compact text form.

Outputs are captures of the real tools (tests/fixtures/parsers)."""

from __future__ import annotations

from pathlib import Path

import pytest

from aisession_tui.ai.context import (
    PaneContext,
    command_messages,
    count_messages,
    render_text,
)
from aisession_tui.ai.parsers import parse_output
from aisession_tui.ai.tokens import count_tokens
from aisession_tui.terminal.plaintext import render_plain

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "parsers"
T0 = 1_700_000_000.0


def turn(path: str, command: str, exit_code: int, record_id: int, cwd: str | None = None):
    plain = render_plain((FIXTURES / path).read_bytes())
    parsed = parse_output(plain, command, exit_code).to_dict()
    messages = command_messages(command, plain, exit_code, parsed, at=T0 + record_id,
                                finished_at=T0 + record_id + 0.5, record_id=record_id,
                                cwd=cwd)
    count_messages(messages)
    return messages


SESSION = [
    ("pytest/q_failures.txt", "pytest -q tests", 1),
    ("tracebacks/python_chained.txt", "python crash.py", 1),
    ("pip/not_found.txt", "pip install nosuchpkg", 1),
    ("cargo/build_errors.txt", "cargo build", 101),
    ("tsc/errors.txt", "npx tsc --noEmit", 2),
    ("jest/failures.txt", "npx jest", 1),
    ("git/merge_conflict.txt", "cd repo && git merge topic", 1),
]


def session(budget: int, newest: tuple[str, str, int] | None = None) -> PaneContext:
    context = PaneContext(max_tokens=budget)
    for record, (path, command, code) in enumerate(SESSION * 3, start=1):
        context.append(turn(path, command, code, record))
    if newest is not None:
        context.append(turn(*newest, len(context.messages) // 2 + 1))
    return context


def outputs(window, form: str) -> list[int]:
    return [entry.seq for entry in window.entries if entry.kind == "output" and entry.form == form]


def test_the_newest_output_stays_verbatim_while_it_fits_in_half_the_budget() -> None:
    newest = ("cargo/test_failures_backtrace.txt", "RUST_BACKTRACE=1 cargo test", 101)
    context = session(3400, newest)
    newest_tokens = context.messages[-1].tokens
    assert 1000 < newest_tokens < 1700
    window = context.view()
    assert window.entries[-1].form == "verbatim"
    assert window.entries[-1].seq == len(context.messages)
    assert window.tokens <= 3400 and window.count_text() <= 3400
    assert window.tokens > 1700  # not over-compressed: the budget is used
    assert context.retention(window)[0] == context.retention(window)[1]


def test_a_newest_output_over_half_the_budget_is_summarized_when_history_must_merge() -> None:
    context = session(100_000, ("cargo/test_failures_backtrace.txt", "cargo test", 101))
    assert context.messages[-1].tokens > 1000
    window = context.fit_to_window(2000)
    assert window.entries[-1].form == "summary"
    assert window.bounds.merged > 0


@pytest.mark.parametrize("budget", [1200, 1500, 2500])
def test_verbatim_turns_are_as_many_as_fit_not_four_or_none(budget: int) -> None:
    context = session(100_000)
    window = context.fit_to_window(budget)
    bounds = window.bounds
    n = len(context.messages)
    assert bounds.merged > 0  # these budgets need merged history
    verbatim = sum(m.tokens for m in context.messages[bounds.summarized:])
    assert verbatim <= budget / 2
    # one more turn verbatim would pass half the budget (or the budget itself)
    previous = bounds.summarized - 2
    if previous >= bounds.merged:
        more = sum(m.tokens for m in context.messages[previous:])
        assert more > budget / 2 or more + context.cost(bounds) - verbatim > budget
    assert n - bounds.summarized == 2 * len(outputs(window, "verbatim"))


def test_merged_history_keeps_exceptions_assertions_and_errors_without_a_file() -> None:
    context = session(100_000)
    window = context.fit_to_window(900)
    assert window.bounds.omitted == 0 and window.bounds.merged >= 6
    text = render_text(window)
    block = next(entry.text for entry in window.entries if entry.form == "merged")
    assert "json.decoder.JSONDecodeError: Expecting property name enclosed in double quotes" \
        in block
    assert "RuntimeError: config is unreadable" in block
    assert "assert [1, 2, 3] == [1, 2, 4]" in block
    assert "ZeroDivisionError: division by zero" in block
    assert "No matching distribution found for nosuchpkg" in block
    assert "src/lib.rs:2 E0308" in block and "app.ts:1 TS2322" in block
    assert "a.txt conflict" in block
    kept, total, lost = context.retention(window)
    assert lost == [] and kept == total > 40
    assert count_tokens(text) == window.count_text() <= 900


def test_repeated_runs_are_written_once_and_referenced() -> None:
    context = session(100_000)
    window = context.fit_to_window(900)
    block = next(entry.text for entry in window.entries if entry.form == "merged")
    assert block.count("ZeroDivisionError: division by zero") == 1
    assert "\n8 = #1 repeats #1\n" in block  # the same command, exit code and facts as #1


def test_omission_is_the_last_resort_and_says_what_it_omitted() -> None:
    context = session(100_000)
    wide = context.fit_to_window(900)
    assert wide.bounds.omitted == 0
    narrow = context.fit_to_window(300)
    assert narrow.bounds.omitted > 0
    first = narrow.entries[0]
    assert first.form == "omitted"
    assert first.record_ids[0] == 1
    assert f"records 1-{first.record_ids[-1]}" in first.text and " facts" in first.text
    assert max(narrow.tokens, narrow.count_text()) <= 300


def test_steps_go_down_per_message_newest_last() -> None:
    context = session(100_000)
    order = {"omitted": 0, "merged": 1, "summary": 2, "verbatim": 3}
    for budget in (300, 900, 2000, 4000, 8000):
        window = context.fit_to_window(budget)
        levels = [order[entry.form] for entry in window.entries if entry.form in order]
        assert levels == sorted(levels), budget


def test_text_form_has_no_json_framing_and_counts_itself() -> None:
    context = PaneContext(max_tokens=100_000)
    context.append(turn("pytest/q_failures.txt", "pytest -q tests", 1, 1, cwd="/srv/app"))
    context.append(turn("ruff/check_concise.txt", "ruff check .", 1, 2, cwd="/srv/app"))
    window = context.view()
    text = render_text(window)
    assert text.startswith("cd /srv/app\n#1 $ pytest -q tests\n")
    assert text.count("cd /srv/app") == 1
    assert '"text"' not in text and '"role"' not in text
    assert window.count_text() == count_tokens(text)
    assert window.to_dict()["text_tokens"] == window.count_text()


@pytest.mark.parametrize("budget", [40, 120, 500, 1500, 3000])
def test_both_forms_stay_within_any_budget(budget: int) -> None:
    context = session(100_000, ("git/log_full.txt", "git log", 0))
    window = context.fit_to_window(budget)
    assert window.tokens <= budget
    assert window.count_text() <= budget
    assert window.tokens == sum(entry.tokens for entry in window.entries)


def test_a_view_omits_old_facts_rather_than_summarize_a_newest_output_that_fits() -> None:
    context = session(1200, ("cargo/test_failures.txt", "cargo test", 101))
    newest = context.messages[-1]
    assert 400 < newest.tokens <= 600
    window = context.view()
    assert window.entries[-1].seq == newest.seq and window.entries[-1].form == "verbatim"
    assert window.count_text() <= 1200
    # the live boundaries never omitted for it: the next command brings the facts back
    context.append(turn("pytest/q_all_pass.txt", "pytest -q", 0, 99))
    assert context.live.omitted == 0


def test_a_log_of_thousands_of_errors_keeps_every_fact_in_each_form() -> None:
    from aisession_tui.ai.facts import missing

    log = "\n".join(f"src/mod{i}.c:{i}:3: error: thing {i} failed" for i in range(1, 3001))
    parsed = parse_output(log, "./build.sh", 1).to_dict()
    output = command_messages("./build.sh", log, 1, parsed, at=T0, finished_at=T0 + 1,
                              record_id=5)[1]
    assert len(output.fact_items) == 3001
    assert missing(output.fact_items, output.summary) == []
    assert missing(output.fact_items, output.line) == []
    assert "src/mod17.c:17" in output.line and "src/mod170.c:170" in output.line


def test_live_history_stays_merged_when_the_compaction_target_cannot_be_met() -> None:
    # merged history alone is over COMPACT_TO (60%) of 900 tokens, under the budget: the
    # live context merges everything older than the newest turn and does not fill the
    # room left with summaries again (that would compact again at the next command)
    context = session(900)
    all_merged = context.cost(type(context.live)(0, context._last_turn(), len(context.messages)))
    assert 0.6 * 900 < all_merged < 900
    assert context.live.omitted == 0
    assert context.live.merged == context._last_turn()
    window = context.view()
    assert window.count_text() < 0.75 * 900
    assert window.entries[-1].form == "verbatim"  # the newest output, whole
    kept, total, lost = context.retention(window)
    assert lost == [] and kept == total
