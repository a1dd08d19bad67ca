"""Copy mode's words follow ``word-separators``, checked against tmux 3.3a: the same line
in a tmux pane and in a frozen copy-mode view, ``next-word`` and ``next-word-end`` pressed
until the end, the cursor columns compared, for the default separators and a custom set."""

from __future__ import annotations

import os
import shutil
import subprocess
import uuid

import pytest
from conftest import wait_until

from aisession_tui.widgets.copy_mode import CopyMode, word_pattern

LINE = "foo.bar(baz_q) x-y  /usr/bin a@b.c"


def ours(command: str, separators: str | None) -> list[int]:
    copy = CopyMode([], [[[LINE, -1, -1, 0]]], 80, 1, (0, 0))
    copy.exclusive_end = True  # tmux's default mode-keys, emacs
    if separators is not None:
        copy.word_pattern = word_pattern(separators)
    columns = []
    for _ in range(12):
        copy.run(command)
        columns.append(copy.column)
    return columns


def theirs(command: str, separators: str | None) -> list[int]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("TMUX")}
    base = ["tmux", "-L", f"aiword{uuid.uuid4().hex[:8]}", "-f", "/dev/null"]

    def tmux(*args: str) -> str:
        return subprocess.run([*base, *args], env=env, capture_output=True, text=True,
                              timeout=30, check=False).stdout

    try:
        tmux("new-session", "-d", "-x", "80", "-y", "5", f"printf '%s' '{LINE}'; sleep 60")
        wait_until(lambda: LINE in tmux("capture-pane", "-p"), message="line printed")
        if separators is not None:
            tmux("set", "-g", "word-separators", separators)
        tmux("copy-mode")
        tmux("send-keys", "-X", "top-line")
        tmux("send-keys", "-X", "start-of-line")
        columns = []
        for _ in range(12):
            tmux("send-keys", "-X", command)
            columns.append(int(tmux("display", "-p", "#{copy_cursor_x}")))
        return columns
    finally:
        tmux("kill-server")


@pytest.mark.skipif(shutil.which("tmux") is None, reason="tmux is not installed")
@pytest.mark.parametrize("separators", [None, " -@", ""])
@pytest.mark.parametrize("command", ["next-word", "next-word-end"])
def test_words_follow_word_separators_as_in_tmux(command: str, separators: str | None) -> None:
    expected = theirs(command, separators)
    got = ours(command, separators)
    # tmux goes on to the following (empty) lines; compare while it stays on this one
    on_line = expected[:1]
    for column in expected[1:]:
        if column < on_line[-1]:
            break
        on_line.append(column)
    while len(on_line) > 1 and on_line[-1] == on_line[-2]:
        on_line.pop()
    assert got[:len(on_line)] == on_line
