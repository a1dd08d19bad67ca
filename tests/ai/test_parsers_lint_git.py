"""git parser against output recorded from real git commands in a scratch repository."""

from __future__ import annotations

from pathlib import Path

import pytest

from aisession_tui.ai.parsers import git, parse_output

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "parsers" / "git"
REMOTE = "/tmp/aisession-fixture-work/src/git/remote.git"


def load(name: str) -> str:
    return (FIXTURES / f"{name}.txt").read_text(encoding="utf-8")


def test_status_long_form() -> None:
    text = load("status_long")
    assert git.PARSER.matches(None, text)
    result = git.PARSER.parse(text, "git status", 0)
    assert (result.kind, result.tool, result.status) == ("vcs", "git", "success")
    assert result.details["branch"] == "main"
    assert (result.details["upstream"], result.details["ahead"]) == ("origin/main", 1)
    assert result.details["staged"] == [{"path": "b.py", "status": "modified"}]
    assert result.details["unstaged"] == [{"path": "a.txt", "status": "modified"}]
    assert result.details["untracked"] == [{"path": "untracked.txt", "status": "untracked"}]
    assert result.counts == {"staged": 1, "unstaged": 1, "untracked": 1, "errors": 0}
    assert result.issues == []


def test_status_long_form_survives_tabs_turned_into_spaces() -> None:
    text = load("status_long").replace("\t", "        ")
    assert git.PARSER.parse(text, "git status", 0).counts["untracked"] == 1


@pytest.mark.parametrize("name,command", [("status_porcelain", "git status --porcelain"),
                                          ("status_short_branch", "git status -sb")])
def test_status_short_forms(name: str, command: str) -> None:
    result = parse_output(load(name), command, 0)
    assert result.tool == "git"
    assert result.details["staged"] == [{"path": "b.py", "status": "M"}]
    assert result.details["unstaged"] == [{"path": "a.txt", "status": "M"}]
    assert result.details["untracked"] == [{"path": "untracked.txt", "status": "untracked"}]
    if name == "status_short_branch":
        assert (result.details["branch"], result.details["upstream"], result.details["ahead"]) == \
            ("main", "origin/main", 1)


def test_status_porcelain_v2() -> None:
    text = ("# branch.oid 748547b87cbcbabe55e87f4210558777a7e1b7d7\n# branch.head main\n"
            "# branch.upstream origin/main\n# branch.ab +2 -1\n"
            "1 .M N... 100644 100644 100644 e9b5 e9b5 a.txt\n? new.txt\n")
    result = git.PARSER.parse(text, "git status --porcelain=v2 --branch", 0)
    assert (result.details["ahead"], result.details["behind"]) == (2, 1)
    assert result.details["unstaged"] == [{"path": "a.txt", "status": "M"}]
    assert result.details["untracked"] == [{"path": "new.txt", "status": "untracked"}]


def test_status_diverged_and_unmerged() -> None:
    diverged = parse_output(load("status_diverged"), None, 0)
    assert (diverged.tool, diverged.details["ahead"], diverged.details["behind"]) == ("git", 2, 1)
    assert diverged.summary == "nothing to commit, working tree clean"
    unmerged = parse_output(load("status_unmerged"), "git status", 0)
    assert unmerged.status == "failure"
    assert [(i.file, i.severity, i.code) for i in unmerged.issues] == [("a.txt", "error", "conflict")]
    assert unmerged.counts["conflicts"] == 1


def test_log_oneline_and_full() -> None:
    oneline = parse_output(load("log_oneline"), "git log --oneline", 0)
    assert [c["hash"] for c in oneline.details["commits"]] == ["748547b", "04e8866", "e9b54b0"]
    assert oneline.details["commits"][1]["subject"] == "Change a.txt"
    full_text = load("log_full")
    assert git.PARSER.matches(None, full_text)
    full = git.PARSER.parse(full_text, None, 0)
    assert full.counts["commits"] == 3
    first = full.details["commits"][0]
    assert first == {"hash": "748547b87cbcbabe55e87f4210558777a7e1b7d7",
                     "author": "Ada Lovelace <ada@example.com>",
                     "date": "Tue Jan 2 03:04:05 2024 +0000",
                     "subject": "Rewrite b.py and add untracked.txt"}


def test_diff_stat() -> None:
    text = load("diff_stat")
    assert git.PARSER.matches(None, text)
    result = git.PARSER.parse(text, "git diff --stat HEAD~2 HEAD", 0)
    assert result.details["diffstat"] == [{"path": "a.txt", "changes": "4 +++-"},
                                          {"path": "b.py", "changes": "2 +-"},
                                          {"path": "untracked.txt", "changes": "1 +"}]
    assert (result.counts["files_changed"], result.counts["insertions"], result.counts["deletions"]) == (3, 5, 2)
    assert result.summary == "3 files changed, 5 insertions(+), 2 deletions(-)"


def test_merge_conflicts_are_errors_with_files() -> None:
    one = parse_output(load("merge_conflict"), "git merge feature", 1)
    assert [(i.file, i.severity, i.code) for i in one.issues] == [("a.txt", "error", "conflict")]
    assert one.status == "failure"
    assert one.summary == "Automatic merge failed; fix conflicts and then commit the result."
    text = load("merge_two_conflicts")
    assert git.PARSER.matches(None, text)
    two = git.PARSER.parse(text, None, 1)
    assert [(i.file, i.code) for i in two.issues] == [("a.txt", "conflict"), ("b.py", "conflict")]
    assert two.counts["conflicts"] == 2


def test_rejected_push() -> None:
    text = load("push_rejected")
    assert git.PARSER.matches(None, text)
    result = git.PARSER.parse(text, "git push origin main", 1)
    assert result.status == "failure"
    assert result.details["rejected"] == [{"ref": "main -> main", "reason": "fetch first"}]
    assert [(i.code, i.message) for i in result.issues] == [
        ("rejected", "[rejected] main -> main (fetch first)"),
        ("error", f"failed to push some refs to '{REMOTE}'")]
    assert result.summary == f"error: failed to push some refs to '{REMOTE}'"
    assert result.details["hints"][0].startswith("Updates were rejected")


@pytest.mark.parametrize("name,message", [
    ("pull_bad_ref", "couldn't find remote ref nosuchbranch"),
    ("pull_ff_only", "Not possible to fast-forward, aborting."),
    ("not_a_repo", "not a git repository (or any of the parent directories): .git")])
def test_fatal_errors(name: str, message: str) -> None:
    result = parse_output(load(name), "git pull" if name.startswith("pull") else "git status", 128)
    assert (result.tool, result.status) == ("git", "failure")
    assert [(i.severity, i.code, i.message) for i in result.issues] == [("error", "fatal", message)]


def test_local_changes_would_be_overwritten() -> None:
    text = ("error: Your local changes to the following files would be overwritten by merge:\n"
            "\ta.txt\n\tsrc/b.py\nPlease commit your changes or stash them before you merge.\nAborting\n")
    result = git.PARSER.parse(text, "git pull", 1)
    assert [i.file for i in result.issues] == [None, "a.txt", "src/b.py"]
