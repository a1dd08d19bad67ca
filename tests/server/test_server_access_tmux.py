"""server-access against tmux 3.3a: the same commands give the same list, errors and exit
codes; and, run as root, a client of another user (``nobody``) is refused, admitted,
limited to read-only commands and cut off as tmux does it. The other user's client is a
forked child that drops to ``nobody`` and speaks the protocol (tmux's own client runs as
``nobody`` through ``setpriv``); both servers' sockets are reachable through a 0755
directory."""

from __future__ import annotations

import os
import pwd
import shutil
import subprocess
import tempfile
from pathlib import Path
from typing import Any

import pytest
from conftest import IsolatedServer, LiveTmux

pytestmark = pytest.mark.skipif(shutil.which("tmux") is None, reason="tmux is not installed")

SCRIPT = [
    ["-l"], ["-a", "nobody"], ["-a", "nobody"], ["-l"], ["-r", "nobody"], ["-l"],
    ["-a", "no-such-user-here"], ["-a", "root"], ["-d", "root"], [], ["-r", "-w", "nobody"],
    ["-a", "-d", "nobody"], ["-w", "daemon"], ["-l"], ["-d", "nobody"], ["-l"],
    ["-d", "nobody"], ["-l", "-a", "bin"], ["-l"], ["-a", "bin", "-r"], ["-r", "bin"], ["-l"],
]
"""server-access argument lists, run in order in both (users from /etc/passwd)."""


def test_server_access_commands_match_tmux(server: IsolatedServer, live_tmux: LiveTmux) -> None:
    if os.getuid() != 0:
        pytest.skip("needs root: it changes other users' access, and root owns the server")
    server.ok("new-session", "-d", "-s", "a")
    assert live_tmux.run("new-session", "-d", "-s", "a")[0] == 0
    for args in SCRIPT:
        ours = server.run("server-access", *args)
        code, out, err = live_tmux.run("server-access", *args)
        assert (ours.code, ours.out, ours.err) == (code, out, err), args


def _as_nobody(socket: Path, argv: list[str]) -> tuple[int, str]:
    """``argv`` sent by a client running as ``nobody``: (exit code, stderr) as the CLI
    would give them (1 and the error when the connection itself is refused)."""
    from aisession_tui.cli.client import ClientError, connect

    nobody = pwd.getpwnam("nobody")
    read, write = os.pipe()
    pid = os.fork()
    if pid == 0:  # the other user's client
        os.close(read)
        try:
            os.setgroups([])
            os.setgid(nobody.pw_gid)
            os.setuid(nobody.pw_uid)
            try:
                client = connect(socket, start=False)
                params: dict[str, Any] = {"argv": argv, "cwd": "/", "env": {}}
                if ";" in argv:  # as the CLI sends a command list
                    at = argv.index(";")
                    params["commands"] = [argv[:at], argv[at + 1:]]
                result: dict[str, Any] = client.request("command", params)
                answer = f"{result['exit_code']}\n{result['stderr']}"
            except ClientError as exc:
                answer = f"1\n{exc}\n"
            os.write(write, answer.encode())
        finally:
            os._exit(0)
    os.close(write)
    with os.fdopen(read) as pipe:
        answer = pipe.read()
    os.waitpid(pid, 0)
    code, _, err = answer.partition("\n")
    return int(code), err


def _tmux_as_nobody(socket: Path, argv: list[str]) -> tuple[int, str]:
    proc = subprocess.run(["setpriv", "--reuid=nobody", "--regid=nogroup", "--clear-groups",
                           "tmux", "-S", str(socket), *argv], capture_output=True, text=True,
                          timeout=30, env={"HOME": "/tmp", "PATH": "/usr/bin:/bin"},
                          check=False)
    return proc.returncode, proc.stderr


def test_another_users_client_is_governed_as_in_tmux(server: IsolatedServer) -> None:
    if os.getuid() != 0 or shutil.which("setpriv") is None:
        pytest.skip("needs root and setpriv, to run a client as nobody")
    try:
        pwd.getpwnam("nobody")
    except KeyError:
        pytest.skip("no user nobody")
    shared = Path(tempfile.mkdtemp(prefix="ais-access-", dir="/tmp"))
    tmux_socket = shared / "tmux"
    ours_socket = shared / "ours"
    tmux = ["tmux", "-S", str(tmux_socket), "-f", "/dev/null"]
    try:
        shared.chmod(0o755)
        server.ok("new-session", "-d", "-s", "a")
        os.link(server.socket, ours_socket)   # the same socket, in a directory nobody reaches
        subprocess.run([*tmux, "new-session", "-d", "-s", "a"], env=server.env, check=True,
                       timeout=30)
        for path in (ours_socket, tmux_socket):
            path.chmod(0o777)

        def both(argv: list[str]) -> tuple[tuple[int, str], tuple[int, str]]:
            return _as_nobody(ours_socket, argv), _tmux_as_nobody(tmux_socket, argv)

        def access(*args: str) -> None:
            server.ok("server-access", *args)
            subprocess.run([*tmux, "server-access", *args], check=True, timeout=30)

        ours, theirs = both(["list-sessions"])       # not on the list: refused
        assert ours == (1, "access not allowed\n")
        assert theirs[1] == "access not allowed\n"   # (tmux's client exits 0 here)
        access("-a", "nobody")                       # allowed: commands run
        assert both(["has-session", "-t", "a"]) == ((0, ""), (0, ""))
        access("-r", "nobody")                       # read-only: only tmux's read-only ones
        ours, theirs = both(["has-session", "-t", "a"])
        assert ours == theirs == (1, "client is read-only\n")
        assert both(["list-clients"]) == ((0, ""), (0, ""))
        assert both(["list-clients", ";", "has-session"])[0] == (1, "client is read-only\n")
        access("-w", "nobody")                       # writable again
        assert both(["has-session", "-t", "a"]) == ((0, ""), (0, ""))
        access("-d", "nobody")                       # removed: refused again
        assert both(["list-sessions"])[0] == (1, "access not allowed\n")
        assert server.ok("has-session", "-t", "a") == ""  # the owner is never refused
    finally:
        subprocess.run([*tmux, "kill-server"], capture_output=True, timeout=30, check=False)
        shutil.rmtree(shared, ignore_errors=True)
