"""The structured result every output parser produces.

A :class:`ParsedOutput` says what kind of output a command produced (test, build, lint,
vcs, package, traceback, log, plain), which tool produced it, whether it succeeded, some
counts, and the precise facts an agent needs: each :class:`Issue` (a diagnostic at
file:line:column) and each :class:`Failure` (a failing test). Invariant: a parser never
invents a fact; a field it cannot read from the output stays ``None`` / empty.
Everything here round-trips through JSON (:meth:`ParsedOutput.to_dict` /
:meth:`ParsedOutput.from_dict`).
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any, Literal

Kind = Literal["test", "build", "lint", "vcs", "package", "traceback", "log", "plain"]
Status = Literal["success", "failure", "error", "warning", "unknown"]
Severity = Literal["error", "warning", "note", "info"]

KINDS: tuple[str, ...] = ("test", "build", "lint", "vcs", "package", "traceback", "log", "plain")


@dataclass
class Issue:
    """One diagnostic: a compiler error, a lint warning, a traceback frame's error."""

    message: str
    file: str | None = None
    line: int | None = None
    column: int | None = None
    severity: str = "error"
    code: str | None = None


@dataclass
class Failure:
    """One failing test."""

    test: str
    file: str | None = None
    line: int | None = None
    message: str = ""


@dataclass
class ParsedOutput:
    """What a parser understood of one command's output."""

    kind: str
    tool: str
    status: str = "unknown"
    counts: dict[str, int] = field(default_factory=dict)
    issues: list[Issue] = field(default_factory=list)
    failures: list[Failure] = field(default_factory=list)
    summary: str = ""
    details: dict[str, Any] = field(default_factory=dict)

    def to_dict(self) -> dict[str, Any]:
        """A JSON-ready dict; counts are also lifted to the top level (``passed``, ...)."""
        data = asdict(self)
        for key, value in self.counts.items():
            data.setdefault(key, value)
        return data

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> ParsedOutput:
        """Rebuild from :meth:`to_dict` output (extra top-level keys are ignored)."""
        return cls(
            kind=data["kind"],
            tool=data["tool"],
            status=data.get("status", "unknown"),
            counts=dict(data.get("counts", {})),
            issues=[Issue(**i) for i in data.get("issues", [])],
            failures=[Failure(**f) for f in data.get("failures", [])],
            summary=data.get("summary", ""),
            details=dict(data.get("details", {})),
        )
