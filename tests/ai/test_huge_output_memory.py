"""A huge output is summarised and its facts read within bounded memory: record_facts and
summarize_output read it a chunk of lines at a time (they split it into a list of every
line before: ~75-85 MB of Python strings for an 8 MiB record), and command_messages keeps
one copy of it (the verbatim text) at a time. Measured with tracemalloc (allocations, not
timings)."""

from __future__ import annotations

import tracemalloc
from collections.abc import Callable

from aisession_tui.ai.context import command_messages, summarize_output
from aisession_tui.ai.facts import iter_lines, record_facts

SIZE = 2 * 1024 * 1024
SEQ = "".join(f"{n}\n" for n in range(1, SIZE // 4))[:SIZE].rpartition("\n")[0] + "\n"
TRACEBACK = ('Traceback (most recent call last):\n  File "/srv/app/main.py", line 3, in <module>\n'
             "    main()\nValueError: bad value\n")


def peak(call: Callable[[], object]) -> int:
    tracemalloc.start()
    try:
        call()
        return tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()


def test_facts_of_a_huge_output_are_read_in_bounded_memory() -> None:
    text = SEQ + TRACEBACK + SEQ
    facts = record_facts("./run.sh", 1, {"kind": "plain"}, text)
    assert [fact.parts for fact in facts if fact.kind == "exception"] == \
        [("ValueError: bad value",)]
    assert peak(lambda: record_facts("./run.sh", 1, {"kind": "plain"}, text)) < SIZE // 2


def test_a_huge_unparsed_output_is_summarised_in_bounded_memory() -> None:
    summary = summarize_output("seq 1 N", SEQ, 0, {"kind": "plain"})
    lines = SEQ.splitlines()
    assert summary.splitlines()[1:] == [lines[0], f"[… {len(lines) - 3} lines compressed …]",
                                        *lines[-2:]]
    assert peak(lambda: summarize_output("seq 1 N", SEQ, 0, {"kind": "plain"})) < SIZE // 2


def test_the_messages_of_a_huge_output_hold_one_copy_of_it() -> None:
    used = peak(lambda: command_messages("seq 1 N", SEQ, 0, {"kind": "plain"}, at=0.0,
                                         finished_at=1.0))
    assert used < 2.5 * SIZE


def test_lines_are_read_as_splitlines_reads_them() -> None:
    for text in ("", "a", "a\n", "a\nb", "a\n\nb\n", "\n", "a\r\nb\n", "\n\n\n",
                 "x" * 70_000 + "\ny\n", ("word\n" * 30_000) + "tail"):
        assert list(iter_lines(text)) == text.splitlines()
