"""What libtmux 0.62.0's suite found different from tmux 3.3a, each compared with tmux:
escaped session and renamed-window names, ``#{pane_synchronized}``."""

from __future__ import annotations

import shutil
import sys

import pytest
from conftest import LiveTmux, wait_until

needs_tmux = pytest.mark.skipif(shutil.which("tmux") is None, reason="tmux is not installed")


@pytest.fixture
def tmux(server):
    instance = LiveTmux({**server.env, "TMUX_TMPDIR": str(server.home)})
    try:
        yield instance
    finally:
        instance.kill()


def same(server, tmux, *args: str) -> None:
    ours = server.run(*args)
    theirs = tmux.run(*args)
    assert (ours.code, ours.out, ours.err) == theirs, args


@needs_tmux
@pytest.mark.fake_pty
def test_names_are_stored_escaped_like_tmux(server, tmux):
    listing = ("list-windows", "-a", "-F", "#{session_name}|#{window_name}|#W")
    for args in (("new-session", "-d", "-s", "x\\y\tz", "-n", "a\\b\tc", "-x", "80",
                  "-y", "24"),
                 listing,
                 ("new-window", "-d", "-n", "p\\q"),
                 listing,
                 ("rename-session", "r\\s\x01"),
                 ("rename-window", "hello \\ wazzup 0\n"),
                 listing):
        same(server, tmux, *args)


@needs_tmux
@pytest.mark.fake_pty
def test_pane_synchronized_follows_the_option(server, tmux):
    for target in (server.run, tmux.run):
        target("new-session", "-d", "-s", "s", "-x", "80", "-y", "24")
        target("split-window", "-t", "s")
    panes = ("list-panes", "-t", "s", "-F", "#{pane_index} #{pane_synchronized}")
    same(server, tmux, *panes)
    same(server, tmux, "set-option", "-w", "-t", "s", "synchronize-panes", "on")
    same(server, tmux, *panes)
    same(server, tmux, "set-option", "-p", "-t", "s:0.1", "synchronize-panes", "off")
    same(server, tmux, *panes)


def _control_clients(cli: list[str], env: dict[str, str], count: int) -> list:
    from test_control_mode import ControlProcess

    clients = [ControlProcess([*cli, "-C", "attach", "-t", "c"], env) for _ in range(count)]
    for client in clients:
        client.read_until(lambda c=client: any(line.startswith("%session-changed")
                                               for line in c.lines))
    return clients


def _ours(server):
    def run(*args: str) -> tuple[int, str, str]:
        result = server.run(*args)
        return result.code, result.out, result.err
    return run


@needs_tmux
@pytest.mark.parametrize("detach", [("detach-client",), ("detach-client", "-a")])
@pytest.mark.fake_pty
def test_detach_client_without_target_picks_one_client_like_tmux(server, tmux, detach):
    """From outside any client, detach-client detaches the most recently active client of
    the current session and -a all but that one: one client stays either way."""
    outcomes = []
    for cli, env, run in (([sys.executable, "-m", "aisession_tui.cli", "-L", server.name],
                           server.env, _ours(server)),
                          (tmux.base, tmux.env, tmux.run)):
        run("new-session", "-d", "-s", "c", "-x", "80", "-y", "24")
        clients = _control_clients(cli, env, 2)
        try:
            code, _, err = run(*detach)

            def listing(run=run) -> list[str]:
                return run("list-clients", "-F", "#{client_session}")[1].split()

            wait_until(lambda: len(listing()) < 2, message="a detach")  # tmux's is async
            outcomes.append((code, err, listing()))
        finally:
            for client in clients:
                client.close()
    assert outcomes[0] == outcomes[1] == (0, "", ["c"])


@needs_tmux
@pytest.mark.fake_pty
def test_lock_and_suspend_commands_answer_like_tmux(server, tmux):
    """Without clients: the session and server locks lock nothing and succeed, the client
    commands find no client; bad targets and flags give tmux's errors."""
    for target in (server.run, tmux.run):
        target("new-session", "-d", "-s", "a", "-x", "80", "-y", "24")
    for args in (("lock-server",), ("lock-session",), ("locks", "-t", "a"),
                 ("lock-session", "-t", "nope"), ("lock-client",), ("lockc", "-t", "nope"),
                 ("suspend-client",), ("suspendc", "-t", "nope"),
                 ("list-commands", "lock-server"), ("list-commands", "lock-session"),
                 ("list-commands", "lock-client"), ("list-commands", "suspend-client")):
        same(server, tmux, *args)


@needs_tmux
@pytest.mark.fake_pty
def test_control_clients_are_never_locked_or_suspended(server, tmux):
    for cli, env, run in (([sys.executable, "-m", "aisession_tui.cli", "-L", server.name],
                           server.env, _ours(server)), (tmux.base, tmux.env, tmux.run)):
        run("new-session", "-d", "-s", "c", "-x", "80", "-y", "24")
        (client,) = _control_clients(cli, env, 1)
        try:
            for args in (("lock-server",), ("lock-session", "-t", "c"), ("lock-client",),
                         ("suspend-client",), ("lock-client", "-t", f"client-{client.proc.pid}")):
                assert run(*args) == (0, "", ""), args
            client.send("display-message -p alive")
            assert "alive" in client.lines
        finally:
            client.close()


def test_a_locked_client_gets_the_lock_command_and_nothing_else_until_it_resumes(server):
    import asyncio

    from conftest import async_wait_until
    from test_server_switch_client import Watcher

    server.ok("new-session", "-d", "-s", "a", "-x", "70", "-y", "20")
    server.ok("set-option", "-t", "a", "lock-command", "my-locker --now")

    async def scenario() -> None:
        watcher = Watcher()
        try:
            await watcher.attach(server, "a")
            await watcher.shows("a")
            await asyncio.to_thread(server.ok, "lock-session", "-t", "a")
            await async_wait_until(lambda: watcher.notes[-1][0] == "lock",
                                   message="the lock notification")
            assert watcher.notes[-1][1] == {"command": "my-locker --now"}
            locked_at = len(watcher.notes)
            await asyncio.to_thread(server.ok, "send-keys", "-t", "a", "echo behind-lock",
                                    "Enter")
            await asyncio.to_thread(server.wait_for_text, "a", "behind-lock\n")
            # A second lock while locked sends nothing more; nor do screens.
            await asyncio.to_thread(server.ok, "lock-client", "-t", f"client-{watcher.id}")
            assert all(method not in ("screen", "lock") for method, _ in
                       watcher.notes[locked_at:])
            assert watcher.client is not None
            await watcher.client.request("resume", {})
            await async_wait_until(lambda: any(
                method == "screen" and params["full"] and "behind-lock" in str(params)
                for method, params in watcher.notes[locked_at:]), message="full redraw")
            resumed_at = len(watcher.notes)
            await asyncio.to_thread(server.ok, "suspend-client", "-t", f"client-{watcher.id}")
            await async_wait_until(lambda: ("suspend", {}) in watcher.notes[resumed_at:],
                                   message="the suspend notification")  # (a late screen
            # or status notification of the redraw may come after it)
        finally:
            await watcher.close()

    asyncio.run(scenario())


@needs_tmux
@pytest.mark.fake_pty
def test_prompt_history_commands_answer_like_tmux(server, tmux):
    for target in (server.run, tmux.run):
        target("new-session", "-d", "-s", "p", "-x", "80", "-y", "24")
    for args in (("show-prompt-history",), ("showphist", "-T", "command"),
                 ("show-prompt-history", "-T", "window-target"),
                 ("show-prompt-history", "-T", "bogus"), ("clear-prompt-history",),
                 ("clearphist", "-T", "search"), ("clear-prompt-history", "-T", "bogus"),
                 ("list-commands", "show-prompt-history"),
                 ("list-commands", "clear-prompt-history")):
        same(server, tmux, *args)


@needs_tmux
@pytest.mark.fake_pty
def test_display_panes_needs_a_client_and_draws_on_none_for_control_clients(server, tmux):
    for target in (server.run, tmux.run):
        target("new-session", "-d", "-s", "c", "-x", "80", "-y", "24")
    for args in (("display-panes",), ("displayp", "-t", "nope"),
                 ("list-commands", "display-panes")):
        same(server, tmux, *args)
    for cli, env, run in (([sys.executable, "-m", "aisession_tui.cli", "-L", server.name],
                           server.env, _ours(server)), (tmux.base, tmux.env, tmux.run)):
        clients = _control_clients(cli, env, 1)
        try:
            assert run("display-panes", "-d", "100") == (0, "", "")
        finally:
            clients[0].close()
