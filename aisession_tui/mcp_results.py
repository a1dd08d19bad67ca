"""What an MCP tool result costs a model: the facts of a finished command, each once (a
command that exited 0 with nothing cut says nothing of its exit: success is the default).

``exec --json`` is for programs and keeps every field; a model already knows the session
and the command it sent, so :func:`finished_for_model` drops them, and drops what another
field already says (``state`` finished/failed is the exit code; a plain output's parsed
block only counts its lines; the record id matters only when output was left out, to fetch
it); rules of repeated characters in the shown output are cut to three (the full output
stays readable by id, verbatim). :func:`tool_result` sends a text for the model (:func:`as_text` for exec results: a
facts line, the parsed facts, the output verbatim; minified JSON for the rest, where the
SDK's default is indented, ~30% more tokens) with the same facts as structured content.

Invariants: nothing the agent needs is dropped - the exit code, the job id, the parsed
failures and issues, the head and tail and the omitted counts with the id to read the
rest; a waiting result keeps its job and prompt, a timed-out one is left whole.
"""

from __future__ import annotations

import json
import re
from typing import Any

from mcp.types import CallToolResult, TextContent

ECHOED = ("session", "pane", "command", "cwd", "duration_ms")


def finished_for_model(data: dict[str, Any]) -> dict[str, Any]:
    """A finished exec result without what the caller knows or another field says; a
    waiting one as its state, job and prompt (the CLI's hint names CLI verbs)."""
    if data.get("state") == "waiting":
        return {key: value for key, value in data.items() if key in ("state", "job", "prompt")}
    if data.get("state") not in ("finished", "failed") or "exit_code" not in data:
        return data
    facts = {key: value for key, value in data.items() if key not in ECHOED + ("state",)}
    whole = "output" in facts
    parsed = facts.get("parsed")
    if isinstance(parsed, dict) and whole:
        parsed = _not_in(parsed, str(facts["output"]))
        facts["parsed"] = parsed
    if isinstance(parsed, dict):
        findings = any(parsed.get(key) for key in ("failures", "issues", "errors"))
        if whole and (parsed.get("kind") == "plain" or not findings) or (
                parsed.get("kind") == "plain" and not parsed.get("summary")):
            facts.pop("parsed")  # the output says it all (or there is none)
        else:
            drop = {"details", "summary"} if whole else set()
            facts["parsed"] = {key: value for key, value in parsed.items()
                               if key not in drop and not (key == "tool" and value == "unknown")}
    if not any(key.startswith("omitted") for key in facts):
        facts.pop("id", None)
    for key in ("output", "head", "tail"):
        if isinstance(facts.get(key), str):
            facts[key] = squeeze(facts[key]).removesuffix("\n")
    return facts


RULE = re.compile(r"([=\-_*~#.+^])\1{5,}")
"""A run of six or more of the same rule character (pytest's ``=====`` banners)."""


def squeeze(text: str) -> str:
    """Rules of repeated characters cut to three, trailing blanks dropped: the words stay,
    the tokens go (``=== FAILURES ===``)."""
    return "\n".join(RULE.sub(r"\1\1\1", line.rstrip()) for line in text.split("\n"))


def _said(item: Any, output: str) -> bool:
    """Whether every fact of a failure/issue is written in ``output`` already."""
    if not isinstance(item, dict):
        return isinstance(item, str) and item in output
    if item.get("file") and item.get("line") and f"{item['file']}:{item['line']}" not in output:
        return False
    return all(value in output for key, value in item.items()
               if isinstance(value, str) and key not in ("file", "severity", "kind"))


def _not_in(parsed: dict[str, Any], output: str) -> dict[str, Any]:
    """``parsed`` without the failures and issues the output already states word for word
    (each fact once); a location the parser worked out (a traceback's user frame) stays."""
    kept = dict(parsed)
    for key in ("failures", "issues", "errors"):
        items = kept.get(key)
        if isinstance(items, list):
            left = [item for item in items if not _said(item, output)]
            if left:
                kept[key] = left
            else:
                kept.pop(key)
    return kept


def _json(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"))


def as_text(data: dict[str, Any]) -> str:
    """A finished or waiting exec result as a model reads it best: one line of facts,
    the parsed facts as one line of JSON, then the output verbatim (JSON would escape
    every quote and newline of it: ~45% more tokens on source code)."""
    if "exit_code" in data and data.get("state") is None:
        first = f"exit {data['exit_code']}"
    elif data.get("state") == "waiting":
        first = "waiting for input (job_answer, then job_wait)"
    else:
        return _json(data)
    cut = "head" in data or "tail" in data or data.get("state") == "waiting"
    shown = ("job", "id") if cut else ()  # a whole (or empty) output needs neither
    first += "".join(f" · {key} {data[key]}" for key in shown if key in data)
    # Success is the default, as in an agent's Bash tool: "exit 0" alone is not written
    # (the structured content still has exit_code 0; the instructions say so).
    lines = [] if first == "exit 0" else [first]
    if data.get("parsed"):
        lines.append("parsed: " + _json(data["parsed"]))
    if "prompt" in data:
        lines.append(str(data["prompt"]))
    if "output" in data:
        lines.append(str(data["output"]))
    elif "head" in data or "tail" in data:
        omitted = ", ".join(f"{data[key]:,} {key.removeprefix('omitted_')}"
                            for key in ("omitted_lines", "omitted_bytes", "omitted_tokens")
                            if key in data)
        if data.get("head"):
            lines.append(str(data["head"]))
        lines.append(f"[… {omitted} left out: get_output(id={data.get('id')}) …]")
        if data.get("tail"):
            lines.append(str(data["tail"]))
    rest = {key: value for key, value in data.items() if key not in (
        "exit_code", "state", "job", "id", "parsed", "prompt", "output", "head", "tail",
        "omitted_lines", "omitted_bytes", "omitted_tokens")}
    if rest:
        lines.append(_json(rest))
    return "\n".join(lines)


def tool_result(data: dict[str, Any], *, text: str | None = None) -> CallToolResult:
    """``text`` (default: ``data`` as minified JSON) plus ``data`` as structured content."""
    shown = _json(data) if text is None else text  # "" is a result: success, no output
    return CallToolResult(content=[TextContent(type="text", text=shown)],
                          structured_content=data)
