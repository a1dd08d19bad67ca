"""Context retrieval and token counting (ai-session only), from ``benchmarks/context_savings.py``.

That script belongs to the AI layer; this workload only runs it when it exists and turns
what it reports into rows. Without it the suite reports no context figure.
"""

from __future__ import annotations

from pathlib import Path

from .common import BenchContext, Figure

SCRIPT = Path(__file__).resolve().parent.parent / "context_savings.py"


def run(ctx: BenchContext) -> list[Figure]:
    if not SCRIPT.exists():
        ctx.log(f"{SCRIPT.name} not present: no context figures")
        return []
    raise RuntimeError(f"{SCRIPT.name} exists but its interface is not wired in yet")
