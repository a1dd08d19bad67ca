"""A mouse key's commands on the server (tmux 3.3a's ``cmd-find.c`` mouse target and the
``#{mouse_*}`` formats): an attached client's ``command`` request carrying the event makes
``-t =`` / ``{mouse}`` the pane under the mouse (the clicked window's active pane for the
status line), makes that pane the current one, and fills ``mouse_x``, ``mouse_y``,
``mouse_word``, ``mouse_line`` and ``mouse_pane``; ``display-menu`` sends the event back
with the menu. Without an event ``=`` is tmux's ``no mouse target``; a malformed event is
an error and the server keeps serving."""

from __future__ import annotations

import asyncio
from typing import Any

from aisession_tui.cli.async_client import open_client
from aisession_tui.cli.client import ClientError
from aisession_tui.server.mouse_target import grid_word

TEXT = "printf 'alpha beta gamma\\n'; exec sleep 600"


def _ids(server: Any) -> tuple[int, int, list[int]]:
    session = int(server.ok("display", "-p", "-t", "m", "#{session_id}").strip()[1:])
    window = int(server.ok("display", "-p", "-t", "m", "#{window_id}").strip()[1:])
    panes = [int(line[1:]) for line in
             server.ok("list-panes", "-t", "m", "-F", "#{pane_id}").split()]
    return session, window, panes


def test_mouse_target_and_formats(server: Any) -> None:
    server.ok("new-session", "-d", "-s", "m", "-x", "80", "-y", "23", TEXT)
    server.ok("split-window", "-h", "-t", "m", "cat")  # right pane active: %1 at x 41
    server.wait_for_text("m.0", "alpha beta gamma")
    session, window, (left, right) = _ids(server)
    notes: list[tuple[str, dict[str, Any]]] = []

    async def scenario() -> None:
        client = await open_client(server.socket, on_notification=lambda m, p:
                                   notes.append((m, p)))
        try:
            await client.request("attach", {"target": "m", "columns": 80, "lines": 24})

            async def run(*argv: str, mouse: dict[str, Any] | None = None) -> dict[str, Any]:
                params: dict[str, Any] = {"argv": list(argv)}
                if mouse is not None:
                    params["mouse"] = mouse
                return dict(await client.request("command", params))

            on_left = {"session": session, "window": window, "pane": left, "x": 7, "y": 0,
                       "last_x": 7, "last_y": 0, "status_at": 23, "status_lines": 1}
            shown = await run("display", "-p", "#{mouse_pane} #{mouse_x} #{mouse_y} "
                              "[#{mouse_word}] [#{mouse_line}] #{pane_id}", mouse=on_left)
            assert shown["stdout"] == f"%{left} 7 0 [beta] [alpha beta gamma] %{left}\n"
            on_space = dict(on_left, x=5)  # tmux: on a space, the word after it
            shown = await run("display", "-p", "[#{mouse_word}]", mouse=on_space)
            assert shown["stdout"] == "[beta]\n"
            assert (await run("select-pane", "-t", "=", mouse=on_left))["exit_code"] == 0
            assert server.ok("display", "-p", "-t", "m", "#{pane_id}") == f"%{left}\n"
            on_status = {"session": session, "window": window, "pane": None, "x": 3,
                         "y": 23, "last_x": 3, "last_y": 23, "status_at": 23,
                         "status_lines": 1}
            shown = await run("display", "-p", "-t", "{mouse}", "#{pane_id} #{mouse_x}",
                              mouse=on_status)
            assert shown["stdout"] == f"%{left} 3\n"
            missing = await run("select-pane", "-t", "=")
            assert missing["stderr"] == "no mouse target\n"
            assert (await run("send-keys", "-M"))["stderr"] == "no mouse target\n"
            bad = dict(on_left, x="seven")
            try:
                await run("display", "-p", "x", mouse=bad)
            except ClientError as exc:
                assert "mouse x must be an integer" in str(exc)
            else:
                raise AssertionError("a malformed mouse event was accepted")
            await run("display-menu", "-x", "M", "-y", "M", "Item", "i", "display ok",
                      mouse=on_left)
            for _ in range(200):
                if any(method == "menu" for method, _ in notes):
                    break
                await asyncio.sleep(0.05)
            menu = next(params for method, params in notes if method == "menu")
            assert menu["mouse"]["pane"] == left and menu["mouse"]["x"] == 7
        finally:
            await client.close()

    asyncio.run(scenario())
    assert server.ok("display", "-p", "ok") == "ok\n"


def test_grid_word_walks_as_tmux() -> None:
    assert grid_word("alpha beta gamma", 0, "") == "alpha"
    assert grid_word("alpha beta gamma", 7, "") == "beta"
    assert grid_word("alpha beta gamma", 15, "") == "gamma"
    assert grid_word("alpha beta gamma", 5, "") == "beta"
    assert grid_word("a=b c", 0, "=") == "a"
    assert grid_word("", 3, "") is None


MOUSE_PROGRAM = ("printf '\\033[?1000h\\033[?1006hready\\r\\n'; stty raw -echo; "
                 "exec cat -v")


def test_send_keys_dash_m_passes_the_event_on(server: Any) -> None:
    """``send-keys -M`` on the server (a mouse key's command run there, inside a plain
    ``if-shell``): the press and the release reach the program as it asked for them."""
    server.ok("new-session", "-d", "-s", "m", "-x", "80", "-y", "23", MOUSE_PROGRAM)
    server.wait_for_text("m", "ready")
    session, window, (pane,) = _ids(server)

    async def scenario() -> None:
        client = await open_client(server.socket)
        try:
            await client.request("attach", {"target": "m", "columns": 80, "lines": 24})
            base = {"session": session, "window": window, "pane": pane, "x": 4, "y": 3,
                    "last_x": 4, "last_y": 3, "status_at": 23, "status_lines": 1}
            for extra in ({"b": 0}, {"b": 0, "release": True}, {"b": 0, "ignore": True}):
                reply = await client.request("command", {
                    "argv": ["if-shell", "true", "send-keys -M"], "mouse": {**base, **extra}})
                assert reply["exit_code"] == 0, reply
        finally:
            await client.close()

    asyncio.run(scenario())
    server.wait_for_text("m", "^[[<0;5;4M^[[<0;5;4m")
    assert server.ok("capture-pane", "-p", "-t", "m").count("^[[<0;5;4") == 2
