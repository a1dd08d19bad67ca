"""jest, vitest, mocha and npm/yarn/pnpm script parsers against captures of the real tools
(tests/fixtures/parsers/{jest,vitest,mocha,node_scripts}, recorded by record_tests_tools.sh)."""

from __future__ import annotations

import pytest
from parser_captures import load

from aisession_tui.ai.parsers import parse_output


def located(result: object) -> list[tuple[object, ...]]:
    return [(f.test, f.file, f.line) for f in result.failures]  # type: ignore[attr-defined]


JEST_COUNTS = {"failed": 3, "skipped": 1, "todo": 1, "passed": 3, "total": 8,
               "suites_failed": 1, "suites_passed": 1, "suites_total": 2}
JEST_FAILURES = [("cart › applies discount", "jest/cart.test.js", 9),
                 ("cart › empty › is zero", "jest/cart.test.js", 14),
                 ("throws on bad input", "jest/cart.test.js", 1)]
VITEST_COUNTS = {"failed": 3, "passed": 2, "skipped": 1, "total": 6, "files_failed": 1,
                 "files_passed": 1, "files_total": 2}
VITEST_FAILURES = [("vitest/cart.test.js > cart > applies discount", "vitest/cart.test.js", 11),
                   ("vitest/cart.test.js > cart > empty > is zero", "vitest/cart.test.js", 16),
                   ("vitest/cart.test.js > throws on bad input", "vitest/cart.test.js", 3)]
MOCHA_FAILURES = [("cart applies discount", "spec/cart.spec.js", 11),
                  ("cart empty is zero", "spec/cart.spec.js", 18),
                  ("input throws on bad input", "spec/cart.spec.js", 3)]


@pytest.mark.parametrize("name", ["failures", "verbose_failures"])
def test_jest_failures(name: str) -> None:
    text, command, exit_code = load("jest", name)
    result = parse_output(text, command, exit_code)
    assert (result.kind, result.tool, result.status) == ("test", "jest", "failure")
    assert result.counts == JEST_COUNTS
    assert located(result) == JEST_FAILURES
    assert result.failures[0].message == (
        "expect(received).toBe(expected) // Object.is equality\nExpected: 9\nReceived: 10")
    assert result.failures[2].message == "TypeError: Cannot read properties of null (reading 'reduce')"
    assert result.summary == "Tests: 3 failed, 1 skipped, 1 todo, 3 passed, 8 total"


def test_jest_all_pass() -> None:
    text, command, exit_code = load("jest", "all_pass")
    result = parse_output(text, command, exit_code)
    assert (result.tool, result.status, result.failures) == ("jest", "success", [])
    assert result.counts == {"passed": 2, "total": 2, "suites_passed": 1, "suites_total": 1}


@pytest.mark.parametrize("name", ["failures", "verbose_failures"])
def test_vitest_failures(name: str) -> None:
    text, command, exit_code = load("vitest", name)
    result = parse_output(text, command, exit_code)
    assert (result.kind, result.tool, result.status) == ("test", "vitest", "failure")
    assert result.counts == VITEST_COUNTS
    assert located(result) == VITEST_FAILURES
    assert result.failures[0].message == "AssertionError: expected 10 to be 9 // Object.is equality"
    assert result.summary == "Tests 3 failed | 2 passed | 1 skipped (6)"


def test_vitest_all_pass() -> None:
    text, command, exit_code = load("vitest", "all_pass")
    result = parse_output(text, command, exit_code)
    assert (result.tool, result.status, result.failures) == ("vitest", "success", [])
    assert result.counts == {"passed": 1, "total": 1, "files_passed": 1, "files_total": 1}


def test_mocha_failures() -> None:
    text, command, exit_code = load("mocha", "failures")
    result = parse_output(text, command, exit_code)
    assert (result.kind, result.tool, result.status) == ("test", "mocha", "failure")
    assert result.counts == {"passed": 1, "pending": 1, "failed": 3}
    assert located(result) == MOCHA_FAILURES
    assert result.failures[0].message == (
        "AssertionError [ERR_ASSERTION]: Expected values to be strictly equal: 10 !== 9")
    assert result.summary == "1 passing (16ms), 1 pending, 3 failing"


def test_mocha_all_pass() -> None:
    text, command, exit_code = load("mocha", "all_pass")
    result = parse_output(text, command, exit_code)
    assert (result.tool, result.status, result.counts) == ("mocha", "success", {"passed": 2})


@pytest.mark.parametrize("name,wrapper,exit_printed", [
    ("npm_test_jest", "npm", None), ("yarn_test_jest", "yarn", 1), ("pnpm_test_jest", "pnpm", None)])
def test_script_wrappers_delegate_to_jest(name: str, wrapper: str, exit_printed: int | None) -> None:
    text, command, exit_code = load("node_scripts", name)
    result = parse_output(text, command, exit_code)
    assert (result.kind, result.tool, result.status) == ("test", "jest", "failure")
    assert result.counts == JEST_COUNTS
    assert located(result) == JEST_FAILURES
    expected = {"wrapper": wrapper, "script": "test", "script_command": "jest jest/"}
    if exit_printed is not None:
        expected["exit_code"] = exit_printed
    assert result.details == expected


def test_npm_delegates_to_vitest_and_mocha() -> None:
    text, command, exit_code = load("node_scripts", "npm_vitest")
    vitest = parse_output(text, command, exit_code)
    assert (vitest.tool, vitest.counts, located(vitest)) == ("vitest", VITEST_COUNTS, VITEST_FAILURES)
    assert vitest.details["script_command"] == "vitest run vitest/"
    text, command, exit_code = load("node_scripts", "npm_mocha")
    mocha = parse_output(text, command, exit_code)
    assert (mocha.tool, mocha.status, located(mocha)) == ("mocha", "failure", MOCHA_FAILURES)
    assert mocha.details == {"wrapper": "npm", "script": "test:mocha", "script_command": "mocha spec"}


def test_npm_passing_script() -> None:
    text, command, exit_code = load("node_scripts", "npm_test_ok")
    result = parse_output(text, command, exit_code)
    assert (result.tool, result.status, result.counts["passed"]) == ("jest", "success", 2)
    assert result.details["script"] == "test:ok"


def test_npm_delegates_to_tsc() -> None:
    text, command, exit_code = load("node_scripts", "npm_build_tsc")
    result = parse_output(text, command, exit_code)
    assert (result.tool, result.status) == ("tsc", "failure")
    assert [(i.file, i.line, i.column, i.code) for i in result.issues] == [
        ("src/index.ts", 2, 9, "TS2322")]
    assert result.details == {"wrapper": "npm", "script": "build", "script_command": "tsc -p ."}


@pytest.mark.parametrize("name,wrapper,summary,exit_printed", [
    ("npm_deploy_fails", "npm", "deploy target missing", None),
    ("yarn_deploy_fails", "yarn", "Command failed with exit code 3.", 3),
    ("pnpm_deploy_fails", "pnpm", "Command failed with exit code 3.", 3),
])
def test_unrecognised_script_failure(name: str, wrapper: str, summary: str,
                                     exit_printed: int | None) -> None:
    text, command, exit_code = load("node_scripts", name)
    result = parse_output(text, command, exit_code)
    assert (result.kind, result.tool, result.status, result.summary) == (
        "build", wrapper, "failure", summary)
    assert result.details["script"] == "deploy"
    assert result.details.get("exit_code") == exit_printed
    assert [issue.message for issue in result.issues] == ([summary] if exit_printed else [])


def test_npm_missing_script() -> None:
    text, command, exit_code = load("node_scripts", "npm_missing_script")
    result = parse_output(text, command, exit_code)
    assert (result.tool, result.status, result.summary) == ("npm", "failure", 'Missing script: "lint"')
    assert [issue.message for issue in result.issues] == ['Missing script: "lint"']
