"""allow-rename against tmux 3.3a: a program's ``ESC k name ESC \\`` names its window only
with ``allow-rename`` on (and turns automatic-rename off), an empty one gives the window
back to automatic-rename; the string itself never shows in the pane."""

from __future__ import annotations

import shutil
from typing import Any

import pytest
from conftest import wait_until

needs_tmux = pytest.mark.skipif(shutil.which("tmux") is None, reason="tmux is not installed")


def _program(name: str, marker: str) -> str:
    return f"printf 'a\\033k{name}\\033\\\\b {marker}\\n'; exec cat"


def _steps(run: Any) -> list[str]:
    seen = []
    run("new-session", "-d", "-s", "s", "-x", "80", "-y", "20", _program("ignored", "one"))
    wait_until(lambda: "one" in run("capture-pane", "-p", "-t", "s:0")[1], message="one")
    seen.append(run("capture-pane", "-p", "-t", "s:0")[1].strip())
    run("set", "-g", "allow-rename", "on")
    run("new-window", "-d", "-t", "s:1", _program("named", "two"))
    wait_until(lambda: "two" in run("capture-pane", "-p", "-t", "s:1")[1], message="two")
    wait_until(lambda: run("display", "-p", "-t", "s:1", "#W")[1] == "named\n",
               message="the window named by its program")
    run("new-window", "-d", "-t", "s:2", _program("", "three"))
    wait_until(lambda: "three" in run("capture-pane", "-p", "-t", "s:2")[1], message="three")
    seen.append(run("capture-pane", "-p", "-t", "s:1")[1].strip())
    seen.append(run("list-windows", "-t", "s", "-F",
                    "#{window_index} #{?automatic-rename,auto,fixed}")[1])
    seen.append(run("display", "-p", "-t", "s:1", "#W")[1])
    seen.append(run("show", "-w", "-t", "s:1", "automatic-rename")[1])
    return seen


@needs_tmux
def test_rename_strings_as_in_tmux(server: Any, live_tmux: Any) -> None:
    def ours(*args: str) -> tuple[int, str, str]:
        result = server.run(*args)
        return result.code, result.out, result.err

    theirs = _steps(live_tmux.run)
    assert _steps(ours) == theirs
