"""Fact lines of merged history (ai/factlines.py): each shorthand is read back by the
independent fact check (ai/facts.present) and every fact of every record stays found.

Outputs are captures of the real tools (tests/fixtures/parsers)."""

from __future__ import annotations

from pathlib import Path

from aisession_tui.ai.context import PaneContext, command_messages, count_messages
from aisession_tui.ai.factlines import FactLineWriter, join_lines
from aisession_tui.ai.facts import Fact, missing, present
from aisession_tui.ai.parsers import parse_output
from aisession_tui.terminal.plaintext import render_plain

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "parsers"
PYTEST = "/opt/project/.venv/bin/python -m pytest -p no:cacheprovider"


def turn(path: str | None, command: str, exit_code: int, record_id: int,
         cwd: str = "/srv/app"):
    plain = render_plain((FIXTURES / path).read_bytes()) if path else ""
    parsed = parse_output(plain, command, exit_code).to_dict()
    messages = command_messages(command, plain, exit_code, parsed, at=float(record_id),
                                finished_at=record_id + 0.5, record_id=record_id, cwd=cwd)
    count_messages(messages)
    return messages


def block(turns) -> tuple[str, list[Fact]]:
    writer = FactLineWriter()
    outputs = [messages[1] for messages in turns]
    return join_lines(writer.write(output) for output in outputs), \
        [fact for output in outputs for fact in output.fact_items]


def test_a_repeated_long_prefix_gets_an_alias_defined_before_its_first_use() -> None:
    turns = [turn("pytest/q_failures.txt", f"{PYTEST} -q tests", 1, 1),
             turn("pytest/q_all_pass.txt", f"{PYTEST} tests/test_ok.py", 0, 2),
             turn("pytest/q_failures.txt", f"{PYTEST} -x tests", 1, 3),
             turn("pytest/q_failures.txt", f"{PYTEST} -v tests", 1, 4)]
    text, facts = block(turns)
    lines = text.splitlines()
    definition = next(index for index, line in enumerate(lines) if line.startswith("§1 = "))
    assert lines[definition] == f"§1 = {PYTEST}"
    # two earlier lines wrote it in full; the third defines it, the fourth uses it too
    assert lines[definition + 1].startswith("3 §1 -x tests · exit 1")
    assert lines[definition + 2].startswith("4 §1 -v tests · exit 1")
    assert text.count(PYTEST) == 3
    assert missing(facts, text) == []


def test_an_alias_is_only_read_where_the_text_defines_it() -> None:
    command = Fact("command", (f"{PYTEST} -v tests", "exit 1"))
    assert present([command], f"§1 = {PYTEST}\n4 §1 -v tests · exit 1") == [True]
    assert present([command], "4 §1 -v tests · exit 1") == [False]
    assert present([command], f"§2 = {PYTEST}\n4 §1 -v tests · exit 1") == [False]


def test_runs_without_facts_share_a_line_per_exit_code_and_keep_each_command() -> None:
    turns = [turn(None, "git status", 0, 1), turn(None, "git diff --stat", 0, 2),
             turn(None, "ls -la", 0, 3), turn(None, "npm run deploy", 3, 4),
             turn("pytest/q_failures.txt", "pytest -q", 1, 5)]
    text, facts = block(turns)
    assert text.splitlines()[:2] == ["exit 0: 1 in /srv/app git status; 2 git diff --stat; 3 ls -la",
                                     "exit 3: 4 npm run deploy"]
    assert missing(facts, text) == []
    assert present([Fact("command", ("ls -la", "exit 3"))], text) == [False]


def test_the_same_run_again_refers_to_the_first_and_a_known_message_keeps_its_type() -> None:
    turns = [turn("pytest/q_failures.txt", "pytest -q tests", 1, 1),
             turn("pytest/q_failures.txt", "pytest -q tests", 1, 2),
             turn("tracebacks/python_chained.txt", "python crash.py", 1, 3),
             turn("tracebacks/python_chained.txt", "python crash.py", 1, 4, cwd="/srv/other")]
    text, facts = block(turns)
    lines = text.splitlines()
    assert lines[1] == "2 = #1 repeats #1"
    assert lines[3].startswith("4 in /srv/other python crash.py · exit 1")  # not '= #3'
    assert missing(facts, text) == []


def test_every_fact_of_a_pane_survives_a_block_that_starts_later() -> None:
    paths = [("pytest/q_failures.txt", "pytest -q tests", 1),
             ("cargo/build_errors.txt", "cargo build", 101),
             ("tsc/errors.txt", "npx tsc --noEmit", 2), ("pytest/q_all_pass.txt", "pytest -q", 0)]
    context = PaneContext(max_tokens=100_000)
    for record in range(1, 17):
        path, command, code = paths[record % len(paths)]
        context.append(turn(path, f"{PYTEST} {command}", code, record))
    for budget in (300, 500, 800):
        window = context.fit_to_window(budget)
        kept, total, lost = context.retention(window)
        assert window.count_text() <= budget
        assert window.bounds.omitted > 0 or lost == []
    window = context.fit_to_window(2000)
    assert context.retention(window)[2] == []


def test_a_test_of_the_same_suite_is_written_after_the_suite_once() -> None:
    from aisession_tui.ai.factlines import grouped

    fragments = ["FAIL t.py::test_a: ZeroDivisionError: division by zero",
                 "FAIL t.py::test_b: assert 3 == 2.5",
                 "FAIL t.py::test_c: called `Result::unwrap()` on an `Err` value",
                 "FAIL t.py::test_d: boom"]
    assert grouped(fragments) == ["FAIL t.py::test_a: ZeroDivisionError: division by zero",
                                  "::test_b: assert 3 == 2.5",
                                  "::test_c: called `Result::unwrap()` on an `Err` value",
                                  "t.py::test_d: boom"]  # the message before it has '::'
    line = "; ".join(grouped(fragments))
    tests = [Fact("test", (f"t.py::test_{name}",)) for name in "abcd"]
    assert present(tests, line) == [True] * 4


def test_a_line_kept_from_the_store_stands_on_its_own() -> None:
    from aisession_tui.ai.factlines import standalone

    assert standalone("; 5 git status", 0) == "exit 0: 5 git status"
    assert standalone(f"§1 = {PYTEST}\n7 §1 -q · exit 1", 1) == f"7 {PYTEST} -q · exit 1"
    assert standalone("8 §1 -x · exit 1 · repeats #7", 1) == "8 … -x · exit 1 · repeats #7"


def test_a_rebuilt_output_without_its_record_gets_a_line_from_its_facts() -> None:
    from aisession_tui.ai.context import Message

    written = turn("pytest/q_failures.txt", f"{PYTEST} -q tests", 1, 3)[1]
    facts = written.fact_items
    lost_record = Message(role="system", kind="output", text=None, at=3.0, summary="s",
                          line="; 3 §1 -q tests", record_id=3, exit_code=1,
                          command=f"{PYTEST} -q tests", cwd="/srv/app", fact_items=facts)
    unknown = Message(role="system", kind="output", text=None, at=4.0, summary="s",
                      line="; 4 §1 -x tests", record_id=4, exit_code=0, command="x")
    context = PaneContext(max_tokens=100_000)
    context.append([lost_record, unknown])
    assert missing(facts, lost_record.line) == []
    assert unknown.line == "exit 0: 4 … -x tests"


def test_a_run_with_some_of_an_earlier_runs_failures_says_which() -> None:
    turns = [turn("pytest/q_failures.txt", "pytest -q tests", 1, 1),
             turn("pytest/short_tb_x.txt", "pytest -x --tb=short tests", 1, 2),
             turn("pytest/q_failures.txt", "pytest -q tests", 1, 3)]
    text, facts = block(turns)
    lines = text.splitlines()
    failing_first = [fact.parts[0] for fact in turns[1][1].fact_items if fact.kind == "test"]
    assert len(failing_first) == 1  # -x stops at the first failure
    name = failing_first[0].rsplit("::", 1)[1]
    assert lines[1].endswith(f"repeats #1 (only {name})")
    assert lines[2] == "3 = #1 repeats #1"  # all four again: no qualifier
    assert missing(facts, text) == []


def test_the_same_command_with_other_facts_is_written_in_full() -> None:
    # '= #1' would read as "with #1's facts": a run sharing none of them names its command
    turns = [turn("pytest/q_failures.txt", "pytest -q tests", 1, 1),
             turn("pytest/collection_errors.txt", "pytest -q tests", 1, 2)]
    text, facts = block(turns)
    assert text.splitlines()[1].startswith("2 pytest -q tests · exit 1 FAIL ")
    assert missing(facts, text) == []
