"""capture-pane's ``-N`` (trailing blanks kept), ``-J`` (joined, untrimmed), ``-C``
(backslashes and escapes written out), ``-a`` / ``-q`` (the screen saved behind the
alternate screen), ``-P`` (an unfinished escape sequence) against tmux 3.3a: the same programs in both, every capture byte for
byte."""

from __future__ import annotations

import shutil

import pytest
from conftest import wait_until

pytestmark = pytest.mark.skipif(shutil.which("tmux") is None, reason="tmux is not installed")

PROGRAM = ("printf 'a\\\\b \\033[31mred\\033[0m   \\n"
           "a-wrapped-line-that-is-longer-than-forty-columns\\n  \\033[44m  \\033[0m\\n'; "
           "seq 1 9; printf 'tail   '; exec cat")
ALTERNATE = ("printf 'main  \\n\\\\kept\\n'; printf '\\033[?1049halt  \\n'; exec cat")
CAPTURES = [
    ["-p"], ["-p", "-N"], ["-p", "-J"], ["-p", "-J", "-e"], ["-p", "-N", "-e"],
    ["-p", "-C"], ["-p", "-C", "-e"], ["-p", "-N", "-C", "-e", "-S", "-2", "-E", "-"],
    ["-p", "-J", "-S", "-2", "-E", "-"], ["-p", "-a"], ["-p", "-a", "-q"],
]
"""(History lines keep no trailing blanks of the default style here - the scrollback
strips them - so ``-N``/``-J`` from the history are compared where none were written.)"""
PENDING = "printf 'done\\033[31;4'; exec cat"
PENDING_CAPTURES = [["-p", "-P"], ["-p", "-P", "-C"], ["-p"], ["-P", "-C", "-b", "pend"]]
ALTERNATE_CAPTURES = [
    ["-p"], ["-p", "-a"], ["-p", "-a", "-N"], ["-p", "-a", "-C", "-e"],
    ["-p", "-a", "-S", "-3", "-E", "1"], ["-p", "-a", "-q"],
]


def _captures(run, target: str, captures: list[list[str]]) -> list[tuple[int, str, str]]:
    return [run("capture-pane", "-t", target, *flags) for flags in captures]


def test_capture_flags_match_tmux(server, live_tmux) -> None:
    def ours(*args: str) -> tuple[int, str, str]:
        result = server.run(*args)
        return result.code, result.out, result.err

    seen = {}
    for name, run in (("tmux", live_tmux.run), ("ours", ours)):
        assert run("new-session", "-d", "-s", "c", "-x", "40", "-y", "8", PROGRAM)[0] == 0
        assert run("new-window", "-d", "-t", "c:1", ALTERNATE)[0] == 0
        wait_until(lambda r=run: "tail" in r("capture-pane", "-p", "-t", "c:0")[1],
                   message=f"{name}: the program's output")
        wait_until(lambda r=run: "alt" in r("capture-pane", "-p", "-t", "c:1")[1],
                   message=f"{name}: the alternate screen")
        assert run("new-window", "-d", "-t", "c:2", PENDING)[0] == 0
        wait_until(lambda r=run: "done" in r("capture-pane", "-p", "-t", "c:2")[1],
                   message=f"{name}: the unfinished sequence")
        pending = _captures(run, "c:2", PENDING_CAPTURES) + [run("show-buffer", "-b", "pend")]
        run("capture-pane", "-P", "-t", "c:0", "-b", "empty")  # nothing pending: no buffer
        pending.append(run("show-buffer", "-b", "empty"))
        seen[name] = (_captures(run, "c:0", CAPTURES),
                      _captures(run, "c:1", ALTERNATE_CAPTURES), pending)
    for index, (theirs, mine) in enumerate(zip(seen["tmux"][0], seen["ours"][0],
                                               strict=True)):
        assert mine == theirs, f"capture-pane {' '.join(CAPTURES[index])}"
    for index, (theirs, mine) in enumerate(zip(seen["tmux"][1], seen["ours"][1],
                                               strict=True)):
        assert mine == theirs, f"alternate: capture-pane {' '.join(ALTERNATE_CAPTURES[index])}"
    assert seen["ours"][2] == seen["tmux"][2]
    assert seen["ours"][2][1] == (0, "\\033[31;4\n", "")
