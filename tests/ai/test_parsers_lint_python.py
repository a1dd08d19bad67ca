"""ruff, flake8 and mypy parsers against output recorded from the real tools
(tests/fixtures/parsers/record_lint_tools.sh)."""

from __future__ import annotations

from pathlib import Path

import pytest

from aisession_tui.ai.parsers import flake8, mypy, parse_output, ruff

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "parsers"


def load(name: str) -> str:
    return (FIXTURES / name).read_text(encoding="utf-8")


def locations(result) -> list[tuple]:
    return [(i.file, i.line, i.column, i.severity, i.code) for i in result.issues]


RUFF_ISSUES = [("sample.py", 1, 8, "error", "F401"), ("sample.py", 2, 8, "error", "F401"),
               ("sample.py", 6, 5, "error", "F841"), ("sample.py", 11, 7, "error", "F821")]


@pytest.mark.parametrize("fixture", ["ruff/check_full.txt", "ruff/check_concise.txt"])
def test_ruff_reports_every_violation_in_both_formats(fixture: str) -> None:
    text = load(fixture)
    assert ruff.PARSER.matches(None, text)
    result = ruff.PARSER.parse(text, "ruff check sample.py", 1)
    assert (result.kind, result.tool, result.status) == ("lint", "ruff", "failure")
    assert locations(result) == RUFF_ISSUES
    assert result.issues[0].message == "`os` imported but unused"
    assert result.counts == {"errors": 4, "warnings": 0, "files": 1, "fixable": 2}
    assert result.summary == "Found 4 errors."


def test_ruff_clean_run_is_success() -> None:
    result = parse_output(load("ruff/check_clean.txt"), "ruff check clean.py", 0)
    assert (result.tool, result.status, result.issues) == ("ruff", "success", [])
    assert result.summary == "All checks passed!"


def test_ruff_format_check_lists_files() -> None:
    text = "Would reformat: src/a.py\nWould reformat: src/b.py\n2 files would be reformatted\n"
    result = ruff.PARSER.parse(text, "ruff format --check", 1)
    assert [(i.file, i.severity) for i in result.issues] == [("src/a.py", "warning"), ("src/b.py", "warning")]
    assert result.status == "failure" and result.summary == "2 files would be reformatted"


def test_flake8_reports_every_violation() -> None:
    text = load("flake8/errors.txt")
    assert flake8.PARSER.matches(None, text)
    result = flake8.PARSER.parse(text, "flake8 sample.py", 1)
    assert (result.kind, result.tool, result.status) == ("lint", "flake8", "failure")
    assert [(i.file, i.line, i.column, i.code) for i in result.issues] == [
        ("sample.py", 1, 1, "F401"), ("sample.py", 2, 1, "F401"), ("sample.py", 6, 5, "F841"),
        ("sample.py", 9, 1, "E302"), ("sample.py", 10, 3, "E111"), ("sample.py", 10, 12, "E711"),
        ("sample.py", 11, 1, "E305"), ("sample.py", 11, 7, "F821")]
    assert result.counts == {"errors": 8, "warnings": 0, "files": 1}


def test_flake8_warning_codes_and_clean_run() -> None:
    result = flake8.PARSER.parse("a.py:3:80: W291 trailing whitespace\n", "flake8", 1)
    assert result.issues[0].severity == "warning" and result.status == "failure"
    clean = parse_output("", "flake8 src", 0)
    assert (clean.tool, clean.status, clean.issues) == ("flake8", "success", [])


def test_mypy_without_summary() -> None:
    text = load("mypy/errors.txt")
    assert mypy.PARSER.matches(None, text)
    result = mypy.PARSER.parse(text, "mypy sample.py", 1)
    assert locations(result) == [("sample.py", 7, None, "error", "return-value"),
                                 ("sample.py", 11, None, "error", "name-defined")]
    assert result.issues[1].message == 'Name "undefined_name" is not defined'
    assert result.status == "failure" and result.summary == ""


def test_mypy_with_columns_and_summary() -> None:
    result = parse_output(load("mypy/errors_summary.txt"), "python -m mypy --show-column-numbers sample.py", 1)
    assert result.tool == "mypy"
    assert locations(result) == [("sample.py", 7, 12, "error", "return-value"),
                                 ("sample.py", 11, 7, "error", "name-defined")]
    assert result.counts["errors"] == 2 and result.counts["checked"] == 1 and result.counts["files"] == 1
    assert result.summary == "Found 2 errors in 1 file (checked 1 source file)"


def test_mypy_success_and_notes() -> None:
    clean = parse_output(load("mypy/clean.txt"), None, 0)
    assert (clean.tool, clean.status) == ("mypy", "success")
    text = "m.py:3: error: Bad thing  [misc]\nm.py:3: note: See the docs\n"
    result = mypy.PARSER.parse(text, "mypy m.py", 1)
    assert [(i.severity, i.code) for i in result.issues] == [("error", "misc"), ("note", None)]
    assert result.counts["notes"] == 1
