"""Token savings and fact retention of the AI context, against plain approaches, on real outputs.

Corpus (every output real, recorded from the tools themselves):
* every capture in tests/fixtures/parsers/*/ (pytest, cargo, go, jest, gcc, git, ...);
* the agent sessions in tests/fixtures/sessions/*/ (record_sessions.py): a Python, a Rust,
  a C, a JavaScript and a TypeScript project, each broken at first and fixed step by step
  (the same suite failing less and less, with git, build, lint and type-check runs
  between), with each command's cwd and exit code;
* outputs recorded live when this runs (a failing pytest run, a Python traceback, ruff on a
  broken file, git log/status of this repository, pip list, ls -la).
Each output goes through the same path as in the server (render_plain, redact,
parse_output, command_messages, count_messages).

Two runs, each at budgets 1,024, 2,048, 4,096 and 8,192 tokens: the **whole corpus** fed
to one pane in order, and a **replay of the agent sessions** alone (one pane, session after
session). For each, the live context's text form (what a model is given, counted exactly)
is compared with three plain approaches fitted to the same budget over the same
transcript (``cd DIR`` when it changes, ``$ command``, the output, ``[exit N]``):
* **last lines**: the newest lines of the transcript that fit;
* **head + tail**: its first and last tokens, half the budget each;
* **observation masking**: every command and exit code, the newest outputs whole while
  they fit, older outputs replaced by ``[output omitted]`` (the oldest turns go when even
  the commands do not fit).

Reported for each: tokens, saved (1 - tokens / transcript tokens) and facts kept.
Facts are :mod:`aisession_tui.ai.facts` (failing test ids, file:line with the tool's code,
file-less errors, exception types and messages, assertion messages, each command with
its exit code, cwd); a fact counts as kept when the text holds it
(:func:`aisession_tui.ai.facts.present`) or when its whole output is in the text. Also:
whether the newest output is verbatim whenever it fits in half the budget; an
independent check (every ``file.ext:line`` written in the raw outputs, stack frames
included); speed (fit_to_window over 10,000 messages, a 10 MB build log, counting).

Run: ``python benchmarks/context_savings.py`` (a minute or two). Prints the tables and
writes benchmarks/results/context_savings.json.
"""

from __future__ import annotations

import json
import os
import re
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from aisession_tui.ai import tokens
from aisession_tui.ai.context import PaneContext, command_messages, count_messages, summarize_output
from aisession_tui.ai.factlines import FactLineWriter, join_lines
from aisession_tui.ai.facts import KINDS, Fact, missing, present
from aisession_tui.ai.parsers import parse_output
from aisession_tui.ai.redact import redact
from aisession_tui.terminal.plaintext import render_plain

FIXTURES = ROOT / "tests" / "fixtures" / "parsers"
SESSIONS = ROOT / "tests" / "fixtures" / "sessions"
RESULTS = ROOT / "benchmarks" / "results"
LOCATION = re.compile(r"(?<![\w/.-])((?:[\w.-]*/)*[\w.-]+\.(?:py|rs|go|js|mjs|cjs|ts|tsx|"
                      r"jsx|c|h|cc|cpp|hpp|java|rb|sh)):(\d+)")
BUDGETS = (1024, 2048, 4096, 8192)
APPROACHES = ("ai-session", "last lines", "head+tail", "masking")
MASKED = "[output omitted]"

Item = tuple[str, str, str, "int | None", "str | None"]
"""name, command, raw output, exit code, cwd."""


def fixture_corpus() -> list[Item]:
    """(name, command, raw text, exit code, cwd) for every non-empty parser fixture."""
    commands: dict[str, tuple[str, int]] = {}
    for tsv in FIXTURES.glob("*/captures.tsv"):
        for row in tsv.read_text().splitlines():
            name, code, command = row.split("\t", 2)
            commands[f"{tsv.parent.name}/{name}"] = (command, int(code))
    corpus: list[Item] = []
    for path in sorted(FIXTURES.glob("*/*.txt")):
        key = f"{path.parent.name}/{path.stem}"
        raw = path.read_bytes()
        if not raw.strip() or path.stem == "README":
            continue
        command, code = commands.get(key, (path.parent.name.replace("_", " "), None))
        corpus.append((key, command, raw.decode("utf-8", "replace"), code, None))
    return corpus


def session_corpus() -> list[Item]:
    """Every step of the recorded agent sessions, session after session, in order."""
    corpus: list[Item] = []
    for tsv in sorted(SESSIONS.glob("*/session.tsv")):
        for row in tsv.read_text().splitlines():
            name, code, cwd, command = row.split("\t", 3)
            raw = (tsv.parent / f"{name}.txt").read_bytes().decode("utf-8", "replace")
            corpus.append((f"sessions/{tsv.parent.name}/{name}", command, raw, int(code), cwd))
    return corpus


LIVE_COMMANDS = [
    ("live/pytest_failures", [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider",
                              "test_live.py"]),
    ("live/python_traceback", [sys.executable, "crash_live.py"]),
    ("live/ruff_check", [str(Path(sys.executable).with_name("ruff")), "check",
                         "--no-cache", "lint_live.py"]),
    ("live/git_log", ["git", "-C", str(ROOT), "log", "-n", "40", "--stat"]),
    ("live/git_status", ["git", "-C", str(ROOT), "status"]),
    ("live/pip_list", [sys.executable, "-m", "pip", "list"]),
    ("live/ls_la", ["ls", "-la", "/usr/bin"]),
]


def live_corpus() -> list[Item]:
    """Outputs of real commands recorded now, in a scratch directory."""
    with tempfile.TemporaryDirectory(prefix="ais-bench-") as scratch:
        return _record_live(Path(scratch))


def _record_live(work: Path) -> list[Item]:
    """Write the live commands' inputs into ``work`` and record their outputs there."""
    (work / "test_live.py").write_text(
        "import pytest\n\ndef test_ok():\n    assert 2 + 2 == 4\n\n"
        "def test_sum():\n    values = [1, 2, 3]\n    assert sum(values) == 7\n\n"
        "@pytest.mark.parametrize('n', [1, 2, 3])\ndef test_even(n):\n    assert n % 2 == 0\n")
    (work / "crash_live.py").write_text(
        "import json\n\ndef load(text):\n    return json.loads(text)\n\n"
        "def main():\n    return load('{bad json}')\n\nmain()\n")
    (work / "lint_live.py").write_text("import os, sys\n\ndef f(x):\n    y = 1\n"
                                       "    return undefined_name\n")
    corpus: list[Item] = []
    env = {**os.environ, "NO_COLOR": "1", "TERM": "dumb"}
    for name, argv in LIVE_COMMANDS:
        try:
            done = subprocess.run(argv, cwd=work, capture_output=True, text=True, env=env,
                                  timeout=120, check=False)
        except (OSError, subprocess.TimeoutExpired):
            continue
        text = done.stdout + done.stderr
        if name == "live/ls_la":
            text = "\n".join(text.splitlines()[:400]) + "\n"
        command = " ".join(Path(argv[0]).name if i == 0 else a for i, a in enumerate(argv))
        corpus.append((name, command, text, done.returncode, "/tmp/ais-bench"))
    return corpus


def prepare(corpus: list[Item]) -> list[dict[str, Any]]:
    """Messages per output (as the server builds them), parsed results, facts and the
    transcript block a plain approach would see."""
    turns = []
    for record_id, (name, command, raw, code, cwd) in enumerate(corpus, start=1):
        plain = redact(render_plain(raw.encode()))
        parsed = parse_output(plain, command, code).to_dict()
        messages = command_messages(command, plain, code, parsed, at=1.7e9 + record_id,
                                    finished_at=1.7e9 + record_id, record_id=record_id,
                                    cwd=cwd)
        count_messages(messages)
        locations = sorted({f"{file}:{line}" for file, line in LOCATION.findall(plain)})
        block = f"$ {command}\n{messages[1].text}"
        turns.append({"name": name, "messages": messages, "parsed": parsed, "cwd": cwd,
                      "facts": list(messages[1].fact_items), "locations": locations,
                      "block": block, "output": messages[1].text})
    return turns


def fresh(turns: list[dict[str, Any]]) -> list[list[Any]]:
    """Copies of every turn's messages (append mutates them)."""
    return [[type(m)(**m.__dict__) for m in turn["messages"]] for turn in turns]


def transcript_blocks(turns: list[dict[str, Any]]) -> list[str]:
    """The transcript a plain approach sees, one block per turn (``cd DIR`` first when
    the directory changes)."""
    blocks, cwd = [], None
    for turn in turns:
        prefix = f"cd {turn['cwd']}\n" if turn["cwd"] and turn["cwd"] != cwd else ""
        cwd = turn["cwd"] or cwd
        blocks.append(prefix + turn["block"])
    return blocks


def kept(turns: list[dict[str, Any]], text: str, whole: set[int]) -> tuple[int, int]:
    """Facts the text keeps (turns in ``whole`` keep all of theirs)."""
    total = found = 0
    for index, turn in enumerate(turns):
        facts: list[Fact] = turn["facts"]
        total += len(facts)
        found += len(facts) if index in whole else sum(present(facts, text))
    return found, total


def whole_in(turns: list[dict[str, Any]], text: str) -> set[int]:
    return {index for index, turn in enumerate(turns) if turn["output"] in text}


def last_lines(text: str, budget: int) -> str:
    """The newest lines of ``text`` that fit ``budget`` tokens."""
    lines = text.split("\n")
    low, high = 0, len(lines)
    while low < high:  # smallest start that fits
        middle = (low + high) // 2
        if tokens.count_tokens("\n".join(lines[middle:])) <= budget:
            high = middle
        else:
            low = middle + 1
    return "\n".join(lines[low:])


def head_tail(text: str, budget: int) -> str:
    """The first and last tokens of ``text``, half the budget each, with a marker."""
    encoded = tokens.encoding().encode_ordinary(text)
    if len(encoded) <= budget:
        return text
    keep = budget - 12
    while True:
        head = tokens.encoding().decode(encoded[: keep // 2])
        tail = tokens.encoding().decode(encoded[len(encoded) - (keep - keep // 2):])
        out = f"{head}\n[… {len(encoded) - keep} tokens cut …]\n{tail}"
        over = tokens.count_tokens(out) - budget
        if over <= 0:
            return out
        keep -= over


def masking(turns: list[dict[str, Any]], budget: int) -> str:
    """Observation masking: commands and exit codes stay, the newest outputs stay whole
    while they fit, older outputs become ``[output omitted]``."""
    blocks = transcript_blocks(turns)
    masked = [block.split("\n$ ", 1)[0] + "\n$ " + block.split("\n$ ", 1)[1].split("\n")[0]
              if block.startswith("cd ") else block.split("\n")[0] for block in blocks]
    masked = [f"{line}\n{MASKED} [{_exit_of(turn)}]" for line, turn in zip(masked, turns)]
    costs = tokens.count_tokens_batch([f"{b}\n" for b in blocks])
    mask_costs = tokens.count_tokens_batch([f"{b}\n" for b in masked])
    total = sum(mask_costs)
    first = 0
    while total > budget and first < len(turns) - 1:  # even the commands do not fit
        total -= mask_costs[first]
        first += 1
    chosen = list(masked)
    for index in range(len(turns) - 1, first - 1, -1):
        extra = costs[index] - mask_costs[index]
        if total + extra > budget:
            break
        chosen[index] = blocks[index]
        total += extra
    text = "\n".join(chosen[first:])
    while tokens.count_tokens(text) > budget and first < len(turns) - 1:
        first += 1
        text = "\n".join(chosen[first:])
    return text


def _exit_of(turn: dict[str, Any]) -> str:
    return turn["output"].rsplit("\n", 1)[-1].strip("[]")


def approach_rows(turns: list[dict[str, Any]], budget: int, transcript: str,
                  raw: int, context_text: str, context_kept: tuple[int, int]
                  ) -> dict[str, dict[str, Any]]:
    rows: dict[str, dict[str, Any]] = {}
    texts = {"ai-session": context_text, "last lines": last_lines(transcript, budget),
             "head+tail": head_tail(transcript, budget), "masking": masking(turns, budget)}
    for name, text in texts.items():
        count = tokens.count_tokens(text)
        found, total = context_kept if name == "ai-session" else kept(
            turns, text, whole_in(turns, text))
        rows[name] = {"tokens": count, "saved_percent": round(100 * (1 - count / raw), 1),
                      "facts_kept": found, "facts": total,
                      "facts_kept_percent": round(100 * found / total, 1) if total else 100.0}
    return rows


def run(turns: list[dict[str, Any]]) -> dict[str, Any]:
    """One pane fed ``turns`` in order, at every budget, with the plain approaches."""
    transcript = "\n".join(transcript_blocks(turns))
    raw = tokens.count_tokens(transcript)
    rows = []
    for budget in BUDGETS:
        context = PaneContext(max_tokens=budget)
        for messages in fresh(turns):
            context.append(messages)
        window = context.view()
        found, total, _ = context.retention(window)
        text = window.text()
        newest = context.messages[-1]
        newest_ok = (newest.tokens > budget / 2 or any(
            e.seq == newest.seq and e.form == "verbatim" for e in window.entries))
        whole = {e.seq for e in window.entries if e.form == "verbatim"}
        loc_total = loc_kept = 0
        for turn, messages in zip(turns, context.messages[1::2]):
            for location in turn["locations"]:
                loc_total += 1
                loc_kept += messages.seq in whole or location in text
        approaches = approach_rows(turns, budget, transcript, raw, text, (found, total))
        rows.append({"max_tokens": budget, "raw_tokens": raw,
                     "context_tokens": window.count_text(), "json_entry_tokens": window.tokens,
                     "compressions": context.compressions,
                     "savings_percent": approaches["ai-session"]["saved_percent"],
                     "facts": total, "facts_kept": found,
                     "facts_retained_percent": round(100 * found / total, 2) if total else 100.0,
                     "newest_verbatim_when_fits": newest_ok,
                     "omitted_messages": window.bounds.omitted,
                     "locations": loc_total, "locations_kept": loc_kept,
                     "locations_retained_percent": round(100 * loc_kept / loc_total, 2)
                     if loc_total else 100.0,
                     "approaches": approaches})
    return {"outputs": len(turns), "raw_tokens": raw, "runs": rows}


def savings(turns) -> dict:
    """Per-output forms (no budget): verbatim vs summary."""
    raw = sum(m.tokens for t in turns for m in t["messages"])
    summary = sum(m.summary_tokens for t in turns for m in t["messages"])
    parsed_only = [t for t in turns if t["parsed"]["kind"] != "plain"]
    raw_parsed = sum(m.tokens for t in parsed_only for m in t["messages"])
    summary_parsed = sum(m.summary_tokens for t in parsed_only for m in t["messages"])
    return {"outputs": len(turns), "parsed_outputs": len(parsed_only),
            "raw_tokens": raw, "summary_tokens": summary,
            "summary_savings_percent": round(100 * (1 - summary / raw), 1),
            "parsed_raw_tokens": raw_parsed, "parsed_summary_tokens": summary_parsed,
            "parsed_summary_savings_percent": round(100 * (1 - summary_parsed / raw_parsed), 1)}


def fact_costs(turns: list[dict[str, Any]]) -> dict[str, Any]:
    """What the facts cost: per kind, how many (and how many distinct across runs) and
    the tokens of the distinct ones written bare; then every record as a fact line (one
    writer over the whole history, as the merged block writes it): the least a context
    that keeps every fact as a fact line needs."""
    kinds: dict[str, dict[str, Any]] = {kind: {"facts": 0, "distinct": 0, "tokens": 0}
                                        for kind in KINDS}
    distinct: dict[str, Fact] = {}
    for turn in turns:
        for fact in turn["facts"]:
            kinds[fact.kind]["facts"] += 1
            distinct.setdefault(fact.key, fact)
    for fact in distinct.values():
        kinds[fact.kind]["distinct"] += 1
        kinds[fact.kind]["tokens"] += tokens.count_tokens(fact.label())
    writer = FactLineWriter()
    outputs = [messages[1] for messages in fresh(turns)]
    block = join_lines(writer.write(output) for output in outputs)
    facts = [fact for turn in turns for fact in turn["facts"]]
    return {"kinds": kinds, "distinct_tokens": sum(k["tokens"] for k in kinds.values()),
            "fact_lines_tokens": tokens.count_tokens(block),
            "fact_lines_facts_found": len(facts) - len(missing(facts, block)),
            "facts": len(facts)}


def timed(function, repeat: int) -> list[float]:
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        function()
        times.append(time.perf_counter() - start)
    return times


def retrieval_speed(turns) -> dict:
    """Context of a pane holding 10,000 messages (5,000 commands and outputs)."""
    context = PaneContext(max_tokens=4096)
    copies = []
    index = 0
    while len(context.messages) < 10_000:
        turn = turns[index % len(turns)]
        index += 1
        messages = [type(m)(**m.__dict__) for m in turn["messages"]]
        copies.append(messages)
        context.append(messages)

    def cold_view() -> None:
        context._view = None
        context.view()

    cached = timed(context.view, 200)
    cold = timed(cold_view, 50)
    fit = timed(lambda: context.fit_to_window(4096), 50)
    fit_small = timed(lambda: context.fit_to_window(1024), 50)
    return {"messages": len(context.messages), "compressions": context.compressions,
            "live_view_cached_ms": round(1000 * statistics.median(cached), 4),
            "live_view_rebuilt_ms": round(1000 * statistics.median(cold), 3),
            "fit_to_window_4096_ms": round(1000 * statistics.median(fit), 3),
            "fit_to_window_1024_ms": round(1000 * statistics.median(fit_small), 3)}


def build_log(size: int) -> str:
    """~``size`` bytes of a build log: real compiler captures between ordinary lines."""
    pieces = [(FIXTURES / name).read_text() for name in
              ("gcc/compile_errors.txt", "cargo/build_errors.txt", "make/compile_failure.txt")]
    filler = "".join(f"   Compiling crate{i} v0.{i}.0 (/work/crates/crate{i})\n"
                     for i in range(200))
    out, length, round_ = [], 0, 0
    while length < size:
        chunk = filler + pieces[round_ % len(pieces)]
        out.append(chunk)
        length += len(chunk)
        round_ += 1
    return "".join(out)[:size]


def big_log_speed() -> dict:
    log = build_log(10 * 1024 * 1024)
    start = time.perf_counter()
    parsed = parse_output(log, "make", 2).to_dict()
    parse_s = time.perf_counter() - start
    start = time.perf_counter()
    summary = summarize_output("make", log, 2, parsed)
    summarize_s = time.perf_counter() - start
    return {"bytes": len(log.encode()), "tool": parsed["tool"], "issues": len(parsed["issues"]),
            "parse_s": round(parse_s, 3), "summarize_s": round(summarize_s, 3),
            "summary_tokens": tokens.count_tokens(summary)}


def counting_speed() -> dict:
    text = "".join(turn_text for turn_text in
                   (p.read_text() for p in sorted(FIXTURES.glob("*/*.txt"))))
    data = (text * (8 * 1024 * 1024 // max(1, len(text)) + 1))[: 8 * 1024 * 1024]
    tokens.clear_cache()
    start = time.perf_counter()
    single = tokens.count_tokens(data)
    single_s = time.perf_counter() - start
    chunks = [data[i:i + 4096] for i in range(0, len(data), 4096)]
    tokens.clear_cache()
    start = time.perf_counter()
    batch = sum(tokens.count_tokens_batch(chunks))
    batch_s = time.perf_counter() - start
    start = time.perf_counter()
    tokens.count_tokens_batch(chunks)
    cached_s = time.perf_counter() - start
    mb = len(data.encode()) / 1e6
    tokens.clear_cache()
    return {"megabytes": round(mb, 2), "tokens": single, "batch_tokens": batch,
            "single_mb_s": round(mb / single_s, 2), "batch_mb_s": round(mb / batch_s, 2),
            "cached_mb_s": round(mb / cached_s, 1)}


def table(title: str, result: dict[str, Any]) -> list[str]:
    """Markdown rows: each budget, each approach's saved % and facts kept %."""
    out = [f"{title}: {result['outputs']} outputs, {result['raw_tokens']:,} tokens verbatim",
           "", "| budget | " + " | ".join(f"{name} saved / facts" for name in APPROACHES)
           + " | newest verbatim |",
           "|---:|" + "---:|" * len(APPROACHES) + ":---:|"]
    for row in result["runs"]:
        cells = [f"{row['approaches'][name]['saved_percent']}% / "
                 f"{row['approaches'][name]['facts_kept_percent']}%" for name in APPROACHES]
        out.append(f"| {row['max_tokens']:,} | " + " | ".join(cells)
                   + f" | {'yes' if row['newest_verbatim_when_fits'] else 'NO'} |")
    return out


def main() -> None:
    started = time.perf_counter()
    load_start = time.perf_counter()
    tokens.encoding()
    load_s = time.perf_counter() - load_start
    sessions = prepare(session_corpus())
    turns = prepare(fixture_corpus() + session_corpus() + live_corpus())
    whole = run(turns)
    replay = run(sessions)
    result = {"encoding_load_s": round(load_s, 3), "corpus": [t["name"] for t in turns],
              "forms": savings(turns), "fact_costs": fact_costs(turns),
              "session": whole["runs"], "whole_corpus": whole,
              "agent_sessions": replay,
              "retrieval": retrieval_speed(turns), "build_log": big_log_speed(),
              "counting": counting_speed()}
    result["total_s"] = round(time.perf_counter() - started, 1)
    RESULTS.mkdir(parents=True, exist_ok=True)
    (RESULTS / "context_savings.json").write_text(json.dumps(result, indent=2))
    forms = result["forms"]
    print(f"corpus: {forms['outputs']} real outputs ({forms['parsed_outputs']} understood by a "
          f"parser); encoding loaded in {result['encoding_load_s']} s")
    print(f"summaries alone: {forms['raw_tokens']:,} raw tokens -> {forms['summary_tokens']:,} "
          f"({forms['summary_savings_percent']}% saved; parsed outputs only: "
          f"{forms['parsed_summary_savings_percent']}%)")
    print()
    print("\n".join(table("whole corpus", whole)))
    print()
    print("\n".join(table("agent sessions replayed", replay)))
    print()
    print(f"{'budget':>7} {'text':>6} {'json':>6} {'compr.':>6} {'omitted':>7} "
          f"{'facts kept':>14} {'file:line kept':>16}   (whole corpus, ai-session)")
    for row in whole["runs"]:
        print(f"{row['max_tokens']:>7} {row['context_tokens']:>6,} {row['json_entry_tokens']:>6,} "
              f"{row['compressions']:>6} {row['omitted_messages']:>7} "
              f"{row['facts_kept']:>5}/{row['facts']:<4}{row['facts_retained_percent']:>5}% "
              f"{row['locations_kept']:>5}/{row['locations']:<4}"
              f"{row['locations_retained_percent']:>6}%")
    costs = result["fact_costs"]
    print()
    print("what the facts cost (whole corpus; distinct = once across runs, written bare):")
    print(f"{'kind':>10} {'facts':>6} {'distinct':>8} {'tokens':>7}")
    for kind, cost in sorted(costs["kinds"].items(), key=lambda item: -item[1]["tokens"]):
        print(f"{kind:>10} {cost['facts']:>6} {cost['distinct']:>8} {cost['tokens']:>7,}")
    print(f"{'all':>10} {costs['facts']:>6} {'':>8} {costs['distinct_tokens']:>7,}")
    print(f"every record as a fact line: {costs['fact_lines_tokens']:,} tokens, "
          f"{costs['fact_lines_facts_found']}/{costs['facts']} facts found by present() "
          f"(a context keeping every fact needs at least this)")
    speed = result["retrieval"]
    print(f"10,000 messages: live view {speed['live_view_cached_ms']} ms cached, "
          f"{speed['live_view_rebuilt_ms']} ms rebuilt; fit_to_window(4096) "
          f"{speed['fit_to_window_4096_ms']} ms, (1024) {speed['fit_to_window_1024_ms']} ms")
    log = result["build_log"]
    print(f"10 MB build log ({log['tool']}, {log['issues']:,} issues): parse {log['parse_s']} s, "
          f"summarize {log['summarize_s']} s -> {log['summary_tokens']:,} tokens")
    count = result["counting"]
    print(f"token counting: {count['single_mb_s']} MB/s one text, {count['batch_mb_s']} MB/s "
          f"batched 4 KB chunks, {count['cached_mb_s']} MB/s cached")
    print(f"total {result['total_s']} s; JSON in {RESULTS / 'context_savings.json'}")


if __name__ == "__main__":
    main()
