"""Parser for git's human output: status (long, short, porcelain v1/v2), log (full and
``--oneline``), ``diff --stat``, merge/pull/push results and ``fatal:``/``error:`` lines.

What it reads goes to ``details``: ``branch``, ``upstream``, ``ahead``/``behind``,
``staged``/``unstaged``/``untracked``/``unmerged`` (lists of ``{"path", "status"}``),
``commits`` (``{"hash", "subject"[, "author", "date"]}``), ``diffstat`` (``{"path",
"changes"}``), ``rejected`` refs and ``hints``. Problems are issues of severity ``error``:
each ``CONFLICT (...)`` line (file = the conflicted path when the line names it), each
``! [rejected]`` ref, each ``fatal:``/``error:`` line, and each path listed under
"would be overwritten by merge". Counts only exist for the shapes that were present.
Whitespace is matched loosely (a terminal may have turned tabs into spaces).
"""

from __future__ import annotations

import re
from typing import Any

from ._diagnostics import command_words
from .model import Issue, ParsedOutput

_ON_BRANCH = re.compile(r"^On branch (?P<branch>\S+)$")
_DETACHED = re.compile(r"^HEAD detached (?:at|from) (?P<ref>\S+)$")
_AHEAD_BEHIND = re.compile(
    r"^Your branch is (?P<dir>ahead of|behind) '(?P<up>[^']+)' by (?P<n>\d+) commits?")
_UP_TO_DATE = re.compile(r"^Your branch is up to date with '(?P<up>[^']+)'\.$")
_DIVERGED = re.compile(r"^Your branch and '(?P<up>[^']+)' have diverged,$")
_DIVERGED_COUNTS = re.compile(r"^and have (?P<a>\d+) and (?P<b>\d+) different commits each")
_SECTIONS = {
    "Changes to be committed:": "staged",
    "Changes not staged for commit:": "unstaged",
    "Untracked files:": "untracked",
    "Unmerged paths:": "unmerged",
    "Ignored files:": "ignored",
}
_ENTRY = re.compile(
    r"^\s+(?P<status>new file|modified|deleted|renamed|copied|typechange|both modified|both added"
    r"|both deleted|added by us|added by them|deleted by us|deleted by them):\s+(?P<path>.+?)"
    r"(?: \((?:new commits|modified content|untracked content)[^)]*\))?$")
_SHORT_BRANCH = re.compile(
    r"^## (?:No commits yet on (?P<initial>\S+)|(?P<branch>[^.\s]+(?:\.(?!\.)[^.\s]+)*)"
    r"(?:\.\.\.(?P<up>\S+))?)(?: \[(?P<ab>[^\]]+)\])?$")
_SHORT_ENTRY = re.compile(r"^(?P<x>[ MTADRCU?!])(?P<y>[ MTADRCU?!]) (?P<path>.+)$")
_V2_HEADER = re.compile(r"^# branch\.(?P<key>oid|head|upstream|ab) (?P<value>.+)$")
_V2_ENTRY = re.compile(r"^(?P<kind>[12u]) (?P<xy>\S\S) (?P<rest>.+)$")
_V2_FIELDS_BEFORE_PATH = {"1": 6, "2": 7, "u": 8}  # after "kind XY"
_V2_UNTRACKED = re.compile(r"^\? (?P<path>.+)$")
_COMMIT = re.compile(r"^commit (?P<hash>[0-9a-f]{40})(?: \((?P<refs>[^)]*)\))?$")
_AUTHOR = re.compile(r"^Author:\s+(?P<author>.+)$")
_DATE = re.compile(r"^Date:\s+(?P<date>.+)$")
_ONELINE = re.compile(r"^(?:[*|\\/ ]+ )?(?P<hash>[0-9a-f]{7,40}) (?:\((?P<refs>[^)]*)\) )?(?P<subject>.*)$")
_STAT_ROW = re.compile(r"^ (?P<path>\S.*?)\s+\|\s+(?P<changes>\d+(?: [+-]+)?|Bin .*)$")
_STAT_TOTAL = re.compile(
    r"^ (?P<files>\d+) files? changed(?:, (?P<ins>\d+) insertions?\(\+\))?(?:, (?P<dels>\d+) deletions?\(-\))?$")
_CONFLICT = re.compile(r"^CONFLICT \((?P<kind>[^)]+)\): (?P<msg>.*)$")
_CONFLICT_FILE = re.compile(
    r"Merge conflict in (?P<a>.+)$|^(?P<b>\S+) deleted in \S+ and modified in|"
    r"^(?:Rename|rename) (?P<c>\S+)->|^(?P<d>\S+) (?:added|renamed) ")
_REJECTED = re.compile(r"^ ! \[(?P<why>rejected|remote rejected)\]\s+(?P<ref>\S+ -> \S+)(?: \((?P<reason>[^)]*)\))?$")
_PUSHED = re.compile(r"^ (?:[ +*-]|[0-9a-f]+\.\.\.?[0-9a-f]+) ?(?:\[new (?:branch|tag)\]|[0-9a-f]+\.\.\.?[0-9a-f]+)?\s+\S+ -> \S+")
_FATAL = re.compile(r"^(?P<kind>fatal|error): (?P<msg>.*)$")
_OVERWRITTEN = re.compile(r"would be (?:overwritten|removed) by (?:merge|checkout)|untracked working tree files would be")
_HINT = re.compile(r"^hint: ?(?P<text>.*)$")
_SUMMARY_LINES = re.compile(
    r"^(?:Automatic merge failed;.*|Already up to date\.|Fast-forward|Merge made by .*|"
    r"nothing to commit.*|no changes added to commit.*|Everything up-to-date|"
    r"Switched to (?:a new )?branch .*|Successfully rebased .*|Updating [0-9a-f]+\.\.[0-9a-f]+)$")
_TELLTALES = re.compile(
    r"^(?:On branch \S+$|HEAD detached (?:at|from) |CONFLICT \(|Automatic merge failed;|"
    r" ! \[(?:remote )?rejected\]|commit [0-9a-f]{40}$|## \S|# branch\.head |"
    r" \d+ files? changed, |fatal: not a git repository|hint: |To \S+\n ! | \* branch\s+\S+\s+-> FETCH_HEAD)", re.MULTILINE)


class GitParser:
    """Reads the output of everyday git commands."""

    name = "git"
    priority = 20

    def matches(self, command: str | None, text: str) -> bool:
        words = command_words(command)
        if words:
            return words[0] == "git"
        return bool(_TELLTALES.search(text))

    def parse(self, text: str, command: str | None, exit_code: int | None) -> ParsedOutput | None:
        words = command_words(command)
        subcommand = next((w for w in words[1:] if not w.startswith("-")), None) if words else None
        state = _State()
        lines = [raw.rstrip("\n").rstrip() for raw in text.splitlines()]
        short_ok = subcommand == "status" or _all_short_status(lines)
        oneline_ok = subcommand in ("log", "reflog", "cherry", "rev-list", "shortlog") or (
            subcommand is None and _all_oneline(lines))
        for line in lines:
            state.feed(line, short_ok=short_ok, oneline_ok=oneline_ok)
        return state.result(exit_code, subcommand)


class _State:
    """Accumulates facts line by line."""

    def __init__(self) -> None:
        self.details: dict[str, Any] = {}
        self.counts: dict[str, int] = {}
        self.issues: list[Issue] = []
        self.summary: list[str] = []
        self.section: str | None = None
        self.commit: dict[str, Any] | None = None
        self.overwritten_message: str | None = None
        self.understood = False

    def _files(self, key: str) -> list[dict[str, str]]:
        files: list[dict[str, str]] = self.details.setdefault(key, [])
        return files

    def feed(self, line: str, *, short_ok: bool, oneline_ok: bool) -> None:
        stripped = line.strip()
        if self.overwritten_message is not None:
            if line[:1].isspace() and stripped:
                self.issues.append(Issue(message=self.overwritten_message, file=stripped,
                                         severity="error", code="overwritten"))
                return
            self.overwritten_message = None
        if self.commit is not None and self._feed_commit(line):
            return
        if not stripped:
            return
        if self._feed_status_long(line, stripped) or self._feed_log_and_stat(line, oneline_ok) or self._feed_problems(line) or short_ok and self._feed_status_short(line):
            self.understood = True
        elif _SUMMARY_LINES.match(stripped):
            self.summary.append(stripped)
            self.understood = True
        elif _PUSHED.match(line):
            self.details.setdefault("updated_refs", []).append(stripped)
            self.understood = True

    def _feed_status_long(self, line: str, stripped: str) -> bool:
        if match := _ON_BRANCH.match(line):
            self.details["branch"] = match["branch"]
            self.summary.append(stripped)
        elif match := _DETACHED.match(line):
            self.details["detached_at"] = match["ref"]
            self.summary.append(stripped)
        elif match := _AHEAD_BEHIND.match(line):
            self.details["upstream"] = match["up"]
            key = "ahead" if match["dir"] == "ahead of" else "behind"
            self.details[key] = int(match["n"])
            self.summary.append(stripped)
        elif match := _UP_TO_DATE.match(line):
            self.details.update(upstream=match["up"], ahead=0, behind=0)
        elif match := _DIVERGED.match(line):
            self.details["upstream"] = match["up"]
            self.summary.append(stripped)
        elif match := _DIVERGED_COUNTS.match(line):
            self.details.update(ahead=int(match["a"]), behind=int(match["b"]))
        elif stripped in _SECTIONS:
            self.section = _SECTIONS[stripped]
            self._files(self.section)
        elif self.section and line[:1].isspace() and stripped.startswith("("):
            pass  # git's advice inside a section
        elif self.section and (match := _ENTRY.match(line)):
            self._files(self.section).append({"path": match["path"], "status": match["status"]})
            if self.section == "unmerged":
                self.issues.append(Issue(message=f"{match['status']}: {match['path']}",
                                         file=match["path"], severity="error", code="conflict"))
        elif self.section in ("untracked", "ignored") and line[:1].isspace():
            self._files(self.section).append({"path": stripped, "status": self.section})
        else:
            if not line[:1].isspace():
                self.section = None
            return False
        return True

    def _feed_status_short(self, line: str) -> bool:
        if match := _SHORT_BRANCH.match(line):
            if match["initial"]:
                self.details["branch"] = match["initial"]
            else:
                self.details["branch"] = match["branch"]
                if match["up"]:
                    self.details["upstream"] = match["up"]
            for part in (match["ab"] or "").split(","):
                key, _, number = part.strip().partition(" ")
                if key in ("ahead", "behind") and number.isdigit():
                    self.details[key] = int(number)
            return True
        if match := _V2_HEADER.match(line):
            key, value = match["key"], match["value"]
            if key == "head":
                self.details["branch"] = value
            elif key == "upstream":
                self.details["upstream"] = value
            elif key == "ab":
                ahead, _, behind = value.partition(" ")
                self.details["ahead"], self.details["behind"] = abs(int(ahead)), abs(int(behind))
            return True
        if match := _V2_ENTRY.match(line):
            fields = match["rest"].split(" ", _V2_FIELDS_BEFORE_PATH[match["kind"]])
            if len(fields) <= _V2_FIELDS_BEFORE_PATH[match["kind"]]:
                return False
            self._short_entry(match["xy"][0].replace(".", " "), match["xy"][1].replace(".", " "),
                              fields[-1].split("\t")[0], unmerged=match["kind"] == "u")
            return True
        if match := _V2_UNTRACKED.match(line):
            self._files("untracked").append({"path": match["path"], "status": "untracked"})
            return True
        if match := _SHORT_ENTRY.match(line):
            x, y = match["x"], match["y"]
            unmerged = "U" in (x + y) or (x + y) in ("AA", "DD")
            self._short_entry(x, y, match["path"], unmerged=unmerged)
            return True
        return False

    def _short_entry(self, x: str, y: str, path: str, *, unmerged: bool) -> None:
        if x + y == "??":
            self._files("untracked").append({"path": path, "status": "untracked"})
        elif x + y == "!!":
            self._files("ignored").append({"path": path, "status": "ignored"})
        elif unmerged:
            self._files("unmerged").append({"path": path, "status": x + y})
            self.issues.append(Issue(message=f"unmerged ({x + y}): {path}", file=path,
                                     severity="error", code="conflict"))
        else:
            if x != " ":
                self._files("staged").append({"path": path, "status": x})
            if y != " ":
                self._files("unstaged").append({"path": path, "status": y})

    def _feed_log_and_stat(self, line: str, oneline_ok: bool) -> bool:
        if match := _COMMIT.match(line):
            self.commit = {"hash": match["hash"]}
            if match["refs"]:
                self.commit["refs"] = match["refs"]
            self.details.setdefault("commits", []).append(self.commit)
            return True
        if match := _STAT_TOTAL.match(line):
            self.counts["files_changed"] = int(match["files"])
            self.counts["insertions"] = int(match["ins"] or 0)
            self.counts["deletions"] = int(match["dels"] or 0)
            self.summary.append(line.strip())
            return True
        if match := _STAT_ROW.match(line):
            self.details.setdefault("diffstat", []).append(
                {"path": match["path"], "changes": match["changes"]})
            return True
        if oneline_ok and (match := _ONELINE.match(line)):
            entry = {"hash": match["hash"], "subject": match["subject"]}
            if match["refs"]:
                entry["refs"] = match["refs"]
            self.details.setdefault("commits", []).append(entry)
            return True
        return False

    def _feed_commit(self, line: str) -> bool:
        """Author/Date/message lines of the full log's current commit."""
        assert self.commit is not None
        if match := _AUTHOR.match(line):
            self.commit["author"] = match["author"]
        elif match := _DATE.match(line):
            self.commit["date"] = match["date"]
        elif line.startswith("Merge: "):
            self.commit["merge"] = line[7:].strip()
        elif line.startswith("    ") and "subject" not in self.commit:
            self.commit["subject"] = line.strip()
        elif line.startswith("    ") or not line.strip():
            pass  # message body or separator
        else:
            self.commit = None
            return False
        self.understood = True
        return True

    def _feed_problems(self, line: str) -> bool:
        if match := _CONFLICT.match(line):
            found = _CONFLICT_FILE.search(match["msg"])
            path = next((g for g in found.groups() if g), None) if found else None
            self.issues.append(Issue(message=line, file=path, severity="error", code="conflict"))
            return True
        if match := _REJECTED.match(line):
            reason = f" ({match['reason']})" if match["reason"] else ""
            self.issues.append(Issue(message=f"[{match['why']}] {match['ref']}{reason}",
                                     severity="error", code="rejected"))
            self.details.setdefault("rejected", []).append(
                {"ref": match["ref"], "reason": match["reason"] or match["why"]})
            return True
        if match := _FATAL.match(line):
            self.issues.append(Issue(message=match["msg"], severity="error", code=match["kind"]))
            self.summary.append(line)
            if _OVERWRITTEN.search(match["msg"]):
                self.overwritten_message = match["msg"]
            return True
        if match := _HINT.match(line):
            self.details.setdefault("hints", []).append(match["text"])
            return True
        return False

    def result(self, exit_code: int | None, subcommand: str | None) -> ParsedOutput | None:
        if not self.understood:
            return None
        for key in ("staged", "unstaged", "untracked", "unmerged", "ignored"):
            if key in self.details:
                self.counts[key] = len(self.details[key])
        if "commits" in self.details:
            self.counts["commits"] = len(self.details["commits"])
        errors = sum(1 for issue in self.issues if issue.severity == "error")
        self.counts["errors"] = errors
        conflicts = sum(1 for issue in self.issues if issue.code == "conflict")
        if conflicts:
            self.counts["conflicts"] = conflicts
        if subcommand:
            self.details["subcommand"] = subcommand
        status = "failure" if errors or exit_code not in (None, 0) else "success"
        summary = self.summary[-1] if self.summary else ""
        for line in self.summary:
            if line.startswith(("error: failed to push", "Automatic merge failed", "fatal:")):
                summary = line
        return ParsedOutput(kind="vcs", tool="git", status=status, counts=self.counts,
                            issues=self.issues, summary=summary, details=self.details)


def _all_short_status(lines: list[str]) -> bool:
    useful = [line for line in lines if line.strip()]
    return bool(useful) and all(
        _SHORT_ENTRY.match(line) or _SHORT_BRANCH.match(line) or _V2_HEADER.match(line)
        or _V2_ENTRY.match(line) or _V2_UNTRACKED.match(line) for line in useful[:200])


def _all_oneline(lines: list[str]) -> bool:
    useful = [line for line in lines if line.strip()]
    return bool(useful) and all(
        re.match(r"^(?:[*|\\/ ]+ )?[0-9a-f]{7,40} \S", line) for line in useful[:200])


PARSER = GitParser()
