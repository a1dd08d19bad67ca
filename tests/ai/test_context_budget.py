"""Pane context: budgets, compression order, key-fact retention, exact counts, fit_to_window.

Outputs are the parser fixtures (captures of the real tools, tests/fixtures/parsers).
"""

from __future__ import annotations

from itertools import pairwise
from pathlib import Path

import pytest

from aisession_tui.ai.context import (
    KEEP_RECENT,
    PaneContext,
    command_messages,
    count_messages,
    key_facts,
    note_message,
)
from aisession_tui.ai.parsers import parse_output
from aisession_tui.ai.tokens import count_tokens
from aisession_tui.terminal.plaintext import render_plain

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "parsers"
CAPTURES = [
    ("pytest/q_failures.txt", "pytest -q", 1),
    ("cargo/build_errors.txt", "cargo build", 101),
    ("gcc/compile_errors.txt", "gcc -c broken.c", 1),
    ("jest/failures.txt", "npx jest", 1),
    ("tracebacks/python_chained.txt", "python crash.py", 1),
    ("go/test_failures.txt", "go test ./...", 1),
    ("eslint/stylish_two_files.txt", "npx eslint src", 1),
    ("unittest/plain_failures.txt", "python -m unittest", 1),
]


def turn(path: str, command: str, exit_code: int, record_id: int, at: float):
    plain = render_plain((FIXTURES / path).read_bytes())
    parsed = parse_output(plain, command, exit_code).to_dict()
    messages = command_messages(command, plain, exit_code, parsed, at=at, finished_at=at + 1,
                                record_id=record_id)
    count_messages(messages)
    return messages, parsed


def filled(max_tokens: int, rounds: int = 2) -> tuple[PaneContext, list[str]]:
    context = PaneContext(max_tokens=max_tokens)
    facts: list[str] = []
    record = 0
    for _ in range(rounds):
        for path, command, code in CAPTURES:
            record += 1
            messages, parsed = turn(path, command, code, record, 1_700_000_000.0 + record)
            facts += key_facts(parsed)
            context.append(messages)
    return context, facts


def text_of(window) -> str:
    return "\n".join(entry.text for entry in window.entries)


def missing_facts(context: PaneContext, window) -> list:
    """Facts of each output that the window lost: a fact counts as kept when the text
    form holds it, or when the output itself is there in full (verbatim)."""
    return context.retention(window)[2]


def test_small_context_stays_verbatim() -> None:
    context, _ = filled(100_000, rounds=1)
    window = context.view()
    assert context.compressions == 0
    assert all(entry.form == "verbatim" for entry in window.entries)
    assert window.tokens == context.raw_tokens == sum(m.tokens for m in context.messages)


def test_compression_keeps_every_fact_and_the_newest_messages() -> None:
    context, facts = filled(4096)
    window = context.view()
    assert context.compressions >= 1
    assert window.tokens <= 4096
    assert window.tokens < context.raw_tokens
    assert missing_facts(context, window) == []
    assert len(facts) > 40
    newest = [entry for entry in window.entries if entry.seq is not None][-KEEP_RECENT:]
    assert [entry.form for entry in newest] == ["verbatim"] * KEEP_RECENT
    assert [entry.seq for entry in newest] == [m.seq for m in context.messages[-KEEP_RECENT:]]
    forms = {entry.form for entry in window.entries}
    assert {"summary", "merged"} & forms


def test_reported_tokens_are_exact() -> None:
    context, _ = filled(3000)
    for window in (context.view(), context.fit_to_window(700), context.fit_to_window(50)):
        assert window.tokens == sum(count_tokens(entry.text) for entry in window.entries)
        assert all(entry.tokens == count_tokens(entry.text) for entry in window.entries)


@pytest.mark.parametrize("budget", [20, 64, 200, 500, 1000, 2000, 4096, 20_000])
def test_fit_to_window_never_exceeds_the_budget(budget: int) -> None:
    context, _ = filled(100_000)
    window = context.fit_to_window(budget)
    assert window.tokens <= budget
    assert window.entries
    assert context.compressions == 0  # fitting never changes the live context


def test_fit_to_window_uses_a_bigger_budget_for_more_detail() -> None:
    context, _ = filled(100_000)
    small, large = context.fit_to_window(800), context.fit_to_window(6000)
    assert small.tokens < large.tokens <= 6000
    verbatim = lambda w: sum(1 for e in w.entries if e.form == "verbatim")
    assert verbatim(small) <= verbatim(large)


def test_compression_order_summaries_then_merging() -> None:
    context, _ = filled(100_000)
    bounds = [context.fit_to_window(b).bounds for b in (20_000, 5000, 2500, 1200, 400)]
    for looser, tighter in pairwise(bounds):
        assert tighter.summarized >= looser.summarized
        assert tighter.merged >= looser.merged
        assert tighter.omitted >= looser.omitted
    assert bounds[1].merged == 0 < bounds[1].summarized


def test_live_context_only_compresses_further_and_counts_compressions() -> None:
    context = PaneContext(max_tokens=1500)
    seen = []
    for record, (path, command, code) in enumerate(CAPTURES * 3, start=1):
        context.append(turn(path, command, code, record, 1_700_000_000.0 + record)[0])
        seen.append((context.live, context.compressions))
    for (before, count), (after, later) in pairwise(seen):
        assert after.summarized >= before.summarized and after.merged >= before.merged
        assert later >= count
        assert (later > count) == (after != before)
    assert context.compressions > 1
    assert context.view().tokens <= 1500


def test_summarized_outputs_leave_memory_but_keep_their_record_id() -> None:
    context, _ = filled(1500)
    dropped = [m for m in context.messages if m.kind == "output" and m.text is None]
    assert dropped and all(m.record_id is not None for m in dropped)
    window = context.fit_to_window(100_000)
    assert all(entry.text for entry in window.entries)


def test_notes_and_roles() -> None:
    context = PaneContext()
    note = note_message("assistant", "Switching to the slow-path fix", at=1.0)
    count_messages([note])
    context.append([note])
    entry = context.view().entries[0]
    assert (entry.role, entry.kind, entry.text) == ("assistant", "note",
                                                    "Switching to the slow-path fix")
    with pytest.raises(ValueError):
        note_message("robot", "hi", at=1.0)


def test_output_message_carries_exit_code_and_clean_text() -> None:
    raw = b"\x1b[32mok\x1b[0m 10%\r\x1b[32mok\x1b[0m 100%\n"
    plain = render_plain(raw)
    messages = command_messages("build", plain, 0, None, at=1.0, finished_at=2.0)
    output = messages[1]
    assert output.text == "ok 100%\n[exit 0]"
    assert "\x1b" not in output.text and "\r" not in output.text


def test_huge_single_output_is_clipped_to_the_budget() -> None:
    plain = "\n".join(f"line {i} of a very long log with words" for i in range(5000))
    messages = command_messages("cat big.log", plain, 0, None, at=1.0, finished_at=2.0,
                                record_id=7)
    count_messages(messages)
    context = PaneContext(max_tokens=300)
    context.append(messages)
    window = context.view()
    assert window.tokens <= 300
    assert "cat big.log" in text_of(window)
