"""Crash-report parser against real crashes of tiny Python, Node, Java and Go programs.
Frames are ordered outermost first, innermost last."""

from __future__ import annotations

from pathlib import Path

from aisession_tui.ai.parsers import parse_output, tracebacks

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "parsers"
CRASH = "/tmp/aisession-fixture-work/src/crash"


def load(name: str) -> str:
    return (FIXTURES / "tracebacks" / f"{name}.txt").read_text(encoding="utf-8")


def frames(exception: dict) -> list[tuple]:
    return [(f["file"], f["line"]) for f in exception["frames"]]


def test_python_simple() -> None:
    text = load("python_simple")
    assert tracebacks.PARSER.matches(None, text)
    result = parse_output(text, "python3 simple.py", 1)
    assert (result.kind, result.tool, result.status) == ("traceback", "python", "failure")
    (exc,) = result.details["exceptions"]
    assert (exc["type"], exc["message"]) == ("ValueError", "invalid literal for int() with base 10: 'abc'")
    assert frames(exc) == [(f"{CRASH}/simple.py", 5), (f"{CRASH}/simple.py", 2)]
    assert [(i.file, i.line, i.code) for i in result.issues] == [(f"{CRASH}/simple.py", 2, "ValueError")]
    assert result.summary == "ValueError: invalid literal for int() with base 10: 'abc'"


def test_python_chained_cause() -> None:
    result = tracebacks.PARSER.parse(load("python_chained"), None, 1)
    first, second = result.details["exceptions"]
    assert first["type"] == "json.decoder.JSONDecodeError" and "relation" not in first
    assert frames(first)[:2] == [(f"{CRASH}/crash.py", 10), (f"{CRASH}/crash.py", 5)]
    assert frames(first)[-1][1] == 353 and frames(first)[-1][0].endswith("json/decoder.py")
    assert (second["type"], second["relation"]) == ("RuntimeError", "cause")
    assert frames(second) == [(f"{CRASH}/crash.py", 15), (f"{CRASH}/crash.py", 12)]
    assert result.summary == "RuntimeError: config is unreadable"
    assert result.counts == {"exceptions": 2, "frames": 7, "errors": 2}


def test_python_during_handling() -> None:
    result = tracebacks.PARSER.parse(load("python_during"), None, 1)
    first, second = result.details["exceptions"]
    assert (first["type"], frames(first)) == (
        "ZeroDivisionError", [(f"{CRASH}/during.py", 6), (f"{CRASH}/during.py", 2)])
    assert (second["type"], second["message"], second["relation"]) == ("KeyError", "'missing'", "context")
    assert frames(second) == [(f"{CRASH}/during.py", 8)]


def test_python_syntax_error_without_traceback_header() -> None:
    text = '  File "/tmp/x.py", line 3\n    def f(\n         ^\nSyntaxError: \'(\' was never closed\n'
    result = tracebacks.PARSER.parse(text, "python x.py", 1)
    assert [(i.file, i.line, i.code) for i in result.issues] == [("/tmp/x.py", 3, "SyntaxError")]


def test_node_stack() -> None:
    text = load("node_typeerror")
    assert tracebacks.PARSER.matches(None, text)
    result = tracebacks.PARSER.parse(text, "node crash.js", 1)
    assert result.tool == "node"
    (exc,) = result.details["exceptions"]
    assert (exc["type"], exc["message"]) == ("TypeError", "Cannot read properties of undefined (reading 'length')")
    assert [(f["file"], f["line"], f["column"], f["function"]) for f in exc["frames"]][-3:] == [
        (f"{CRASH}/crash.js", 7, 1, "Object.<anonymous>"), (f"{CRASH}/crash.js", 5, 10, "outer"),
        (f"{CRASH}/crash.js", 2, 21, "inner")]
    assert len(exc["frames"]) == 9
    assert (result.issues[0].file, result.issues[0].line, result.issues[0].column) == (f"{CRASH}/crash.js", 2, 21)


def test_java_caused_by() -> None:
    text = load("java_caused_by")
    assert tracebacks.PARSER.matches(None, text)
    result = tracebacks.PARSER.parse(text, "java -cp classes demo.Crash", 1)
    outer, cause = result.details["exceptions"]
    assert (outer["type"], outer["message"]) == ("java.lang.IllegalStateException", "bad config")
    assert frames(outer) == [("Crash.java", 17), ("Crash.java", 12)]
    assert (cause["type"], cause["relation"]) == ("java.lang.NumberFormatException", "cause")
    assert frames(cause) == [("Crash.java", 10), ("Crash.java", 5), ("Integer.java", 786),
                             ("Integer.java", 668), ("NumberFormatException.java", 67)]
    assert result.summary == 'Exception in thread "main" java.lang.IllegalStateException: bad config'


def test_go_panic() -> None:
    text = load("go_panic")
    assert tracebacks.PARSER.matches(None, text)
    result = tracebacks.PARSER.parse(text, "go run main.go", 1)
    (exc,) = result.details["exceptions"]
    assert (exc["type"], exc["message"]) == ("runtime error", "index out of range [5] with length 3")
    assert [(f["file"], f["line"], f["function"]) for f in exc["frames"]] == [
        (f"{CRASH}/gopanic/main.go", 10, "main.main"), (f"{CRASH}/gopanic/main.go", 6, "main.pick")]
    assert result.summary == "panic: runtime error: index out of range [5] with length 3"
