"""command-prompt in the real TUI against tmux 3.3a in the same harness: the same key
binding and the same scripted prompts show the same prompt line (text and colours), and
their answers rename the window the same way."""

from __future__ import annotations

import re
import shutil
import subprocess
from collections.abc import Callable
from typing import TypeVar

import pytest
from conftest import IsolatedServer, LiveTmux, wait_until
from e2e_harness import Harness, harness, oracle_harness, start_tmux_oracle  # noqa: F401 - fixtures

T = TypeVar("T")

pytestmark = pytest.mark.skipif(shutil.which("tmux") is None, reason="tmux is not installed")


def _last_line(harness: Harness) -> str:
    return subprocess.run(["tmux", "-L", harness.name, "capture-pane", "-e", "-p", "-t", "h"],
                          capture_output=True, text=True, timeout=30,
                          check=False).stdout.rstrip("\n").split("\n")[-1]


def _shape(line: str) -> tuple[str, int]:
    """A prompt line's text and where its reverse-video cursor cell is. (The colours
    themselves are the theme's: ai-session's default theme gives 256-colour numbers where
    tmux gives palette colours.)"""
    text = re.sub(r"\x1b\[[0-9;]*m", "", line)
    before_cursor = line.split("\x1b[7m")[0] if "\x1b[7m" in line else line
    return text, len(re.sub(r"\x1b\[[0-9;]*m", "", before_cursor))


def _both(ours: Harness, theirs: Harness, text: str) -> tuple[tuple[str, int], tuple[str, int]]:
    """Wait for ``text`` on both terminals; their last lines' shapes."""
    ours.wait_for(text)
    theirs.wait_for(text)
    return _settled(lambda: _shape(_last_line(ours)), lambda: _shape(_last_line(theirs)))


def _settled(ours: Callable[[], T], theirs: Callable[[], T]) -> tuple[T, T]:
    """Both sides once they agree (a terminal may still be drawing), else as they are
    at the deadline."""
    try:
        wait_until(lambda: ours() == theirs(), message="the same screen")
    except AssertionError:
        pass  # the caller's assertion shows the difference
    return ours(), theirs()


def test_prompt_lines_match_tmux(server: IsolatedServer, harness: Harness,
                                 oracle_harness: Harness) -> None:
    oracle = LiveTmux(dict(server.env))
    try:
        server.ok("new-session", "-d", "-s", "p")
        harness.start("attach", "-t", "p")
        start_tmux_oracle(oracle_harness, oracle, server)
        harness.wait_for("0:bash*")
        harness.wait_attached()
        oracle_harness.wait_for("0:bash*")
        for terminal in (harness, oracle_harness):
            terminal.keys("C-b", ",")
        ours, theirs = _both(harness, oracle_harness, "(rename-window) bash")
        assert ours == theirs
        for terminal in (harness, oracle_harness):
            terminal.keys("C-u", "one", "Enter")
        for key, label in (("'", "index"), (".", "(move-window)"), ("f", "(find-window)"),
                           ("$", "(rename-session) p")):
            for terminal in (harness, oracle_harness):
                terminal.keys("C-b", key)
            ours, theirs = _both(harness, oracle_harness, label)
            assert ours == theirs, key
            for terminal in (harness, oracle_harness):
                terminal.keys("C-c")
        for terminal in (harness, oracle_harness):                 # -k: the key's name
            terminal.keys("C-b", "/")
        ours, theirs = _both(harness, oracle_harness, "key")
        assert ours == theirs
        for terminal in (harness, oracle_harness):
            terminal.keys("C-b")          # list-keys -1N C-b: a message, in both
        ours, theirs = _both(harness, oracle_harness, "Send the prefix key")
        assert ours[0].rstrip() == theirs[0].rstrip()
        argv = ["command-prompt", "-p", "first,second", "-I", "x,#{session_name}",
                "rename-window '%1-%2'"]
        server.ok(*argv[:1], "-b", *argv[1:])
        code, _, err = oracle.run(*argv[:1], "-b", *argv[1:])
        assert code == 0, err
        ours, theirs = _both(harness, oracle_harness, "first x")
        assert ours == theirs
        for terminal in (harness, oracle_harness):
            terminal.keys("y", "Enter")
        ours, theirs = _both(harness, oracle_harness, "second p")
        assert ours == theirs
        for terminal in (harness, oracle_harness):
            terminal.keys("Enter")
        wait_until(lambda: server.ok("display-message", "-p", "-t", "p", "#W") == "xy-p\n",
                   message="renamed in ai-session")
        wait_until(lambda: oracle.run("display-message", "-p", "-t", "p", "#W")[1] == "xy-p\n",
                   message="renamed in tmux")
        for terminal in (harness, oracle_harness):
            terminal.keys("C-b", "&")                     # confirm-before -p ...
        ours, theirs = _both(harness, oracle_harness, "kill-window xy-p? (y/n)")
        assert ours == theirs
        for terminal in (harness, oracle_harness):
            terminal.keys("n")
        server.ok("confirm-before", "-b", "killw")
        assert oracle.run("confirm-before", "-b", "killw")[0] == 0
        ours, theirs = _both(harness, oracle_harness, "Confirm 'kill-window'? (y/n)")
        assert ours == theirs
        for terminal in (harness, oracle_harness):
            terminal.keys("Escape")
    finally:
        oracle.kill()


def _pane_rows(harness: Harness) -> list[str]:
    """The terminal's rows above the status line, trailing blanks removed."""
    return [row.rstrip() for row in harness.screen().rstrip("\n").split("\n")[:-1]]


def test_run_shell_view_matches_tmux(server: IsolatedServer, harness: Harness,
                                     oracle_harness: Harness) -> None:
    """A key bound to run-shell: both show the output and tmux's failure line in view
    mode, at the top of the pane with ``[0/0]`` at its right; q leaves it in both."""
    oracle = LiveTmux(dict(server.env))
    try:
        server.ok("new-session", "-d", "-s", "p")
        harness.start("attach", "-t", "p")
        start_tmux_oracle(oracle_harness, oracle, server)
        harness.wait_for("0:bash*")
        harness.wait_attached()
        oracle_harness.wait_for("0:bash*")
        binding = ["bind-key", "R", "run-shell", "printf 'a\\nb\\n'; exit 1"]
        server.ok(*binding)
        assert oracle.run(*binding)[0] == 0
        for terminal in (harness, oracle_harness):
            terminal.keys("C-b", "R")
        harness.wait_for("returned 1")
        oracle_harness.wait_for("returned 1")
        ours, theirs = _settled(lambda: _pane_rows(harness), lambda: _pane_rows(oracle_harness))
        assert ours == theirs
        assert ours[:3] == ["a" + " " * 114 + "[0/0]", "b", "'printf 'a\\nb\\n'; exit 1' returned 1"]
        assert server.ok("display-message", "-p", "-t", "p", "#{pane_mode}") == "view-mode\n"
        for terminal in (harness, oracle_harness):
            terminal.keys("q")
        wait_until(lambda: server.ok("display-message", "-p", "-t", "p", "#{pane_mode}") == "\n",
                   message="our view left")
        wait_until(lambda: oracle.run("display-message", "-p", "-t", "p", "#{pane_mode}")[1]
                   == "\n", message="tmux's view left")
        for terminal in (harness, oracle_harness):                 # list-keys -N printed
            terminal.keys("C-b", "?")
        harness.wait_for("Send the prefix key")
        oracle_harness.wait_for("Send the prefix key")
        ours, theirs = _settled(lambda: _pane_rows(harness), lambda: _pane_rows(oracle_harness))
        assert ours == theirs
    finally:
        oracle.kill()


def test_errors_with_a_client_as_tmux(server: IsolatedServer, harness: Harness,
                                      oracle_harness: Harness) -> None:
    """With a client attached: confirm-before parses its command first (an unknown one is
    its error), command-prompt's template waits for the answer, a bad -T is an error."""
    oracle = LiveTmux(dict(server.env))
    try:
        server.ok("new-session", "-d", "-s", "p")
        harness.start("attach", "-t", "p")
        start_tmux_oracle(oracle_harness, oracle, server)
        harness.wait_for("0:bash*")
        harness.wait_attached()
        oracle_harness.wait_for("0:bash*")
        for command in (["confirm-before", "-b", "nosuch"], ["command-prompt", "-T", "x"],
                        ["command-prompt", "-b", "nosuch %%"]):
            code, _, err = oracle.run(*command)
            ours = server.run(*command)
            assert (ours.code, ours.err) == (code, err), command
            for terminal in (harness, oracle_harness):
                terminal.keys("C-c")
    finally:
        oracle.kill()
