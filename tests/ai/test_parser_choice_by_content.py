"""Parser choice falls back to the output's content when the command line does not name
the tool: compound commands, ``make test`` running pytest, scripts (issue: a merge conflict
run as ``cd repo && git merge topic`` was parsed as generic and lost the conflicting file)."""

from __future__ import annotations

from pathlib import Path

import pytest

from aisession_tui.ai.parsers import parse_output

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures" / "parsers"


@pytest.mark.parametrize("command", ["git merge topic", "cd repo && git merge topic",
                                     "./sync.sh", "make merge", None])
def test_merge_conflict_found_whatever_the_command(command):
    text = (FIXTURES / "git" / "merge_conflict.txt").read_text()
    parsed = parse_output(text, command, 1)
    assert parsed.tool == "git"
    assert any("CONFLICT" in issue.message for issue in parsed.issues)


@pytest.mark.parametrize("command", ["pytest -q", "make test", "./run_tests.sh",
                                     "cd app && tox -e py311"])
def test_pytest_failures_found_whatever_the_command(command):
    text = (FIXTURES / "pytest" / "default_failures.txt").read_text()
    parsed = parse_output(text, command, 1)
    assert parsed.tool == "pytest"
    assert parsed.failures


def test_a_named_tool_that_understands_keeps_its_reading():
    text = (FIXTURES / "git" / "merge_conflict.txt").read_text()
    assert parse_output(text, "git merge topic", 1).tool == "git"
    assert parse_output("plain words\n", "echo plain words", 0).kind in ("plain", "log")
