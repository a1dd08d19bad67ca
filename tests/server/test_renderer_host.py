"""The renderer host: a stopping server leaves a next server's zygote socket alone.

A server that stops stops listening at once, so a next server on the same name may start
and bind its zygote's socket (``.NAME.renderer``) while the first still ends its own
zygote; the first must then not unlink the path (the next server's thin clients would find
no zygote and fall back to the in-process client).
"""

from __future__ import annotations

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
