"""Token savings, key-fact retention and speed of the AI context, measured on real outputs.

Corpus: every capture of a real tool in tests/fixtures/parsers/*/ (pytest, cargo, go,
jest, gcc, git, ...) plus outputs recorded live when this runs (a failing pytest run, a
Python traceback, ruff on a broken file, git log/status of this repository, pip list,
ls -la). Each output goes through the same path as in the server (render_plain, redact,
parse_output, command_messages, count_messages).

Reported:
* savings: raw tokens (every output verbatim, with its command) vs the summary forms, and
  vs the live context of one pane fed the whole corpus at several budgets;
* key-fact retention in that context: (a) the parser's facts (failing test ids and
  file:line of every issue) and (b) an independent check, every ``file.ext:line`` written
  in the raw output (includes stack frames of tracebacks that summaries do not keep).
  A fact counts as kept when its text is in the context or its output is there whole;
* speed: live context and fit_to_window(4096) for a pane of 10,000 messages, parsing and
  summarizing a 10 MB build log, token counting throughput.

Run: ``/work/venv/bin/python benchmarks/context_savings.py`` (about a minute). Prints a
table and writes benchmarks/results/context_savings.json.
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

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from aisession_tui.ai import tokens
from aisession_tui.ai.context import PaneContext, command_messages, count_messages, summarize_output
from aisession_tui.ai.parsers import parse_output
from aisession_tui.ai.redact import redact
from aisession_tui.terminal.plaintext import render_plain

FIXTURES = ROOT / "tests" / "fixtures" / "parsers"
RESULTS = ROOT / "benchmarks" / "results"
LOCATION = re.compile(r"(?<![\w/.-])((?:[\w.-]*/)*[\w.-]+\.(?:py|rs|go|js|mjs|cjs|ts|tsx|"
                      r"jsx|c|h|cc|cpp|hpp|java|rb|sh)):(\d+)")
BUDGETS = (2048, 4096, 8192)


def fixture_corpus() -> list[tuple[str, str, str, int | None]]:
    """(name, command, raw text, exit code) for every non-empty parser fixture."""
    commands: dict[str, tuple[str, int]] = {}
    for tsv in FIXTURES.glob("*/captures.tsv"):
        for row in tsv.read_text().splitlines():
            name, code, command = row.split("\t", 2)
            commands[f"{tsv.parent.name}/{name}"] = (command, int(code))
    corpus = []
    for path in sorted(FIXTURES.glob("*/*.txt")):
        key = f"{path.parent.name}/{path.stem}"
        raw = path.read_bytes()
        if not raw.strip() or path.stem == "README":
            continue
        command, code = commands.get(key, (path.parent.name.replace("_", " "), None))
        corpus.append((key, command, raw.decode("utf-8", "replace"), code))
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


def live_corpus() -> list[tuple[str, str, str, int | None]]:
    """Outputs of real commands recorded now, in a scratch directory."""
    work = Path(tempfile.mkdtemp(prefix="ais-bench-"))
    (work / "test_live.py").write_text(
        "import pytest\n\ndef test_ok():\n    assert 2 + 2 == 4\n\n"
        "def test_sum():\n    values = [1, 2, 3]\n    assert sum(values) == 7\n\n"
        "@pytest.mark.parametrize('n', [1, 2, 3])\ndef test_even(n):\n    assert n % 2 == 0\n")
    (work / "crash_live.py").write_text(
        "import json\n\ndef load(text):\n    return json.loads(text)\n\n"
        "def main():\n    return load('{bad json}')\n\nmain()\n")
    (work / "lint_live.py").write_text("import os, sys\n\ndef f(x):\n    y = 1\n"
                                       "    return undefined_name\n")
    corpus = []
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
        corpus.append((name, " ".join(Path(argv[0]).name if i == 0 else a
                                      for i, a in enumerate(argv)), text, done.returncode))
    return corpus


def prepare(corpus):
    """Messages per output (as the server builds them) and the parsed results."""
    turns = []
    for record_id, (name, command, raw, code) in enumerate(corpus, start=1):
        plain = redact(render_plain(raw.encode()))
        parsed = parse_output(plain, command, code).to_dict()
        messages = command_messages(command, plain, code, parsed, at=1.7e9 + record_id,
                                    finished_at=1.7e9 + record_id, record_id=record_id)
        count_messages(messages)
        locations = sorted({f"{file}:{line}" for file, line in LOCATION.findall(plain)})
        turns.append({"name": name, "messages": messages, "parsed": parsed,
                      "locations": locations})
    return turns


def retention(context: PaneContext, window, turns) -> dict[str, float | int]:
    """Share of parser facts and of raw file:line references the window still has."""
    text = "\n".join(entry.text for entry in window.entries)
    whole = {entry.seq for entry in window.entries if entry.form == "verbatim"}
    kept = total = loc_kept = loc_total = 0
    for turn in turns:
        output = turn["messages"][1]
        present = output.seq in whole
        for fact in output.facts:
            total += 1
            kept += present or fact in text
        for location in turn["locations"]:
            loc_total += 1
            loc_kept += present or location in text
    return {"facts": total, "facts_kept": kept,
            "facts_retained_percent": round(100 * kept / total, 2) if total else 100.0,
            "locations": loc_total, "locations_kept": loc_kept,
            "locations_retained_percent": round(100 * loc_kept / loc_total, 2)
            if loc_total else 100.0}


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


def session_runs(turns) -> list[dict]:
    """One pane fed the whole corpus in order, at several budgets."""
    runs = []
    for budget in BUDGETS:
        context = PaneContext(max_tokens=budget)
        for turn in turns:
            context.append(turn["messages"])
        window = context.view()
        runs.append({"max_tokens": budget, "raw_tokens": context.raw_tokens,
                     "context_tokens": window.tokens, "compressions": context.compressions,
                     "savings_percent": round(100 * (1 - window.tokens / context.raw_tokens), 1),
                     **retention(context, window, turns)})
        for turn in turns:  # fresh copies for the next budget (append mutates texts)
            turn["messages"] = [type(m)(**m.__dict__) for m in turn["messages"]]
    return runs


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


def main() -> None:
    started = time.perf_counter()
    load_start = time.perf_counter()
    tokens.encoding()
    load_s = time.perf_counter() - load_start
    corpus = fixture_corpus() + live_corpus()
    turns = prepare(corpus)
    result = {"encoding_load_s": round(load_s, 3), "corpus": [t["name"] for t in turns],
              "forms": savings(turns), "session": session_runs(turns),
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
    print(f"{'budget':>7} {'raw':>8} {'context':>8} {'saved':>7} {'compr.':>6} "
          f"{'facts kept':>14} {'file:line kept':>16}")
    for run in result["session"]:
        print(f"{run['max_tokens']:>7} {run['raw_tokens']:>8,} {run['context_tokens']:>8,} "
              f"{run['savings_percent']:>6}% {run['compressions']:>6} "
              f"{run['facts_kept']:>5}/{run['facts']:<4}{run['facts_retained_percent']:>5}% "
              f"{run['locations_kept']:>5}/{run['locations']:<4}"
              f"{run['locations_retained_percent']:>6}%")
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
