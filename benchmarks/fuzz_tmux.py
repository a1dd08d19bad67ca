"""Differential fuzzing of the emulator against live tmux 3.3a.

    python benchmarks/fuzz_tmux.py --streams 2000 --seed 1 [--show 5]

Prints how many of N grammar streams (aisession_tui/terminal/stream_grammar.py) give
the same ``capture-pane -p`` text, the same ``capture-pane -p -e`` text (attributes) and
the same cursor in tmux and in ai-session's emulator; ``--show`` prints the shortest
differing streams.
"""

from __future__ import annotations

import argparse
import os
import random
import sys

from aisession_tui.terminal.differential import compare
from aisession_tui.terminal.stream_grammar import SIZES, random_stream
from aisession_tui.terminal.tmux_oracle import TmuxOracle, tmux_binary


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--streams", type=int, default=1000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--batch", type=int, default=200)
    parser.add_argument("--show", type=int, default=0)
    options = parser.parse_args()
    if tmux_binary() is None:
        print("tmux is not installed", file=sys.stderr)
        return 1
    rng = random.Random(options.seed)
    streams = [(random_stream(rng), *rng.choice(SIZES)) for _ in range(options.streams)]
    outcomes = []
    with TmuxOracle(f"fuzz-{os.getpid()}") as oracle:
        for start in range(0, len(streams), options.batch):
            outcomes += compare(oracle, streams[start:start + options.batch])
    total = len(outcomes)
    for label, attribute in (("text", "same_text"), ("attributes (-e)", "same_escaped"),
                             ("cursor", "same_cursor"), ("all three", "identical")):
        same = sum(getattr(outcome, attribute) for outcome in outcomes)
        print(f"identical {label:16} {same:6}/{total} = {100 * same / total:5.1f}%")
    failing = sorted((o for o in outcomes if not o.identical), key=lambda o: len(o.data))
    for outcome in failing[:options.show]:
        print("---", outcome.size, repr(outcome.data))
        if not outcome.same_text:
            for ours, theirs in zip(outcome.ours.text, outcome.theirs.text):
                if ours != theirs:
                    print("  ours ", repr(ours))
                    print("  tmux ", repr(theirs))
        elif not outcome.same_escaped:
            for ours, theirs in zip(outcome.ours.escaped, outcome.theirs.escaped):
                if ours != theirs:
                    print("  ours -e", repr(ours))
                    print("  tmux -e", repr(theirs))
        if not outcome.same_cursor:
            print("  cursor ours", outcome.ours.cursor, "tmux", outcome.theirs.cursor)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
