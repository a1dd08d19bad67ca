"""A read-only client against tmux 3.3a, each attached with ``attach -r`` in a harness
terminal: its client flags and ``list-clients`` line, ``C-b c`` refused with tmux's
``Client is read-only``, typed text that never reaches the pane, ``switch-client -r``
(after which ``C-b c`` works) and ``refresh-client -f`` changing the flags (a read-only
client cannot clear ``read-only`` itself), a menu that gets none of its keys, and ``C-b d``
(a read-only command) detaching it."""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
from collections.abc import Callable

import pytest
from conftest import DEADLINE, IsolatedServer, LiveTmux, wait_until
from e2e_harness import (  # noqa: F401 - fixtures
    Harness,
    harness,
    oracle_harness,
    start_terminal_program,
    tmux_client_command,
)

pytestmark = pytest.mark.skipif(shutil.which("tmux") is None, reason="tmux is not installed")

Run = Callable[..., tuple[int, str, str]]
FLAGS = "#{client_flags}|#{client_readonly}|#{client_width}x#{client_height}|#{client_termname}"


def _attach_tmux(terminal: Harness, oracle: LiveTmux, server: IsolatedServer) -> None:
    """tmux 3.3a's own ``attach -r -t p`` as the terminal's program."""
    start_terminal_program(terminal, tmux_client_command(oracle, server, "attach -r -t p")
                           + "; echo client-exited; sleep 60")


def _listing(run: Run) -> list[str]:
    """``list-clients`` in its default form and with the flag variables, the terminal
    device named alike."""
    code, out, err = run("list-clients")
    assert code == 0, err
    _, flags, _ = run("list-clients", "-F", FLAGS)
    return [re.sub(r"^/dev/pts/\d+", "TTY", line) for line in (out + flags).splitlines()]


def _flags(run: Run) -> str:
    return run("list-clients", "-F", "#{client_flags}")[1].strip()


def _steps(run: Run, terminal: Harness, cli: list[str], env: dict[str, str]) -> list[object]:
    seen: list[object] = [_listing(run)]
    terminal.keys("echo", "Space", "typed-by-the-reader", "Enter")
    terminal.keys("C-b", "c")
    terminal.wait_for("Client is read-only")
    seen.append(run("list-windows", "-F", "#{window_index}")[1])
    run("send-keys", "-t", "p", "echo marker-$((6*7))", "Enter")
    wait_until(lambda: "marker-42" in run("capture-pane", "-p", "-t", "p")[1],
               message="the marker's output")
    seen.append("typed-by-the-reader" in run("capture-pane", "-p", "-t", "p")[1])
    seen.append(run("switch-client", "-r"))  # writable now: C-b c makes a window
    terminal.keys("C-b", "c")
    wait_until(lambda: run("list-windows", "-F", "#{window_index}")[1] == "0\n1\n",
               message="the window C-b c made")
    seen.append(run("switch-client", "-r"))  # read-only again
    for command in (["switch-client", "-r"], ["refresh-client", "-f", "active-pane"],
                    ["refresh-client", "-f", "read-only"],
                    ["refresh-client", "-f", "!read-only,!active-pane"]):
        seen.append(run(*command)[0])
        seen.append(_flags(run))
    seen.append(run("refresh-client", "-C", "10x10"))
    # a menu shown on the read-only client gets none of its keys; the command waits until
    # the client goes, then returns (its item never ran)
    menu = subprocess.Popen([*cli, "display-menu", "-x", "0", "-y", "0", "Item", "i",
                             "set -g @item ran"], env=env, stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True)
    try:
        terminal.wait_for("Item")
        terminal.keys("i")
        terminal.keys("C-b", "d")
        terminal.wait_for("[detached (from session p)]")
        out, err = menu.communicate(timeout=DEADLINE)
    finally:
        if menu.poll() is None:
            menu.kill()
            menu.communicate()
    seen.append((menu.returncode, out, err, run("show", "-gqv", "@item")[1]))
    seen.append(run("list-clients")[1])
    return seen


def test_read_only_client_matches_tmux(server: IsolatedServer, harness: Harness,
                                       oracle_harness: Harness) -> None:
    oracle = LiveTmux(dict(server.env))

    def ours(*args: str) -> tuple[int, str, str]:
        result = server.run(*args)
        return result.code, result.out, result.err

    try:
        server.ok("new-session", "-d", "-s", "p")
        assert oracle.run("new-session", "-d", "-s", "p")[0] == 0
        # No paste detection on either side: keys that reach a busy server together (the
        # typed text, then C-b c) would come less than assume-paste-time (1 ms) apart, and
        # tmux takes such keys as a paste, not as bindings (server_client_assume_paste):
        # C-b c then never says "Client is read-only" (seen in full runs under load)
        assert oracle.run("set", "-g", "assume-paste-time", "0")[0] == 0
        server.ok("set", "-g", "assume-paste-time", "0")
        harness.start("attach", "-r", "-t", "p")
        _attach_tmux(oracle_harness, oracle, server)
        harness.wait_for("0:bash*")
        harness.wait_attached()
        oracle_harness.wait_for("0:bash*")
        theirs = _steps(oracle.run, oracle_harness, oracle.base, oracle.env)
        mine = _steps(ours, harness, [sys.executable, "-m", "aisession_tui.cli", "-L",
                                      server.name], server.env)
        assert mine == theirs
    finally:
        oracle.kill()


def test_new_session_client_flags_match_tmux(server: IsolatedServer, harness: Harness,
                                             oracle_harness: Harness) -> None:
    """``new-session -f flags`` (without ``-d``) attaches its client with those flags."""
    oracle = LiveTmux(dict(server.env))
    try:
        harness.start("new-session", "-s", "q", "-f", "active-pane,read-only")
        start_terminal_program(oracle_harness, tmux_client_command(
            oracle, server, "new-session -s q -f active-pane,read-only") + "; sleep 60")
        harness.wait_for("0:bash*")
        harness.wait_attached()
        oracle_harness.wait_for("0:bash*")
        ours = server.run("list-clients", "-F", FLAGS).out
        assert ours == oracle.run("list-clients", "-F", FLAGS)[1]
        assert ours.startswith("attached,focused,read-only,active-pane,UTF-8|1|")
        # #{client_pid} is the process the user ran (its command line has new-session),
        # #{client_created} and #{client_activity} are times, in both
        for run in (lambda *a: server.run(*a).out, lambda *a: oracle.run(*a)[1]):
            pid, created, activity = run("list-clients", "-F", "#{client_pid} "
                                         "#{client_created} #{client_activity}").split()
            with open(f"/proc/{pid}/cmdline", "rb") as cmdline:
                assert b"new-session" in cmdline.read()
            assert int(activity) >= int(created) > 1_600_000_000
    finally:
        oracle.kill()


def test_attach_start_directory_matches_tmux(server: IsolatedServer, harness: Harness,
                                             oracle_harness: Harness) -> None:
    """``attach -c`` sets the session's start directory, a format expanded for it."""
    oracle = LiveTmux(dict(server.env))
    try:
        server.ok("new-session", "-d", "-s", "p", "-c", "/")
        assert oracle.run("new-session", "-d", "-s", "p", "-c", "/")[0] == 0
        harness.start("attach", "-c", "/tmp/#{session_name}-#{window_index}", "-t", "p")
        start_terminal_program(oracle_harness, tmux_client_command(
            oracle, server, "attach -c '/tmp/#{session_name}-#{window_index}' -t p")
            + "; sleep 60")
        harness.wait_for("0:bash*")
        harness.wait_attached()
        oracle_harness.wait_for("0:bash*")
        ours = server.run("display-message", "-p", "-t", "p", "#{session_path}").out
        assert ours == oracle.run("display-message", "-p", "-t", "p", "#{session_path}")[1]
        assert ours == "/tmp/p-0\n"
    finally:
        oracle.kill()
