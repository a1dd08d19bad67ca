"""link-window / unlink-window against tmux 3.3a: the same command sequences run in tmux
(``-f /dev/null``) and in ai-session, and every step's exit code, output and error text
compared. One window linked into several sessions is one window: its panes and name are
shared, ``#{window_linked}`` and the linked-session lists follow its links, killing it or
closing its last pane removes it everywhere, and a session left empty goes away.

Session names avoid prefixes of window names (``bash``), which tmux would match first.
"""

from __future__ import annotations

from typing import Any

import pytest
from conftest import wait_until
from tmux_steps import Runner
from tmux_steps import compare as _compare
from tmux_steps import ours as _ours
from tmux_steps import theirs as _theirs

LINKS = ("#{session_name}:#{window_index} #{window_id} #{window_linked} "
         "#{window_linked_sessions} [#{window_linked_sessions_list}] "
         "#{window_active_sessions} [#{window_active_sessions_list}] #{window_active} "
         "#{window_panes}")


def _sessions(*names: str) -> list[tuple[str, ...]]:
    return [("new-session", "-d", "-s", name, "-x", "80", "-y", "24") for name in names]


LIST = ("list-windows", "-a", "-F", LINKS)


@pytest.mark.fake_pty
def test_link_unlink_kill_as_in_tmux(server: Any, live_tmux: Any) -> None:
    _compare(server, live_tmux, [
        *_sessions("two", "one"),
        ("link-window", "-s", "one:0", "-t", "two:5"),
        ("link-window", "-s", "one:0", "-t", "one:3"),
        ("link-window", "-d", "-s", "one:0", "-t", "two:2"),
        LIST,
        # errors, with tmux's texts
        ("link-window", "-s", "one:0", "-t", "two:2"),
        ("link-window", "-s", "two:0", "-t", "two:2"),
        ("unlink-window", "-t", "two:0"),
        ("link-window", "-s", "nosuch:0", "-t", "two:"),
        ("unlink-window", "-t", "nosuch:0"),
        # -k replaces a window (destroyed: it had no other place)
        ("link-window", "-k", "-s", "two:0", "-t", "one:3"),
        LIST,
        # one window: a split or a rename shows in every place
        ("rename-window", "-t", "two:5", "shared"),
        ("split-window", "-d", "-t", "one:0"),
        ("list-windows", "-a", "-F", "#{session_name}:#{window_index} #{window_name} "
                                     "#{window_panes} #{window_layout}"),
        ("unlink-window", "-t", "one:0"),
        LIST,
        # kill-window removes every place
        ("kill-window", "-t", "two:2"),
        LIST,
        ("list-sessions", "-F", "#{session_name} #{session_windows}"),
        # unlinking a session's last window destroys the session
        ("unlink-window", "-t", "one:3"),
        ("list-sessions", "-F", "#{session_name} #{session_windows}"),
        ("link-window", "-s", "two:0", "-t", "two:"),
        ("unlink-window", "-k", "-t", "two:0"),
        LIST,
    ])


@pytest.mark.fake_pty
def test_after_before_and_session_targets_as_in_tmux(server: Any, live_tmux: Any) -> None:
    _compare(server, live_tmux, [
        *_sessions("one"),
        ("new-window", "-d", "-t", "one"),
        ("new-window", "-d", "-t", "one"),
        *_sessions("two"),
        ("new-window", "-d", "-t", "two:3"),
        ("link-window", "-a", "-s", "one:2", "-t", "two:0"),  # a free index: no shift
        ("link-window", "-b", "-d", "-s", "one:1", "-t", "two:0"),  # shifts up to the gap
        ("link-window", "-s", "one:0", "-t", "two"),  # a session: its first free index
        LIST,
        ("display-message", "-p", "-t", "@0", "#{session_name}:#{window_index}"),
        ("display-message", "-p", "-t", "%2", "#{session_name}:#{window_index}.#{pane_index}"),
        ("unlink-window", "-t", "two:2"),
        LIST,
        # kill-session: a window linked elsewhere lives on there
        ("kill-session", "-t", "two"),
        LIST,
        *_sessions("three"),
        ("link-window", "-s", "three:0", "-t", "one:8"),
        ("kill-session", "-t", "one"),
        LIST,
    ])


@pytest.mark.fake_pty
def test_window_id_target_picks_the_most_recent_session(server: Any,
                                                       live_tmux: Any) -> None:
    _compare(server, live_tmux, [
        *_sessions("one", "two"),
        ("new-window", "-d", "-t", "two:4"),
        ("link-window", "-d", "-s", "one:0", "-t", "two:7"),
        ("display-message", "-p", "-t", "@0", "#{session_name}:#{window_index}"),
        ("display-message", "-p", "-t", "%0", "#{session_name}:#{window_index}"),
        ("link-window", "-s", "one:0", "-t", "two:2"),  # current in two now
        ("display-message", "-p", "-t", "@0", "#{session_name}:#{window_index}"),
        ("unlink-window", "-t", "@0"),
        LIST,
    ])


def test_last_pane_closing_removes_every_place(server: Any, live_tmux: Any) -> None:
    """A linked window whose only pane exits goes from every session; a session it was
    the only window of goes too (real children: the pane's shell exits)."""
    steps = [*_sessions("one", "two"), ("new-window", "-d", "-t", "two:1"),
             ("new-session", "-d", "-s", "three", "-x", "80", "-y", "24", "cat"),
             ("link-window", "-s", "three:0", "-t", "one:4"),
             ("link-window", "-s", "three:0", "-t", "two:")]
    for run in (_theirs(live_tmux), _ours(server)):
        for step in steps:
            assert run(*step)[0] == 0, step
        assert run("display-message", "-p", "-t", "three:0",
                   "#{window_linked_sessions}")[1] == "3\n"
        run("send-keys", "-t", "three:0", "C-d")

        def gone(run: Runner = run) -> bool:
            return run("has-session", "-t", "three")[0] != 0

        wait_until(gone)
        listed = run("list-windows", "-a", "-F", "#{session_name}:#{window_index}")[1]
        assert listed == "one:0\ntwo:0\ntwo:1\n"


@pytest.mark.fake_pty
def test_linked_windows_move_swap_and_renumber_as_in_tmux(server: Any,
                                                          live_tmux: Any) -> None:
    """move-window / swap-window of a place, and ``renumber-windows``: unlink-window
    (even ``-k`` destroying the window) keeps the indexes, kill-window renumbers."""
    _compare(server, live_tmux, [
        *_sessions("one"),
        ("new-window", "-d", "-t", "one"),
        *_sessions("two"),
        ("new-window", "-d", "-t", "two"),
        ("link-window", "-s", "one:1", "-t", "two:5"),
        ("move-window", "-s", "two:5", "-t", "one:7"),
        LIST,
        ("swap-window", "-s", "one:7", "-t", "two:0"),
        LIST,
        ("set-option", "-g", "renumber-windows", "on"),
        ("unlink-window", "-t", "one:1"),
        LIST,
        ("new-window", "-d", "-t", "one:3"),
        ("unlink-window", "-k", "-t", "one:3"),
        LIST,
        ("link-window", "-d", "-s", "two:1", "-t", "one:9"),
        ("kill-window", "-t", "one:9"),
        LIST,
        ("link-window", "-s", "one:0", "-t", "one:9"),
        ("kill-window", "-a", "-t", "one:0"),
        LIST,
    ])


@pytest.mark.fake_pty
def test_client_of_a_linking_session_sees_the_shared_window_change(server: Any) -> None:
    """A split or a rename made through the window's first place redraws a client attached
    to another session that links the window (same panes and name in both)."""
    import asyncio

    from conftest import async_wait_until

    from aisession_tui.cli.async_client import open_client

    for step in _sessions("one", "two"):
        server.ok(*step)
    server.ok("link-window", "-s", "one:0", "-t", "two:3")
    notes: list[dict[str, Any]] = []

    def record(method: str, params: dict[str, Any]) -> None:
        if method == "session":
            notes.append(params)

    def linked() -> dict[str, Any]:
        windows = notes[-1]["windows"] if notes else []
        return next((window for window in windows if window.get("index") == 3), {})

    def panes_of_linked() -> int:
        return len(linked().get("panes", []))

    async def scenario() -> None:
        client = await open_client(server.socket, on_notification=record)
        try:
            await client.request("attach", {"target": "two", "columns": 80, "lines": 24})
            await async_wait_until(lambda: panes_of_linked() == 1, 30.0, "first screen")
            server.ok("split-window", "-d", "-t", "one:0")
            await async_wait_until(lambda: panes_of_linked() == 2, 30.0, "split shown")
            server.ok("rename-window", "-t", "one:0", "shared")
            await async_wait_until(lambda: linked().get("name") == "shared", 30.0,
                                   "rename shown")
        finally:
            await client.close()

    asyncio.run(scenario())


def test_control_client_hears_links_as_with_tmux(server: Any) -> None:
    """A control client attached to a session gets tmux's ``%window-add`` /
    ``%unlinked-window-close`` for each place a window gains or loses, and
    ``%sessions-changed`` then ``%exit`` when a kill through another place ends its
    session."""
    import shutil
    import subprocess

    from test_control_mode import ControlProcess, in_tmux_and_ours, normalise

    if shutil.which("tmux") is None:
        pytest.skip("tmux is not installed")

    def run(cli: list[str], env: dict[str, str]) -> list[str]:
        def command(*args: str) -> None:
            subprocess.run([*cli, *args], env=env, check=True, timeout=60,
                           capture_output=True)

        for name in ("one", "two", "three"):
            command("new-session", "-d", "-s", name, "-x", "80", "-y", "24", "cat")
        control = ControlProcess([*cli, "-C", "attach", "-t", "two"], env)
        try:
            control.read_until(lambda: any(line.startswith("%session-changed")
                                           for line in control.lines))
            for step in (("link-window", "-d", "-s", "one:0", "-t", "two:4"),
                         ("link-window", "-d", "-s", "two:0", "-t", "three:4"),
                         ("unlink-window", "-t", "two:4")):
                command(*step)
                control.send("display-message -p sync")  # its notifications came first
            command("kill-window", "-t", "three:4")
            control.read_until(lambda: control.lines[-1:] == ["%exit"])
        finally:
            control.close()
        return [line for line in normalise(control.lines)
                if not line.startswith("%layout-change")]

    expected, ours = in_tmux_and_ours(server, run)
    assert ours == expected
    assert "%unlinked-window-close @0" in ours


@pytest.mark.fake_pty
def test_bad_input_and_index_offsets_as_in_tmux(server: Any, live_tmux: Any) -> None:
    """Bad targets and flags get tmux's errors and change nothing; ``+N`` / ``-N`` as a
    destination are offsets from the current window's index, free or not."""
    _compare(server, live_tmux, [
        *_sessions("one", "two"),
        ("link-window", "-s", "@99", "-t", "two:"),
        ("link-window", "-s", "one:0", "-t", "two:abc"),
        ("unlink-window", "-t", "@99"),
        ("link-window", "-a", "-s", "one:0", "-t", "nosuch:"),
        ("link-window", "-s", "one:0", "-t", "two:-1"),
        ("link-window", "-b", "-s", "one:0", "-t", "two:0"),
        LIST,
        ("link-window", "-s", "one:0", "-t", "=two:7"),
        ("link-window", "-s", "one:0", "-t", "two:+"),
        ("link-window", "-d", "-s", "one:0", "-t", "two:+3"),
        ("move-window", "-s", "two:7", "-t", "two:-2"),
        LIST,
    ])
