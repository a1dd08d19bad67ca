"""Smoke test of the benchmark suite: ``benchmarks/run.py --quick`` runs every workload on
tiny inputs against real ai-session and tmux servers, prints the table, writes the JSON and
leaves no server or pane process behind. Nothing here looks at how fast anything was.

The quick suite takes about a minute, so it runs in CI (``CI`` set, as ``.ci/run`` does)
or when ``AI_SESSION_BENCH_SMOKE=1`` asks for it, not in a default local run."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
RUNNER = REPO / "benchmarks" / "run.py"
sys.path.insert(0, str(REPO / "benchmarks"))

from workloads.common import Figure, Series, Target, percentile

EXPECTED_WORKLOADS = ("flood seq", "flood sgr-log", "flood redraw", "echo p99 idle",
                      "echo p99 flood", "has-session p99 under flood", "memory 1 pane",
                      "cold has-session", "cold new-session", "TUI render full frame",
                      "TUI render one line", "context fit 4096 tokens", "token counting",
                      "client RSS, 4 panes", "app key to screen p99, while another pane floods",
                      "terminal key to screen p99, idle",
                      "terminal key to screen p99, while another pane floods",
                      "requests beside long histories p99")


def _processes_mentioning(text: str) -> list[str]:
    found = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            cmdline = (entry / "cmdline").read_bytes().replace(b"\0", b" ").decode()
            state = (entry / "stat").read_text().rsplit(")", 1)[1].split()[0]
        except (OSError, IndexError):
            continue
        if text in cmdline and state != "Z":
            found.append(f"{entry.name}: {cmdline}")
    return found


@pytest.mark.skipif(not (os.environ.get("CI") or os.environ.get("AI_SESSION_BENCH_SMOKE")),
                    reason="about a minute: runs in CI, or locally with AI_SESSION_BENCH_SMOKE=1")
@pytest.mark.skipif(shutil.which("tmux") is None, reason="the suite compares against tmux")
def test_quick_suite_prints_a_table_writes_json_and_cleans_up(tmp_path: Path) -> None:
    output = tmp_path / "result.json"
    process = subprocess.Popen(
        [sys.executable, str(RUNNER), "--quick", "--runs", "1", "--quiet", "--json",
         str(output)], cwd=REPO, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
        env={key: value for key, value in os.environ.items()
             if key not in ("AI_SESSION", "AI_SESSION_PANE", "TMUX", "TMUX_PANE")})
    try:
        stdout, stderr = process.communicate(timeout=900)
    finally:
        if process.poll() is None:
            process.kill()
            process.communicate()
    assert process.returncode == 0, stderr
    lines = stdout.splitlines()
    header = next(line for line in lines if line.startswith("| workload"))
    assert [cell.strip() for cell in header.strip("|").split("|")] == [
        "workload", "ai-session", "tmux", "ratio", "target", "met"]
    table_rows = {line.split("|")[1].strip() for line in lines if line.startswith("| ")}
    for workload in EXPECTED_WORKLOADS:
        assert workload in table_rows

    report = json.loads(output.read_text())
    assert report["quick"] is True
    assert report["failures"] == {}
    assert report["machine"]["nproc"] >= 1
    by_name = {figure["workload"]: figure for figure in report["figures"]}
    for workload in EXPECTED_WORKLOADS:
        figure = by_name[workload]
        assert figure["ai_session"]["min"] <= figure["ai_session"]["median"] \
            <= figure["ai_session"]["max"]
    flood = by_name["flood seq"]
    assert flood["tmux"]["runs"] and flood["ratio"] == pytest.approx(
        flood["ai_session"]["median"] / flood["tmux"]["median"])
    assert by_name["TUI render full frame"]["tmux"] is None
    history = next(figure for name, figure in by_name.items() if name.startswith("memory ")
                   and "lines" in name)["extra"]["history_sizes"]
    assert all(size > 0 for sizes in history["ai-session"] for size in sizes)

    runner_tag = f"bench-{process.pid}-"
    assert _processes_mentioning(runner_tag) == []
    socket_dir = Path(f"/tmp/ai-session-{os.getuid()}")
    if socket_dir.is_dir():
        assert [p.name for p in socket_dir.iterdir() if p.name.startswith(runner_tag)] == []


def test_figures_derive_ratio_and_target_from_the_runs() -> None:
    figure = Figure(workload="w", detail="d", unit="s", ai=Series([3.0, 1.0, 2.0]),
                    tmux=Series([1.0, 1.0]), target=Target("ratio", 4.0))
    assert (figure.ai.median, figure.ai.low, figure.ai.high) == (2.0, 1.0, 3.0)
    assert figure.ratio == 2.0 and figure.met is True
    absolute = Figure(workload="w", detail="d", unit="ms", ai=Series([200.0]),
                      target=Target("absolute", 150.0))
    assert absolute.ratio is None and absolute.met is False
    assert Target("absolute", 150.0).describe("ms") == "< 150 ms"


def test_percentile_is_nearest_rank() -> None:
    samples = [float(value) for value in range(1, 101)]
    assert percentile(samples, 0.5) == 50.0
    assert percentile(samples, 0.99) == 99.0
    assert percentile([7.0], 0.99) == 7.0
