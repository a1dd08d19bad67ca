"""tsc and eslint parsers against output recorded from the real tools."""

from __future__ import annotations

from pathlib import Path

import pytest

from aisession_tui.ai.parsers import eslint, parse_output, tsc

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "parsers"
APP = "/tmp/aisession-fixture-work/src/js/app.js"
OTHER = "/tmp/aisession-fixture-work/src/js/other.js"


def load(name: str) -> str:
    return (FIXTURES / name).read_text(encoding="utf-8")


TSC_ISSUES = [("app.ts", 1, 7, "TS2322"), ("app.ts", 5, 7, "TS2345"), ("app.ts", 6, 13, "TS2304")]


@pytest.mark.parametrize("fixture", ["tsc/errors.txt", "tsc/errors_pretty.txt"])
def test_tsc_plain_and_pretty(fixture: str) -> None:
    text = load(fixture)
    assert tsc.PARSER.matches(None, text)
    result = tsc.PARSER.parse(text, "npx tsc --noEmit", 2)
    assert (result.kind, result.tool, result.status) == ("lint", "tsc", "failure")
    assert [(i.file, i.line, i.column, i.code) for i in result.issues] == TSC_ISSUES
    assert result.issues[2].message == "Cannot find name 'missingName'."
    assert result.counts["errors"] == 3 and result.counts["files"] == 1


def test_tsc_pretty_summary_and_clean() -> None:
    assert tsc.PARSER.parse(load("tsc/errors_pretty.txt"), "tsc", 2).summary == \
        "Found 3 errors in the same file, starting at: app.ts:1"
    clean = parse_output(load("tsc/clean.txt"), "tsc --noEmit ok.ts", 0)
    assert (clean.tool, clean.status, clean.issues) == ("tsc", "success", [])


def test_tsc_error_without_file_and_continuation() -> None:
    text = ("error TS6053: File 'missing.ts' not found.\n"
            "src/a.ts(3,1): error TS2322: Type 'A' is not assignable to type 'B'.\n"
            "  Property 'x' is missing in type 'A'.\n")
    result = tsc.PARSER.parse(text, "tsc", 2)
    assert [(i.file, i.line, i.code) for i in result.issues] == [(None, None, "TS6053"), ("src/a.ts", 3, "TS2322")]
    assert result.issues[1].message.endswith("Property 'x' is missing in type 'A'.")


def test_eslint_stylish_one_file() -> None:
    text = load("eslint/stylish.txt")
    assert eslint.PARSER.matches(None, text)
    result = eslint.PARSER.parse(text, "npx eslint app.js", 1)
    assert (result.kind, result.tool, result.status) == ("lint", "eslint", "failure")
    assert [(i.file, i.line, i.column, i.severity, i.code) for i in result.issues] == [
        (APP, 1, 7, "error", "no-unused-vars"), (APP, 3, 13, "warning", "eqeqeq"),
        (APP, 4, 5, "error", "no-undef"), (APP, 4, 5, "warning", "no-console"),
        (APP, 4, 17, "error", "no-undef")]
    assert result.issues[0].message == "'unused' is assigned a value but never used"
    assert result.counts == {"errors": 3, "warnings": 2, "files": 1}
    assert result.summary == "✖ 5 problems (3 errors, 2 warnings)"


def test_eslint_stylish_two_files() -> None:
    result = parse_output(load("eslint/stylish_two_files.txt"), "eslint app.js other.js", 1)
    assert result.tool == "eslint"
    assert [(i.file, i.line, i.column, i.code) for i in result.issues][5:] == [
        (OTHER, 2, 1, "no-unused-vars"), (OTHER, 2, 1, "no-useless-assignment"),
        (OTHER, 3, 1, "no-debugger")]
    assert result.counts == {"errors": 6, "warnings": 2, "files": 2}


def test_eslint_clean_and_compact() -> None:
    clean = parse_output(load("eslint/clean.txt"), "eslint ok.js", 0)
    assert (clean.tool, clean.status) == ("eslint", "success")
    compact = "src/a.js: line 3, col 5, Warning - Unexpected console statement. (no-console)\n"
    result = eslint.PARSER.parse(compact, "eslint -f compact src", 0)
    assert [(i.file, i.line, i.column, i.severity, i.code) for i in result.issues] == [
        ("src/a.js", 3, 5, "warning", "no-console")]
    assert result.status == "warning"
