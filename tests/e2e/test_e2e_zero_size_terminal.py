"""End to end: attaching from a terminal that reports a size of 0, beside tmux 3.3a.

Some pseudo-terminals (CI's, or after ``stty rows 0 cols 0``) answer ``TIOCGWINSZ`` with 0
lines or 0 columns. tmux's client then counts as 80 columns and 24 lines (each dimension
on its own). ai-session's renderer once read such a terminal as 80x24 in one place and
80x25 in another and laid itself out at both in turn forever: a third of a CPU, never a
frame drawn, never attached. Here ``ai-session attach`` (the thin client, its renderer
forked by the server's zygote) and ``tmux attach`` each run on a pseudo-terminal of that
size; both must attach at the same client size, give the window the same size, and
ai-session's client must have drawn the session's status line (the renderer settled on a
size and drew, instead of laying out forever).
"""

from __future__ import annotations

import fcntl
import os
import re
import shutil
import struct
import subprocess
import sys
import termios
import threading
from collections.abc import Iterator

import pytest
from conftest import DEADLINE, IsolatedServer, LiveTmux, wait_until

pytestmark = pytest.mark.skipif(shutil.which("tmux") is None, reason="needs tmux")

ANSI = re.compile(r"\x1b(\[[0-9;:?<>=]*[ -/]*[@-~]|[()][0-9A-Za-z]|[=>78]|\][^\x07]*\x07)")


class SizedTerminal:
    """``argv`` on a pseudo-terminal of ``lines`` x ``columns`` (its controlling terminal),
    everything it writes kept."""

    def __init__(self, argv: list[str], env: dict[str, str], lines: int,
                 columns: int) -> None:
        self.master, slave = os.openpty()
        fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", lines, columns, 0, 0))
        self.output = bytearray()
        self.lock = threading.Lock()

        def controlling_terminal() -> None:
            os.setsid()
            fcntl.ioctl(0, termios.TIOCSCTTY, 0)

        self.process = subprocess.Popen(
            argv, stdin=slave, stdout=slave, stderr=slave,
            env={**env, "TERM": "xterm-256color"}, preexec_fn=controlling_terminal,
            close_fds=True)
        os.close(slave)
        self.reader = threading.Thread(target=self._drain, daemon=True)
        self.reader.start()

    def _drain(self) -> None:
        while True:
            try:
                data = os.read(self.master, 65536)
            except OSError:
                return
            if not data:
                return
            with self.lock:
                self.output.extend(data)

    def text(self) -> str:
        with self.lock:
            data = bytes(self.output)
        return ANSI.sub("", data.decode("utf-8", "replace"))

    def close(self) -> None:
        if self.process.poll() is None:
            self.process.kill()
            self.process.wait(30)
        try:
            os.close(self.master)
        except OSError:
            pass
        self.reader.join(10)


@pytest.fixture
def terminals() -> Iterator[list[SizedTerminal]]:
    made: list[SizedTerminal] = []
    try:
        yield made
    finally:
        for terminal in made:
            terminal.close()


@pytest.mark.parametrize(("lines", "columns"), [(0, 0), (0, 100), (30, 0)])
def test_a_terminal_reporting_size_zero_attaches_as_in_tmux(
        server: IsolatedServer, live_tmux: LiveTmux, terminals: list[SizedTerminal],
        lines: int, columns: int) -> None:
    server.ok("new-session", "-d", "-s", "z", "-x", "100", "-y", "30")
    code, _, err = live_tmux.run("new-session", "-d", "-s", "z", "-x", "100", "-y", "30")
    assert code == 0, err
    terminals.append(SizedTerminal(
        [sys.executable, "-m", "aisession_tui.cli", "-L", server.name, "attach", "-t", "z"],
        server.env, lines, columns))
    terminals.append(SizedTerminal([*live_tmux.base, "attach", "-t", "z"], live_tmux.env,
                                   lines, columns))
    client = "#{client_width}x#{client_height}"
    window = "#{window_width}x#{window_height}"

    def tmux_client() -> str:
        return live_tmux.run("list-clients", "-F", client)[1].strip()

    def ours_client() -> str:
        return server.ok("list-clients", "-F", client).strip()

    expected = wait_until(tmux_client, DEADLINE, message="tmux's client")
    assert expected == f"{columns or 80}x{lines or 24}"  # tmux's own fallback, per dimension
    wait_until(lambda: ours_client() == expected, DEADLINE,
               message=f"ai-session's client at {expected} (seen {ours_client()!r})")
    tmux_window = live_tmux.run("display-message", "-p", "-t", "z", window)[1].strip()
    wait_until(lambda: server.ok("display-message", "-p", "-t", "z", window).strip()
               == tmux_window, DEADLINE, message=f"the window at {tmux_window}")
    ours = terminals[0]
    wait_until(lambda: "[z]" in ours.text(), DEADLINE, message="the status line drawn")
    assert ours.process.poll() is None
