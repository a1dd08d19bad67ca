"""cargo/rustc and go parsers against captures of the real tools
(tests/fixtures/parsers/{cargo,go}, recorded by record_tests_tools.sh)."""

from __future__ import annotations

import pytest
from parser_captures import FIXTURES, load

from aisession_tui.ai.parsers import parse_output

RUST_ERRORS = [("error", "E0308", "mismatched types", 2, 25),
               ("error", "E0308", "mismatched types", 3, 5),
               ("error", "E0382", "borrow of moved value: `words`", 8, 5),
               ("warning", None, "unused variable: `moved`", 7, 9),
               ("warning", None, "unused variable: `x`", 12, 9)]
LIB_FAILURES = [("tests::explicit_panic", 34, "config file missing"),
                ("tests::it_adds_wrong", 20, "assertion `left == right` failed\n  left: 4\n right: 5"),
                ("tests::it_parses_port", 6,
                 "called `Result::unwrap()` on an `Err` value: ParseIntError { kind: InvalidDigit }")]


@pytest.mark.parametrize("name", ["test_failures", "test_failures_color"])
def test_cargo_test_failures_over_two_binaries(name: str) -> None:
    text, command, exit_code = load("cargo", name)
    result = parse_output(text, command, exit_code)
    assert (result.kind, result.tool, result.status) == ("test", "cargo", "failure")
    assert result.counts == {"passed": 2, "failed": 4, "ignored": 1, "measured": 0,
                             "filtered_out": 0, "errors": 0, "warnings": 0}
    expected = [(test, "src/lib.rs", line, message) for test, line, message in LIB_FAILURES]
    expected.append(("integration_bad", "tests/integration.rs", 8, "sum too small"))
    assert [(f.test, f.file, f.line, f.message) for f in result.failures] == expected
    assert result.summary.startswith("test result: FAILED. 1 passed; 3 failed; 1 ignored;")
    assert result.details == {"test_binaries": 3}


def test_cargo_colour_capture_is_really_coloured() -> None:
    for name in ("test_failures_color", "build_errors_color"):
        assert "\x1b[" in (FIXTURES / "cargo" / f"{name}.txt").read_text()


def test_cargo_test_with_backtrace_keeps_panic_locations() -> None:
    text, command, exit_code = load("cargo", "test_failures_backtrace")
    result = parse_output(text, command, exit_code)
    assert result.counts["failed"] == 3 and result.counts["passed"] == 1
    assert sorted((f.test, f.file, f.line, f.message) for f in result.failures) == sorted(
        (test, "src/lib.rs", line, message) for test, line, message in LIB_FAILURES)


def test_cargo_test_all_pass_with_doctest_and_warning() -> None:
    text, command, exit_code = load("cargo", "test_all_pass")
    result = parse_output(text, command, exit_code)
    assert (result.kind, result.tool, result.status) == ("test", "cargo", "success")
    assert result.counts == {"passed": 2, "failed": 0, "ignored": 1, "measured": 0,
                             "filtered_out": 0, "errors": 0, "warnings": 1}
    assert [(i.severity, i.file, i.line, i.column) for i in result.issues] == [
        ("warning", "src/lib.rs", 7, 9)]


@pytest.mark.parametrize("name", ["build_errors", "check_errors", "build_errors_color",
                                  "rustc_direct"])
def test_rustc_diagnostics(name: str) -> None:
    text, command, exit_code = load("cargo", name)
    result = parse_output(text, command, exit_code)
    assert (result.kind, result.status) == ("build", "failure")
    assert result.tool == ("rustc" if name == "rustc_direct" else "cargo")
    assert result.counts == {"errors": 3, "warnings": 2}
    assert [(i.severity, i.code, i.message, i.file, i.line, i.column) for i in result.issues] == [
        (severity, code, message, "src/lib.rs", line, column)
        for severity, code, message, line, column in RUST_ERRORS]
    expected_summary = ("error: aborting due to 3 previous errors; 2 warnings emitted"
                        if name == "rustc_direct" else
                        "error: could not compile `cargoproj` (lib) due to 3 previous errors; "
                        "2 warnings emitted")
    assert result.summary == expected_summary


def test_cargo_short_message_format() -> None:
    text, command, exit_code = load("cargo", "check_errors_short")
    result = parse_output(text, command, exit_code)
    assert (result.tool, result.status, result.counts) == (
        "cargo", "failure", {"errors": 3, "warnings": 2})
    assert [(i.code, i.line, i.column) for i in result.issues] == [
        (code, line, column) for _, code, _, line, column in RUST_ERRORS]
    assert result.issues[0].message == "mismatched types: expected `String`, found `i32`"


def test_cargo_test_that_cannot_compile_is_an_error() -> None:
    text, command, exit_code = load("cargo", "test_compile_error")
    result = parse_output(text, command, exit_code)
    assert (result.kind, result.tool, result.status) == ("test", "cargo", "error")
    assert result.counts == {"errors": 3, "warnings": 2}
    assert [(i.file, i.line) for i in result.issues][:3] == [("src/lib.rs", 2), ("src/lib.rs", 3),
                                                             ("src/lib.rs", 8)]


def test_cargo_build_with_warning_succeeds() -> None:
    text, command, exit_code = load("cargo", "build_warning")
    result = parse_output(text, command, exit_code)
    assert (result.kind, result.tool, result.status) == ("build", "cargo", "success")
    assert result.counts == {"errors": 0, "warnings": 1}
    assert result.summary.startswith("Finished `dev` profile")


GO_FAILURES = [("TestAddWrong", "mathx_test.go", 14, "Add(2, 2) = 4, want 5"),
               ("TestTable/negative", "mathx_test.go", 27, "got -2 want -3")]
GO_PANIC = ("TestDivPanics", "/tmp/aisession-fixtures/goproj/mathx/mathx.go", 5,
            "panic: runtime error: integer divide by zero")
GO_BUILD_ERRORS = [("cmd/app/main.go", 5, 2, 'imported and not used: "os"'),
                   ("cmd/app/main.go", 9, 18,
                    'cannot use "three" (untyped string constant) as int value in variable declaration'),
                   ("cmd/app/main.go", 10, 14, "undefined: undefinedName")]


def failures_of(result: object) -> list[tuple[object, ...]]:
    return [(f.test, f.file, f.line, f.message) for f in result.failures]  # type: ignore[attr-defined]


def test_go_test_plain_failures() -> None:
    text, command, exit_code = load("go", "test_failures")
    result = parse_output(text, command, exit_code)
    assert (result.kind, result.tool, result.status) == ("test", "go", "failure")
    assert result.counts == {"failed": 2, "packages_ok": 1, "packages_failed": 1,
                             "packages_no_tests": 1, "errors": 0}
    assert failures_of(result) == GO_FAILURES
    assert result.summary == "FAIL example.com/demo/mathx 0.007s"


def test_go_test_verbose_failures() -> None:
    text, command, exit_code = load("go", "test_verbose_failures")
    result = parse_output(text, command, exit_code)
    assert (result.tool, result.status) == ("go", "failure")
    assert result.counts == {"failed": 2, "passed": 3, "skipped": 1, "packages_ok": 1,
                             "packages_failed": 1, "packages_no_tests": 1, "errors": 0}
    assert failures_of(result) == GO_FAILURES


def test_go_test_panic() -> None:
    text, command, exit_code = load("go", "test_panic")
    result = parse_output(text, command, exit_code)
    assert (result.tool, result.status, result.counts["failed"]) == ("go", "failure", 3)
    assert failures_of(result) == [*GO_FAILURES, GO_PANIC]


@pytest.mark.parametrize("name,summary,counts", [
    ("test_all_pass", "ok example.com/demo/strx (cached)",
     {"failed": 0, "packages_ok": 1, "packages_failed": 0, "packages_no_tests": 1, "errors": 0}),
    ("test_verbose_all_pass", "ok example.com/demo/strx (cached)",
     {"failed": 0, "passed": 1, "skipped": 0, "packages_ok": 1, "packages_failed": 0,
      "packages_no_tests": 0, "errors": 0}),
])
def test_go_test_passing(name: str, summary: str, counts: dict[str, int]) -> None:
    text, command, exit_code = load("go", name)
    result = parse_output(text, command, exit_code)
    assert (result.tool, result.status, result.summary, result.counts) == (
        "go", "success", summary, counts)


def test_go_build_errors() -> None:
    text, command, exit_code = load("go", "build_errors")
    result = parse_output(text, command, exit_code)
    assert (result.kind, result.tool, result.status) == ("build", "go", "failure")
    assert result.counts == {"errors": 3}
    assert [(i.file, i.line, i.column, i.message) for i in result.issues] == GO_BUILD_ERRORS
    assert result.summary == "# example.com/demo/cmd/app"


def test_go_test_with_a_package_that_does_not_build() -> None:
    text, command, exit_code = load("go", "test_build_failed")
    result = parse_output(text, command, exit_code)
    assert (result.kind, result.tool, result.status) == ("test", "go", "failure")
    assert [(i.file, i.line, i.column, i.message) for i in result.issues] == GO_BUILD_ERRORS
    assert failures_of(result) == [*GO_FAILURES, GO_PANIC]


def test_go_vet() -> None:
    text, command, exit_code = load("go", "vet_issues")
    result = parse_output(text, command, exit_code)
    assert (result.kind, result.tool, result.status) == ("lint", "go", "failure")
    assert [(i.file, i.line, i.column, i.message) for i in result.issues] == [
        ("cmd/app/main.go", 7, 2, "fmt.Printf format %d has arg name of wrong type string"),
        ("cmd/app/main.go", 10, 2, "unreachable code")]


@pytest.mark.parametrize("name,kind", [("vet_clean", "lint"), ("build_ok", "build")])
def test_go_silent_success(name: str, kind: str) -> None:
    text, command, exit_code = load("go", name)
    assert text == ""
    result = parse_output(text, command, exit_code)
    assert (result.kind, result.tool, result.status, result.issues) == (kind, "go", "success", [])
