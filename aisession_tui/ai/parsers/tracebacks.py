"""Parser for crash reports: Python tracebacks, Node.js stack traces, Java exceptions and
Go panics.

Frame order, for every language: **outermost first, innermost last** (Python's own
"most recent call last" order; Node, Java and Go print innermost first and are reversed).
``details["exceptions"]`` lists each exception in the order printed, as
``{"type", "message", "frames": [{"file", "line", "column", "function"}], "relation"}``
where ``relation`` says how it is linked to the previous one: ``"cause"`` (Python's "direct
cause", Java's ``Caused by:``) or ``"context"`` (Python's "During handling ..."). Each
exception is also an issue of severity ``error`` (code = the exception type) located at its
innermost frame. The summary is the line a reader looks at first: Python's last exception
line, Java's first (``Exception in thread ...``), Node's error line, Go's ``panic:`` line.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from .model import Issue, ParsedOutput

_PY_HEADER = "Traceback (most recent call last):"
_PY_FRAME = re.compile(r'^\s+File "(?P<file>[^"]+)", line (?P<line>\d+)(?:, in (?P<fn>.+))?$')
_PY_EXCEPTION = re.compile(r"^(?P<type>[A-Za-z_][\w.]*)(?:: (?P<msg>.*))?$")
_PY_CAUSE = "The above exception was the direct cause of the following exception:"
_PY_CONTEXT = "During handling of the above exception, another exception occurred:"

_NODE_FRAME = re.compile(
    r"^\s+at (?:(?P<fn>.+?) \((?P<loc>[^()]+)\)|(?P<bare>[^()\s]+))$")
_NODE_LOC = re.compile(r"^(?P<file>.+?):(?P<line>\d+):(?P<col>\d+)$")
_NODE_ERROR = re.compile(r"^(?:Uncaught )?(?P<type>(?:[A-Z]\w*)?Error|[A-Z]\w*Exception)(?: \[(?P<code>[\w-]+)\])?"
                         r"(?:: (?P<msg>.*))?$")

_JAVA_HEAD = re.compile(r'^(?:Exception in thread "(?P<thread>[^"]*)" )?(?P<type>(?:[a-z_$][\w$]*\.)+[A-Z][\w$]*)'
                        r"(?:: (?P<msg>.*))?$")
_JAVA_CAUSED = re.compile(r"^(?:\s*)(?P<kind>Caused by|Suppressed): (?P<type>[\w$.]+)(?:: (?P<msg>.*))?$")
_JAVA_FRAME = re.compile(
    r"^\s+at (?:[\w.$-]+(?:@[\w.-]+)?/)?(?P<fn>[\w$.<>]+)\((?P<file>[^:()]+?)(?::(?P<line>\d+))?\)$")
_JAVA_MORE = re.compile(r"^\s+\.\.\. \d+ more$")

_GO_PANIC = re.compile(r"^(?P<kind>panic|fatal error): (?P<msg>.*)$")
_GO_GOROUTINE = re.compile(r"^goroutine \d+ \[[^\]]+\]:$")
_GO_FUNC = re.compile(r"^(?P<fn>[\w./*()\[\]-]+(?:\.\S+)?)\((?:[^)]*)\)$")
_GO_LOC = re.compile(r"^\s+(?P<file>/?\S+\.go):(?P<line>\d+)(?: \+0x[0-9a-f]+)?$")
_GO_RUNTIME_ERROR = re.compile(r"^runtime error: ")


@dataclass
class _Exception:
    language: str
    type: str
    message: str
    frames: list[dict[str, Any]] = field(default_factory=list)
    relation: str | None = None
    headline: str = ""

    def as_dict(self) -> dict[str, Any]:
        data: dict[str, Any] = {"type": self.type, "message": self.message, "frames": self.frames}
        if self.relation:
            data["relation"] = self.relation
        return data

    def issue(self) -> Issue:
        """The exception at its deepest frame in the user's code (the innermost frame
        when every frame is in a library); library frames stay in ``details``."""
        user = [frame for frame in self.frames if not is_library_path(frame.get("file"))]
        inner = user[-1] if user else (self.frames[-1] if self.frames else {})
        text = f"{self.type}: {self.message}" if self.message else self.type
        return Issue(message=text, file=inner.get("file"), line=inner.get("line"),
                     column=inner.get("column"), severity="error", code=self.type)


_LIBRARY_MARKERS = ("/site-packages/", "/dist-packages/", "<frozen ", "/node_modules/",
                    "node:internal", "/usr/lib/", "/usr/local/lib/", "/usr/local/go/src/",
                    "/go/pkg/mod/", "/.pyenv/versions/", "/.rustup/", "/lib/python3")


def is_library_path(file: str | None) -> bool:
    """True for a file of an installed library or the language's own runtime."""
    if not file:
        return False
    return file.startswith(("node:", "internal/", "<")) or any(
        marker in file for marker in _LIBRARY_MARKERS)


def _frame(file: str | None, line: str | int | None, column: str | int | None = None,
           function: str | None = None) -> dict[str, Any]:
    return {"file": file, "line": int(line) if line is not None else None,
            "column": int(column) if column is not None else None, "function": function}


def _parse_python(lines: list[str]) -> list[_Exception]:
    found: list[_Exception] = []
    frames: list[dict[str, Any]] = []
    in_trace = False
    relation: str | None = None
    for line in lines:
        stripped = line.strip()
        if stripped == _PY_HEADER:
            in_trace, frames = True, []
            continue
        if stripped == _PY_CAUSE:
            relation = "cause"
            continue
        if stripped == _PY_CONTEXT:
            relation = "context"
            continue
        if match := _PY_FRAME.match(line):
            if not in_trace:  # SyntaxError reports carry a File line without the header
                in_trace, frames = True, []
            frames.append(_frame(match["file"], match["line"], None, match["fn"]))
            continue
        if in_trace and line and not line[0].isspace():
            match = _PY_EXCEPTION.match(line)
            if match:
                found.append(_Exception("python", match["type"], match["msg"] or "", frames,
                                        relation if found else None, line))
                relation = None
            in_trace = False
    return found


def _parse_node(lines: list[str]) -> list[_Exception]:
    found: list[_Exception] = []
    current: _Exception | None = None
    for line in lines:
        if match := _NODE_ERROR.match(line):
            current = _Exception("node", match["type"], match["msg"] or "", [], None, line)
            found.append(current)
            continue
        if current is not None and (match := _NODE_FRAME.match(line)):
            loc = match["loc"] or match["bare"]
            where = _NODE_LOC.match(loc)
            if where:
                current.frames.insert(0, _frame(where["file"], where["line"], where["col"], match["fn"]))
            else:
                current.frames.insert(0, _frame(loc, None, None, match["fn"]))
            continue
        if current is not None and line.strip() and not line.startswith(" "):
            current = None
    return [exc for exc in found if exc.frames]


def _parse_java(lines: list[str]) -> list[_Exception]:
    found: list[_Exception] = []
    current: _Exception | None = None
    for line in lines:
        if match := _JAVA_FRAME.match(line):
            if current is not None:
                current.frames.insert(0, _frame(match["file"], match["line"], None, match["fn"]))
            continue
        if _JAVA_MORE.match(line):
            continue
        if match := _JAVA_CAUSED.match(line):
            relation = "cause" if match["kind"] == "Caused by" else "suppressed"
            current = _Exception("java", match["type"], match["msg"] or "", [], relation, line)
            found.append(current)
            continue
        match = _JAVA_HEAD.match(line)
        if match and (match["thread"] is not None or "Exception" in match["type"] or "Error" in match["type"]):
            current = _Exception("java", match["type"], match["msg"] or "", [], None, line)
            found.append(current)
            continue
        if line.strip():
            current = None
    return [exc for exc in found if exc.frames]


def _parse_go(lines: list[str]) -> list[_Exception]:
    found: list[_Exception] = []
    current: _Exception | None = None
    pending_fn: str | None = None
    in_goroutine = False
    for line in lines:
        if match := _GO_PANIC.match(line):
            kind = "runtime error" if _GO_RUNTIME_ERROR.match(match["msg"]) else match["kind"]
            message = match["msg"][len("runtime error: "):] if kind == "runtime error" else match["msg"]
            current = _Exception("go", kind, message, [], None, line)
            found.append(current)
            in_goroutine = False
            continue
        if _GO_GOROUTINE.match(line):
            in_goroutine = current is not None and not current.frames
            pending_fn = None
            continue
        if not in_goroutine or current is None:
            continue
        if match := _GO_LOC.match(line):
            current.frames.insert(0, _frame(match["file"], match["line"], None, pending_fn))
            pending_fn = None
        elif line.startswith("created by "):
            pending_fn = line[len("created by "):].split(" in goroutine")[0].strip()
        elif match := _GO_FUNC.match(line.strip()):
            pending_fn = match["fn"]
        elif not line.strip():
            in_goroutine = False
    return found


class TracebackParser:
    """Finds crash reports of Python, Node.js, Java and Go programs."""

    name = "tracebacks"
    priority = 60

    def matches(self, command: str | None, text: str) -> bool:
        return (_PY_HEADER in text
                or bool(re.search(r"^\s+at .+ \(.+:\d+:\d+\)$", text, re.MULTILINE)
                        and re.search(r"^(?:Uncaught )?\w*Error\b", text, re.MULTILINE))
                or bool(re.search(r"^\s+at [\w$.<>]+\([\w$]+\.(?:java|kt|scala|groovy):\d+\)$", text, re.MULTILINE))
                or bool(re.search(r"^goroutine \d+ \[", text, re.MULTILINE)
                        and re.search(r"^(?:panic|fatal error): ", text, re.MULTILINE)))

    def parse(self, text: str, command: str | None, exit_code: int | None) -> ParsedOutput | None:
        lines = text.splitlines()
        for language, reader in (("python", _parse_python), ("java", _parse_java),
                                 ("go", _parse_go), ("node", _parse_node)):
            exceptions = reader(lines)
            if exceptions:
                break
        else:
            return None
        if language == "python":
            summary = exceptions[-1].headline
        else:
            summary = exceptions[0].headline
        details = {"language": language, "exceptions": [exc.as_dict() for exc in exceptions],
                   "frame_order": "outermost first, innermost last"}
        counts = {"exceptions": len(exceptions), "frames": sum(len(exc.frames) for exc in exceptions),
                  "errors": len(exceptions)}
        return ParsedOutput(kind="traceback", tool=language, status="failure", counts=counts,
                            issues=[exc.issue() for exc in exceptions], summary=summary,
                            details=details)


PARSER = TracebackParser()
