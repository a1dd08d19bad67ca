"""Helpers shared by the test-runner and build-tool parsers (pytest, unittest, cargo, go,
node scripts, jest, vitest, mocha): reading which program a shell command line runs, and
small text utilities.

Invariants: pure functions on strings, no I/O, never raise on any input. A command line is
read leniently (unbalanced quotes fall back to whitespace splitting); it is only ever used
to recognise a tool, never executed.
"""

from __future__ import annotations

import re
import shlex

_SEGMENT_SEPARATORS = re.compile(r"\s*(?:&&|\|\||[;|&])\s*")
_ASSIGNMENT = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*=")
_PYTHON_NAME = re.compile(r"^python(?:\d+(?:\.\d+)*)?$")
_PYTHON_LIBRARY_PATH = re.compile(r"site-packages|dist-packages|/lib/python\d|^<")

# Programs that run the rest of their arguments as the real command.
_TRANSPARENT_WRAPPERS = frozenset({"time", "env", "sudo", "nice", "nohup", "command", "exec",
                                   "npx", "pnpx", "bunx", "xvfb-run", "caffeinate"})
# Two-word launchers that do the same ("uv run pytest", "pnpm exec jest").
_TWO_WORD_LAUNCHERS = frozenset({("uv", "run"), ("poetry", "run"), ("pipenv", "run"),
                                 ("pdm", "run"), ("hatch", "run"), ("rye", "run"),
                                 ("pnpm", "exec"), ("pnpm", "dlx"), ("npm", "exec"),
                                 ("yarn", "exec"), ("yarn", "dlx"), ("bun", "x")})


def _split(segment: str) -> list[str]:
    try:
        return shlex.split(segment)
    except ValueError:
        return segment.split()


def _normalise(argv: list[str]) -> list[str]:
    """Drop env assignments and launchers; ``/usr/bin/python3.11 -m x`` becomes ``["x"]``."""
    words = list(argv)
    while words:
        if _ASSIGNMENT.match(words[0]):
            words.pop(0)
            continue
        words[0] = words[0].rsplit("/", 1)[-1]
        head = words[0]
        if head in _TRANSPARENT_WRAPPERS:
            words.pop(0)
            while words and words[0].startswith("-"):  # npx --yes jest, env -i x
                words.pop(0)
        elif len(words) > 1 and (head, words[1]) in _TWO_WORD_LAUNCHERS:
            del words[:2]
        elif _PYTHON_NAME.match(head):
            rest = words[1:]
            while rest and rest[0].startswith("-") and rest[0] != "-m":
                option = rest.pop(0)
                if option in ("-X", "-W") and rest:  # options that take a value
                    rest.pop(0)
            if len(rest) >= 2 and rest[0] == "-m":
                words = rest[1:]
                continue
            words[0] = "python"
            return words
        else:
            return words
    return words


def command_segments(command: str | None) -> list[list[str]]:
    """Each simple command of ``command`` (split on ``&&``, ``;``, ``|`` ...), normalised."""
    if not command:
        return []
    segments = []
    for segment in _SEGMENT_SEPARATORS.split(command):
        words = _normalise(_split(segment))
        if words:
            segments.append(words)
    return segments


def invokes(command: str | None, *prefixes: tuple[str, ...]) -> bool:
    """Whether some simple command of ``command`` starts with one of the word ``prefixes``."""
    for words in command_segments(command):
        for prefix in prefixes:
            if tuple(words[:len(prefix)]) == prefix:
                return True
    return False


def non_empty_lines(text: str) -> list[str]:
    """The lines of ``text`` that hold something other than whitespace."""
    return [line for line in text.splitlines() if line.strip()]


def status_from_exit(exit_code: int | None) -> str:
    """``success`` / ``failure`` from an exit code, ``unknown`` when there is none."""
    if exit_code is None:
        return "unknown"
    return "success" if exit_code == 0 else "failure"


def is_python_library_path(path: str) -> bool:
    """Whether a traceback path is installed code (site-packages, stdlib, ``<frozen ...>``)."""
    return bool(_PYTHON_LIBRARY_PATH.search(path))


_JS_FRAME = re.compile(r"^\s*at (?:.*? \()?(?P<file>[^\s()]+?):(?P<line>\d+):(?P<column>\d+)\)?$")


def js_frame_location(line: str) -> tuple[str, int, int] | None:
    """``file, line, column`` of a JavaScript stack frame in the project's own code.

    Frames of Node's internals (``node:...``), of ``node_modules`` and of ``internal/``
    modules give ``None``, like any line that is not an ``at ...`` frame.
    """
    match = _JS_FRAME.match(line)
    if match is None:
        return None
    file = match.group("file")
    if file.startswith(("node:", "internal/")) or "node_modules" in file:
        return None
    return file, int(match.group("line")), int(match.group("column"))
