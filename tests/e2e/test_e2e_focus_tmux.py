"""Pane focus against tmux 3.3a, each with an attached client in the same harness: with
``focus-events`` on, changing the active pane or the current window runs
``pane-focus-out`` / ``pane-focus-in`` for the panes concerned and sends ``ESC [ O`` /
``ESC [ I`` to a program that asked for focus reports."""

from __future__ import annotations

import shutil
from typing import Any

import pytest
from conftest import IsolatedServer, LiveTmux, wait_until
from e2e_harness import Harness, harness, oracle_harness, start_tmux_oracle  # noqa: F401 - fixtures

pytestmark = pytest.mark.skipif(shutil.which("tmux") is None, reason="tmux is not installed")

REPORTER = "printf '\\033[?1004h'; exec cat -v"


def _focus_log(run: Any) -> list[str]:
    run("set-hook", "-g", "pane-focus-in", 'set -gaF @focus "in#{hook_pane} "')
    run("set-hook", "-g", "pane-focus-out", 'set -gaF @focus "out#{hook_pane} "')
    run("set", "-g", "focus-events", "on")
    run("split-window", "-t", "p", REPORTER)                  # %1 active, in focus
    wait_until(lambda: run("display", "-p", "-t", "p", "#{pane_current_command}")[1]
               .strip() == "cat", message="the reporter runs")
    run("select-pane", "-t", "p.0")
    run("select-pane", "-t", "p.1")
    # "p:" (session p, the next free index): a bare "p" is first looked up as a window
    # name prefix, and tmux's automatic name for window 0 can start with "p" for a moment
    assert run("new-window", "-t", "p:")[0] == 0
    run("select-window", "-t", "p:0")
    return [wait_until(lambda: (lambda value: value if value.count(" ") >= 8 else "")(
                run("show", "-gv", "@focus")[1]), message="the focus hooks"),
            wait_until(lambda: (lambda text: text if text.count("^[[") >= 4 else "")(
                run("capture-pane", "-p", "-t", "p:0.1")[1].strip()),
                message="the reports")]


def test_focus_hooks_and_reports_match_tmux(server: IsolatedServer, harness: Harness,
                                            oracle_harness: Harness) -> None:
    oracle = LiveTmux(dict(server.env))

    def ours(*args: str) -> tuple[int, str, str]:
        result = server.run(*args)
        return result.code, result.out, result.err

    try:
        server.ok("new-session", "-d", "-s", "p")
        harness.start("attach", "-t", "p")
        start_tmux_oracle(oracle_harness, oracle, server)
        harness.wait_for("0:bash*")
        harness.wait_attached()
        oracle_harness.wait_for("0:bash*")
        theirs = _focus_log(oracle.run)
        assert _focus_log(ours) == theirs
    finally:
        oracle.kill()
