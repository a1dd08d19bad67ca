"""gcc/clang and make parsers against output recorded from the real tools."""

from __future__ import annotations

from pathlib import Path

from aisession_tui.ai.parsers import gcc, make, parse_output

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "parsers"


def load(name: str) -> str:
    return (FIXTURES / name).read_text(encoding="utf-8")


GCC_ISSUES = [
    ("util.h", 1, 40, "error", None), ("main.c", 6, 15, "warning", "-Wint-conversion"),
    ("main.c", 7, 14, "warning", "-Wformat="), ("main.c", 8, 12, "error", None),
    ("main.c", 8, 12, "note", None), ("main.c", 6, 11, "warning", "-Wunused-variable"),
    ("main.c", 5, 9, "warning", "-Wunused-variable"), ("util.h", 1, 12, "warning", "-Wunused-function")]


def test_gcc_compile_errors_with_include_chain_and_notes() -> None:
    text = load("gcc/compile_errors.txt")
    assert gcc.PARSER.matches(None, text)
    result = gcc.PARSER.parse(text, "gcc -Wall -c main.c", 1)
    assert (result.kind, result.tool, result.status) == ("build", "gcc", "failure")
    assert [(i.file, i.line, i.column, i.severity, i.code) for i in result.issues] == GCC_ISSUES
    assert result.issues[3].message == "‘undeclared’ undeclared (first use in this function)"
    assert result.counts == {"errors": 2, "warnings": 5, "notes": 1, "files": 2}
    assert result.details["include_chains"] == [
        {"issue": 0, "included_from": [{"file": "main.c", "line": 2}]}]


def test_clang_compile_errors() -> None:
    result = parse_output(load("gcc/clang_errors.txt"), "clang -Wall -c main.c", 1)
    assert (result.tool, result.status) == ("clang", "failure")
    assert [(i.file, i.line, i.column, i.severity) for i in result.issues] == [
        ("./util.h", 1, 40, "error"), ("main.c", 6, 11, "warning"),
        ("main.c", 7, 20, "warning"), ("main.c", 8, 12, "error")]
    assert result.summary == "2 warnings and 2 errors generated."


def test_linker_errors_gcc_and_clang() -> None:
    for fixture, tool, summary in (
            ("gcc/link_error.txt", "gcc", "collect2: error: ld returned 1 exit status"),
            ("gcc/clang_link_error.txt", "clang",
             "clang: error: linker command failed with exit code 1 (use -v to see invocation)")):
        text = load(fixture)
        assert gcc.PARSER.matches(None, text)
        result = gcc.PARSER.parse(text, None, 1)
        assert result.tool == tool and result.summary == summary
        assert [(i.file, i.line, i.severity, i.code, i.message) for i in result.issues] == [
            ("link.c", None, "error", "ld", "undefined reference to `missing_function'")]


def test_gcc_driver_and_fatal_errors() -> None:
    text = "gcc: fatal error: no input files\ncompilation terminated.\n"
    result = gcc.PARSER.parse(text, "gcc", 1)
    assert [(i.file, i.severity, i.message) for i in result.issues] == [(None, "error", "no input files")]
    text = "x.c:1:10: fatal error: nope.h: No such file or directory\n"
    assert [(i.file, i.line, i.column, i.severity) for i in gcc.PARSER.parse(text, None, 1).issues] == [
        ("x.c", 1, 10, "error")]


def test_make_delegates_compiler_lines_and_reports_recipe_failure() -> None:
    text = load("make/compile_failure.txt")
    assert make.PARSER.matches(None, text)
    result = parse_output(text, "make all", 2)
    assert (result.kind, result.tool, result.status) == ("build", "make", "failure")
    expected = [(f, line, col, sev) for f, line, col, sev, _ in GCC_ISSUES] + [("Makefile", 6, None, "error")]
    assert [(i.file, i.line, i.column, i.severity) for i in result.issues] == expected
    assert result.issues[-1].message == "[Makefile:6: main.o] Error 1"
    assert result.counts == {"errors": 3, "warnings": 5, "notes": 1, "files": 3}
    assert result.summary == "make: *** [Makefile:6: main.o] Error 1"
    assert result.details["compiler"] == "gcc"


def test_make_stop_messages_and_success() -> None:
    no_rule = parse_output(load("make/no_rule.txt"), "make nosuchtarget", 2)
    assert [(i.file, i.message) for i in no_rule.issues] == [(None, "No rule to make target 'nosuchtarget'")]
    no_makefile = parse_output(load("make/no_makefile.txt"), None, 2)
    assert no_makefile.tool == "make" and no_makefile.status == "failure"
    assert no_makefile.issues[0].message == "No targets specified and no makefile found"
    success = parse_output(load("make/success.txt"), "make ok", 0)
    assert (success.tool, success.status, success.issues) == ("make", "success", [])


def test_make_makefile_errors_and_sub_make() -> None:
    text = ("make[1]: Entering directory '/src/lib'\n"
            "Makefile:3: *** missing separator.  Stop.\n"
            "make[1]: Leaving directory '/src/lib'\n"
            "make: *** [all] Error 2\n")
    result = make.PARSER.parse(text, None, 2)
    assert [(i.file, i.line, i.message) for i in result.issues] == [
        ("Makefile", 3, "missing separator"), (None, None, "[all] Error 2")]
    assert result.details["directories"] == ["/src/lib"]
