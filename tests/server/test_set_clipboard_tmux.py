"""A pane's OSC 52 against tmux 3.3a: with ``set-clipboard on`` it adds a paste buffer and
runs the pane-set-clipboard hook; with the default ``external`` it does neither."""

from __future__ import annotations

import base64
import shutil
from typing import Any

import pytest
from conftest import wait_until

needs_tmux = pytest.mark.skipif(shutil.which("tmux") is None, reason="tmux is not installed")


def _program(text: str, marker: str) -> str:
    data = base64.b64encode(text.encode()).decode()
    return f"printf '\\033]52;c;{data}\\007{marker}\\n'; exec cat"


def _clipboard(run: Any) -> list[str]:
    seen = []
    run("new-session", "-d", "-s", "s", "-x", "80", "-y", "20", _program("ignored", "one"))
    run("set-hook", "-g", "pane-set-clipboard", 'set -gaF @clip "#{hook_pane} "')
    wait_until(lambda: "one" in run("capture-pane", "-p", "-t", "s:0")[1], message="one")
    seen.append(run("list-buffers", "-F", "#{buffer_sample}")[1])
    run("set", "-g", "set-clipboard", "on")
    run("new-window", "-d", "-t", "s:1", _program("copied text", "two"))
    wait_until(lambda: "two" in run("capture-pane", "-p", "-t", "s:1")[1], message="two")
    seen.append(wait_until(lambda: run("list-buffers", "-F", "#{buffer_sample}")[1],
                           message="a buffer"))
    seen.append(wait_until(lambda: run("show", "-gv", "@clip")[1], message="the hook"))
    seen.append(run("capture-pane", "-p", "-t", "s:1")[1].strip())
    return seen


@needs_tmux
def test_osc_52_as_in_tmux(server: Any, live_tmux: Any) -> None:
    def ours(*args: str) -> tuple[int, str, str]:
        result = server.run(*args)
        return result.code, result.out, result.err

    theirs = _clipboard(live_tmux.run)
    assert _clipboard(ours) == theirs
    assert theirs[1] == "copied text\n"
