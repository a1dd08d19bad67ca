"""Cross-family checks for the lint/build/vcs/package/traceback parsers: each family's
matches() stays off the other families' recorded fixtures, garbage never raises, the
generic fallback reads error lines, and command words survive launchers."""

from __future__ import annotations

import random
from pathlib import Path

import pytest

from aisession_tui.ai.parsers import (
    docker_build,
    eslint,
    flake8,
    gcc,
    generic,
    git,
    make,
    mypy,
    parse_output,
    parsers,
    pip,
    ruff,
    tracebacks,
    tsc,
)
from aisession_tui.ai.parsers._diagnostics import command_words

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "parsers"
FAMILIES = {"ruff": ruff, "flake8": flake8, "mypy": mypy, "tsc": tsc, "eslint": eslint, "gcc": gcc,
            "make": make, "git": git, "pip": pip, "docker_build": docker_build, "tracebacks": tracebacks}
# make's output legitimately contains the compiler's lines (make wins by priority).
ALLOWED_OVERLAP = {("make", "gcc")}


def fixture_files() -> list[tuple[str, Path]]:
    return [(family, path) for family in FAMILIES for path in sorted((FIXTURES / family).glob("*.txt"))
            if path.name != "README.txt"]


@pytest.mark.parametrize("family,path", fixture_files(), ids=lambda v: getattr(v, "name", v))
def test_other_families_do_not_claim_the_fixture(family: str, path: Path) -> None:
    text = path.read_text(encoding="utf-8")
    claimed = [name for name, module in FAMILIES.items()
               if name != family and (family, name) not in ALLOWED_OVERLAP
               and module.PARSER.matches(None, text)]
    assert claimed == []


def test_priorities_follow_the_contract() -> None:
    for name, module in FAMILIES.items():
        expected = 60 if name == "tracebacks" else None
        if expected:
            assert module.PARSER.priority == expected
        else:
            assert 10 <= module.PARSER.priority <= 50
    assert generic.PARSER.priority == 1000
    assert parsers()[-1] is generic.PARSER


GARBAGE = ["", "\n\n", "\x00\x01\x02", "::::", "a:1:2: error:", "Traceback (most recent call last):\n",
           "  File \"x\", line", "#1 ERROR:", "CONFLICT (", "✖ 9 problems (x errors", "make: *** [",
           "goroutine 1 [running]:\n\t/x.go:1 +0x1", "commit zz\nAuthor:", "\t" * 50, "é" * 1000]


@pytest.mark.parametrize("text", GARBAGE)
def test_garbage_never_raises(text: str) -> None:
    for module in [*FAMILIES.values(), generic]:
        for command in (None, module.PARSER.name, "git status", "make"):
            if module.PARSER.matches(command, text):
                module.PARSER.parse(text, command, None)
    parse_output(text, None, None)


def test_random_noise_never_raises() -> None:
    rng = random.Random(1234)
    alphabet = "abc:/. \t\n0123456789()[]#*!-=>'\"errorwarningTSE"
    for _ in range(200):
        text = "".join(rng.choice(alphabet) for _ in range(rng.randint(0, 300)))
        for module in [*FAMILIES.values(), generic]:
            module.PARSER.parse(text, None, rng.choice([None, 0, 1]))


def test_generic_fallback_reads_error_and_warning_lines() -> None:
    text = ("12:30:45 INFO starting\nsrc/app/main.rs:12:5: error: something broke\n"
            "WARNING: disk almost full\nBuild finished with 0 errors\n"
            "error in lib\\foo.c(33,2): bad thing\nconfig.yaml:7 warning: deprecated key\n")
    assert generic.PARSER.matches(None, text)
    result = generic.PARSER.parse(text, "./build.sh", 1)
    assert (result.kind, result.tool, result.status) == ("log", "generic", "failure")
    assert [(i.file, i.line, i.column, i.severity) for i in result.issues] == [
        ("src/app/main.rs", 12, 5, "error"), (None, None, None, "warning"),
        ("lib\\foo.c", 33, 2, "error"), ("config.yaml", 7, None, "warning")]
    assert result.counts == {"errors": 2, "warnings": 2, "files": 3}


def test_generic_ignores_clean_text() -> None:
    assert not generic.PARSER.matches(None, "all good\n3 passed\n")
    assert generic.PARSER.parse("0 errors, 0 warnings\n", None, 0) is None


def test_generic_caps_issues_but_counts_all() -> None:
    text = "".join(f"f.c:{n}: error: e\n" for n in range(generic.MAX_ISSUES + 10))
    result = generic.PARSER.parse(text, None, 1)
    assert len(result.issues) == generic.MAX_ISSUES and result.counts["errors"] == generic.MAX_ISSUES + 10
    assert result.details["truncated"] is True


@pytest.mark.parametrize("command,words", [
    ("FOO=1 npx tsc --noEmit", ["tsc", "--noEmit"]),
    ("python3 -m mypy src", ["mypy", "src"]),
    ("/work/venv/bin/ruff check .", ["ruff", "check", "."]),
    ("uv run flake8 && echo done", ["flake8"]),
    ("time make -j4", ["make", "-j4"]),
    ("sudo -E docker build .", ["docker", "build", "."]),
    ("", []), (None, []), ("'unterminated", ["'unterminated"]),
])
def test_command_words(command: str | None, words: list[str]) -> None:
    assert command_words(command) == words


def test_command_word_selects_family_for_empty_output() -> None:
    assert parse_output("", "ruff check .", 0).kind == "plain"  # ruff always prints a summary
    assert parse_output("", "flake8", 0).tool == "flake8"
    assert parse_output("", "npx eslint src", 0).tool == "eslint"
