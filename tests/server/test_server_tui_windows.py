"""Window and pane moves, activity, automatic names, border titles and detach, through
the real CLI and an attached protocol client against an isolated server.

Attached clients are plain :func:`open_client` connections that record the
notifications they get; every wait has a deadline and no test asserts on timing.
"""

from __future__ import annotations

import asyncio
from typing import Any

import pytest
from conftest import async_wait_until, wait_until

from aisession_tui.cli.async_client import AsyncClient, open_client

WINDOWS = "#{window_index}:#{window_id}:#{window_flags}"


def windows(server: Any, session: str = "main") -> list[str]:
    """``index:@id:flags`` of each window."""
    return server.ok("list-windows", "-t", session, "-F", WINDOWS).splitlines()


class Recorder:
    """An attached protocol client that keeps every notification."""

    def __init__(self) -> None:
        self.notes: list[tuple[str, dict[str, Any]]] = []
        self.client: AsyncClient | None = None

    def __call__(self, method: str, params: dict[str, Any]) -> None:
        self.notes.append((method, params))

    async def attach(self, server: Any, target: str = "main") -> dict[str, Any]:
        self.client = await open_client(server.socket, on_notification=self)
        return await self.client.request("attach", {"target": target, "columns": 80,
                                                    "lines": 24})

    def sessions(self) -> list[dict[str, Any]]:
        return [params for method, params in self.notes if method == "session"]

    async def wait(self, predicate: Any, what: str, timeout: float = 30.0) -> Any:
        return await async_wait_until(predicate, timeout, what)

    async def close(self) -> None:
        if self.client is not None:
            await self.client.close()


def test_break_pane_keeps_the_child_and_its_screen(server):
    server.ok("new-session", "-d", "-s", "main", "-x", "80", "-y", "24")
    server.ok("split-window", "-h", "-t", "main")
    server.wait_for_text("main.1", "$")
    pid = server.ok("display-message", "-p", "-t", "main.1", "#{pane_pid}")
    pane_id = server.ok("display-message", "-p", "-t", "main.1", "#{pane_id}").strip()
    server.ok("send-keys", "-t", "main.1", "echo before-break", "Enter")
    server.wait_for_text("main.1", "before-break\n")
    printed = server.ok("break-pane", "-P", "-s", pane_id, "-n", "broken")
    assert printed == "main:1.0\n"
    assert server.ok("list-windows", "-t", "main", "-F",
                     "#{window_index}:#{window_name}:#{window_panes}:#{window_flags}") == \
        f"0:{'bash'}:1:-\n1:broken:1:*\n"
    # Same process, same screen, now as wide as the window.
    assert server.ok("display-message", "-p", "-t", pane_id, "#{pane_pid}") == pid
    assert "before-break" in server.capture(pane_id)
    assert server.ok("display-message", "-p", "-t", pane_id,
                     "#{pane_width}x#{pane_height}") == "80x24\n"
    server.ok("send-keys", "-t", pane_id, "echo after-break", "Enter")
    server.wait_for_text(pane_id, "after-break\n")
    # -d keeps the current window; -t picks the index.
    server.ok("split-window", "-t", "main:1")
    server.ok("break-pane", "-d", "-t", ":5", "-s", "main:1.1")
    assert [line.split(":")[0] + ":" + line.split(":")[2] for line in windows(server)] == \
        ["0:-", "1:*", "5:"]
    assert server.run("break-pane", "-s", "main:0", "-t", ":1").err == "index in use: 1\n"
    # A window's only pane moves the window.
    server.ok("break-pane", "-s", "main:5", "-t", ":7")
    assert [line.split(":")[0] for line in windows(server)] == ["0", "1", "7"]


@pytest.mark.fake_pty
def test_swap_and_move_window_reorder_tabs(server):
    server.ok("new-session", "-d", "-s", "main")
    server.ok("new-window", "-t", "main", "-n", "one")
    server.ok("new-window", "-t", "main", "-n", "two")
    names = "#{window_index}:#{window_name}#{window_flags}"
    server.ok("rename-window", "-t", "main:0", "zero")
    # As tmux 3.3a (checked live): without -d the current index stays current, -d
    # follows the source window to its new index.
    server.ok("swap-window", "-s", "main:2", "-t", "main:0")
    assert server.ok("list-windows", "-t", "main", "-F", names) == \
        "0:two\n1:one-\n2:zero*\n"
    server.ok("swap-window", "-d", "-s", "main:0", "-t", "main:1")
    assert server.ok("list-windows", "-t", "main", "-F", names) == \
        "0:one\n1:two*\n2:zero-\n"
    server.ok("move-window", "-s", "main:2", "-t", ":5")
    assert server.ok("list-windows", "-t", "main", "-F", names) == \
        "0:one\n1:two-\n5:zero*\n"
    assert server.run("move-window", "-s", "main:5", "-t", ":1").err == "index in use: 1\n"
    server.ok("move-window", "-k", "-s", "main:5", "-t", ":1")
    assert server.ok("list-windows", "-t", "main", "-F", names) == "0:one-\n1:zero*\n"
    server.ok("move-window", "-d", "-s", "main:0", "-t", "main:4")
    assert server.ok("list-windows", "-t", "main", "-F", names) == "1:zero*\n4:one-\n"
    server.ok("move-window", "-r", "-t", "main")
    assert server.ok("list-windows", "-t", "main", "-F", names) == "0:zero*\n1:one-\n"
    # renumber-windows closes the gap a killed window leaves.
    server.ok("new-window", "-t", "main", "-n", "three")
    server.ok("set-option", "-g", "renumber-windows", "on")
    server.ok("kill-window", "-t", "main:1")
    assert server.ok("list-windows", "-t", "main", "-F", names) == "0:zero-\n1:three*\n"


def test_monitor_activity_flags_a_background_window_until_selected(server):
    server.ok("new-session", "-d", "-s", "main")
    server.ok("new-window", "-t", "main")
    server.wait_for_text("main:0", "$")
    server.ok("send-keys", "-t", "main:0", "echo quiet-output", "Enter")
    server.wait_for_text("main:0", "quiet-output\n")
    assert server.ok("display-message", "-p", "-t", "main:0", "#{window_flags}") == "-\n"
    server.ok("set-option", "-g", "monitor-activity", "on")
    server.ok("send-keys", "-t", "main:0", "echo loud-output", "Enter")
    wait_until(lambda: server.ok("display-message", "-p", "-t", "main:0",
                                 "#{window_flags}") == "##-\n", message="activity flag (tmux escapes #)")
    assert server.ok("display-message", "-p", "-t", "main:0",
                     "#{window_activity_flag}") == "1\n"
    # The session has no client: like tmux, any output in its current window flags it
    # again, so select it only once the shell is idle at its next prompt.
    server.wait_for_text("main:0", "loud-output\n$")
    server.ok("select-window", "-t", "main:0")
    assert windows(server)[0].endswith(":*")
    assert server.ok("display-message", "-p", "-t", "main:0",
                     "#{window_activity_flag}") == "0\n"


def test_activity_and_automatic_names_reach_attached_clients(server):
    server.ok("new-session", "-d", "-s", "main")
    server.ok("new-window", "-t", "main")
    server.ok("set-option", "-g", "monitor-activity", "on")
    server.wait_for_text("main:0", "$")

    async def scenario() -> None:
        recorder = Recorder()
        try:
            await recorder.attach(server)
            await recorder.wait(lambda: recorder.sessions(), "session")
            server.ok("send-keys", "-t", "main:0", "echo ping", "Enter")
            await recorder.wait(lambda: any(
                w["index"] == 0 and "#" in w["flags"]
                for s in recorder.sessions() for w in s["windows"]), "activity flag")
            # The current window's name follows its foreground process with no other
            # change to the session.
            server.ok("send-keys", "-t", "main:1", "cat", "Enter")
            await recorder.wait(lambda: any(
                w["index"] == 1 and w["name"] == "cat"
                for s in recorder.sessions() for w in s["windows"]), "automatic name")
            server.ok("send-keys", "-t", "main:1", "C-c", "")
            await recorder.wait(lambda: recorder.sessions()[-1]["windows"][1]["name"] ==
                                "bash", "name back to bash")
        finally:
            await recorder.close()

    asyncio.run(scenario())


@pytest.mark.fake_pty
def test_pane_border_status_takes_a_row_and_sends_titles(server):
    server.ok("new-session", "-d", "-s", "main", "-x", "80", "-y", "24")
    server.ok("split-window", "-v", "-t", "main")
    geometry = "#{pane_top}:#{pane_height}"
    before = server.ok("list-panes", "-t", "main", "-F", geometry).splitlines()
    server.ok("set-option", "-g", "pane-border-status", "top")
    after = server.ok("list-panes", "-t", "main", "-F", geometry).splitlines()
    top_before, height_before = map(int, before[0].split(":"))
    assert after[0] == f"{top_before + 1}:{height_before - 1}"  # the top pane gives a row
    assert after[1] == before[1]       # the other's title sits on the separator above it
    server.ok("select-pane", "-t", "main.0", "-T", "build")
    assert server.run("set-option", "-g", "pane-border-status", "left").code == 1

    async def scenario() -> None:
        recorder = Recorder()
        try:
            await recorder.attach(server)
            session = await recorder.wait(lambda: recorder.sessions(), "session")
            window = session[-1]["windows"][0]
            assert window["border_status"] == "top"
            # the expanded format, its styles kept: pane 0 is not the active one
            assert window["panes"][0]["border_title"] == '0#[default] "build"'
            assert window["panes"][0]["y"] == 1
            server.ok("set-option", "-g", "pane-border-format", "#{pane_index}:#{pane_id}")
            await recorder.wait(lambda: recorder.sessions()[-1]["windows"][0]["panes"][1]
                                .get("border_title", "").startswith("1:%"), "new format")
            server.ok("set-option", "-g", "pane-border-status", "off")
            await recorder.wait(lambda: "border_title" not in
                                recorder.sessions()[-1]["windows"][0]["panes"][0], "off")
        finally:
            await recorder.close()

    asyncio.run(scenario())
    assert server.ok("list-panes", "-t", "main", "-F", geometry).splitlines() == before


@pytest.mark.fake_pty
def test_detach_client_and_attach_d(server):
    server.ok("new-session", "-d", "-s", "main")
    server.ok("new-session", "-d", "-s", "other")

    async def scenario() -> None:
        first, second, third = Recorder(), Recorder(), Recorder()
        try:
            await first.attach(server, "main")
            await second.attach(server, "main")
            await third.attach(server, "other")
            assert server.ok("display-message", "-p", "-t", "main",
                             "#{session_attached}") == "2\n"
            result = await first.client.request("command", {"argv": ["detach-client",
                                                                       "-a"]})
            assert result["exit_code"] == 0, result
            for gone in (second, third):
                await gone.wait(lambda g=gone: any(m == "detached" for m, _ in g.notes),
                                "detached")
            assert ("detached", {"session": "other"}) in third.notes
            assert not any(m == "detached" for m, _ in first.notes)
            assert server.ok("display-message", "-p", "-t", "main",
                             "#{session_attached}") == "1\n"
            server.ok("detach-client", "-s", "main")
            await first.wait(lambda: ("detached", {"session": "main"}) in first.notes,
                             "detached by -s")
            assert server.ok("display-message", "-p", "-t", "main",
                             "#{session_attached}") == "0\n"
            assert server.run("detach-client", "-t", "999").err == \
                "can't find client: 999\n"
            assert server.run("detach-client").err == "no current client\n"
        finally:
            for recorder in (first, second, third):
                await recorder.close()

    asyncio.run(scenario())
    assert server.ok("ls", "-F", "#{session_name}") == "main\nother\n"


@pytest.mark.fake_pty
def test_a_command_from_an_attached_client_is_answered_after_its_new_structure(server):
    """An attached client that sends a command (split, new window) learns the new active
    pane before the reply, so keys it sends on right after go to the new pane."""
    server.ok("new-session", "-d", "-s", "main", "-x", "80", "-y", "24")

    async def scenario() -> None:
        recorder = Recorder()
        try:
            await recorder.attach(server)
            await recorder.wait(lambda: recorder.sessions(), "the first session message")
            for argv in (["split-window"], ["new-window"], ["select-window", "-t", ":0"]):
                seen = len(recorder.sessions())
                assert recorder.client is not None
                reply = await recorder.client.request("command", {"argv": argv})
                assert reply["exit_code"] == 0
                assert len(recorder.sessions()) > seen    # already here with the reply
                latest = recorder.sessions()[-1]
                active = server.ok("display-message", "-p", "-t", "main", "#{pane_id}")
                window = next(w for w in latest["windows"] if w["active"])
                assert f"%{next(p['id'] for p in window['panes'] if p['active'])}\n" == active
        finally:
            await recorder.close()

    asyncio.run(scenario())


def test_status_messages_last_the_session_display_time_unless_d_says(server):
    server.ok("new-session", "-d", "-s", "main", "-x", "80", "-y", "24")
    recorder = Recorder()

    def messages() -> list[dict[str, Any]]:
        return [params for method, params in recorder.notes if method == "message"]

    async def scenario() -> None:
        await recorder.attach(server)
        await recorder.client.request("command", {"argv": ["display-message", "first"]})
        await recorder.wait(lambda: len(messages()) == 1, "a message")
        await recorder.client.request("command", {"argv": ["set", "display-time", "4000"]})
        await recorder.client.request("command", {"argv": ["display-message", "second"]})
        await recorder.client.request("command", {"argv": ["display-message", "-d", "0",
                                                           "third"]})
        await recorder.wait(lambda: len(messages()) == 3, "three messages")
        await recorder.close()

    asyncio.run(scenario())
    assert [(m["text"], m["delay"]) for m in messages()] == [
        ("first", 750), ("second", 4000), ("third", 0)]  # tmux's default display-time: 750
