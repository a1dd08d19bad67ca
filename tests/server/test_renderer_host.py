"""The renderer host: a stopping server leaves a next server's zygote socket alone.

A server that stops stops listening at once, so a next server on the same name may start
and bind its zygote's socket (``.NAME.renderer``) while the first still ends its own
zygote; the first must then not unlink the path (the next server's thin clients would find
no zygote and fall back to the in-process client).
"""

from __future__ import annotations

import os
import socket
from pathlib import Path

from aisession_tui.server.renderer_host import RendererHost


def test_a_stopping_host_leaves_a_newer_hosts_socket(tmp_path: Path) -> None:
    server_socket = tmp_path / "name"
    first, second = RendererHost(server_socket), RendererHost(server_socket)
    try:
        first.ensure()
        second.ensure()  # the next server: unlinks the stale path, binds its own
        inode = second.path.stat().st_ino
        first.close()
        assert second.path.exists() and second.path.stat().st_ino == inode
    finally:
        first.close()
        second.close()
    assert not second.path.exists()  # its own socket: removed


def test_the_inode_alone_does_not_make_the_socket_a_hosts(tmp_path: Path) -> None:
    """ext4 hands a freed inode number out again at once: a next server's socket can have
    the number the stopping server's had. The host's stamp (inode and the random
    modification time it gave the file) tells them apart; here the file keeps its inode
    and gets another time, as a next bind on the reused inode would have."""
    host = RendererHost(tmp_path / "name")
    try:
        host.ensure()
        os.utime(host.path, ns=(1, 1))  # same inode, not this host's stamp any more
        host.close()
        assert host.path.exists()  # not removed: it is not this host's
    finally:
        host.close()
        host.path.unlink(missing_ok=True)


def test_a_host_whose_socket_was_taken_starts_another_zygote(tmp_path: Path) -> None:
    """A second server racing the first one's start binds its zygote's socket at the
    path, then finds the first listening and exits (its socket goes with it): the first
    server's next ``renderer`` request starts a zygote on a fresh socket instead of
    naming a path nobody listens on (thin clients would run the in-process client)."""
    server_socket = tmp_path / "name"
    first, second = RendererHost(server_socket), RendererHost(server_socket)
    try:
        first.ensure()
        replaced = first.process
        second.ensure()
        second.close()
        assert not first.path.exists()
        first.ensure()
        assert first.process is not replaced
        probe = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        try:
            probe.connect(str(first.path))  # the new zygote's listener (its backlog)
        finally:
            probe.close()
    finally:
        first.close()
        second.close()
    assert not first.path.exists()
    assert replaced is not None and replaced.poll() is not None  # ended, reaped
