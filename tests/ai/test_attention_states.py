"""Attention state: the pure classifier, prompt patterns, and the /proc tty-read probe."""

from __future__ import annotations

import os
import time

import pytest

from aisession_tui.ai.attention import (
    AttentionInputs,
    blocked_on_tty,
    classify,
    prompt_on_screen,
    screen_tail,
)


def inputs(**changes) -> AttentionInputs:
    base = {"dead": False, "integrated": True, "at_prompt": True, "command_running": False,
            "last_exit_code": 0, "screen_tail": ["$ "], "quiet_for": 10.0,
            "blocked_on_tty": None}
    base.update(changes)
    return AttentionInputs(**base)


def test_done_wins() -> None:
    assert classify(inputs(dead=True, command_running=True)) == "done"


def test_idle_and_error_at_prompt() -> None:
    assert classify(inputs()) == "idle"
    assert classify(inputs(last_exit_code=2)) == "error"
    assert classify(inputs(last_exit_code=None)) == "idle"


def test_running_command() -> None:
    assert classify(inputs(at_prompt=False, command_running=True, quiet_for=0.0,
                           screen_tail=["compiling foo v0.1"])) == "running"


@pytest.mark.parametrize("line", [
    "Continue? [y/N] ", "Proceed (y/n)?", "Overwrite existing file? (yes/no) ",
    "[sudo] password for ada: ", "Enter passphrase for key '/home/ada/.ssh/id_ed25519': ",
    "Do you want to proceed?", "❯ 1. Yes", "Press Enter to continue",
    "Do you want to make this edit to app.py?",
])
def test_prompts_make_a_running_pane_wait(line: str) -> None:
    assert prompt_on_screen([line])
    quiet = inputs(at_prompt=False, command_running=True, screen_tail=["output", line])
    assert classify(quiet) == "waiting"
    blocked = inputs(at_prompt=False, command_running=True, screen_tail=[line],
                     quiet_for=0.0, blocked_on_tty=True)
    assert classify(blocked) == "waiting"
    busy = inputs(at_prompt=False, command_running=True, screen_tail=[line], quiet_for=0.0,
                  blocked_on_tty=False)
    assert classify(busy) == "running"


@pytest.mark.parametrize("line", ["Compiling serde v1.0", "test result: ok. 3 passed",
                                  "yes/no are words", "password reset email sent"])
def test_ordinary_lines_are_not_prompts(line: str) -> None:
    assert not prompt_on_screen([line])


def test_unknown_question_counts_only_when_blocked_on_the_tty() -> None:
    line = "Name of the new project: "
    assert classify(inputs(at_prompt=False, command_running=True, screen_tail=[line],
                           quiet_for=5.0, blocked_on_tty=False)) == "running"
    assert classify(inputs(at_prompt=False, command_running=True, screen_tail=[line],
                           quiet_for=5.0, blocked_on_tty=True)) == "waiting"


def test_pane_without_integration_uses_output_recency() -> None:
    assert classify(inputs(integrated=False, at_prompt=False, quiet_for=0.1,
                           screen_tail=["thinking"])) == "running"
    assert classify(inputs(integrated=False, at_prompt=False, quiet_for=30.0,
                           screen_tail=["> "])) == "idle"
    assert classify(inputs(integrated=False, at_prompt=False, quiet_for=3.0,
                           screen_tail=["Do you want to proceed?", "❯ 1. Yes", "  2. No"])
                    ) == "waiting"


def test_screen_tail_stops_at_the_cursor_row() -> None:
    display = ["a", "", "b", "c", "", "later text"]
    assert screen_tail(display, 3) == ["a", "b", "c"]
    assert screen_tail(display, 3, count=2) == ["b", "c"]


def test_blocked_on_tty_sees_a_real_read() -> None:
    from ptyprocess import PtyProcess

    reader = PtyProcess.spawn(["bash", "--norc", "-c", "read -p 'Continue? [y/N] ' x"])
    sleeper = PtyProcess.spawn(["sleep", "30"])
    try:
        deadline = time.monotonic() + 30
        while blocked_on_tty(os.tcgetpgrp(reader.fd)) is not True:
            assert time.monotonic() < deadline, "bash never blocked reading its tty"
            time.sleep(0.05)
        assert blocked_on_tty(sleeper.pid) is not True
    finally:
        reader.terminate(force=True)
        sleeper.terminate(force=True)


def test_process_wait_tells_a_terminal_poll_from_a_timer_loop() -> None:
    import sys

    from ptyprocess import PtyProcess

    from aisession_tui.ai.attention import group_wait, process_wait

    reader = PtyProcess.spawn([sys.executable, "-c", "import select; e = select.epoll(); "
                               "e.register(0, select.EPOLLIN); print('r', flush=True); "
                               "e.poll()"])
    timer = PtyProcess.spawn([sys.executable, "-c", "import select; e = select.epoll(); "
                              "print('t', flush=True); e.poll(30)"])
    waiter = PtyProcess.spawn(["bash", "--norc", "-c", "sleep 30; true"])
    try:
        deadline = time.monotonic() + 30
        while (process_wait(reader.pid), process_wait(timer.pid)) != ("poll", "busy"):
            assert time.monotonic() < deadline, (process_wait(reader.pid),
                                                 process_wait(timer.pid))
            time.sleep(0.05)
        while group_wait(waiter.pid) != "busy":  # bash waits for its child, which sleeps
            assert time.monotonic() < deadline, group_wait(waiter.pid)
            time.sleep(0.05)
    finally:
        for child in (reader, timer, waiter):
            child.terminate(force=True)
