"""A drag after a double or triple click extends the selection by words or by lines, as
tmux 3.3a's copy mode does (``select-word`` / ``select-line`` set its selection unit,
``window_copy_start_drag`` keeps it when the drag starts on the selected word or line):
the same SGR mouse reports written to ai-session's client and to tmux, each in a real
terminal, leave the same top paste buffer.

The double and triple clicks are bound without tmux's default ``run -d0.3`` and copy
(``select-word`` alone, as users bind it to extend a selection), the same in both: with
the defaults the word is copied 0.3 s after the click and a drag extends nothing unless it
begins inside that window, a race no test can hold still."""

from __future__ import annotations

import shutil
import time

import pytest
from conftest import IsolatedServer, LiveTmux, wait_until
from e2e_harness import (  # noqa: F401 - the fixtures
    Harness,
    _quote,
    harness,
    oracle_harness,
    start_tmux_oracle,
)

pytestmark = pytest.mark.skipif(shutil.which("tmux") is None, reason="tmux is not installed")

TEXT = ("printf 'alpha beta, gamma\\nsecond line here\\nthird row-of words\\n'; "
        "exec sleep 600")
BINDINGS = [
    ["bind", "-n", "DoubleClick1Pane", "select-pane -t= ; copy-mode -H ; send -X select-word"],
    ["bind", "-n", "TripleClick1Pane", "select-pane -t= ; copy-mode -H ; send -X select-line"],
]


def _press(column: int, row: int) -> str:
    return f"\x1b[<0;{column + 1};{row + 1}M"


def _release(column: int, row: int) -> str:
    return f"\x1b[<0;{column + 1};{row + 1}m"


def _motion(column: int, row: int) -> str:
    return f"\x1b[<32;{column + 1};{row + 1}M"


def _click(column: int, row: int) -> str:
    return _press(column, row) + _release(column, row)


def _drag(start: tuple[int, int], *path: tuple[int, int]) -> str:
    return (_press(*start) + "".join(_motion(*cell) for cell in path)
            + _release(*path[-1]))


GESTURES = {
    # a word, then a drag from it down to the middle of a word of the next line
    "word drag down": (_click(7, 0) * 2, _drag((7, 0), (8, 1), (9, 1))),
    # a word, then a drag from it back up to the middle of a word of the line above
    "word drag up": (_click(13, 1) * 2, _drag((13, 1), (12, 0), (2, 0))),
    # a word among separators, dragged to a blank past the end of its line
    "word drag past the end": (_click(10, 2) * 2, _drag((10, 2), (12, 2), (30, 2))),
    # a line, dragged down a line
    "line drag down": (_click(3, 1) * 3, _drag((3, 1), (4, 1), (1, 2))),
    # a line, dragged up a line
    "line drag up": (_click(3, 1) * 3, _drag((3, 1), (4, 1), (5, 0))),
    # a word, then a drag that starts off it: a plain selection from the press
    "drag off the word": (_click(7, 0) * 2, _drag((2, 1), (4, 1), (6, 2))),
}


@pytest.mark.parametrize("mode_keys", ["emacs", "vi"])
def test_drag_after_double_and_triple_click_extends_as_tmux(
        mode_keys: str, server: IsolatedServer, harness: Harness,
        oracle_harness: Harness) -> None:
    oracle = LiveTmux(dict(server.env))

    def ours(*args: str) -> tuple[int, str, str]:
        result = server.run(*args)
        return result.code, result.out, result.err

    def top_buffer(run) -> str:  # type: ignore[no-untyped-def]
        code, out, _ = run("show-buffer")
        return out if code == 0 else ""

    def selecting(run) -> bool:  # type: ignore[no-untyped-def]
        code, out, _ = run("display", "-p", "-t", "p", "#{selection_present}")
        return code == 0 and out == "1\n"

    def in_mode(run) -> bool:  # type: ignore[no-untyped-def]
        code, out, _ = run("display", "-p", "-t", "p", "#{pane_in_mode}")
        return code == 0 and out == "1\n"

    try:
        server.ok("new-session", "-d", "-s", "p", TEXT)
        setup = [["set", "-g", "mouse", "on"], ["set", "-g", "mode-keys", mode_keys],
                 *BINDINGS]
        for words in setup:
            server.ok(*words)
        harness.start("attach", "-t", "p")
        start_tmux_oracle(oracle_harness, oracle, server, " \\; ".join(
            [_quote(TEXT)] + [" ".join(_quote(word) for word in words) for words in setup]))
        harness.wait_for("third row-of words")
        oracle_harness.wait_for("third row-of words")
        for name, (clicks, drag) in GESTURES.items():
            # gestures apart by more than a double click's interval (tmux: 300 ms), or the
            # next press counts as one more click of the previous gesture
            time.sleep(0.6)
            before = (top_buffer(ours), top_buffer(oracle.run))
            for terminal, run in ((harness, ours), (oracle_harness, oracle.run)):
                terminal.keys("-l", clicks)
                # the double click is known once the click timeout passes (tmux: 300 ms)
                wait_until(lambda run=run: selecting(run), message=f"{name}: a selection")
                terminal.keys("-l", drag)
            theirs = str(wait_until(lambda old=before[1]: top_buffer(oracle.run)
                                    not in ("", old) and top_buffer(oracle.run),
                                    message=f"tmux copied ({name})"))
            wait_until(lambda old=before[0]: top_buffer(ours) not in ("", old),
                       message=f"ai-session copied ({name})")
            assert top_buffer(ours) == theirs, name
            for run in (ours, oracle.run):
                wait_until(lambda run=run: not in_mode(run), message=f"{name}: mode left")
    finally:
        oracle.kill()
