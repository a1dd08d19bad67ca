"""Results shaped for a model's context: compact facts and a bounded view of raw output.

``shape_output`` turns one finished command (its plain, already masked output and its
parsed facts) into the dict an agent receives:

* ``detail="summary"``: the parsed facts only (kind, status, counts, failures, issues);
* ``detail="parsed"``: those facts plus the head and tail lines of the output;
* ``detail="full"``: the whole output (still bounded by ``max_tokens`` when given).

Invariants: each fact appears once (counts only under ``counts``; a summary that repeats
an issue's or failure's message is dropped); no ``None``, empty list, empty dict or empty
string is sent; whatever is left out of the output is counted (``omitted_lines``,
``omitted_bytes``, ``omitted_tokens``) so the caller knows to fetch the rest by its raw
id. The result's text never exceeds ``max_tokens`` (measured with the project's
tokenizer), whatever the output's size.
"""

from __future__ import annotations

from typing import Any

from .tokens import count_tokens

DETAILS = ("summary", "parsed", "full")
DEFAULT_HEAD = 20
DEFAULT_TAIL = 40
MAX_LIST_ITEMS = 30
"""At most this many failures/issues are listed; the rest are counted."""


def compact(value: Any) -> Any:
    """``value`` without None, empty strings, empty lists and empty dicts (recursively)."""
    if isinstance(value, dict):
        out = {}
        for key, item in value.items():
            item = compact(item)
            if item is None or item == "" or item == [] or item == {}:
                continue
            out[key] = item
        return out
    if isinstance(value, list):
        return [compact(item) for item in value]
    return value


def compact_parsed(parsed: dict[str, Any] | None) -> dict[str, Any]:
    """Parsed facts, each once: counts not repeated at the top level, a summary that only
    repeats a listed message dropped, lists capped at :data:`MAX_LIST_ITEMS`."""
    if not parsed:
        return {}
    counts = parsed.get("counts") or {}
    data = {key: value for key, value in parsed.items()
            if key not in counts or key in ("kind", "tool", "status", "summary")}
    messages = {item.get("message") for key in ("issues", "failures")
                for item in data.get(key) or [] if isinstance(item, dict)}
    summary = data.get("summary")
    if summary and any(summary == m or (m and m in summary and len(summary) - len(m) < 40)
                       for m in messages):
        data.pop("summary")
    details = dict(data.get("details") or {})
    for key in list(details):
        value = details[key]
        if isinstance(value, str) and (value in messages or value == summary):
            details.pop(key)
    data["details"] = details
    for key in ("issues", "failures"):
        items = data.get(key) or []
        if len(items) > MAX_LIST_ITEMS:
            data[key] = items[:MAX_LIST_ITEMS]
            data[f"more_{key}"] = len(items) - MAX_LIST_ITEMS
    if data.get("kind") == "plain" and data.get("status") == "unknown":
        data.pop("status")
    shaped: dict[str, Any] = compact(data)
    return shaped


def _fit(lines: list[str], budget: int, *, from_end: bool) -> list[str]:
    """The longest run of ``lines`` (from the start, or the end) within ``budget`` tokens."""
    kept: list[str] = []
    used = 0
    for line in (reversed(lines) if from_end else lines):
        cost = count_tokens(line) + 1
        if used + cost > budget:
            if not kept and budget > 8:
                kept.append(line[: budget * 3] + "…")
            break
        kept.append(line)
        used += cost
    return list(reversed(kept)) if from_end else kept


BIG_OUTPUT_CHARS = 1_000_000
"""Above this, head and tail lines are found without splitting the whole output (a list
of every line of an 8 MiB output cost ~100 MB)."""


class _Lines:
    """The lines of a big text, read at its ends only (``len``, ``[:n]``, ``[n:]``)."""

    def __init__(self, text: str) -> None:
        self.text = text
        self.count = text.count("\n") + (0 if not text or text.endswith("\n") else 1)

    def __len__(self) -> int:
        return self.count

    def __getitem__(self, part: slice) -> list[str]:
        start, stop, _ = part.indices(self.count)
        if stop <= start:
            return []
        if start == 0:
            at, lines = 0, []
            for _ in range(stop):
                end = self.text.find("\n", at)
                lines.append(self.text[at:] if end < 0 else self.text[at:end])
                at = end + 1
            return lines
        end, lines = len(self.text.removesuffix("\n")), []
        for _ in range(self.count - start):
            begin = self.text.rfind("\n", 0, end) + 1
            lines.append(self.text[begin:end])
            end = begin - 1
        return lines[::-1][: stop - start]


def bounded_text(output: str, *, head: int, tail: int, max_tokens: int | None,
                 whole: bool = False) -> dict[str, Any]:
    """The output's head and tail lines (or all of it) within ``max_tokens``, with counts
    of what was left out."""
    lines: Any = (_Lines(output) if len(output) > BIG_OUTPUT_CHARS and not whole
                  else output.splitlines())
    total_tokens = count_tokens(output) if output else 0
    if whole and (max_tokens is None or total_tokens <= max_tokens):
        return {"output": output}
    if not whole and len(lines) <= head + tail and (
            max_tokens is None or total_tokens <= max_tokens):
        return {"output": output}
    if whole:
        head, tail = len(lines), 0
    head_lines = lines[:head]
    tail_lines = lines[max(head, len(lines) - tail):] if tail else []
    if max_tokens is not None:
        tail_budget = max_tokens // 2 if tail_lines and head_lines else max_tokens
        tail_lines = _fit(tail_lines, tail_budget, from_end=True)
        used = sum(count_tokens(line) + 1 for line in tail_lines)
        head_lines = _fit(head_lines, max(0, max_tokens - used), from_end=False)
    shown = head_lines + tail_lines
    omitted_lines = len(lines) - len(shown)
    result: dict[str, Any] = {}
    if head_lines:
        result["head"] = "\n".join(head_lines)
    if tail_lines:
        result["tail"] = "\n".join(tail_lines)
    shown_text = "\n".join(shown)
    result["omitted_lines"] = omitted_lines
    result["omitted_bytes"] = max(0, len(output.encode("utf-8", "replace"))
                                  - len(shown_text.encode("utf-8", "replace")))
    result["omitted_tokens"] = max(0, total_tokens - count_tokens(shown_text))
    return result


def shape_output(output: str, parsed: dict[str, Any] | None, *, detail: str = "parsed",
                 max_tokens: int | None = None, head: int = DEFAULT_HEAD,
                 tail: int = DEFAULT_TAIL) -> dict[str, Any]:
    """The agent-facing view of one command's output (see the module docstring)."""
    if detail not in DETAILS:
        raise ValueError(f"detail must be one of {', '.join(DETAILS)}: {detail}")
    facts = compact_parsed(parsed)
    result: dict[str, Any] = {}
    if facts and (detail == "full" or not (facts.get("kind") == "plain" and len(facts) <= 2)):
        result["parsed"] = facts
    text_budget = None
    if max_tokens is not None:
        text_budget = max(0, max_tokens - count_tokens(_dumps(result)))
    if detail == "summary":
        if output:
            result["omitted_lines"] = len(_Lines(output))
            result["omitted_bytes"] = len(output.encode("utf-8", "replace"))
            result["omitted_tokens"] = count_tokens(output)
        return result
    result.update(bounded_text(output, head=head, tail=tail, max_tokens=text_budget,
                               whole=detail == "full"))
    shaped: dict[str, Any] = compact(result)
    return shaped


def _dumps(value: Any) -> str:
    import json

    return json.dumps(value, separators=(",", ":"), ensure_ascii=False)
