"""Differential fuzzing of the emulator against live tmux 3.3a.

    python benchmarks/fuzz_tmux.py --streams 2000 --seed 1 [--show 5] [--minimize 50]

Prints how many of N grammar streams (aisession_tui/terminal/stream_grammar.py) give
the same ``capture-pane -p`` text, the same ``capture-pane -p -e`` text (attributes) and
the same cursor in tmux and in ai-session's emulator; ``--show`` prints the shortest
differing streams. ``--minimize`` cuts that many differing streams down to the fewest
grammar productions that still differ in the same way (text; else attributes only; else
the cursor only), all streams' candidates replayed in one tmux batch per round, and
prints the minimal cases shortest first: each is a regression case to fix and test.
"""

from __future__ import annotations

import argparse
import os
import random
import sys

from aisession_tui.terminal.differential import Outcome, compare
from aisession_tui.terminal.stream_grammar import SIZES, random_pieces
from aisession_tui.terminal.tmux_oracle import TmuxOracle, tmux_binary


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--streams", type=int, default=1000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--batch", type=int, default=200)
    parser.add_argument("--show", type=int, default=0)
    parser.add_argument("--minimize", type=int, default=0)
    options = parser.parse_args()
    if tmux_binary() is None:
        print("tmux is not installed", file=sys.stderr)
        return 1
    rng = random.Random(options.seed)
    pieces = []
    for _ in range(options.streams):
        stream_pieces = random_pieces(rng)
        pieces.append((stream_pieces, *rng.choice(SIZES)))
    streams = [("".join(p).encode(), columns, lines) for p, columns, lines in pieces]
    outcomes = []
    with TmuxOracle(f"fuzz-{os.getpid()}") as oracle:
        for start in range(0, len(streams), options.batch):
            outcomes += compare(oracle, streams[start:start + options.batch])
        if options.minimize:
            differing = [(piece, outcome) for piece, outcome in zip(pieces, outcomes)
                         if not outcome.identical][:options.minimize]
            for kind, outcome in sorted(minimize(oracle, differing, options.batch),
                                        key=lambda found: len(found[1].data)):
                print("=== differs in", kind)
                print_outcome(outcome)
            return 0
    total = len(outcomes)
    for label, attribute in (("text", "same_text"), ("attributes (-e)", "same_escaped"),
                             ("cursor", "same_cursor"), ("all three", "identical")):
        same = sum(getattr(outcome, attribute) for outcome in outcomes)
        print(f"identical {label:16} {same:6}/{total} = {100 * same / total:5.1f}%")
    failing = sorted((o for o in outcomes if not o.identical), key=lambda o: len(o.data))
    for outcome in failing[:options.show]:
        print_outcome(outcome)
    return 0


def difference(outcome: Outcome) -> str | None:
    """How a stream differs: ``text``; else ``attributes``; else ``cursor``; None when it
    does not."""
    if not outcome.same_text:
        return "text"
    if not outcome.same_escaped:
        return "attributes"
    return None if outcome.same_cursor else "cursor"


def minimize(oracle: TmuxOracle, failing: list[tuple[tuple[list[str], int, int], Outcome]],
             batch: int) -> list[tuple[str, Outcome]]:
    """Delta debugging on productions, all streams at once: each round tries, for every
    stream not yet minimal, the stream without each chunk of its productions (chunks
    halving from half the stream to one production) and keeps the first that still
    differs the same way."""
    states = [(pieces, columns, lines, max(1, len(pieces) // 2), difference(outcome), outcome)
              for (pieces, columns, lines), outcome in failing]
    done: list[tuple[str, Outcome]] = []
    while states:
        candidates: list[tuple[int, list[str]]] = []
        for index, (pieces, _columns, _lines, chunk, _kind, _outcome) in enumerate(states):
            for start in range(0, len(pieces), chunk):
                candidates.append((index, pieces[:start] + pieces[start + chunk:]))
        replays = [("".join(c).encode(), states[i][1], states[i][2]) for i, c in candidates]
        results: list[Outcome] = []
        for start in range(0, len(replays), batch):
            results += compare(oracle, replays[start:start + batch])
        found: dict[int, tuple[list[str], Outcome]] = {}
        for (index, candidate), result in zip(candidates, results):
            if index not in found and difference(result) == states[index][4]:
                found[index] = (candidate, result)
        following = []
        for index, (pieces, columns, lines, chunk, kind, outcome) in enumerate(states):
            if index in found:
                smaller, result = found[index]
                following.append((smaller, columns, lines, min(chunk, max(1, len(smaller) // 2)),
                                  kind, result))
            elif chunk > 1:
                following.append((pieces, columns, lines, chunk // 2, kind, outcome))
            else:
                done.append((str(kind), outcome))
        states = following
    return done


def print_outcome(outcome: Outcome) -> None:
    """A differing stream and the lines (or cursor) where tmux and ours differ."""
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


if __name__ == "__main__":
    raise SystemExit(main())
