"""Bounded memory: hostile connections cannot make the server hold more than the global
bound on partial frames, a large request does not leave the heap at its peak, and RSS
levels off over many ``exec`` calls (the token-count cache was bounded by entries only:
8192 distinct 13 KB context renderings grew the server by about 20 KB an exec).

The full figures (2,000 execs) come from ``benchmarks/reliability_memory.py``; this test
runs a shorter, bounded version.
"""

from __future__ import annotations

import socket
from pathlib import Path

from conftest import wait_until
from killing import command

from aisession_tui import protocol
from aisession_tui.server.limits import MAX_BUFFERED_TOTAL

MB = 1024 * 1024


def rss_mb(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    raise AssertionError("no VmRSS")


def test_ten_hostile_connections_stay_under_the_global_bound(server) -> None:
    server.ok("new-session", "-d", "-s", "keep")
    pid = server.server_pid()
    assert pid
    start = rss_mb(pid)
    size = protocol.MAX_FRAME - 16
    connections = []
    refused = 0
    try:
        for _ in range(10):
            sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
            sock.connect(str(server.socket))
            sock.settimeout(10)
            connections.append(sock)
            try:
                sock.sendall(protocol.encode(protocol.request(1, "hello", {"version": 1})))
                sock.sendall(protocol.HEADER.pack(size) + b"x" * (size - 1))
            except OSError:
                refused += 1
        assert refused >= 10 - MAX_BUFFERED_TOTAL // size
        assert server.run("has-session", "-t", "keep").code == 0
        held = rss_mb(pid) - start
        # The partial frames the bound admits, plus the decoder's copies: well under what
        # ten unbounded 16 MiB buffers took (231 MB).
        assert held < 2 * MAX_BUFFERED_TOTAL / MB, held
    finally:
        for sock in connections:
            sock.close()
    wait_until(lambda: rss_mb(pid) < start + 16, message="memory given back")


def test_rss_levels_off_over_many_execs(server) -> None:
    server.ok("new-session", "-d", "-s", "m")
    server.ok("set-option", "-g", "history-limit", "50")
    server.ok("respawn-pane", "-k", "-t", "m")
    pid = server.server_pid()
    assert pid
    cwd = str(server.home)

    def execs(count: int, offset: int) -> None:
        for index in range(offset, offset + count):
            reply = command(server.socket, cwd, "exec", "m", f"echo line-{index}")
            assert reply["exit_code"] == 0, reply

    execs(700, 0)  # warm: the tokenizer, the token cache filling to its bound
    warm = rss_mb(pid)
    execs(400, 700)
    grown = rss_mb(pid) - warm
    # Unbounded, 400 execs added about 8 MB; what is left is the pane context's
    # per-command messages (a few hundred bytes each).
    assert grown < 3, f"RSS grew {grown:.1f} MB over 400 execs"
