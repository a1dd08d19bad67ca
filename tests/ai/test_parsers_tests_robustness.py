"""Test-runner / build-tool parsers stay in their lane: each one's matches() is False on the
other families' fixtures (the lint/vcs/compiler ones included), and parse never raises on
empty or garbage text."""

from __future__ import annotations

import importlib
import random
from pathlib import Path

import pytest

from aisession_tui.ai.parsers._runner_common import command_segments, invokes

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "parsers"

# parser module -> fixture folders it is allowed to recognise
OWN_FOLDERS = {
    "pytest_output": {"pytest"},
    "unittest_output": {"unittest"},
    "cargo": {"cargo"},
    "go": {"go"},
    "jest": {"jest", "node_scripts"},
    "vitest": {"vitest", "node_scripts"},
    "mocha": {"mocha", "node_scripts"},
    "node_scripts": {"node_scripts"},
}


def parser(module: str) -> object:
    return importlib.import_module(f"aisession_tui.ai.parsers.{module}").PARSER


def all_fixtures() -> list[tuple[str, str, str | None]]:
    """(folder, text, command) for every capture, command from captures.tsv when recorded."""
    found = []
    for path in sorted(FIXTURES.glob("*/*.txt")):
        commands: dict[str, str] = {}
        index = path.parent / "captures.tsv"
        if index.exists():
            for row in index.read_text().splitlines():
                name, _, command = row.split("\t", 2)
                commands[name] = command
        found.append((path.parent.name, path.read_text(errors="replace"), commands.get(path.stem)))
    return found


@pytest.mark.parametrize("module", sorted(OWN_FOLDERS))
def test_matches_is_false_for_other_families(module: str) -> None:
    own = OWN_FOLDERS[module]
    the_parser = parser(module)
    foreign = [(folder, text, command) for folder, text, command in all_fixtures()
               if folder not in own]
    assert len(foreign) > 20
    claimed = [(folder, command) for folder, text, command in foreign
               if the_parser.matches(command, text) or the_parser.matches(None, text)]
    assert claimed == []


@pytest.mark.parametrize("module", sorted(OWN_FOLDERS))
def test_own_fixtures_are_recognised_from_text_or_command(module: str) -> None:
    the_parser = parser(module)
    own = [(text, command) for folder, text, command in all_fixtures()
           if folder == module.removesuffix("_output")]
    for text, command in own:
        assert the_parser.matches(command, text)


GARBAGE = ["", "\n\n", "   ", "\x00\x01\x02", "=" * 200, "FAILED", "--- FAIL:", "test result:",
           "npm error", " FAIL  ", "  ● ", "  1) ", "Ran 3 tests in", "error[E0308]: x\n --> ",
           "thread 'x' panicked at", "panic: boom\n\ngoroutine 1 [running]:\n\t",
           "> a@1 b\n> ", "=" * 70 + "\nFAIL: ", "_____ t _____\nE", "Tests:       ", "  3 failing"]


@pytest.mark.parametrize("module", sorted(OWN_FOLDERS))
def test_parse_never_raises_on_garbage(module: str) -> None:
    the_parser = parser(module)
    rng = random.Random(1234)
    pieces = GARBAGE + [text[:4000] for _, text, _ in all_fixtures()][:40]
    samples = list(GARBAGE)
    for _ in range(150):
        chosen = rng.sample(pieces, 3)
        cut = "\n".join(chosen)
        start = rng.randrange(len(cut) + 1)
        samples.append(cut[start:start + rng.randrange(1, 3000)])
    for text in samples:
        for command in (None, "", "pytest", "cargo test", "go test ./...", "npm test", "'unbalanced"):
            for exit_code in (None, 0, 1):
                result = the_parser.parse(text, command, exit_code)
                assert result is None or result.status in (
                    "success", "failure", "error", "warning", "unknown")


@pytest.mark.parametrize("module", sorted(OWN_FOLDERS))
def test_empty_text_without_command_is_not_claimed(module: str) -> None:
    assert parser(module).parse("", None, None) is None


@pytest.mark.parametrize("command,expected", [
    ("pytest -q", [["pytest", "-q"]]),
    ("/work/venv/bin/python3.11 -X dev -m pytest tests", [["pytest", "tests"]]),
    ("cd app && FOO=1 time uv run pytest", [["cd", "app"], ["pytest"]]),
    ("PATH=/x/node_modules/.bin:$PATH pnpm test", [["pnpm", "test"]]),
    ("npx --yes jest --ci", [["jest", "--ci"]]),
    ("python manage.py test", [["python", "manage.py", "test"]]),
    ("echo 'unbalanced", [["echo", "'unbalanced"]]),
    ("", []),
    (None, []),
])
def test_command_segments(command: str | None, expected: list[list[str]]) -> None:
    assert command_segments(command) == expected


def test_invokes_needs_the_whole_prefix() -> None:
    assert invokes("cargo test --offline", ("cargo", "test"))
    assert not invokes("cargo build", ("cargo", "test"))
    assert invokes("make && go test ./...", ("go", "test"))
    assert not invokes("echo pytest", ("pytest",))
