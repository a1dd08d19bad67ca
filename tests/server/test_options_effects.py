"""Options the server acts on, each set at run time and its effect observed, compared with
tmux 3.3a where tmux shows the same thing (``list-panes``, ``list-windows``,
``list-buffers``, ``capture-pane``, ``show-options``)."""

from __future__ import annotations

import asyncio
import shutil
import subprocess
from typing import Any

import pytest
from conftest import async_wait_until, wait_until

from aisession_tui.cli.async_client import AsyncClient, open_client

needs_tmux = pytest.mark.skipif(shutil.which("tmux") is None, reason="tmux is not installed")


class Tmux:
    """A tmux server of its own with the test server's environment."""

    def __init__(self, env: dict[str, str], name: str) -> None:
        self.env = env
        self.base = ["tmux", "-L", name, "-f", "/dev/null"]

    def run(self, *args: str) -> str:
        proc = subprocess.run([*self.base, *args], env=self.env, capture_output=True,
                              text=True, timeout=30, check=False)
        return proc.stdout

    def capture(self, target: str) -> str:
        return self.run("capture-pane", "-p", "-t", target)

    def kill(self) -> None:
        self.run("kill-server")


@pytest.fixture
def both(server):  # type: ignore[no-untyped-def]
    if shutil.which("tmux") is None:
        pytest.skip("tmux is not installed")
    tmux = Tmux(dict(server.env), f"aieff-{server.name}")
    try:
        yield server, tmux
    finally:
        tmux.kill()


def run_both(server: Any, tmux: Tmux, *args: str) -> tuple[str, str]:
    """Run one command in both; their standard outputs."""
    return server.ok(*args), tmux.run(*args)


def same(server: Any, tmux: Tmux, *args: str) -> str:
    ours, theirs = run_both(server, tmux, *args)
    assert ours == theirs, args
    return ours


def start(server: Any, tmux: Tmux) -> None:
    for args in (["new-session", "-d", "-s", "s", "-x", "80", "-y", "24"],):
        run_both(server, tmux, *args)


@pytest.mark.fake_pty
def test_pane_base_index_names_and_finds_panes(both) -> None:  # type: ignore[no-untyped-def]
    server, tmux = both
    start(server, tmux)
    run_both(server, tmux, "set", "-g", "pane-base-index", "1")
    run_both(server, tmux, "split-window", "-t", "s")
    run_both(server, tmux, "split-window", "-t", "s")
    assert same(server, tmux, "list-panes", "-t", "s", "-F", "#{pane_index}") == "1\n2\n3\n"
    run_both(server, tmux, "select-pane", "-t", "s:0.1")
    same(server, tmux, "display-message", "-p", "-t", "s", "#{pane_index} #{pane_active}")
    assert server.run("select-pane", "-t", "s:0.0").code != 0
    run_both(server, tmux, "set", "-w", "-t", "s:0", "pane-base-index", "5")
    assert same(server, tmux, "list-panes", "-t", "s", "-F", "#{pane_index}") == "5\n6\n7\n"
    same(server, tmux, "split-window", "-P", "-t", "s:0.6")


@pytest.mark.fake_pty
def test_base_index_and_renumber_windows(both) -> None:  # type: ignore[no-untyped-def]
    server, tmux = both
    run_both(server, tmux, "new-session", "-d", "-s", "first")
    run_both(server, tmux, "set", "-g", "base-index", "1")
    start(server, tmux)
    for _ in range(3):
        run_both(server, tmux, "new-window", "-d", "-t", "s")
    run_both(server, tmux, "kill-window", "-t", "s:2")
    same(server, tmux, "list-windows", "-t", "s", "-F", "#{window_index}")
    run_both(server, tmux, "set", "-g", "renumber-windows", "on")
    run_both(server, tmux, "kill-window", "-t", "s:3")
    assert same(server, tmux, "list-windows", "-t", "s", "-F", "#{window_index}") == "1\n2\n"


def test_remain_on_exit_failed_keeps_only_failures(both) -> None:  # type: ignore[no-untyped-def]
    """The failed window stays and the clean one goes. tmux 3.3a itself sometimes keeps
    the window of a child that exited 0 as well (about 1 run in 6 on this machine, a race
    between the child's exit status and its pane's end): so tmux is only asked to keep the
    failed window, and ai-session to do exactly what the option says.

    tmux 3.3a also, now and then, leaves a pane's child unreaped - a zombie - once its
    output has ended (the pane dead, ``#{pane_dead_status}`` empty) until another child of
    its server exits and it reaps them all (seen in 2 of 120 runs of this scenario, 30 at
    a time; a ``run-shell true`` then made it record status 3 at once). While tmux's
    pane is dead without a status, each look gives it such a child
    (:func:`nudge_tmux_reaper`); the exit status it then records is the child's own."""
    server, tmux = both
    start(server, tmux)
    run_both(server, tmux, "set", "-g", "remain-on-exit", "failed")
    run_both(server, tmux, "new-window", "-d", "-t", "s:5", "sleep 1; exit 3")
    run_both(server, tmux, "new-window", "-d", "-t", "s:6", "sleep 1; exit 0")
    wait_until(lambda: server.ok("list-windows", "-t", "s", "-F", "#{window_index}")
               == "0\n5\n", message="only the failed window stays in ai-session")
    wait_until(lambda: tmux.run("list-windows", "-t", "s", "-F", "#{window_index}")
               in ("0\n5\n", "0\n5\n6\n"), message="tmux keeps the failed window")

    def tmux_failed_pane_reaped() -> bool:
        # tmux may mark the pane dead (end of its output) before it has reaped the child
        # and set the status (seen in a CI run): wait for both, and give tmux a child to
        # reap while its pane is dead without a status
        answer = tmux.run("display-message", "-p", "-t", "s:5",
                          "#{pane_dead} #{pane_dead_status}")
        if answer == "1 \n":
            nudge_tmux_reaper(tmux)
        return answer == "1 3\n"

    wait_until(tmux_failed_pane_reaped, message="tmux's failed pane is dead with its status")
    same(server, tmux, "display-message", "-p", "-t", "s:5", "#{pane_dead} #{pane_dead_status}")
    run_both(server, tmux, "set", "-p", "-t", "s:0", "remain-on-exit", "on")
    same(server, tmux, "show", "-p", "-t", "s:0")


def nudge_tmux_reaper(tmux: Tmux) -> None:
    """Start a child of tmux's server that exits at once (``run-shell -b``: the client
    does not wait for it): when it ends, tmux reaps every child that has exited, a pane's
    child it left a zombie among them."""
    tmux.run("run-shell", "-b", "true")


def test_synchronize_panes_types_into_every_pane(both) -> None:  # type: ignore[no-untyped-def]
    server, tmux = both
    start(server, tmux)
    run_both(server, tmux, "split-window", "-t", "s", "cat")
    run_both(server, tmux, "split-window", "-t", "s", "cat")
    run_both(server, tmux, "set", "-w", "-t", "s", "synchronize-panes", "on")
    run_both(server, tmux, "set", "-p", "-t", "s:0.2", "synchronize-panes", "off")
    run_both(server, tmux, "send-keys", "-t", "s:0.1", "sync-typed", "Enter")
    for capture in (server.capture, tmux.capture):
        wait_until(lambda capture=capture: "sync-typed" in capture("s:0.0")
                   and "sync-typed" in capture("s:0.1"), message="typed in both panes")
        assert "sync-typed" not in capture("s:0.2")


@pytest.mark.fake_pty
def test_buffer_limit_drops_the_oldest_automatic_buffers(both) -> None:  # type: ignore[no-untyped-def]
    server, tmux = both
    start(server, tmux)
    run_both(server, tmux, "set", "-s", "buffer-limit", "2")
    run_both(server, tmux, "set-buffer", "-b", "mine", "named")
    for text in ("one", "two", "three"):
        run_both(server, tmux, "set-buffer", text)
    assert same(server, tmux, "list-buffers", "-F", "#{buffer_name}") == \
        "buffer2\nbuffer1\nmine\n"
    run_both(server, tmux, "set", "-s", "buffer-limit", "1")
    run_both(server, tmux, "set-buffer", "four")
    same(server, tmux, "list-buffers", "-F", "#{buffer_name}")


@pytest.mark.fake_pty
def test_main_pane_sizes_shape_main_layouts(both) -> None:  # type: ignore[no-untyped-def]
    server, tmux = both
    start(server, tmux)
    for _ in range(3):
        run_both(server, tmux, "split-window", "-t", "s")
    cells = "#{pane_left},#{pane_top} #{pane_width}x#{pane_height}"
    for option, value, layout in (("main-pane-width", "30", "main-vertical"),
                                  ("other-pane-width", "20", "main-vertical"),
                                  ("main-pane-height", "50%", "main-horizontal"),
                                  ("other-pane-height", "5", "main-horizontal")):
        run_both(server, tmux, "set", "-w", "-t", "s", option, value)
        run_both(server, tmux, "select-layout", "-t", "s", layout)
        same(server, tmux, "list-panes", "-t", "s", "-F", cells)


@pytest.mark.fake_pty
def test_a_named_window_stops_automatic_rename(both) -> None:  # type: ignore[no-untyped-def]
    server, tmux = both
    start(server, tmux)
    run_both(server, tmux, "new-window", "-d", "-t", "s:1", "-n", "named")
    assert same(server, tmux, "show", "-w", "-t", "s:1") == "automatic-rename off\n"
    run_both(server, tmux, "rename-window", "-t", "s:0", "renamed")
    same(server, tmux, "show", "-w", "-t", "s:0")
    run_both(server, tmux, "set", "-w", "-t", "s:0", "automatic-rename", "on")
    wait_until(lambda: server.ok("display", "-p", "-t", "s:0", "#{window_name}") == "bash\n",
               message="automatic name back")


def test_history_limit_applies_to_new_panes(both) -> None:  # type: ignore[no-untyped-def]
    server, tmux = both
    start(server, tmux)
    run_both(server, tmux, "set", "-g", "history-limit", "7")
    run_both(server, tmux, "new-window", "-t", "s:1", "seq 1 100; cat")
    for who in (server, tmux):
        def full(who=who) -> bool:
            out = who.run("display", "-p", "-t", "s:1", "#{history_size}")
            text = out.out if hasattr(out, "out") else out
            return text == "7\n"
        wait_until(full, message="history at its limit")
    same(server, tmux, "display", "-p", "-t", "s:1", "#{history_limit}")


def test_default_shell_and_command(both) -> None:  # type: ignore[no-untyped-def]
    server, tmux = both
    start(server, tmux)
    assert server.run("set", "-g", "default-shell", "sh").err.strip() == \
        "not a suitable shell: sh"
    run_both(server, tmux, "set", "-g", "default-shell", "/bin/sh")
    run_both(server, tmux, "new-window", "-t", "s:1")
    run_both(server, tmux, "set", "-g", "default-command", "cat")
    run_both(server, tmux, "new-window", "-t", "s:2")
    listing = ("list-panes", "-s", "-t", "s", "-F",
               "#{pane_current_command}:#{pane_start_command}")
    wait_until(lambda: server.ok(*listing).splitlines()[1:] == ["sh:", "sh:cat"],
               message="sh, then cat run by sh")
    wait_until(lambda: tmux.run(*listing) == server.ok(*listing), message="as in tmux")


def test_exit_unattached_stops_a_server_without_clients(both) -> None:  # type: ignore[no-untyped-def]
    server, tmux = both
    start(server, tmux)
    run_both(server, tmux, "set", "-s", "exit-unattached", "on")
    wait_until(lambda: server.run("has-session").code != 0, message="ai-session exited")
    wait_until(lambda: subprocess.run([*tmux.base, "has-session"], env=tmux.env,
                                      capture_output=True, check=False).returncode != 0,
               message="tmux exited")


async def _attach(server: Any, target: str) -> AsyncClient:
    notes: list[tuple[str, dict[str, Any]]] = []
    client = await open_client(server.socket,
                               on_notification=lambda m, p: notes.append((m, p)))
    client.notes = notes  # type: ignore[attr-defined]
    await client.request("attach", {"target": target, "columns": 80, "lines": 24})
    return client


@pytest.mark.fake_pty
def test_destroy_unattached_and_detach_on_destroy(server) -> None:  # type: ignore[no-untyped-def]
    for name in ("a", "b", "c"):
        server.ok("new-session", "-d", "-s", name)
    server.ok("set", "-t", "c", "destroy-unattached", "on")
    server.ok("set", "-t", "a", "detach-on-destroy", "off")

    async def scenario() -> None:
        client = await _attach(server, "c")
        await client.close()
        await async_wait_until(lambda: server.run("has-session", "-t", "c").code != 0, 30,
                               "c destroyed once its client left")
        server.ok("new-session", "-d", "-s", "d")  # the most recently used
        client = await _attach(server, "a")
        server.ok("kill-session", "-t", "a")
        notes = client.notes  # type: ignore[attr-defined]
        await async_wait_until(
            lambda: any(m == "session" and p.get("name") == "d" for m, p in notes), 30,
            "client moved to d")
        assert not any(m in ("closed", "detached") for m, _ in notes)
        await client.close()

    asyncio.run(scenario())


@pytest.mark.fake_pty
def test_automatic_rename_format_names_windows(both) -> None:  # type: ignore[no-untyped-def]
    """A popular tmux.conf line: windows named after their directory."""
    server, tmux = both
    start(server, tmux)
    run_both(server, tmux, "set", "-g", "automatic-rename-format", "#{b:pane_current_path}")
    run_both(server, tmux, "new-window", "-t", "s:1", "-c", "/usr/lib")
    for who in (lambda: server.ok("display", "-p", "-t", "s:1", "#{window_name}"),
                lambda: tmux.run("display", "-p", "-t", "s:1", "#{window_name}")):
        wait_until(lambda who=who: who() == "lib\n", message="named after /usr/lib")
    run_both(server, tmux, "set", "-g", "automatic-rename-format", "#{window_name}!")
    assert server.ok("display", "-p", "-t", "s:1", "#{window_name}") != ""  # no recursion
