"""Parser for GCC and Clang diagnostics, including the linker errors they relay.

Reads ``path:line[:col]: error|fatal error|warning|note: message [-Wflag]`` lines; each is
an issue at its own location (notes included, severity ``note``). ``In file included from
a.c:2:`` / ``from b.h:3,`` chains are kept in ``details["include_chains"]`` keyed by the
index of the issue they lead to. Linker lines (``file.c:(.text+0x5): undefined reference
to `f'``, ``/usr/bin/ld: cannot find -lfoo``) are errors with the object's source file but
no line (the linker does not print one). Driver lines (``gcc: fatal error: ...``,
``collect2: error: ld returned 1 exit status``, ``clang: error: linker command failed``)
are errors without a file; the final such line, or clang's ``N warnings and M errors
generated.``, is the summary. Code frames and ``In function`` context lines are skipped.
"""

from __future__ import annotations

import re

from ._diagnostics import file_count, severity_counts, status_for, tool_word
from .model import Issue, ParsedOutput

_DIAG = re.compile(
    r"^(?P<file>[^\s:][^:]*?):(?P<line>\d+):(?:(?P<col>\d+):)? "
    r"(?P<sev>fatal error|error|warning|note): (?P<msg>.*?)(?: \[(?P<flag>-W[^\]]+|-f[^\]]+)\])?$")
_INCLUDED_FIRST = re.compile(r"^In file included from (?P<file>.+?):(?P<line>\d+)(?::\d+)?[:,]$")
_INCLUDED_MORE = re.compile(r"^\s+from (?P<file>.+?):(?P<line>\d+)(?::\d+)?[:,]$")
_LINK_REF = re.compile(
    r"^(?:/\S*/)?(?:ld(?:\.\w+)?|ld\.lld|ld64\.lld): (?P<obj>\S+?): in function [`'](?P<fn>[^']+)':$")
_LINK_UNDEFINED = re.compile(
    r"^(?P<file>[^\s:][^:]*?):(?:\((?P<section>[^)]*)\)|(?P<line>\d+)): (?P<msg>(?:undefined|multiple) .*)$")
_LINKER_ERROR = re.compile(r"^(?:/\S*/)?(?P<tool>ld(?:\.\w+)?|ld\.lld): (?P<msg>(?:cannot find|error:|warning:).*)$")
_DRIVER = re.compile(
    r"^(?P<tool>(?:\S*/)?(?:gcc|g\+\+|cc|c\+\+|clang|clang\+\+|collect2|cc1|cc1plus)(?:-\d+(?:\.\d+)*)?"
    r"(?:\.exe)?): (?P<sev>fatal error|error|warning): (?P<msg>.*)$")
_GENERATED = re.compile(r"^\d+ (?:warnings?|errors?)(?: and \d+ (?:warnings?|errors?))? generated\.$")
_C_FAMILY = r"\.(?:c|h|cc|cpp|cxx|c\+\+|hh|hpp|hxx|inl|ipp|tcc|m|mm|cu)"
_TOOLS = frozenset({"gcc", "g++", "cc", "c++", "clang", "clang++", "ld", "cpp", "tcc", "icc"})


class GccParser:
    """Reads GCC/Clang compiler and linker diagnostics."""

    name = "gcc"
    priority = 30

    def matches(self, command: str | None, text: str) -> bool:
        word = tool_word(command)
        if word and (word in _TOOLS or re.match(r"^(?:[\w-]+-)?(?:gcc|g\+\+|clang|clang\+\+)(?:-\d+)?$", word)):
            return True
        return bool(
            re.search(r"^\S+" + _C_FAMILY + r":\d+:(?:\d+:)? (?:fatal error|error|warning|note): ", text, re.MULTILINE)
            or re.search(r"^In file included from \S+:\d+", text, re.MULTILINE)
            or re.search(r"^collect2: error: ld returned|: undefined reference to [`']", text, re.MULTILINE))

    def parse(self, text: str, command: str | None, exit_code: int | None) -> ParsedOutput | None:
        issues: list[Issue] = []
        chains: list[dict[str, object]] = []
        pending_chain: list[dict[str, object]] = []
        summary = ""
        for raw in text.splitlines():
            line = raw.rstrip()
            if match := _INCLUDED_FIRST.match(line):
                pending_chain = [{"file": match["file"], "line": int(match["line"])}]
            elif pending_chain and (match := _INCLUDED_MORE.match(line)):
                pending_chain.append({"file": match["file"], "line": int(match["line"])})
            elif match := _DIAG.match(line):
                sev = "error" if match["sev"] == "fatal error" else match["sev"]
                issues.append(Issue(message=match["msg"], file=match["file"], line=int(match["line"]),
                                    column=int(match["col"]) if match["col"] else None,
                                    severity=sev, code=match["flag"]))
                if pending_chain:
                    chains.append({"issue": len(issues) - 1, "included_from": pending_chain})
                    pending_chain = []
            elif match := _LINK_UNDEFINED.match(line):
                issues.append(Issue(message=match["msg"], file=match["file"],
                                    line=int(match["line"]) if match["line"] else None,
                                    severity="error", code="ld"))
            elif _LINK_REF.match(line):
                continue
            elif match := _LINKER_ERROR.match(line):
                msg = match["msg"]
                sev = "warning" if msg.startswith("warning:") else "error"
                msg = re.sub(r"^(?:error|warning): ", "", msg)
                issues.append(Issue(message=msg, severity=sev, code="ld"))
            elif match := _DRIVER.match(line):
                summary = line
                if not _is_link_echo(match["msg"]):
                    sev = "error" if match["sev"] == "fatal error" else match["sev"]
                    issues.append(Issue(message=match["msg"], severity=sev))
            elif _GENERATED.match(line):
                summary = line
        if not issues and not summary:
            return None
        counts = severity_counts(issues)
        counts["files"] = file_count(issues)
        details: dict[str, object] = {}
        if chains:
            details["include_chains"] = chains
        return ParsedOutput(kind="build", tool=_tool_name(command, text),
                            status=status_for(counts["errors"], counts["warnings"], exit_code),
                            counts=counts, issues=issues, summary=summary, details=details)


def _is_link_echo(message: str) -> bool:
    """The driver's closing line after linker errors repeats them: not a new issue."""
    return message.startswith(("ld returned", "linker command failed"))


def _tool_name(command: str | None, text: str) -> str:
    word = tool_word(command) or ""
    if "clang" in word or re.search(r"^clang(?:\+\+)?: |^\d+ (?:warnings?|errors?).* generated\.$", text, re.MULTILINE):
        return "clang"
    return "gcc"


def parse_compiler_lines(text: str) -> ParsedOutput | None:
    """Compiler diagnostics found anywhere in ``text`` (used by build-tool parsers)."""
    return PARSER.parse(text, None, None)


PARSER = GccParser()
