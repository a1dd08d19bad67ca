"""Control mode (``-C``) against tmux 3.3a: the same command script, the same notification
stream (modulo times, command numbers and client names); bad lines; pausing panes;
a client that stops reading."""

from __future__ import annotations

import os
import re
import select
import shutil
import subprocess
import sys
import time
import uuid
from collections.abc import Callable

import pytest
from conftest import wait_until

SCRIPT: list[str | tuple[str, int]] = [
    "new-window -n w1 cat",
    "split-window -h cat",
    "select-pane -t :1.0",
    "rename-window foo",
    "select-window -t :0",
    "kill-window -t :1",
    "rename-session renamed",
    "new-session -d -s other -n o cat",
    "kill-session -t other",
    "bogus-command",
    ("display-message -p first ; display-message -p second", 2),
    "select-window -t :99 ; display-message -p skipped",
    "list-windows -F '#{window_index} #{window_name} #{window_panes}'",
    "refresh-client -C 100x30",
    "display-message -p 'mode=#{client_control_mode}'",
    "list-clients -F '#{client_name} #{session_name} #{client_control_mode}'",
]


class ControlProcess:
    """A ``-C`` client process: lines in, protocol lines out."""

    def __init__(self, argv: list[str], env: dict[str, str]) -> None:
        self.proc = subprocess.Popen(argv, stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                                     stderr=subprocess.PIPE, env=env)
        self.buffer = b""
        self.lines: list[str] = []

    def read_until(self, predicate, timeout: float = 30.0) -> None:
        end = time.monotonic() + timeout
        assert self.proc.stdout is not None
        while not predicate():
            left = end - time.monotonic()
            if left <= 0:
                raise AssertionError(f"timed out; got {self.lines}")
            ready, _, _ = select.select([self.proc.stdout], [], [], left)
            if not ready:
                continue
            chunk = os.read(self.proc.stdout.fileno(), 65536)
            if not chunk:
                if predicate():
                    return
                raise AssertionError(f"control client exited; got {self.lines}")
            self.buffer += chunk
            while b"\n" in self.buffer:
                line, self.buffer = self.buffer.split(b"\n", 1)
                self.lines.append(line.decode("utf-8", "replace"))

    def guards(self) -> int:
        return sum(1 for line in self.lines if line.startswith(("%end ", "%error ")))

    def send(self, line: str, blocks: int = 1) -> None:
        """Send one line and wait for its ``blocks`` %end / %error lines."""
        before = self.guards() + blocks - 1
        assert self.proc.stdin is not None
        self.proc.stdin.write(line.encode() + b"\n")
        self.proc.stdin.flush()
        self.read_until(lambda: self.guards() > before)

    def close(self) -> None:
        """End of input: the client prints %exit and ends; the rest is read."""
        if self.proc.stdin:
            self.proc.stdin.close()
            self.proc.stdin = None
        try:
            rest, _ = self.proc.communicate(timeout=15)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            rest, _ = self.proc.communicate()
        self.lines += (self.buffer + rest).decode("utf-8", "replace").splitlines()
        self.buffer = b""


def normalise(lines: list[str]) -> list[str]:
    out = []
    for line in lines:
        if line.startswith(("%output ", "%extended-output ")):
            continue
        line = re.sub(r"^%(begin|end|error) \d+ \d+ (\d)$", r"%\1 T N \2", line)
        line = re.sub(r"client-\d+", "client-PID", line)
        out.append(line)
    return out


def replies(control: ControlProcess) -> list[str]:
    """The client's lines without the notifications (``%window-renamed``...), which may
    arrive between a command's reply and the next at any time."""
    return [line for line in control.lines if not line.startswith("%")
            or line.startswith(("%begin ", "%end ", "%error "))]


def in_tmux_and_ours(server, run: Callable[[list[str], dict[str, str]], list[str]]
                     ) -> tuple[list[str], list[str]]:
    """``run(cli, env)`` against a fresh tmux 3.3a (killed after) and then against
    ``server``: (tmux's result, ai-session's)."""
    name = f"ctl{uuid.uuid4().hex[:8]}"
    tmux_env = {**server.env, "TMUX_TMPDIR": str(server.home)}
    tmux = ["tmux", "-L", name, "-f", "/dev/null"]
    try:
        expected = run(tmux, tmux_env)
    finally:
        subprocess.run([*tmux, "kill-server"], env=tmux_env, capture_output=True,
                       check=False)
    return expected, run([sys.executable, "-m", "aisession_tui.cli", "-L", server.name],
                         server.env)


def drive(argv: list[str], env: dict[str, str]) -> list[str]:
    control = ControlProcess(argv, env)
    try:
        control.read_until(lambda: any(line.startswith("%session-changed")
                                       for line in control.lines))
        for item in SCRIPT:
            control.send(*((item, 1) if isinstance(item, str) else item))
        control.send("display-message -p done")
    finally:
        control.close()
    return normalise(control.lines)


@pytest.mark.skipif(shutil.which("tmux") is None, reason="tmux is not installed")
def test_control_stream_matches_tmux(server):
    expected, ours = in_tmux_and_ours(server, lambda cli, env: drive(
        [*cli, "-C", "new-session", "-s", "main", "-n", "main", "-x", "80", "-y", "24",
         "cat"], env))
    assert "\n".join(ours) == "\n".join(expected)


def test_malformed_lines_get_error_and_the_client_lives(server):
    control = ControlProcess([sys.executable, "-m", "aisession_tui.cli", "-L", server.name,
                              "-C", "new-session", "-s", "m", "cat"], server.env)
    try:
        control.read_until(lambda: any(line.startswith("%session-changed")
                                       for line in control.lines))
        control.send("refresh-client -A %0:pause")  # tmux: a syntax error
        control.send("no-such-command -x")
        assert [line for line in control.lines if line.startswith("parse error")] == [
            "parse error: syntax error", "parse error: unknown command: no-such-command"]
        assert replies(control)[-1].startswith("%error ")
        control.send("display-message -p alive")
        assert replies(control)[-2:-1] == ["alive"]
    finally:
        control.close()
    assert control.lines[-1] == "%exit"


def test_pane_output_escaped_and_paused(server):
    control = ControlProcess([sys.executable, "-m", "aisession_tui.cli", "-L", server.name,
                              "-C", "new-session", "-s", "o", "cat"], server.env)
    try:
        control.read_until(lambda: any(line.startswith("%session-changed")
                                       for line in control.lines))
        pane = server.ok("display-message", "-p", "-t", "o", "#{pane_id}").strip()
        server.ok("send-keys", "-t", pane, "-l", "a\\b")
        server.ok("send-keys", "-t", pane, "Enter")
        control.read_until(lambda: any(line.startswith(f"%output {pane} ")
                                       and "\\134" in line for line in control.lines))
        control.send(f"refresh-client -A '{pane}:pause'")  # a bare %0 is a syntax error
        assert f"%pause {pane}" in control.lines
        server.ok("send-keys", "-t", pane, "-l", "while paused")
        server.ok("send-keys", "-t", pane, "Enter")
        # the tty's echo and then cat's copy: both written while paused
        wait_until(lambda: server.ok("capture-pane", "-p", "-t", pane).count("while paused") >= 2,
                   message="cat's copy of the paused line")
        control.send(f"refresh-client -A '{pane}:continue'")
        assert f"%continue {pane}" in control.lines
        control.send("refresh-client -f pause-after=2")
        server.ok("send-keys", "-t", pane, "-l", "extended")
        control.read_until(lambda: any(line.startswith(f"%extended-output {pane} ")
                                       for line in control.lines))
        paused = control.lines[control.lines.index(f"%pause {pane}"):
                               control.lines.index(f"%continue {pane}")]
        assert not [line for line in paused if line.startswith("%output")]
        assert not [line for line in control.lines if "while paused" in line]
        flags = server.ok("list-clients", "-F", "#{client_flags}")
        assert flags.strip() == "attached,focused,control-mode,pause-after=2,UTF-8"
    finally:
        control.close()


def test_a_client_that_stops_reading_never_blocks_the_server(server):
    proc = subprocess.Popen([sys.executable, "-m", "aisession_tui.cli", "-L", server.name,
                             "-C", "new-session", "-s", "f"], stdin=subprocess.PIPE,
                            stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, env=server.env)
    try:
        wait_until(lambda: server.run("list-clients").out.strip(), timeout=120,
                   message="the client")
        pane = server.ok("display-message", "-p", "-t", "f", "#{pane_id}").strip()
        server.ok("send-keys", "-t", pane, "yes 0123456789abcdef | head -c 40000000", "Enter")
        for _ in range(20):  # the server answers while the client reads nothing
            assert server.ok("list-sessions", "-F", "#{session_name}").strip() == "f"
        wait_until(lambda: not server.run("list-clients").out.strip(), timeout=120,
                   message="the stalled client to be dropped")
    finally:
        proc.kill()
        proc.wait()


def test_detach_client_reaches_control_clients(server):
    server.ok("new-session", "-d", "-s", "d", "cat")
    argv = [sys.executable, "-m", "aisession_tui.cli", "-L", server.name, "-C", "attach",
            "-t", "d"]
    first, second = ControlProcess(argv, server.env), ControlProcess(argv, server.env)
    try:
        for control in (first, second):
            control.read_until(lambda c=control: any(line.startswith("%session-changed")
                                                     for line in c.lines))
        names = server.ok("list-clients", "-F", "#{client_name}").split()
        assert sorted(names) == sorted(f"client-{c.proc.pid}" for c in (first, second))
        server.ok("detach-client", "-t", f"client-{first.proc.pid}")
        first.read_until(lambda: first.lines[-1:] == ["%exit"])
        assert server.ok("list-clients", "-F", "#{client_name}").split() == \
            [f"client-{second.proc.pid}"]
        server.ok("detach-client", "-s", "d")
        second.read_until(lambda: second.lines[-1:] == ["%exit"])
        assert server.ok("list-clients") == ""
    finally:
        first.close()
        second.close()


@pytest.mark.skipif(shutil.which("tmux") is None, reason="tmux is not installed")
def test_the_client_sees_its_session_go_as_with_tmux(server):
    def run(cli: list[str], env: dict[str, str]) -> list[str]:
        subprocess.run([*cli, "new-session", "-d", "-s", "gone", "cat"], env=env, check=True,
                       timeout=60)
        control = ControlProcess([*cli, "-C", "attach", "-t", "gone"], env)
        try:
            control.read_until(lambda: any(line.startswith("%session-changed")
                                           for line in control.lines))
            subprocess.run([*cli, "kill-session", "-t", "gone"], env=env, check=True,
                           timeout=60)
            control.read_until(lambda: control.lines[-1:] == ["%exit"])
        finally:
            control.close()
        return normalise(control.lines)

    expected, ours = in_tmux_and_ours(server, run)
    assert ours == expected


def test_switch_client_moves_a_control_client(server):
    server.ok("new-session", "-d", "-s", "one", "cat")
    server.ok("new-session", "-d", "-s", "two", "cat")
    control = ControlProcess([sys.executable, "-m", "aisession_tui.cli", "-L", server.name,
                              "-C", "attach", "-t", "one"], server.env)
    try:
        control.read_until(lambda: "%session-changed $0 one" in control.lines)
        server.ok("switch-client", "-t", "two")
        control.read_until(lambda: "%session-changed $1 two" in control.lines)
        assert server.ok("list-clients", "-F", "#{client_session}") == "two\n"
        name = f"client-{control.proc.pid}"
        server.ok("switch-client", "-c", name, "-t", "one")
        control.read_until(lambda: control.lines[-1] == "%session-changed $0 one")
        assert server.run("switch-client", "-c", "client-0", "-t", "one").err == \
            "can't find client: client-0\n"
    finally:
        control.close()
