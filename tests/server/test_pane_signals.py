"""Children start as under tmux: every signal at its default action and none blocked.

Compared with a pane of tmux 3.3a running the same commands: the ``SigIgn``/``SigBlk``
masks of a pane's shell's child, and ``yes | head -1`` dying quietly of SIGPIPE.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import uuid

import pytest
from conftest import wait_until

PROBE = "grep -E '^Sig(Ign|Blk)' /proc/self/status; yes | head -1; echo \"ps=${PIPESTATUS[*]}\""


def _expected_lines(screen: str) -> list[str]:
    return [" ".join(line.split()) for line in screen.splitlines()
            if line.startswith(("SigIgn", "SigBlk", "ps=")) or line == "y"]


def _done(screen: str) -> str:
    return screen if any(line.startswith("ps=") for line in screen.splitlines()) else ""


def _tmux_result(tmp_path) -> list[str] | None:
    if shutil.which("tmux") is None:
        return None
    name = f"sig{uuid.uuid4().hex[:8]}"
    home = tmp_path / "tmux-home"
    home.mkdir()
    (home / ".bashrc").write_text("PS1='$ '\n")
    env = {**{k: v for k, v in os.environ.items() if not k.startswith("TMUX")},
           "HOME": str(home)}
    tmux = ["tmux", "-L", name, "-f", "/dev/null"]
    try:
        subprocess.run([*tmux, "new-session", "-d", "-x", "100", "-y", "20", "bash"],
                       env=env, check=True)
        subprocess.run([*tmux, "send-keys", PROBE, "Enter"], env=env, check=True)

        def screen() -> str:
            text = subprocess.run([*tmux, "capture-pane", "-p"], check=False, env=env,
                                  capture_output=True, text=True).stdout
            return _done(text)

        return _expected_lines(wait_until(screen, message="tmux probe"))
    finally:
        subprocess.run([*tmux, "kill-server"], check=False, env=env, capture_output=True)


def test_pane_children_have_default_signals_like_tmux(server, tmp_path):
    server.ok("new-session", "-d", "-s", "sig", "-x", "100", "-y", "20")
    server.wait_for_text("sig", "$")
    server.ok("send-keys", "-t", "sig", PROBE, "Enter")
    screen = wait_until(lambda: _done(server.capture("sig")), message="probe output")
    ours = _expected_lines(screen)
    assert "SigIgn: 0000000000000000" in ours
    assert "SigBlk: 0000000000000000" in ours
    assert "ps=141 0" in ours and "y" in ours
    assert "Broken pipe" not in screen
    theirs = _tmux_result(tmp_path)
    if theirs is None:
        pytest.skip("tmux is not installed")
    assert ours == theirs


def test_pane_child_leads_a_session_on_its_terminal_with_no_server_descriptor(server):
    """The child is started as tmux's are: its own session, the PTY as its controlling
    terminal (its process group in the foreground) on 0-2, and nothing else of the
    server open (its socket, the store, other panes' PTYs)."""
    server.ok("new-session", "-d", "-s", "one", "-x", "100", "-y", "20", "exec cat")
    server.ok("new-session", "-d", "-s", "kid", "-x", "100", "-y", "20", "exec cat")
    pid = int(server.ok("display-message", "-p", "-t", "kid", "#{pane_pid}"))

    def ran() -> bool:  # the server does not wait for the child's exec
        with open(f"/proc/{pid}/comm") as handle:
            return handle.read().strip() == "cat"

    wait_until(ran, message="the child ran cat")

    def descriptors() -> list[str]:
        return sorted(os.listdir(f"/proc/{pid}/fd"), key=int)

    # cat's own start opens and closes files (the locale's) after its exec: a descriptor
    # of the server would stay, one of cat's start goes
    wait_until(lambda: descriptors() == ["0", "1", "2"],
               message="the child to hold only descriptors 0-2")
    with open(f"/proc/{pid}/stat") as handle:
        fields = handle.read().rsplit(")", 1)[1].split()
    session, tty, foreground = int(fields[3]), int(fields[4]), int(fields[5])
    assert session == foreground == pid
    assert tty != 0
    terminal = os.readlink(f"/proc/{pid}/fd/0")
    assert terminal.startswith("/dev/pts/")
    assert os.readlink(f"/proc/{pid}/fd/1") == os.readlink(f"/proc/{pid}/fd/2") == terminal


def test_pane_program_not_on_path_fails_the_command(server):
    result = server.run("new-session", "-d", "-s", "gone", "no-such-program-here", "arg")
    assert result.code == 1
    assert "create pane failed" in result.err and "no-such-program-here" in result.err
    assert server.run("has-session", "-t", "gone").code == 1


def test_an_executable_without_a_shebang_runs_under_sh_as_in_tmux(server, tmp_path):
    """``new-session PROGRAM ARG`` of an executable text without ``#!``: tmux's execvp
    gives it to ``/bin/sh`` (``$0`` the file, ``$1`` the argument)."""
    script = tmp_path / "noshebang"
    script.write_text('echo "ran:$0:$1"\nexec cat\n')
    script.chmod(0o755)
    server.ok("new-session", "-d", "-s", "ns", "-x", "400", "-y", "10", str(script), "one")
    ours = server.wait_for_text("ns", "ran:")
    line = next(line for line in ours.splitlines() if line.startswith("ran:"))
    assert line == f"ran:{script}:one"
    if shutil.which("tmux") is None:
        pytest.skip("tmux is not installed")
    name = f"nsb{uuid.uuid4().hex[:8]}"
    env = {k: v for k, v in os.environ.items() if not k.startswith("TMUX")}
    env["TMUX_TMPDIR"] = str(tmp_path)
    tmux = ["tmux", "-L", name, "-f", "/dev/null"]
    try:
        subprocess.run([*tmux, "new-session", "-d", "-x", "400", "-y", "10", str(script),
                        "one"], env=env, check=True)

        def theirs() -> str:
            text = subprocess.run([*tmux, "capture-pane", "-p"], check=False, env=env,
                                  capture_output=True, text=True).stdout
            return next((row for row in text.splitlines() if row.startswith("ran:")), "")

        assert wait_until(theirs, message="tmux's pane ran the script") == line
    finally:
        subprocess.run([*tmux, "kill-server"], check=False, env=env, capture_output=True)
