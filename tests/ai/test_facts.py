"""Facts of a command record (ai/facts.py), read from captures of the real tools."""

from __future__ import annotations

from pathlib import Path

from aisession_tui.ai.facts import Fact, canonical, missing, present, record_facts
from aisession_tui.ai.parsers import parse_output
from aisession_tui.terminal.plaintext import render_plain

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "parsers"


def facts_of(path: str, command: str, exit_code: int | None, cwd: str | None = None
             ) -> tuple[list[Fact], str]:
    plain = render_plain((FIXTURES / path).read_bytes())
    parsed = parse_output(plain, command, exit_code).to_dict()
    return record_facts(command, exit_code, parsed, plain, cwd=cwd), plain


def by_kind(facts: list[Fact], kind: str) -> list[tuple[str, ...]]:
    return [fact.parts for fact in facts if fact.kind == kind]


def test_pytest_failures_give_test_ids_exceptions_and_assertions() -> None:
    facts, _ = facts_of("pytest/q_failures.txt", "pytest -q tests", 1, cwd="/srv/app")
    assert by_kind(facts, "command") == [("pytest -q tests", "exit 1")]
    assert by_kind(facts, "cwd") == [("/srv/app",)]
    assert ("tests/test_calc.py::test_divides_by_zero",) in by_kind(facts, "test")
    assert len(by_kind(facts, "test")) == 4
    assert ("ZeroDivisionError: division by zero",) in by_kind(facts, "exception")
    assert ("RuntimeError: database is down",) in by_kind(facts, "exception")
    assert ("assert [1, 2, 3] == [1, 2, 4]",) in by_kind(facts, "assertion")


def test_compiler_locations_carry_the_tools_code() -> None:
    facts, _ = facts_of("cargo/build_errors.txt", "cargo build", 101)
    assert ("src/lib.rs:2", "E0308") in by_kind(facts, "location")
    assert ("src/lib.rs:8", "E0382") in by_kind(facts, "location")
    facts, _ = facts_of("tsc/errors.txt", "tsc --noEmit", 2)
    assert by_kind(facts, "location") == [("app.ts:1", "TS2322"), ("app.ts:5", "TS2345"),
                                         ("app.ts:6", "TS2304")]


def test_traceback_exception_type_and_message() -> None:
    facts, _ = facts_of("tracebacks/python_chained.txt", "python crash.py", 1)
    exceptions = by_kind(facts, "exception")
    assert ("json.decoder.JSONDecodeError: Expecting property name enclosed in double "
            "quotes: line 1 column 2 (char 1)",) in exceptions
    assert ("RuntimeError: config is unreadable",) in exceptions


def test_jest_assertion_message_spans_lines() -> None:
    facts, plain = facts_of("jest/failures.txt", "npx jest", 1)
    assertions = by_kind(facts, "assertion")
    assert ("expect(received).toBe(expected) // Object.is equality Expected: 9 "
            "Received: 10",) in assertions
    # one-part facts are found across line breaks: the raw output holds them
    assert [f for f in missing(facts, plain) if len(f.parts) == 1] == []


def test_git_conflict_file_is_a_location() -> None:
    facts, _ = facts_of("git/merge_conflict.txt", "cd repo && git merge topic", 1)
    assert ("a.txt", "conflict") in by_kind(facts, "location")


def test_error_without_a_file_keeps_its_message() -> None:
    facts, _ = facts_of("pip/not_found.txt", "pip install nosuchpkg", 1)
    errors = by_kind(facts, "error")
    assert errors and all(len(parts[0]) <= 120 for parts in errors)


def test_facts_are_never_duplicated() -> None:
    facts, _ = facts_of("pytest/v_ra_failures.txt", "pytest -v -ra tests", 1)
    assert len(facts) == len(set(facts))


def test_present_needs_parts_on_one_line_and_respects_edges() -> None:
    location = Fact("location", ("src/lib.rs:2", "E0308"))
    assert present([location], "x\nsrc/lib.rs:2:5 error[E0308]: mismatched\n") == [True]
    assert present([location], "error[E0308]\n --> src/lib.rs:2:5\n") == [False]
    assert present([location], "src/lib.rs:23 E0308") == [False]
    command = Fact("command", ("make test", "exit 1"))
    assert present([command], "$ make test · exit 101") == [False]
    assert present([command], "$ make test · exit 1") == [True]
    assert present([Fact("location", ("a.txt", "conflict"))], "data.txt conflict") == [False]


def test_cut_messages_are_found_by_their_kept_prefix() -> None:
    long = "ValueError: " + "x" * 300
    fact = Fact("exception", (canonical(long),))
    assert fact.parts[0].endswith("…") and len(fact.parts[0]) == 120
    assert present([fact], long) == [True]
    assert present([fact], long[:60]) == [False]


def test_grouped_locations_continue_the_previous_file() -> None:
    from aisession_tui.ai.facts import expand_grouped

    line = "#4 npx tsc -p . · exit 1 · src/money.ts:9 TS2322; :17 TS2551; a.py:3 F401; :5 E1"
    assert expand_grouped(line) == ("#4 npx tsc -p . · exit 1 · src/money.ts:9 TS2322; "
                                    "src/money.ts:17 TS2551; a.py:3 F401; a.py:5 E1")
    facts = [Fact("location", ("src/money.ts:17", "TS2551")), Fact("location", ("a.py:5", "E1")),
             Fact("location", ("a.py:17", "TS2551"))]
    assert present(facts, line) == [True, True, False]
    assert expand_grouped("no continuation; :3 here") == "no continuation; :3 here"


def test_tests_of_one_suite_continue_the_suite_before_them() -> None:
    from aisession_tui.ai.facts import expand_tests

    line = ("120 pytest -q · exit 1 · FAIL t.py::test_a: assert 1 == 2; ::test_b: boom; "
            "::C::test_c; u.py::test_d")
    assert expand_tests(line) == ("120 pytest -q · exit 1 · FAIL t.py::test_a: assert 1 == 2; "
                                  "t.py::test_b: boom; t.py::C::test_c; u.py::test_d")
    facts = [Fact("test", ("t.py::test_b",)), Fact("test", ("t.py::C::test_c",)),
             Fact("test", ("u.py::test_b",))]
    assert present(facts, line) == [True, True, False]
    assert expand_tests("no suite; ::test_x") == "no suite; ::test_x"
