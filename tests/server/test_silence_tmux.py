"""monitor-silence against tmux 3.3a: a window whose panes wrote nothing for N seconds is
flagged ``~`` (the current window of an unattached session too), ``#{window_silence_flag}``
and ``#{session_alerts}`` say so, the alert-silence hook runs once, and output followed by
a new silence fires it again; selecting the window clears the flag. No timing is asserted:
each step waits for its condition."""

from __future__ import annotations

import shutil
from typing import Any

import pytest
from conftest import wait_until

needs_tmux = pytest.mark.skipif(shutil.which("tmux") is None, reason="tmux is not installed")
FLAGS = "#{window_index}#{window_raw_flags} #{window_silence_flag} #{session_alerts}"
QUIET = "printf 'ready\\n'; exec cat"


def _silence(run: Any) -> list[str]:
    seen = []
    run("new-session", "-d", "-s", "s", "-x", "80", "-y", "20", QUIET)
    run("new-window", "-d", "-t", "s:1", QUIET)
    for window in ("s:0", "s:1"):
        wait_until(lambda w=window: "ready" in run("capture-pane", "-p", "-t", w)[1],
                   message="the panes printed")
    run("set-hook", "-g", "alert-silence", 'set -gaF @silent "#{hook_window} "')
    run("set", "-g", "monitor-silence", "1")
    seen.append(wait_until(lambda: (lambda text: text if "1~" in text and "0~" in text
                                    else "")(run("list-windows", "-t", "s", "-F", FLAGS)[1]),
                           message="both windows silent"))
    # silence-action other: the hook ran for the hidden window only
    seen.append(wait_until(lambda: run("show", "-gv", "@silent")[1], message="the hook"))
    run("select-window", "-t", "s:1")               # seen: its flag goes
    run("select-window", "-t", "s:0")
    seen.append(run("list-windows", "-t", "s", "-F", FLAGS)[1])
    run("send-keys", "-t", "s:1", "x", "Enter")     # output, then silence again: flagged
    seen.append(wait_until(lambda: (lambda value: value if value.count("@") >= 2 else "")(
        run("show", "-gv", "@silent")[1]), message="the hook again"))
    # both flagged again: window 0's wait restarted when it was selected, before window 1's
    # output, so it is due first (a look between the two timers at load 10 saw only 1~)
    seen.append(wait_until(lambda: (lambda text: text if "1~" in text and "0~" in text
                                    else "")(run("list-windows", "-t", "s", "-F", FLAGS)[1]),
                           message="flagged again"))
    run("set", "-g", "monitor-silence", "0")
    return seen


@needs_tmux
def test_silence_alerts_as_in_tmux(server: Any, live_tmux: Any) -> None:
    def ours(*args: str) -> tuple[int, str, str]:
        result = server.run(*args)
        return result.code, result.out, result.err

    theirs = _silence(live_tmux.run)
    assert _silence(ours) == theirs
    assert theirs[1] == "@1 \n" and theirs[3] == "@1 @1 \n"
