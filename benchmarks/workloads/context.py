"""Context retrieval and token counting (ai-session only), from ``benchmarks/context_savings.py``.

That script belongs to the AI layer: it feeds 100+ real tool outputs through the server's
context path and writes ``benchmarks/results/context_savings.json``. This workload runs it
as a separate process (its own measurements, ``--quick`` runs it once, otherwise once per
measured run, no warm-up: it loads the encoding itself) and turns the figures that matter
for the issue into rows: a 4K-token context retrieval, the savings and fact retention at
that budget, token counting throughput and the tokenizer's load time. Without the script
the suite reports no context figure.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from typing import Any

from .common import BenchContext, Figure, Series

BENCH_DIR = Path(__file__).resolve().parent.parent
SCRIPT = BENCH_DIR / "context_savings.py"
OUTPUT = BENCH_DIR / "results" / "context_savings.json"


def _run_script(ctx: BenchContext) -> dict[str, Any]:
    OUTPUT.unlink(missing_ok=True)
    done = subprocess.run([sys.executable, str(SCRIPT)], cwd=BENCH_DIR.parent,
                          capture_output=True, text=True, timeout=900, check=False,
                          stdin=subprocess.DEVNULL)
    if done.returncode != 0 or not OUTPUT.exists():
        raise RuntimeError(f"{SCRIPT.name} failed ({done.returncode}): {done.stderr[-2000:]}")
    ctx.log(f"{SCRIPT.name}: {done.stdout.strip().splitlines()[-1]}")
    result: dict[str, Any] = json.loads(OUTPUT.read_text())
    return result


def run(ctx: BenchContext) -> list[Figure]:
    if not SCRIPT.exists():
        ctx.log(f"{SCRIPT.name} not present: no context figures")
        return []
    results = [_run_script(ctx) for _ in range(1 if ctx.quick else ctx.runs)]

    def series(pick: Any) -> Series:
        return Series([float(pick(result)) for result in results])

    def at_budget(result: dict[str, Any], key: str) -> float:
        row = next(row for row in result["session"] if row["max_tokens"] == 4096)
        return float(row[key])

    first = results[0]
    retrieval = first["retrieval"]
    counting = first["counting"]
    return [
        Figure(workload="context fit 4096 tokens", unit="ms",
               detail=(f"fit_to_window(4096) of a pane context of "
                       f"{retrieval['messages']:,} messages"),
               ai=series(lambda r: r["retrieval"]["fit_to_window_4096_ms"]),
               note="no tmux equivalent; absolute"),
        Figure(workload="context savings at 4096", unit="%",
               detail=(f"tokens saved vs {first['forms']['outputs']} raw outputs verbatim "
                       f"({first['forms']['raw_tokens']:,} tokens)"),
               ai=series(lambda r: at_budget(r, "savings_percent")),
               note=(f"parser facts kept {at_budget(first, 'facts_retained_percent'):.0f}%, "
                     f"file:line kept {at_budget(first, 'locations_retained_percent'):.0f}%")),
        Figure(workload="token counting", unit="MB/s",
               detail=f"cl100k_base over {counting['megabytes']} MB of real output, one text",
               ai=series(lambda r: r["counting"]["single_mb_s"]),
               note=f"batched 4 KB chunks {counting['batch_mb_s']} MB/s; higher is better"),
        Figure(workload="tokenizer load", unit="s", detail="loading cl100k_base (offline)",
               ai=series(lambda r: r["encoding_load_s"])),
    ]
