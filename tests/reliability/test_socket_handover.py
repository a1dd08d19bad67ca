"""A server that stops removes its socket file only if the file is still the one it bound:
a server started while it was shutting down (a client found none answering once the old
listener closed) keeps its own socket (issue 17: a faster start made that overlap common
in back-to-back cold starts)."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
from pathlib import Path

from conftest import wait_until


def test_a_stopping_server_leaves_a_newer_servers_socket(server) -> None:
    server.ok("new-session", "-d", "-s", "s", "cat")
    pid = int(server.ok("display-message", "-p", "#{pid}"))
    moved = Path(f"{server.socket}-moved")
    os.rename(server.socket, moved)  # the old server still listens, under another name
    newer = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    try:
        newer.bind(str(server.socket))  # what a server started meanwhile would have bound
        newer.listen(1)
        done = subprocess.run([sys.executable, "-m", "aisession_tui.cli", "-S", str(moved),
                               "kill-server"], env=server.env, capture_output=True,
                              text=True, timeout=60, check=False)
        assert done.returncode == 0, done.stderr
        wait_until(lambda: not Path(f"/proc/{pid}").exists(), message="the old server exits")
        assert server.socket.exists(), "the old server removed the newer server's socket"
        with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as client:
            client.connect(str(server.socket))  # still the newer one's listener
    finally:
        newer.close()
        server.socket.unlink(missing_ok=True)
        moved.unlink(missing_ok=True)
