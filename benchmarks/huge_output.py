"""A huge command output, side by side: tmux shows it, ai-session shows it and records it.

For each size (``seq 1 N``), on fresh isolated servers:

* **tmux**: the command runs in a pane (``send-keys``) and the run ends when the pane
  prints an end marker; figures: the server's peak RSS growth (``VmHWM`` after minus
  ``VmRSS`` before) and the wall time;
* **ai-session**: the command runs as an agent runs it, ``exec NAME CMD --json --detail
  parsed --max-tokens 4000``, which returns once the record is stored (rendered, redacted,
  parsed, counted, in the context); figures: the same peak RSS growth, the wall time of the
  ``exec``, the RSS left once it is done, and the record's raw and context tokens.

The record keeps the first and last 4 MiB of any output (``OUTPUT_CAP_BYTES``), so
ai-session's memory for a 1 GB output is the memory for an 8 MiB record: the figures are
flat in N once N passes the cap; the time grows with N (the PTY and the emulator).

Run: ``python benchmarks/huge_output.py [--sizes 1500000,7000000]`` (prints one line per
size and side). Each server is killed at the end.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
import uuid
from pathlib import Path


def status(pid: int, key: str) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith(key + ":"):
            return int(line.split()[1]) / 1024
    return float("nan")


def environment(root: Path) -> dict[str, str]:
    home = root / "home"
    home.mkdir(exist_ok=True)
    (home / ".bashrc").write_text("PS1='$ '\nunset PROMPT_COMMAND\n")
    return {**{k: v for k, v in os.environ.items() if not k.startswith(("AI_SESSION", "TMUX"))},
            "HOME": str(home), "AI_SESSION_HOME": str(root / "data"), "SHELL": "/bin/bash",
            "LANG": "C.UTF-8"}


def run_tmux(count: int, root: Path) -> dict[str, float]:
    env = environment(root)
    name = f"huge{uuid.uuid4().hex[:8]}"

    def tmux(*args: str) -> str:
        return subprocess.run(["tmux", "-L", name, "-f", "/dev/null", *args], env=env,
                              capture_output=True, text=True, check=True).stdout

    tmux("new-session", "-d", "-s", "big", "-x", "120", "-y", "40", "bash --rcfile "
         + str(Path(env["HOME"]) / ".bashrc"))
    try:
        pid = int(tmux("display-message", "-p", "#{pid}").strip())
        time.sleep(0.5)
        before = status(pid, "VmRSS")
        start = time.monotonic()
        tmux("send-keys", "-t", "big", f"seq 1 {count}; echo HUGE-DONE-$((6*7))", "Enter")
        while "HUGE-DONE-42" not in tmux("capture-pane", "-p", "-t", "big"):
            time.sleep(0.05)
        wall = time.monotonic() - start
        return {"peak_growth_mb": status(pid, "VmHWM") - before, "wall_s": wall,
                "after_mb": status(pid, "VmRSS")}
    finally:
        subprocess.run(["tmux", "-L", name, "kill-server"], env=env, check=False,
                       capture_output=True)


def run_ai_session(count: int, root: Path) -> dict[str, float]:
    env = environment(root)
    name = f"huge{uuid.uuid4().hex[:8]}"

    def cli(*args: str) -> str:
        return subprocess.run([sys.executable, "-m", "aisession_tui.cli", "-L", name, *args],
                              env=env, cwd=env["HOME"], capture_output=True, text=True,
                              check=True, timeout=3600).stdout

    cli("create", "--name", "big", "--ai-context")
    try:
        pid = int(cli("display-message", "-p", "#{pid}").strip())
        cli("exec", "big", "echo warm")  # tokenizer and parsers loaded
        cli("context", "big")
        before = status(pid, "VmRSS")
        start = time.monotonic()
        reply = json.loads(cli("exec", "big", f"seq 1 {count}", "--json", "--detail",
                               "parsed", "--max-tokens", "4000", "--timeout", "3600"))
        wall = time.monotonic() - start
        peak = status(pid, "VmHWM") - before
        context = json.loads(cli("context", "big", "--json"))
        return {"peak_growth_mb": peak, "wall_s": wall, "after_mb": status(pid, "VmRSS"),
                "before_mb": before, "truncated": bool(reply.get("truncated")),
                "raw_tokens": context["raw_tokens"], "context_tokens": context["tokens"]}
    finally:
        subprocess.run([sys.executable, "-m", "aisession_tui.cli", "-L", name, "kill-server"],
                       env=env, check=False, capture_output=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="1500000,7000000",
                        help="comma-separated N of 'seq 1 N' (1500000 = 11 MB)")
    args = parser.parse_args()
    for count in [int(n) for n in args.sizes.split(",")]:
        size_mb = sum(len(str(n)) + 1 for n in range(1, count + 1)) / 1e6
        with tempfile.TemporaryDirectory() as root:
            tmux = run_tmux(count, Path(root))
        with tempfile.TemporaryDirectory() as root:
            ai = run_ai_session(count, Path(root))
        print(f"seq 1 {count} ({size_mb:.0f} MB): tmux peak +{tmux['peak_growth_mb']:.0f} MB, "
              f"{tmux['wall_s']:.1f} s | ai-session exec peak +{ai['peak_growth_mb']:.0f} MB "
              f"(from {ai['before_mb']:.0f} MB; {ai['after_mb']:.0f} MB after), "
              f"{ai['wall_s']:.1f} s, record truncated={ai['truncated']}, "
              f"{ai['raw_tokens']:,} raw tokens -> {ai['context_tokens']:,} in context | "
              f"ratio peak {ai['peak_growth_mb'] / max(tmux['peak_growth_mb'], 1):.1f}x, "
              f"time {ai['wall_s'] / max(tmux['wall_s'], 0.001):.1f}x", flush=True)


if __name__ == "__main__":
    main()
