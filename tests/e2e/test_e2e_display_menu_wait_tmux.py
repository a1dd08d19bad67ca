"""display-menu run from the command line waits, as tmux 3.3a's (``CMD_RETURN_WAIT``):
the call returns only when the menu closes - an item chosen (its command has run) or the
menu dismissed - with tmux's exit code and output; compared with tmux in the same
harness. Also a binding whose ``run-shell`` script shows a menu (as menu plugins do): the
menu takes its keys while the binding waits."""

from __future__ import annotations

import shutil
import subprocess
import sys

import pytest
from conftest import DEADLINE, wait_until
from e2e_harness import SideBySide, harness, oracle_harness, side_by_side  # noqa: F401

pytestmark = pytest.mark.skipif(shutil.which("tmux") is None, reason="tmux is not installed")

MENU = ["display-menu", "-T", "Waits", "-x", "2", "-y", "10",
        "Make window", "m", "new-window -d -n from-menu",
        "Set option", "o", "set -g @chosen yes"]


def _start(pair: SideBySide, ours: bool) -> subprocess.Popen[str]:
    """The menu command from the command line, left running."""
    argv = ([sys.executable, "-m", "aisession_tui.cli", "-L", pair.server.name] if ours
            else [*pair.oracle.base])
    return subprocess.Popen([*argv, *MENU], env=pair.oracle.env if not ours
                            else pair.server.env, stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True)


def _one_menu(pair: SideBySide, ours: bool, key: str) -> tuple[object, ...]:
    terminal = pair.ours if ours else pair.theirs
    process = _start(pair, ours)
    try:
        terminal.wait_for("Make window")
        running = process.poll() is None  # the menu is up: the call has not returned
        terminal.keys(key)
        out, err = process.communicate(timeout=DEADLINE)
    finally:
        if process.poll() is None:
            process.kill()
            process.communicate()
    wait_until(lambda: "Make window" not in terminal.screen(), message="the menu closed")
    return running, process.returncode, out, err


def _state(pair: SideBySide, ours: bool) -> tuple[list[str], str]:
    def run(*args: str) -> str:
        return pair.server.run(*args).out if ours else pair.oracle.run(*args)[1]

    return (run("list-windows", "-t", "p", "-F", "#{window_name}").split("\n")[1:],
            run("show", "-gqv", "@chosen"))


def test_menu_from_the_command_line_waits_as_tmux(side_by_side: SideBySide) -> None:
    pair = side_by_side
    seen: dict[bool, list[object]] = {}
    for ours in (False, True):
        steps: list[object] = []
        steps.append(_one_menu(pair, ours, "Escape"))  # dismissed: nothing runs
        steps.append(_state(pair, ours))
        steps.append(_one_menu(pair, ours, "m"))  # chosen: its command runs
        wait_until(lambda o=ours: _state(pair, o)[0] == ["from-menu", ""],
                   message="the chosen item's window")
        steps.append(_one_menu(pair, ours, "o"))
        wait_until(lambda o=ours: _state(pair, o)[1] == "yes\n", message="the option")
        seen[ours] = steps
    assert seen[True] == seen[False]
    assert seen[True][0] == (True, 0, "", "")


def test_a_binding_whose_script_shows_a_menu(side_by_side: SideBySide) -> None:
    """``run-shell`` (waiting) in a binding runs a script that calls display-menu; the
    menu gets the keys, its item runs, and the binding ends, as in tmux."""
    pair = side_by_side
    ours_cli = f"{sys.executable} -m aisession_tui.cli -L {pair.server.name}"
    theirs_cli = " ".join(pair.oracle.base)
    for ours, cli in ((True, ours_cli), (False, theirs_cli)):
        run = pair.server.ok if ours else (lambda *a: pair.oracle.run(*a)[1])
        run("bind-key", "-n", "F6", "run-shell",
            f"{cli} display-menu -x 2 -y 10 'Plugin item' p 'set -g @plugin ran'")
    pair.keys("F6")
    pair.ours.wait_for("Plugin item")
    pair.theirs.wait_for("Plugin item")
    pair.keys("p")
    wait_until(lambda: pair.server.run("show", "-gqv", "@plugin").out == "ran\n",
               message="our plugin item ran")
    wait_until(lambda: pair.oracle.run("show", "-gqv", "@plugin")[1] == "ran\n",
               message="tmux's plugin item ran")
