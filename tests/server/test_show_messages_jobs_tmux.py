"""``show-messages -J`` (the running jobs) and ``-T`` (terminfo terminals: none for a
control client) against tmux 3.3a, through the same control-mode script."""

from __future__ import annotations

import os
import re
import shutil
import signal

import pytest
from test_control_mode import ControlProcess, in_tmux_and_ours

pytestmark = pytest.mark.skipif(shutil.which("tmux") is None, reason="tmux is not installed")

SCRIPT = ["run-shell -b 'exec sleep 61'",  # exec: the listed pid is all there is to stop
          "run-shell -b 'exec sleep 62'",
          "show-messages -J",
          "show-messages -T",
          "show-messages -TJ"]
JOB = re.compile(r"^Job (\d+): (.*) \[fd=(\d+), pid=(\d+), status=(\d+)\]$")


def _stop(pids: set[int]) -> None:
    for pid in pids:
        try:
            os.killpg(pid, signal.SIGTERM)
        except (ProcessLookupError, PermissionError):
            try:
                os.kill(pid, signal.SIGTERM)
            except ProcessLookupError:
                pass


def drive(argv: list[str], env: dict[str, str]) -> list[str]:
    control = ControlProcess([*argv, "-C", "new-session", "-s", "main", "cat"], env)
    pids: set[int] = set()
    try:
        control.read_until(lambda: any(line.startswith("%session-changed")
                                       for line in control.lines))
        start = len(control.lines)
        for line in SCRIPT:
            control.send(line)
        lines = [line for line in control.lines[start:]
                 if line.startswith(("%begin", "%end", "%error", "Job "))]
    finally:
        for line in control.lines:
            match = JOB.match(line)
            if match:
                pids.add(int(match.group(4)))
        _stop(pids)
        control.close()
    out = []
    for line in lines:
        match = JOB.match(line)
        if match:
            number, command, fd, pid, status = match.groups()
            assert int(fd) > 2 and int(pid) > 1
            line = f"Job {number}: {command} [fd=FD, pid=PID, status={status}]"
        out.append(re.sub(r"^%(begin|end|error) \d+ \d+ (\d)$", r"%\1", line))
    return out


def test_show_messages_jobs_and_terminals_match_tmux(server) -> None:
    expected, ours = in_tmux_and_ours(server, drive)
    assert ours == expected
    assert "Job 0: exec sleep 62 [fd=FD, pid=PID, status=0]" in ours
