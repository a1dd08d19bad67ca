"""Parsers and facts on the recorded agent sessions (tests/fixtures/sessions, real runs of
cargo, gcc/make, git, jest, eslint, tsc, vitest, pytest, ruff and mypy made by
record_sessions.py)."""

from __future__ import annotations

from pathlib import Path

import pytest

from aisession_tui.ai.facts import record_facts
from aisession_tui.ai.parsers import parse_output
from aisession_tui.terminal.plaintext import render_plain

SESSIONS = Path(__file__).resolve().parents[1] / "fixtures" / "sessions"


def step(session: str, name: str) -> tuple[dict, set[tuple[str, ...]]]:
    for row in (SESSIONS / session / "session.tsv").read_text().splitlines():
        capture, code, cwd, command = row.split("\t", 3)
        if capture == name:
            plain = render_plain((SESSIONS / session / f"{capture}.txt").read_bytes())
            parsed = parse_output(plain, command, int(code)).to_dict()
            facts = record_facts(command, int(code), parsed, plain, cwd)
            return parsed, {fact.parts for fact in facts}
    raise KeyError(name)


@pytest.mark.parametrize(("session", "name", "tool", "expected"), [
    ("rust_tally", "01_cargo_build", "cargo", {("src/lib.rs:16", "E0425"),
                                               ("src/lib.rs:6", "E0308")}),
    ("rust_tally", "03_cargo_test", "cargo", {("tests::averages_nothing",),
                                              ("attempt to divide by zero",)}),
    ("c_stack", "01_make", "make", {("main.c:9", "-Wunused-variable")}),
    ("c_stack", "03_make_link", "make", {("undefined reference to `stack_size'",)}),
    ("c_stack", "06_git_merge", "git", {("Makefile", "conflict"), ("main.c", "conflict")}),
    ("js_cart", "01_npm_test", "jest", {("cart › counts items",),
                                        ("ReferenceError: itemz is not defined",)}),
    ("js_cart", "02_eslint", "eslint", {("/tmp/ais-sessions/js_cart/src/cart.js:18",
                                         "no-undef")}),
    ("ts_money", "01_tsc", "tsc", {("src/money.ts:17", "TS2551")}),
    ("ts_money", "03_vitest", "vitest", {("src/money.test.ts > money > formats dollars",)}),
    ("python_calc", "02_pytest_q", "pytest", {("test_calc.py::test_median_even",),
                                              ("assert 3 == 2.5",),
                                              ("ZeroDivisionError: division by zero",)}),
    ("python_calc", "05_ruff_check", "ruff", {("calc.py:27", "UP045"), ("calc.py:1", "F401")}),
    ("python_calc", "06_mypy", "mypy", {("calc.py:28", "operator")}),
])
def test_recorded_steps_give_their_facts(session: str, name: str, tool: str,
                                         expected: set[tuple[str, ...]]) -> None:
    parsed, facts = step(session, name)
    assert parsed["tool"] == tool
    assert expected <= facts


def test_every_step_has_its_command_exit_code_and_cwd() -> None:
    rows = [row.split("\t", 3) for tsv in sorted(SESSIONS.glob("*/session.tsv"))
            for row in tsv.read_text().splitlines()]
    assert len(rows) >= 30
    for capture, code, cwd, command in rows:
        session = Path(cwd).name
        _, facts = step(session, capture)
        assert (command, f"exit {code}") in facts
        assert (cwd,) in facts
