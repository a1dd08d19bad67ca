"""Mouse selection in the real TUI against tmux 3.3a with ``mouse on``, in the same
harness: the same SGR mouse reports written to each terminal (a left drag across a word, a
double click on a word, a triple click on a line) leave the same top paste buffer."""

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

TEXT = "printf 'alpha beta gamma\\nsecond line here\\n'; exec sleep 600"


def _press(column: int, row: int) -> str:
    return f"\x1b[<0;{column + 1};{row + 1}M"


def _release(column: int, row: int) -> str:
    return f"\x1b[<0;{column + 1};{row + 1}m"


def _motion(column: int, row: int) -> str:
    return f"\x1b[<32;{column + 1};{row + 1}M"


def _top_buffer(run) -> str:  # type: ignore[no-untyped-def]
    code, out, _ = run("show-buffer")
    return out if code == 0 else ""


def test_mouse_selection_copies_what_tmux_copies(server: IsolatedServer, harness: Harness,
                                                 oracle_harness: Harness) -> None:
    oracle = LiveTmux(dict(server.env))

    def ours(*args: str) -> tuple[int, str, str]:
        result = server.run(*args)
        return result.code, result.out, result.err

    try:
        server.ok("new-session", "-d", "-s", "p", TEXT)
        server.ok("set", "-g", "mouse", "on")
        harness.start("attach", "-t", "p")
        start_tmux_oracle(oracle_harness, oracle, server,
                          f"{_quote(TEXT)} \\; set -g mouse on")
        harness.wait_for("second line here")
        oracle_harness.wait_for("second line here")
        gestures = {
            "drag": [_press(6, 0), _motion(8, 0), _motion(10, 0), _release(10, 0)],
            "double click": [_press(12, 0), _release(12, 0), _press(12, 0), _release(12, 0)],
            "triple click": [_press(3, 1), _release(3, 1)] * 3,
        }
        for name, reports in gestures.items():
            # gestures apart by more than a double click's interval (tmux: 300 ms), or the
            # next press counts as one more click of the previous gesture
            time.sleep(0.6)
            before = (_top_buffer(ours), _top_buffer(oracle.run))
            for terminal in (harness, oracle_harness):
                terminal.keys("-l", "".join(reports))
            theirs = str(wait_until(lambda old=before[1]: _top_buffer(oracle.run) not in ("", old)
                                    and _top_buffer(oracle.run), message=f"tmux copied ({name})"))
            wait_until(lambda old=before[0]: _top_buffer(ours) not in ("", old),
                       message=f"ai-session copied ({name})")
            try:  # (a selection may still be growing)
                wait_until(lambda expected=theirs: _top_buffer(ours) == expected, 10)
            except AssertionError:
                pass
            assert _top_buffer(ours) == theirs, name
            # both leave copy mode once the selection is copied
            wait_until(lambda: server.ok("display", "-p", "-t", "p", "#{pane_in_mode}")
                       == "0\n", message=f"copy mode left after the {name}")
    finally:
        oracle.kill()
