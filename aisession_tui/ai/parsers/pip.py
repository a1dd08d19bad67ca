"""Parser for ``pip install`` (and ``pip download``/``uninstall``) output.

Reads ``Successfully installed a-1.0 b-2.0`` (``details["installed"]``), ``Requirement
already satisfied: x`` (``details["already_satisfied"]``), ``Successfully uninstalled``,
every ``ERROR: ...`` / ``error: ...`` line (an issue of severity ``error``; the
requirement is its ``code`` for "could not find a version" / "no matching distribution"),
``WARNING: ...`` lines (warnings), the resolver's ``The conflict is caused by:`` causes and
the post-install ``x 1.0 requires y==2, but you have y 1.0`` lines
(``details["conflicts"]``). The last ERROR line, else the success line, is the summary.
"""

from __future__ import annotations

import re

from ._diagnostics import command_words, severity_counts
from .model import Issue, ParsedOutput

_INSTALLED = re.compile(r"^Successfully installed (?P<pkgs>.+)$")
_UNINSTALLED = re.compile(r"^\s*Successfully uninstalled (?P<pkg>\S+)$")
_SATISFIED = re.compile(r"^Requirement already satisfied: (?P<req>\S+)")
_ERROR = re.compile(r"^(?:ERROR|error): (?P<msg>.*)$")
_WARNING = re.compile(r"^WARNING: (?P<msg>.*)$")
_NOT_FOUND = re.compile(
    r"^(?:Could not find a version that satisfies the requirement|No matching distribution found for) "
    r"(?P<req>\S+)")
_CAUSED_BY = "The conflict is caused by:"
_CAUSE = re.compile(r"^\s+(?P<text>\S+ \S+ depends on .+|The user requested .+)$")
_INCOMPATIBLE = re.compile(r"^(?P<text>\S+ \S+ requires .+, but you have .+ (?:which is incompatible|is installed)\.?)$")
_TELLTALE = re.compile(
    r"^(?:Successfully installed |Requirement already satisfied: |Collecting \S|"
    r"ERROR: (?:Could not find a version that satisfies|No matching distribution found|Cannot install "
    r"|ResolutionImpossible|pip's dependency resolver|Could not install packages)|"
    r"Installing collected packages: )", re.MULTILINE)


class PipParser:
    """Reads pip's install report."""

    name = "pip"
    priority = 20

    def matches(self, command: str | None, text: str) -> bool:
        words = command_words(command)
        if words:
            if words[0] in ("pip", "pip3") or re.match(r"^pip\d(?:\.\d+)?$", words[0]):
                return True
            if words[0] == "uv" and words[1:2] == ["pip"]:
                return False  # uv's report has its own shape
        return bool(_TELLTALE.search(text))

    def parse(self, text: str, command: str | None, exit_code: int | None) -> ParsedOutput | None:
        issues: list[Issue] = []
        installed: list[dict[str, str]] = []
        uninstalled: list[str] = []
        satisfied: list[str] = []
        conflicts: list[str] = []
        summary = ""
        error_summary = ""
        in_causes = False
        for raw in text.splitlines():
            line = raw.rstrip()
            if in_causes:
                if match := _CAUSE.match(line):
                    conflicts.append(match["text"])
                    continue
                in_causes = False
            if match := _INSTALLED.match(line):
                installed += [_name_version(item) for item in match["pkgs"].split()]
                summary = line
            elif match := _UNINSTALLED.match(line):
                uninstalled.append(match["pkg"])
                summary = summary or line.strip()
            elif match := _SATISFIED.match(line):
                satisfied.append(match["req"])
            elif match := _ERROR.match(line):
                found = _NOT_FOUND.match(match["msg"])
                issues.append(Issue(message=match["msg"], severity="error",
                                    code=found["req"] if found else None))
                error_summary = error_summary or line
            elif match := _WARNING.match(line):
                issues.append(Issue(message=match["msg"], severity="warning"))
            elif line.strip() == _CAUSED_BY:
                in_causes = True
            elif match := _INCOMPATIBLE.match(line):
                conflicts.append(match["text"])
        if not (issues or installed or uninstalled or satisfied or conflicts):
            return None
        counts = severity_counts(issues)
        del counts["notes"]
        counts["installed"] = len(installed)
        counts["already_satisfied"] = len(satisfied)
        if uninstalled:
            counts["uninstalled"] = len(uninstalled)
        if conflicts:
            counts["conflicts"] = len(conflicts)
        details: dict[str, object] = {}
        if installed:
            details["installed"] = installed
        if satisfied:
            details["already_satisfied"] = satisfied
        if uninstalled:
            details["uninstalled"] = uninstalled
        if conflicts:
            details["conflicts"] = conflicts
        failed = bool(counts["errors"]) or exit_code not in (None, 0)
        return ParsedOutput(kind="package", tool="pip",
                            status="failure" if failed else ("warning" if counts["warnings"] else "success"),
                            counts=counts, issues=issues, summary=error_summary or summary,
                            details=details)


def _name_version(item: str) -> dict[str, str]:
    """``"pkg-name-1.0"`` -> name and version (the version is after the last ``-``)."""
    name, _, version = item.rpartition("-")
    return {"name": name, "version": version} if name else {"name": item, "version": ""}


PARSER = PipParser()
