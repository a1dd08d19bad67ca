"""Bells and activity alerts against tmux 3.3a: window flags, #{session_alerts}, the
alert-bell hook, and what attached clients get (a terminal bell or ``Bell in window N``)."""

from __future__ import annotations

import asyncio
import shutil
from typing import Any

import pytest
from conftest import wait_until

from aisession_tui.cli.async_client import open_client

needs_tmux = pytest.mark.skipif(shutil.which("tmux") is None, reason="tmux is not installed")
FLAGS = "#{window_index}#{window_flags} #{window_raw_flags} " \
        "#{window_activity_flag}#{window_bell_flag} #{session_alerts}"


def _alerts(run: Any, settled: Any) -> tuple[str, str]:
    run("new-session", "-d", "-s", "s", "-x", "80", "-y", "20")
    run("new-window", "-d")
    run("set", "-g", "monitor-activity", "on")
    run("set-hook", "-g", "alert-bell", 'set -gF @bell "#{hook}|#{hook_window}"')
    for window in (":0", ":1"):  # each shell at its prompt before the alerts
        wait_until(lambda w=window: run("capture-pane", "-p", "-t", w)[1].strip(),
                   message="a prompt")
    run("send-keys", "-t", ":0", "echo x", "Enter")
    run("send-keys", "-t", ":1", "echo y; printf '\\a'; printf '\\033]0;title\\007'", "Enter")
    flags = wait_until(lambda: settled(run("list-windows", "-F", FLAGS)[1]),
                       message="alerts flagged")
    return flags, wait_until(lambda: run("show", "-gv", "@bell")[1], message="hook ran")


@needs_tmux
def test_bell_and_activity_flags_and_the_alert_bell_hook_match_tmux(server, live_tmux) -> None:
    def ours(*args: str) -> tuple[int, str, str]:
        result = server.run(*args)
        return result.code, result.out, result.err

    theirs = _alerts(live_tmux.run, lambda text: text if "!" in text and text.count(
        "#") >= 8 else "")
    assert _alerts(ours, lambda text: text if text == theirs[0] else "") == theirs
    assert "1##! #! 11 0#,1#!" in theirs[0]  # the bell flagged the window that rang


def test_attached_clients_hear_the_bell_as_visual_bell_says(server) -> None:
    server.ok("new-session", "-d", "-s", "b", "-x", "80", "-y", "20")
    server.ok("new-window", "-d", "-t", "b")
    server.wait_for_text("b:1", "$")
    notes: list[tuple[str, dict[str, Any]]] = []

    async def scenario() -> None:
        client = await open_client(server.socket,
                                   on_notification=lambda m, p: notes.append((m, p)))
        await client.request("attach", {"target": "b", "columns": 80, "lines": 20})
        for visual, wanted in (("off", ("bell", None)), ("on", ("message", "Bell in window 1"))):
            notes.clear()
            await client.request("command", {"argv": ["set", "visual-bell", visual]})
            await client.request("command", {"argv": ["send-keys", "-t", "b:1",
                                                      "printf '\\a'", "Enter"]})

            def heard(wanted: tuple[str, str | None] = wanted) -> bool:
                return any(m == wanted[0] and (wanted[1] is None or p.get("text") == wanted[1])
                           for m, p in notes)
            for _ in range(600):
                if heard():
                    break
                await asyncio.sleep(0.05)
            assert heard(), (visual, notes[-5:])
        await client.close()

    asyncio.run(scenario())
    # The window in view is never flagged; the hidden one that rang is.
    assert server.ok("list-windows", "-t", "b", "-F", "#{window_index}#{window_raw_flags}") \
        == "0*\n1!\n"


def test_attaching_clears_the_alerts_of_the_window_it_shows(server) -> None:
    """Output in the current window of an unattached session flags it, as in tmux; the
    client that attaches sees that window, so its flag goes (tmux's
    server_client_set_session); a hidden window keeps its flag."""
    server.ok("new-session", "-d", "-s", "u")
    server.ok("set", "-g", "monitor-activity", "on")
    server.ok("new-window", "-d", "-t", "u")
    for target in ("u:0", "u:1"):
        server.wait_for_text(target, "$")
        server.ok("send-keys", "-t", target, "echo out", "Enter")

    def flags() -> str:
        return server.ok("list-windows", "-t", "u", "-F", "#{window_index}#{window_raw_flags}")
    wait_until(lambda: flags() == "0#*\n1#\n", message="both windows flagged")

    async def scenario() -> None:
        client = await open_client(server.socket)
        await client.request("attach", {"target": "u", "columns": 80, "lines": 20})
        assert flags() == "0*\n1#\n"
        await client.close()

    asyncio.run(scenario())
