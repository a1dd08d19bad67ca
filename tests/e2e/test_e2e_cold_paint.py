"""End to end: the server paints the session while the client's renderer starts.

A cold start's renderer waits for its zygote to import Textual; meanwhile the thin client
(aisession_tui/cli/thin_attach.py) has the server paint the session (server/paint.py) and
hands the terminal over when the renderer is about to draw. These tests drive it in a real
terminal (tmux as the harness): a cold start works as before; and, with the zygote's spare
renderer stopped (SIGSTOP) so the painted phase lasts as long as a test needs - the thin
client hears no ``accepted`` and has the server paint - the painted frame is the one the
renderer then draws, keys typed while painted reach the session after the hand-over, a
renderer killed before it drew and a server killed while painting each end that client
with its terminal restored and a clear error, and ``attach -d`` detaches a client still
painted as tmux 3.3a's detaches an attached one.
"""

from __future__ import annotations

import os
import shutil
import signal
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from conftest import DEADLINE, IsolatedServer, LiveTmux, wait_until
from e2e_harness import Harness, _quote, running_harness, tmux_client_command
from test_e2e_thin_attach import _session, _waiting_spare, renderers, zygote_children

pytestmark = pytest.mark.skipif(shutil.which("tmux") is None, reason="needs tmux")


@pytest.fixture
def harness(server: IsolatedServer) -> Iterator[Harness]:
    yield from running_harness(server)


@pytest.fixture
def second_harness(server: IsolatedServer) -> Iterator[Harness]:
    yield from running_harness(server)


@pytest.fixture
def stop_spare(server: IsolatedServer) -> Iterator[Callable[[], int]]:
    """Stops the zygote's spare renderer once it waits (the server running): the next
    client's connection is handed to it but nothing is done with it until the test
    continues it (always, in teardown). Returns its pid."""
    stopped: list[int] = []

    def stop() -> int:
        pid = _waiting_spare(server)
        os.kill(pid, signal.SIGSTOP)
        stopped.append(pid)
        return pid

    try:
        yield stop
    finally:
        for pid in stopped:
            try:
                os.kill(pid, signal.SIGCONT)
            except ProcessLookupError:
                pass


def _clients(server: IsolatedServer, session: str) -> str:
    return server.ok("list-clients", "-t", session).strip()


def _painted(server: IsolatedServer, harness: Harness, name: str) -> str:
    """Wait for the painted frame of session ``name`` (the status line's ``[name]``) while
    no renderer has the terminal; what the terminal shows then, styles included."""
    harness.wait_for(f"[{name}]")
    assert renderers(server) == [], "a renderer has the terminal: this is not painted"
    assert _clients(server, name) == "", "painting is not a client"
    return harness.tmux("capture-pane", "-p", "-e", "-t", "h")


def test_a_cold_start_is_drawn_and_works_as_before(server: IsolatedServer,
                                                   harness: Harness) -> None:
    """``new-session`` with no server: the session is on the terminal (painted first,
    then drawn by the renderer), typing reaches the shell, ``C-b d`` detaches in tmux's
    words and the terminal is back in its own modes."""
    harness.start("new-session", "-s", "cold")
    harness.wait_for("[cold] 0:bash*")
    wait_until(lambda: _clients(server, "cold"), DEADLINE, message="the renderer attached")
    harness.wait_for("$")
    harness.keys("echo cold-$((6*7))", "Enter")
    harness.wait_for("cold-42")
    harness.keys("C-b", "d")
    screen = harness.wait_for("client-exited")
    assert "[detached (from session cold)]" in screen
    assert harness.tmux("display-message", "-p", "-t", "h", "#{alternate_on}").strip() == "0"
    harness.keys("echo typed-after", "Enter")  # echoed: the terminal is not raw any more
    harness.wait_for("echo typed-after")


def test_the_painted_frame_is_the_renderers_frame(
        server: IsolatedServer, harness: Harness, stop_spare: Callable[[], int],
        tmp_path: Path) -> None:
    """What the server painted is, cell for cell and style for style, what the renderer
    draws once it has taken the terminal over (its bytes recorded with ``pipe-pane``)."""
    _session(server, "same")
    stopped_spare = stop_spare()
    server.ok("set-option", "-g", "status-right", "fixed-right")  # no clock ticking over
    harness.start("attach", "-t", "same")
    painted = _painted(server, harness, "same")
    assert "fixed-right" in painted
    record = tmp_path / "renderer.out"
    harness.tmux("pipe-pane", "-o", "-t", "h", f"cat > {_quote(str(record))}")
    os.kill(stopped_spare, signal.SIGCONT)
    wait_until(lambda: _clients(server, "same"), DEADLINE, message="the renderer attached")
    wait_until(lambda: record.exists() and record.stat().st_size > 200, DEADLINE,
               message="the renderer's first frame written")
    data = record.read_bytes()
    assert b"\x1b[?1049h" not in data  # the painted alternate screen is not entered again
    # the spare reported the terminal's size to its zygote: no file left beside the socket
    assert not (server.socket.parent / f".{server.socket.name}.renderer-size").exists()
    drawn = wait_until(
        lambda: (lambda screen: screen if screen == painted else None)(
            harness.tmux("capture-pane", "-p", "-e", "-t", "h")), DEADLINE,
        message="the renderer's frame equal to the painted one")
    assert drawn == painted
    harness.keys("echo after-$((3*3))", "Enter")
    harness.wait_for("after-9")


def test_keys_typed_while_painted_reach_the_session(
        server: IsolatedServer, harness: Harness, stop_spare: Callable[[], int]) -> None:
    """Keys typed on the painted terminal wait in its input queue (no echo, nothing lost)
    and reach the shell once the renderer has taken the terminal over."""
    _session(server, "keys")
    stopped_spare = stop_spare()
    harness.start("attach", "-t", "keys")
    painted = _painted(server, harness, "keys")
    harness.keys("echo typed-while-painted-$((5*5))", "Enter")
    assert harness.tmux("capture-pane", "-p", "-e", "-t", "h") == painted  # no echo
    os.kill(stopped_spare, signal.SIGCONT)
    harness.wait_for("typed-while-painted-25")
    harness.keys("C-b", "d")
    assert "[detached (from session keys)]" in harness.wait_for("client-exited")


def test_a_renderer_killed_while_painted_tells_only_its_client(
        server: IsolatedServer, harness: Harness, stop_spare: Callable[[], int]) -> None:
    """The renderer dies before it has drawn, while the server paints: the client says how
    it died, its terminal is restored (main screen, modes), the server and the session go
    on and the next client attaches."""
    _session(server, "dies")
    stopped_spare = stop_spare()
    harness.start("attach", "-t", "dies")
    _painted(server, harness, "dies")
    os.kill(stopped_spare, signal.SIGKILL)
    screen = harness.wait_for("client-exited")
    assert "renderer died (killed by SIGKILL)" in screen
    assert harness.tmux("display-message", "-p", "-t", "h", "#{alternate_on}").strip() == "0"
    harness.keys("echo restored", "Enter")
    harness.wait_for("echo restored")  # echoed again
    assert server.ok("has-session", "-t", "dies") == ""
    harness.respawn("attach", "-t", "dies")
    harness.wait_for("[dies]")
    wait_until(lambda: _clients(server, "dies"), DEADLINE, message="the next client")


def test_the_server_killed_while_painting_is_said(
        server: IsolatedServer, harness: Harness, stop_spare: Callable[[], int]) -> None:
    """The server dies while it paints: the client ends with an error, its terminal
    restored (the renderer, continued, cannot attach either)."""
    _session(server, "lost")
    stopped_spare = stop_spare()
    harness.start("attach", "-t", "lost")
    _painted(server, harness, "lost")
    pid = server.server_pid()
    assert pid is not None
    os.kill(pid, signal.SIGKILL)
    os.kill(stopped_spare, signal.SIGCONT)
    screen = harness.wait_for("client-exited")
    assert "server exited unexpectedly" in screen
    assert harness.tmux("display-message", "-p", "-t", "h", "#{alternate_on}").strip() == "0"


def test_a_terminal_resized_while_painted_is_painted_at_its_new_size(
        server: IsolatedServer, harness: Harness, stop_spare: Callable[[], int]) -> None:
    """A resize while painted: the thin client has the server paint again at the new size
    (the window follows it), and the renderer then draws at that size."""
    _session(server, "grows")
    stopped_spare = stop_spare()
    harness.start("attach", "-t", "grows")
    _painted(server, harness, "grows")
    harness.tmux("resize-window", "-t", "h", "-x", "90", "-y", "25")
    wait_until(lambda: _size(server, "grows") == "90x24", DEADLINE,
               message="the window painted at 90x24")
    wait_until(lambda: (lambda lines: len(lines) == 25 and lines[-1].startswith("[grows]")
                        and len(lines[-1]) <= 90)(
        harness.tmux("capture-pane", "-p", "-t", "h").rstrip("\n").split("\n")), DEADLINE,
        message="the status line painted at the new size")
    assert renderers(server) == []
    os.kill(stopped_spare, signal.SIGCONT)
    wait_until(lambda: _clients(server, "grows"), DEADLINE, message="the renderer attached")
    harness.keys("tput cols", "Enter")
    harness.wait_for("\n90")
    assert _size(server, "grows") == "90x24"


def _ttys(server: IsolatedServer) -> list[str]:
    return server.ok("list-clients", "-F", "#{client_tty}").split()


def _tty(harness: Harness) -> str:
    return harness.tmux("display-message", "-p", "-t", "h", "#{pane_tty}").strip()


def test_attach_d_detaches_a_client_that_is_still_painted(
        server: IsolatedServer, harness: Harness, second_harness: Harness,
        stop_spare: Callable[[], int], live_tmux: LiveTmux) -> None:
    """A client whose renderer has not attached yet (held: its spare stopped) while the
    server paints the session for it, then ``attach -d`` in another terminal: the painted
    client ends at once as tmux 3.3a's attached client does - ``[detached (from session
    held)]``, its terminal back on the main screen - and its renderer, once it runs, is
    refused by the server: the ``attach -d`` client is the session's only client."""
    _session(server, "held")
    stopped_spare = stop_spare()
    harness.start("attach", "-t", "held")
    _painted(server, harness, "held")
    second_harness.start("attach", "-d", "-t", "held")
    screen = harness.wait_for("client-exited")
    assert "[detached (from session held)]" in screen
    assert harness.tmux("display-message", "-p", "-t", "h", "#{alternate_on}").strip() == "0"
    second_harness.wait_for("[held]")
    wait_until(lambda: _ttys(server) == [_tty(second_harness)], DEADLINE,
               message="the attach -d client attached")
    os.kill(stopped_spare, signal.SIGCONT)  # the first client's renderer attaches now
    wait_until(lambda: stopped_spare not in zygote_children(server), DEADLINE,
               message="the held renderer, refused, ends")
    assert _ttys(server) == [_tty(second_harness)]
    second_harness.keys("echo kept-$((7*6))", "Enter")
    second_harness.wait_for("kept-42")
    detached_here = [line for line in screen.splitlines() if line.strip()]

    # tmux 3.3a: two more terminals (of the same harness), the first one attached, then
    # attach -d in the second
    assert live_tmux.run("new-session", "-d", "-s", "held")[0] == 0
    for terminal, command in (("t1", "attach -t held"), ("t2", "attach -d -t held")):
        harness.tmux("new-session", "-d", "-x", "120", "-y", "40", "-s", terminal,
                     tmux_client_command(live_tmux, server, command)
                     + "; echo client-exited; sleep 60")
        wait_until(lambda name=terminal: "[held]" in harness.tmux("capture-pane", "-p", "-t", name),
                   DEADLINE, message=f"tmux's client in {terminal} attached")
    tmux_screen = str(wait_until(
        lambda: (lambda screen: screen if "client-exited" in screen else "")(
            harness.tmux("capture-pane", "-p", "-t", "t1")), DEADLINE,
        message="tmux's first client detached"))
    assert [line for line in tmux_screen.splitlines() if line.strip()][-2:] == \
        detached_here[-2:] == ["[detached (from session held)]", "client-exited"]


def _size(server: IsolatedServer, target: str) -> str:
    return server.ok("display-message", "-p", "-t", target,
                     "#{window_width}x#{window_height}").strip()


FULL_CLI = "import sys; from aisession_tui.cli.main import run; sys.exit(run(sys.argv[1:]))"


def _no_server(server: IsolatedServer) -> bool:
    import socket

    probe = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    try:
        probe.connect(str(server.socket))
    except OSError:
        return True
    finally:
        probe.close()
    return False


@pytest.mark.parametrize("args", [
    ("new-session", "-s", "x", "-x", "abc"),  # the server refuses: its words, its code
    ("new-session", "-e", "NOEQUALS"),
])
def test_a_cold_new_session_says_what_the_full_cli_said(server: IsolatedServer,
                                                        harness: Harness,
                                                        args: tuple[str, ...]) -> None:
    """A cold attaching ``new-session`` is served without the full CLI
    (cli/cold_session.py): what a refused one prints, and its exit code, are the full
    CLI's (run here as before: ``python -c`` of cli/main.py's ``run``)."""
    screens = []
    for full in (False, True):
        command = harness.client_command(*args).replace(
            "; echo client-exited;", "; echo client-exited $?;")
        if full:
            command = command.replace("-m aisession_tui.cli", f"-c {_quote(FULL_CLI)}")
        if screens:
            harness.tmux("respawn-pane", "-k", "-t", "h", command)
        else:
            harness.tmux("new-session", "-d", "-x", "120", "-y", "40", "-s", "h", command)
        screen = harness.wait_for("client-exited")
        screens.append([line for line in screen.splitlines() if line.strip()])
        server.cli("kill-server")
        wait_until(lambda: _no_server(server), DEADLINE, message="no server")
    assert screens[0] == screens[1]
    assert screens[0][-1] != "client-exited 0"
