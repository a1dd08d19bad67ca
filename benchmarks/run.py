"""ai-session versus tmux 3.3a, side by side in one run: ``python benchmarks/run.py``.

Options: ``--quick`` (small inputs, fewer runs: a smoke run, not a measurement),
``--json PATH`` (default ``benchmarks/results/latest.json``), ``--only NAME[,NAME]`` (a subset
of workloads: flood, echo, responsiveness, memory, startup, render, context,
client_memory, terminal_echo, attach, histories; ``cold``, attach's cold start alone, only
when named), ``--runs N`` (measured runs per figure), ``--quiet`` (no
progress on stderr).

Prints a table (workload, ai-session, tmux, ratio, target) where each figure is the median
of the measured runs after warm-up, with min-max, and writes the same rows as JSON with the
machine description. Every server and process a workload starts is stopped before exit,
also on errors and Ctrl-C (see ``workloads/common.py``).
"""

from __future__ import annotations

import argparse
import datetime
import importlib
import json
import os
import platform
import shutil
import signal
import sys
import tempfile
import time
import traceback
from pathlib import Path
from typing import Any

BENCH_DIR = Path(__file__).resolve().parent
if str(BENCH_DIR) not in sys.path:
    sys.path.insert(0, str(BENCH_DIR))

from workloads.common import BenchContext, Cleanup, Figure

from aisession_tui.client.frame_rate import raise_frame_rate

raise_frame_rate()  # the client_memory workload runs the app as `ai-session attach` does

WORKLOADS = ("flood", "echo", "responsiveness", "memory", "startup", "render", "context",
             "client_memory", "terminal_echo", "attach", "cold", "histories")
DEFAULT_JSON = BENCH_DIR / "results" / "latest.json"


def machine() -> dict[str, Any]:
    """nproc, CPU model, memory, OS, Python and tmux versions."""
    cpu = "unknown"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    memory_gb = 0.0
    try:
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemTotal:"):
                memory_gb = int(line.split()[1]) / 1024 / 1024
    except OSError:
        pass
    tmux = "not installed"
    if shutil.which("tmux"):
        import subprocess

        tmux = subprocess.run(["tmux", "-V"], capture_output=True, text=True,
                              check=False).stdout.strip()
    return {"nproc": os.cpu_count(), "cpu": cpu, "memory_gb": round(memory_gb, 1),
            "os": platform.platform(), "python": platform.python_version(), "tmux": tmux,
            "loadavg_at_end": list(os.getloadavg())}


def source_state() -> dict[str, Any]:
    """The commit measured, and whether the package had uncommitted changes at the time."""
    import subprocess

    def git(*argv: str) -> str:
        done = subprocess.run(["git", *argv], cwd=BENCH_DIR.parent, capture_output=True,
                              text=True, check=False)
        return done.stdout.strip() if done.returncode == 0 else ""

    return {"commit": git("rev-parse", "--short", "HEAD") or "unknown",
            "package_modified": bool(git("status", "--porcelain", "--", "aisession_tui"))}


def format_value(value: float, unit: str) -> str:
    if value >= 100:
        return f"{value:.0f}"
    if value >= 10:
        return f"{value:.1f}"
    if value >= 1:
        return f"{value:.2f}"
    return f"{value:.3f}"


def format_series(figure: Figure, which: str) -> str:
    series = figure.ai if which == "ai" else figure.tmux
    if series is None:
        return "-"
    unit = figure.unit
    text = f"{format_value(series.median, unit)} {unit}"
    if len(series.values) > 1:
        text += f" ({format_value(series.low, unit)}-{format_value(series.high, unit)})"
    return text


def table(figures: list[Figure]) -> str:
    """The results as a Markdown table (readable in a terminal too)."""
    header = ["workload", "ai-session", "tmux", "ratio", "target", "met"]
    rows = []
    for figure in figures:
        ratio = figure.ratio
        met = figure.met
        rows.append([
            figure.workload, format_series(figure, "ai"), format_series(figure, "tmux"),
            f"{ratio:.2f}x" if ratio is not None else "-",
            figure.target.describe(figure.unit) if figure.target else "-",
            "-" if met is None else ("yes" if met else "NO"),
        ])
    widths = [max(len(header[i]), *(len(row[i]) for row in rows)) if rows else len(header[i])
              for i in range(len(header))]
    lines = ["| " + " | ".join(h.ljust(w) for h, w in zip(header, widths)) + " |",
             "|" + "|".join("-" * (w + 2) for w in widths) + "|"]
    for row in rows:
        lines.append("| " + " | ".join(c.ljust(w) for c, w in zip(row, widths)) + " |")
    return "\n".join(lines)


def notes(figures: list[Figure]) -> str:
    return "\n".join(f"- {f.workload}: {f.detail}" + (f"; {f.note}" if f.note else "")
                     for f in figures)


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--quick", action="store_true", help="tiny inputs, fewer runs")
    parser.add_argument("--json", type=Path, default=DEFAULT_JSON, help="where to write JSON")
    parser.add_argument("--only", default=",".join(name for name in WORKLOADS
                                                   if name != "cold"),  # attach has it
                        help="comma-separated workloads: " + ",".join(WORKLOADS))
    parser.add_argument("--runs", type=int, help="measured runs per figure")
    parser.add_argument("--quiet", action="store_true", help="no progress on stderr")
    options = parser.parse_args(argv)
    options.only = [name.strip() for name in options.only.split(",") if name.strip()]
    unknown = [name for name in options.only if name not in WORKLOADS]
    if unknown:
        parser.error(f"unknown workload(s): {', '.join(unknown)}")
    return options


def _raise_interrupt(signum: int, frame: Any) -> None:
    raise KeyboardInterrupt(f"signal {signum}")


def main(argv: list[str] | None = None) -> int:
    options = parse_args(argv)
    if shutil.which("tmux") is None:
        print("tmux is not installed: the suite compares against it", file=sys.stderr)
        return 2
    signal.signal(signal.SIGTERM, _raise_interrupt)
    cleanup = Cleanup()
    workdir = Path(tempfile.mkdtemp(prefix="aisession-bench-"))
    cleanup.add("scratch directory", lambda: shutil.rmtree(workdir, ignore_errors=True))
    runs = options.runs or (2 if options.quick else 3)
    ctx = BenchContext(quick=options.quick, workdir=workdir, cleanup=cleanup, runs=runs,
                       warmups=1, verbose=not options.quiet)
    started = time.monotonic()
    load_at_start = list(os.getloadavg())
    figures: list[Figure] = []
    failures: dict[str, str] = {}
    try:
        for name in options.only:
            ctx.log(f"workload {name}")
            module = importlib.import_module(f"workloads.{name}")
            try:
                figures.extend(module.run(ctx))
            except KeyboardInterrupt:
                raise
            except Exception:  # noqa: BLE001 - one broken workload must not hide the rest
                failures[name] = traceback.format_exc()
                ctx.log(f"workload {name} failed:\n{failures[name]}")
    except KeyboardInterrupt:
        print("interrupted: stopping every server started", file=sys.stderr)
        return 130
    finally:
        cleanup.run_all()
    elapsed = time.monotonic() - started
    report = {
        "date": datetime.datetime.now().astimezone().isoformat(timespec="seconds"),
        "command": " ".join(["python benchmarks/run.py", *(sys.argv[1:] if argv is None
                                                            else argv)]),
        "quick": options.quick, "runs": runs, "warmups": ctx.warmups,
        "elapsed_s": round(elapsed, 1), "machine": machine(), "source": source_state(),
        "loadavg_at_start": load_at_start,
        "figures": [figure.to_json() for figure in figures], "failures": failures,
    }
    options.json.parent.mkdir(parents=True, exist_ok=True)
    options.json.write_text(json.dumps(report, indent=2) + "\n")
    info = report["machine"]
    source = report["source"]
    print(f"{report['date']}  {report['command']}  commit {source['commit']}"
          f"{' + uncommitted changes' if source['package_modified'] else ''}")
    print(f"({info['nproc']} CPUs, {info['cpu']}, "
          f"{info['memory_gb']} GB, {info['tmux']}; load average at start "
          f"{load_at_start[0]:.2f}, at end {info['loadavg_at_end'][0]:.2f})\n")
    print(table(figures))
    print()
    print(notes(figures))
    for name, text in failures.items():
        print(f"\nworkload {name} FAILED:\n{text}", file=sys.stderr)
    print(f"\n{len(figures)} figures in {elapsed:.0f} s; JSON: {options.json}")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
