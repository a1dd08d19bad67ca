"""End to end QA: the real ``ai-session`` client in a real terminal (tmux as the harness),
driven the way a tmux user's terminal delivers keys - several in one read - and checked
against what tmux 3.3a does. Every server is killed in teardown (the fixtures).
"""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from conftest import DEADLINE, IsolatedServer, wait_until
from e2e_harness import Harness, running_harness

pytestmark = pytest.mark.skipif(shutil.which("tmux") is None, reason="needs tmux")


@pytest.fixture
def harness(server: IsolatedServer) -> Iterator[Harness]:
    yield from running_harness(server)


def test_keys_read_in_one_burst_keep_their_order_around_the_prefix(
        server: IsolatedServer, harness: Harness) -> None:
    harness.start()
    harness.wait_for("0:bash*")
    harness.wait_for("$")
    # One send-keys = one read by the client: the typed text, Enter, then C-b %.
    harness.keys("echo burst-$((2*3))", "Enter", "C-b", "%")
    harness.wait_for("burst-6")
    wait_until(lambda: "│" in harness.screen(), DEADLINE, message="the split")
    assert server.ok("display-message", "-p", "-t", "0", "#{window_panes}") == "2\n"
    first_pane = server.capture("0:0.0")
    assert "echo burst-$((2*3))" in first_pane and "%" not in first_pane


def test_alt_keys_reach_the_child_and_the_prefix_table_as_tmux_sends_them(
        server: IsolatedServer, harness: Harness) -> None:
    harness.start()
    harness.wait_for("0:bash*")
    harness.wait_for("$")
    harness.keys("clear; cat -v", "Enter")
    wait_until(lambda: server.ok("display-message", "-p", "-t", "0",
                                 "#{pane_current_command}") == "cat\n",
               DEADLINE, message="cat running")
    for key in ("M-.", "M-5", "M-Space", "M-b", "M-/", "Enter"):
        harness.keys(key)
    harness.wait_for("^[.^[5^[ ^[b^[/")
    harness.keys("C-c")
    harness.keys("C-b", "%")
    wait_until(lambda: "│" in harness.screen(), DEADLINE, message="the split")
    harness.keys("C-b", '"')
    wait_until(lambda: "─" in harness.screen(), DEADLINE, message="the second split")
    harness.keys("C-b", "M-2")                   # tmux: select-layout even-vertical
    wait_until(lambda: "│" not in harness.screen(), DEADLINE, message="even-vertical")
    layout = server.ok("display-message", "-p", "-t", "0", "#{window_layout}")
    assert layout.split(",", 1)[1].startswith("120x39,0,0[")    # three rows, no column


def test_a_burst_reaches_the_prompt_confirm_and_pane_numbers_its_binding_opens(
        server: IsolatedServer, harness: Harness) -> None:
    harness.start()
    harness.wait_for("0:bash*")
    harness.wait_for("$")
    # One send-keys each: the prompt, confirm and display-panes open only after a task ran.
    harness.keys("C-b", ":", "rename-window foo", "Enter")
    harness.wait_for("0:foo*")
    assert "rename-window" not in server.capture("0:0.0")
    harness.keys("C-b", "%")
    wait_until(lambda: server.ok("display-message", "-p", "-t", "0",
                                 "#{window_panes}") == "2\n", DEADLINE, message="the split")
    harness.keys("C-b", "q", "0")
    wait_until(lambda: server.ok("display-message", "-p", "-t", "0",
                                 "#{pane_index}") == "0\n", DEADLINE, message="pane 0 chosen")
    harness.keys("C-b", "x", "y")
    wait_until(lambda: server.ok("display-message", "-p", "-t", "0",
                                 "#{window_panes}") == "1\n", DEADLINE, message="pane killed")
    pane = server.capture("0:0.0")
    assert "0" not in pane.replace("$", "").split() and "y" not in pane.split()


def test_keys_after_the_key_that_closes_a_list_or_prompt_reach_the_shell(
        server: IsolatedServer, harness: Harness, tmp_path: Path) -> None:
    """QA: in ``C-b ? q echo x Enter`` and ``C-b : display-message hi Enter ls Enter``
    every key after q / Enter went to the closing list or prompt; tmux types them into the
    shell once the list or prompt is gone."""
    (tmp_path / "listed-by-ls.txt").write_text("", encoding="utf-8")
    harness.start()
    harness.wait_for("0:bash*")
    harness.wait_for("$")
    harness.keys(f"cd {tmp_path}; clear", "Enter")
    wait_until(lambda: server.ok("display-message", "-p", "-t", "0",
                                 "#{pane_current_path}") == f"{tmp_path}\n",
               DEADLINE, message="the shell in tmp_path")
    harness.keys("C-b", "?", "q", "echo x-$((6*7))", "Enter")
    wait_until(lambda: "\nx-42" in server.capture("0:0.0"), DEADLINE, message="echo's output")
    assert "echo x-$((6*7))" in server.capture("0:0.0")
    harness.keys("C-b", ":", "display-message hi-from-prompt", "Enter", "ls", "Enter")
    wait_until(lambda: "listed-by-ls.txt" in server.capture("0:0.0"), DEADLINE,
               message="ls's output")
    pane = server.capture("0:0.0")
    assert "$ ls" in pane and "display-message" not in pane
    harness.keys("C-b", "~")                     # show-messages: the command ran
    harness.wait_for("hi-from-prompt")
    harness.keys("q")
    wait_until(lambda: "hi-from-prompt" not in harness.screen(), DEADLINE,
               message="the message log closed")
