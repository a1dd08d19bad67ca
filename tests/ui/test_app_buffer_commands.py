"""The server commands the client relies on for copy/paste and pane moves:
set-buffer, show-buffer, list-buffers, paste-buffer, delete-buffer, swap-pane and
rotate-window, driven through the real CLI against an isolated server."""

from __future__ import annotations

from typing import Any


def test_buffers_set_list_paste_delete(server: Any) -> None:
    server.ok("new-session", "-d", "-s", "main", "-x", "80", "-y", "23")
    server.wait_for_text("main", "$")
    server.ok("set-buffer", "echo pasted-$((2+3))")
    server.ok("set-buffer", "-b", "named", "second\nline")
    assert server.ok("show-buffer") == "second\nline"
    assert server.ok("show-buffer", "-b", "buffer0") == "echo pasted-$((2+3))"
    assert server.ok("list-buffers").splitlines() == [
        'named: 11 bytes: "second\\nline"', 'buffer0: 20 bytes: "echo pasted-$((2+3))"']
    server.ok("paste-buffer", "-b", "buffer0", "-t", "main")
    server.ok("send-keys", "-t", "main", "Enter")
    server.wait_for_text("main", "pasted-5")
    server.ok("delete-buffer", "-b", "named")
    assert server.ok("list-buffers", "-F", "#{buffer_name}") == "buffer0\n"
    assert server.run("delete-buffer", "-b", "nope").err == "unknown buffer: nope\n"  # tmux


def test_swap_and_rotate_panes(server: Any) -> None:
    server.ok("new-session", "-d", "-s", "main", "-x", "80", "-y", "23")
    server.ok("split-window", "-h", "-t", "main")
    server.ok("split-window", "-v", "-t", "main.1")
    def order() -> list[str]:
        return server.ok("list-panes", "-t", "main", "-F", "#{pane_id}").split()
    assert order() == ["%0", "%1", "%2"]
    server.ok("swap-pane", "-D", "-t", "%0")
    assert order() == ["%1", "%0", "%2"]
    server.ok("rotate-window", "-t", "main")
    assert order() == ["%0", "%2", "%1"]
    server.ok("rotate-window", "-D", "-t", "main")
    assert order() == ["%1", "%0", "%2"]
