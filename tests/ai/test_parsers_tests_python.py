"""pytest and unittest/Django parsers against captures of the real tools
(tests/fixtures/parsers/{pytest,unittest}, recorded by record_tests_tools.sh)."""

from __future__ import annotations

import pytest
from parser_captures import FIXTURES, load

from aisession_tui.ai.parsers import parse_output

PYTEST_FAILED_RUN = {"failed": 3, "passed": 6, "skipped": 2, "xfailed": 1, "errors": 1}
PYTEST_FAILURES = [
    ("tests/test_calc.py::test_uses_broken_fixture", "tests/test_calc.py", 27,
     "RuntimeError: database is down"),
    ("tests/test_calc.py::test_compares_lists", "tests/test_calc.py", 13, None),
    ("tests/test_calc.py::test_divides_by_zero", "tests/test_calc.py", 5,
     "ZeroDivisionError: division by zero"),
    ("tests/test_calc.py::TestParser::test_message", "tests/test_calc.py", 50,
     "AssertionError: value too small"),
]


@pytest.mark.parametrize("name", ["q_failures", "v_ra_failures", "default_failures",
                                  "default_failures_color"])
def test_pytest_failed_runs(name: str) -> None:
    text, command, exit_code = load("pytest", name)
    result = parse_output(text, command, exit_code)
    assert (result.kind, result.tool, result.status) == ("test", "pytest", "failure")
    assert result.counts == PYTEST_FAILED_RUN
    assert result.summary.startswith("3 failed, 6 passed, 2 skipped, 1 xfailed, 1 error in ")
    got = [(f.test, f.file, f.line) for f in result.failures]
    assert got == [(test, file, line) for test, file, line, _ in PYTEST_FAILURES]
    for failure, (_, _, _, message) in zip(result.failures, PYTEST_FAILURES):
        if message is not None:
            assert failure.message == message
    assert "assert [1, 2, 3] == [1, 2, 4]" in result.failures[1].message


def test_pytest_colour_capture_is_really_coloured() -> None:
    raw = (FIXTURES / "pytest" / "default_failures_color.txt").read_text()
    assert "\x1b[" in raw


@pytest.mark.parametrize("name", ["q_all_pass", "default_all_pass"])
def test_pytest_passing_runs(name: str) -> None:
    text, command, exit_code = load("pytest", name)
    result = parse_output(text, command, exit_code)
    assert (result.tool, result.status) == ("pytest", "success")
    assert result.counts == {"passed": 2, "skipped": 1}
    assert result.failures == []
    assert result.summary.startswith("2 passed, 1 skipped in ")


def test_pytest_collection_errors() -> None:
    text, command, exit_code = load("pytest", "collection_errors")
    result = parse_output(text, command, exit_code)
    assert (result.tool, result.status) == ("pytest", "error")
    assert result.counts == {"errors": 2}
    assert [(f.test, f.file, f.line, f.message) for f in result.failures] == [
        ("broken/test_imports.py", "broken/test_imports.py", 1,
         "ModuleNotFoundError: No module named 'missing_module_xyz'"),
        ("broken/test_syntax.py", "/tmp/aisession-fixtures/pyproj/broken/test_syntax.py", 1,
         "SyntaxError: invalid syntax"),
    ]


def test_pytest_short_traceback_and_exit_first() -> None:
    text, command, exit_code = load("pytest", "short_tb_x")
    result = parse_output(text, command, exit_code)
    assert (result.tool, result.status) == ("pytest", "failure")
    assert result.counts == {"failed": 1, "passed": 1}
    assert [(f.test, f.file, f.line, f.message) for f in result.failures] == [
        ("tests/test_calc.py::test_compares_lists", "tests/test_calc.py", 13,
         "assert [1, 2, 3] == [1, 2, 4]")]


def test_pytest_nothing_selected_is_not_success() -> None:
    text, command, exit_code = load("pytest", "no_tests")
    result = parse_output(text, command, exit_code)
    assert exit_code == 5
    assert (result.tool, result.status, result.counts) == ("pytest", "failure", {"deselected": 13})


UNITTEST_FAILURES = [
    ("pkg.test_shapes.ShapeTests.test_area", 9, "AttributeError: 'Square' object has no attribute 'sides'"),
    ("pkg.test_shapes.ColourTests.test_name", 33,
     "AssertionError: 'red' not found in ['green', 'blue'] : colour missing"),
    ("pkg.test_shapes.ShapeTests.test_equal_sides", 17,
     "AssertionError: Lists differ: [3, 3, 3] != [3, 3, 4]"),
]
SHAPES = "/tmp/aisession-fixtures/unittestproj/pkg/test_shapes.py"


@pytest.mark.parametrize("name", ["verbose_failures", "plain_failures"])
def test_unittest_failed_runs(name: str) -> None:
    text, command, exit_code = load("unittest", name)
    result = parse_output(text, command, exit_code)
    assert (result.kind, result.tool, result.status) == ("test", "unittest", "failure")
    assert result.counts == {"total": 6, "failed": 2, "errors": 1, "skipped": 1, "xfailed": 1,
                             "passed": 1}
    assert [(f.test, f.file, f.line, f.message) for f in result.failures] == [
        (test, SHAPES, line, message) for test, line, message in UNITTEST_FAILURES]
    assert "FAILED (failures=2, errors=1, skipped=1, expected failures=1)" in result.summary


def test_unittest_all_pass() -> None:
    text, command, exit_code = load("unittest", "discover_all_pass")
    result = parse_output(text, command, exit_code)
    assert (result.tool, result.status, result.counts) == (
        "unittest", "success", {"total": 2, "passed": 2})
    assert result.summary == "Ran 2 tests in 0.000s OK"


def test_unittest_import_error() -> None:
    text, command, exit_code = load("unittest", "import_error")
    result = parse_output(text, command, exit_code)
    assert (result.tool, result.status) == ("unittest", "failure")
    assert result.counts == {"total": 1, "errors": 1, "passed": 0}
    assert [(f.test, f.file, f.line, f.message) for f in result.failures] == [
        ("unittest.loader._FailedTest.test_broken",
         "/tmp/aisession-fixtures/unittestproj/brokenpkg/test_broken.py", 1,
         "ModuleNotFoundError: No module named 'not_installed_module'")]


@pytest.mark.parametrize("name", ["django_failures", "django_verbose_failures"])
def test_django_test_runner(name: str) -> None:
    text, command, exit_code = load("unittest", name)
    result = parse_output(text, command, exit_code)
    assert (result.kind, result.tool, result.status) == ("test", "django", "failure")
    assert result.counts == {"total": 3, "failed": 1, "errors": 1, "passed": 1}
    tests_py = "/tmp/aisession-fixtures/djproj/shop/tests.py"
    assert [(f.test, f.file, f.line, f.message) for f in result.failures] == [
        ("shop.tests.PriceTests.test_currency", tests_py, 12, "ValueError: unknown currency: XYZ"),
        ("shop.tests.PriceTests.test_discount", tests_py, 9, "AssertionError: 90 != 91"),
    ]
