"""switch-client for attached clients, through the real CLI and protocol clients attached
to an isolated server: which client switches, next/previous/last session as tmux 3.3a
picks them, and what the switched client receives (the new session, then full screens).
"""

from __future__ import annotations

import asyncio
from typing import Any

from conftest import async_wait_until

from aisession_tui.cli.async_client import AsyncClient, open_client

ATTACHED = "#{session_name}:#{session_attached}"


class Watcher:
    """An attached protocol client that keeps its notifications and runs commands as
    a key binding of the TUI would (on its own connection)."""

    def __init__(self) -> None:
        self.notes: list[tuple[str, dict[str, Any]]] = []
        self.client: AsyncClient | None = None
        self.id = 0

    def __call__(self, method: str, params: dict[str, Any]) -> None:
        self.notes.append((method, params))

    async def attach(self, server: Any, target: str) -> None:
        self.client = await open_client(server.socket, on_notification=self)
        reply = await self.client.request("attach", {"target": target, "columns": 70,
                                                     "lines": 20})
        self.id = reply["client"]

    async def command(self, *argv: str) -> dict[str, Any]:
        assert self.client is not None
        return await self.client.request("command", {"argv": list(argv)})

    def session_name(self) -> str | None:
        found = [params["name"] for method, params in self.notes if method == "session"]
        return found[-1] if found else None

    async def shows(self, name: str) -> None:
        await async_wait_until(lambda: self.session_name() == name,
                               message=f"client showing {name}")

    async def close(self) -> None:
        if self.client is not None:
            await self.client.close()


def three_sessions(server: Any) -> None:
    """Sessions created out of name order: tmux walks them by name."""
    for name in ("b", "a", "c"):
        server.ok("new-session", "-d", "-s", name, "-x", "70", "-y", "20")


def test_without_an_attached_client_it_is_tmux_s_error(server):
    three_sessions(server)
    result = server.run("switch-client", "-t", "b")
    assert (result.code, result.err) == (1, "no current client\n")
    assert server.run("switchc", "-n").err == "no current client\n"


def test_next_previous_and_last_session_of_the_client_that_asks(server):
    three_sessions(server)
    server.ok("send-keys", "-t", "c", "echo in-session-c", "Enter")
    server.wait_for_text("c", "in-session-c\n")

    async def scenario() -> None:
        watcher = Watcher()
        try:
            await watcher.attach(server, "a")
            await watcher.shows("a")
            assert (await watcher.command("switch-client", "-l"))["stderr"] == \
                "can't find last session\n"
            await watcher.command("switch-client", "-t", "c")
            await watcher.shows("c")
            # The new session's panes come whole, after its session message.
            pane = int(server.ok("display-message", "-p", "-t", "c", "#{pane_id}")[1:])
            seen_session = next(i for i, (method, params) in enumerate(watcher.notes)
                                if method == "session" and params["name"] == "c")
            await async_wait_until(lambda: any(
                method == "screen" and params["pane"] == pane and params["full"]
                for method, params in watcher.notes[seen_session:]), message="full screen")
            screen = next(params for method, params in watcher.notes[seen_session:]
                          if method == "screen" and params["pane"] == pane)
            assert screen["full"]
            assert "in-session-c" in "".join(run[0] for runs in screen["rows"].values()
                                             for run in runs)
            assert server.ok("list-sessions", "-F", ATTACHED).split() == \
                ["a:0", "b:0", "c:1"]
            # -n / -p walk the sessions by name and wrap; -l goes back and forth.
            await watcher.command("switch-client", "-n")
            await watcher.shows("a")
            await watcher.command("switch-client", "-n")
            await watcher.shows("b")
            await watcher.command("switch-client", "-p")
            await watcher.shows("a")
            await watcher.command("switch-client", "-l")
            await watcher.shows("b")
            await watcher.command("switch-client", "-l")
            await watcher.shows("a")
            # A last session that ended cannot be switched to.
            server.ok("kill-session", "-t", "b")
            reply = await watcher.command("switch-client", "-l")
            assert (reply["exit_code"], reply["stderr"]) == (1, "can't find last session\n")
            assert watcher.session_name() == "a"
        finally:
            await watcher.close()

    asyncio.run(scenario())


def test_switching_from_the_cli_picks_a_client_and_can_name_a_window_and_pane(server):
    three_sessions(server)
    server.ok("new-window", "-t", "c:")
    server.ok("split-window", "-t", "c:1")
    server.ok("select-window", "-t", "c:0")

    async def scenario() -> None:
        first, second = Watcher(), Watcher()
        try:
            await first.attach(server, "a")
            await second.attach(server, "b")
            await first.shows("a")
            await second.shows("b")
            # -c names the client; other clients stay where they are.
            server.ok("switch-client", "-c", str(first.id), "-t", "c:1.0")
            await first.shows("c")
            assert server.ok("display-message", "-p", "-t", "c",
                             "#{window_index}.#{pane_index}") == "1.0\n"
            assert second.session_name() == "b"
            assert server.run("switch-client", "-c", "99", "-t", "a").err == \
                "can't find client: 99\n"
            assert server.run("switch-client", "-c", str(first.id), "-t", "zz").err == \
                "can't find session: zz\n"
            # Without -c: a client of the current (most recently used) session, c.
            server.ok("switch-client", "-t", "a")
            await first.shows("a")
            assert second.session_name() == "b"
            assert server.ok("list-sessions", "-F", ATTACHED).split() == \
                ["a:1", "b:1", "c:0"]
        finally:
            await first.close()
            await second.close()

    asyncio.run(scenario())
    assert server.ok("list-sessions", "-F", ATTACHED).split() == ["a:0", "b:0", "c:0"]
