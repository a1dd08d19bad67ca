"""Where an idle pane's server memory goes: the server's mappings (``/proc/PID/smaps``) at
several pane counts, and what each kind grew by per pane between them.

A diagnostic beside ``run.py --only memory`` (which it does not replace): it starts one
ai-session server (``new-session -d -x 200 -y 50 cat``, as the benchmark), adds ``new-window
-d cat`` windows up to each count, waits ``--settle`` seconds and reads every mapping's
``Rss``. Kinds: ``[heap]`` (glibc's main arena: objects over 512 bytes, C extensions),
anonymous mappings of up to 1.1 MiB (pymalloc arenas are 1 MiB in Python 3.11, adjacent
ones merge) and bigger ones (merged arenas, other threads' malloc arenas at 64 MiB
alignment), thread stacks, file mappings. ``--pre "set-option -g @resurrect off"`` runs
commands first (e.g. to see what resurrection snapshots cost: their transient objects
leave pymalloc pools touched). Found with it (2026-12-06): the snapshots were ~30 KB of
the ~37 KB a pane grew.

    python benchmarks/pane_memory.py 1 2 100 200 [--pre CMD] [--settle 1.5]
"""

from __future__ import annotations

import argparse
import collections
import os
import subprocess
import sys
import tempfile
import time
from typing import Any

from aisession_tui.cli.client import connect
from aisession_tui.protocol.paths import socket_path


def mappings(pid: int) -> list[dict[str, Any]]:
    """Every mapping of ``pid``: start, size, name and its Rss / Anonymous (KB)."""
    found: list[dict[str, Any]] = []
    with open(f"/proc/{pid}/smaps") as smaps:
        for line in smaps:
            parts = line.split()
            if "-" in parts[0] and not parts[0].endswith(":"):
                low, high = (int(x, 16) for x in parts[0].split("-"))
                found.append({"start": low, "size": high - low,
                              "name": parts[5] if len(parts) > 5 else ""})
            elif parts[0] in ("Rss:", "Anonymous:"):
                found[-1][parts[0][:-1]] = int(parts[1])
    return found


def kinds(maps: list[dict[str, Any]]) -> collections.Counter[str]:
    """Rss (KB) by kind of mapping."""
    total: collections.Counter[str] = collections.Counter()
    for mapping in maps:
        name = mapping["name"]
        if not name:
            kind = "anon <= 1.1 MiB" if mapping["size"] <= 1100 * 1024 else "anon > 1.1 MiB"
        elif name.startswith("["):
            kind = name
        else:
            kind = "files"
        total[kind] += mapping.get("Rss", 0)
    total["TOTAL"] = sum(mapping.get("Rss", 0) for mapping in maps)
    total["ANONYMOUS"] = sum(mapping.get("Anonymous", 0) for mapping in maps)
    return total


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("counts", type=int, nargs="*", default=[1, 2, 100, 200])
    parser.add_argument("--pre", action="append", default=[],
                        help="a command to run first (words split on spaces)")
    parser.add_argument("--settle", type=float, default=1.5)
    args = parser.parse_args()
    name = f"pane-memory-{os.getpid()}"
    env = {key: value for key, value in os.environ.items()
           if key not in ("TMUX", "TMUX_PANE", "AI_SESSION", "AI_SESSION_PANE")}
    env["AI_SESSION_HOME"] = tempfile.mkdtemp(prefix="pane-memory-")
    cli = [sys.executable, "-m", "aisession_tui.cli", "-L", name]
    subprocess.run([*cli, "new-session", "-d", "-s", "keep", "-x", "200", "-y", "50", "cat"],
                   env=env, check=True)
    try:
        pid = int(subprocess.run([*cli, "display-message", "-p", "#{pid}"], env=env,
                                 capture_output=True, text=True, check=True).stdout)
        client = connect(socket_path(name), start=False)

        def command(*argv: str) -> None:
            client.request("command", {"argv": list(argv), "cwd": "/", "env": env})

        for pre in args.pre:
            command(*pre.split())
        time.sleep(3.0)  # the first snapshot's imports (as the benchmark's STEADY)
        panes = 1
        seen: list[tuple[int, collections.Counter[str]]] = []
        for count in args.counts:
            while panes < count:
                command("new-window", "-d", "-t", "keep", "cat")
                panes += 1
            time.sleep(args.settle)
            seen.append((panes, kinds(mappings(pid))))
            print(f"{panes:5} panes: RSS {seen[-1][1]['TOTAL']} KB, anonymous "
                  f"{seen[-1][1]['ANONYMOUS']} KB", flush=True)
        for (low, before), (high, after) in zip(seen, seen[1:], strict=False):
            if high == low:
                continue
            print(f"{low} -> {high} panes, KB a pane:")
            for kind in sorted(set(before) | set(after)):
                print(f"  {kind:16} {(after[kind] - before[kind]) / (high - low):8.2f}")
        client.close()
    finally:
        subprocess.run([*cli, "kill-server"], env=env, check=False)


if __name__ == "__main__":
    main()
