"""End to end: attach through the thin client, in a real terminal (tmux as the harness).

``ai-session attach`` hands its terminal to a renderer the server's zygote forks
(aisession_tui/cli/thin_attach.py, aisession_tui/client/). These tests drive it as a person
would: the session is drawn and typed in, the terminal is resized, ``C-b d`` detaches,
``C-b C-z`` suspends the client and ``fg`` brings it back, ``C-z`` still reaches the pane;
killing one client's renderer leaves the session and the other client alone; the attaching
process never loads Textual or Rich. The zygote's bad inputs (a client that sends no
terminal, descriptors that are not a terminal, a request that cannot be served) each get
an error for that client only. Every server (tmux and ai-session) is killed in teardown.
"""

from __future__ import annotations

import json
import os
import shutil
import socket
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from conftest import DEADLINE, IsolatedServer, wait_until
from e2e_harness import Harness, _quote, running_harness

pytestmark = pytest.mark.skipif(shutil.which("tmux") is None, reason="needs tmux")


@pytest.fixture
def harness(server: IsolatedServer) -> Iterator[Harness]:
    yield from running_harness(server)


@pytest.fixture
def second_harness(server: IsolatedServer) -> Iterator[Harness]:
    yield from running_harness(server)


def _children(pid: int) -> list[int]:
    found = []
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            stat = Path(f"/proc/{entry}/stat").read_text()
        except OSError:
            continue
        fields = stat.rsplit(")", 1)[1].split()
        if fields[0] != "Z" and int(fields[1]) == pid:
            found.append(int(entry))
    return found


def _cmdline(pid: int) -> str:
    try:
        return Path(f"/proc/{pid}/cmdline").read_bytes().replace(b"\0", b" ").decode()
    except OSError:
        return ""


def _has_terminal(pid: int) -> bool:
    """Whether ``pid``'s standard input is a terminal (a client's, passed to it)."""
    try:
        return os.readlink(f"/proc/{pid}/fd/0").startswith("/dev/pts/")
    except OSError:
        return False


def zygote_children(server: IsolatedServer) -> list[int]:
    pid = server.server_pid()
    assert pid is not None
    zygotes = [child for child in _children(pid) if "client.zygote" in _cmdline(child)]
    return [child for zygote in zygotes for child in _children(zygote)]


def renderers(server: IsolatedServer) -> list[int]:
    """The renderer processes of ``server`` drawing for a client: children of its zygote
    holding a terminal."""
    return [pid for pid in zygote_children(server) if _has_terminal(pid)]


def spares(server: IsolatedServer) -> list[int]:
    """The spare renderers of ``server``: children of its zygote waiting, no terminal."""
    return [pid for pid in zygote_children(server) if not _has_terminal(pid)]


def _session(server: IsolatedServer, name: str) -> None:
    server.ok("new-session", "-d", "-s", name)
    server.wait_for_text(name, "$")


def test_attach_draws_the_session_types_and_detaches(server: IsolatedServer,
                                                     harness: Harness) -> None:
    """A cold start (``new-session`` with no server): the server starts its zygote first
    thing (server/boot.py) - one zygote, the server's own child - and the session is drawn
    through it."""
    harness.start("new-session", "-s", "thin")
    screen = harness.wait_for("[thin] 0:bash*")
    assert "[]" not in screen
    assert len(wait_until(lambda: renderers(server), DEADLINE, message="a renderer")) == 1
    pid = server.server_pid()
    assert pid is not None
    assert len([child for child in _children(pid) if "client.zygote" in _cmdline(child)]) == 1
    harness.wait_for("$")
    harness.keys("echo thin-$((6*7))", "Enter")
    harness.wait_for("thin-42")
    harness.keys("C-b", "d")
    screen = harness.wait_for("client-exited")
    assert "[detached (from session thin)]" in screen
    wait_until(lambda: not renderers(server), DEADLINE, message="the renderer exits")
    assert server.ok("ls").startswith("thin: 1 windows")


def test_a_resized_terminal_resizes_the_window(server: IsolatedServer,
                                               harness: Harness) -> None:
    _session(server, "grow")
    harness.start("attach", "-t", "grow")
    harness.wait_for("[grow]")

    def size() -> str:
        return server.ok("display-message", "-p", "-t", "grow",
                         "#{window_width}x#{window_height}").strip()

    wait_until(lambda: size() == "120x39", DEADLINE, message="the window at 120x39")
    harness.tmux("resize-window", "-t", "h", "-x", "90", "-y", "25")
    wait_until(lambda: size() == "90x24", DEADLINE, message="the window at 90x24")
    harness.keys("tput cols", "Enter")
    harness.wait_for("\n90")
    status = [line for line in harness.screen().splitlines() if "[grow]" in line]
    assert status and len(status[0].rstrip()) <= 90


def test_killing_a_renderer_leaves_the_session_and_the_other_client(
        server: IsolatedServer, harness: Harness, second_harness: Harness) -> None:
    _session(server, "both")
    harness.start("attach", "-t", "both")
    harness.wait_for("[both]")
    first = wait_until(lambda: renderers(server), DEADLINE, message="the first renderer")
    second_harness.start("attach", "-t", "both")
    second_harness.wait_for("[both]")
    wait_until(lambda: len(renderers(server)) == 2, DEADLINE, message="two renderers")
    os.kill(first[0], 9)
    screen = harness.wait_for("client-exited")
    assert "renderer died (killed by SIGKILL)" in screen
    assert "the session is still running" in screen
    second_harness.keys("echo still-here-$((5*5))", "Enter")
    second_harness.wait_for("still-here-25")
    assert "still-here-25" in server.capture("both")
    harness.respawn("attach", "-t", "both")
    harness.wait_for("still-here-25")


def test_attach_d_detaches_the_other_clients(server: IsolatedServer, harness: Harness,
                                            second_harness: Harness) -> None:
    """``attach -d`` (tmux's detach-others) goes through the server first - the only
    attach that does once the zygote runs: the first client is told it was detached, the
    second one draws the session."""
    _session(server, "only")
    harness.start("attach", "-t", "only")
    harness.wait_for("[only]")  # (maybe painted by the server: the renderer attaches next)
    wait_until(lambda: server.ok("list-clients", "-t", "only").strip(), DEADLINE,
               message="the first client attached")
    second_harness.start("attach", "-d", "-t", "only")
    second_harness.wait_for("[only]")
    assert "[detached (from session only)]" in harness.wait_for("client-exited")
    second_harness.keys("echo kept-$((7*6))", "Enter")
    second_harness.wait_for("kept-42")


@pytest.mark.parametrize("through", ["fresh", "spare"])
def test_suspend_with_prefix_ctrl_z_and_fg(server: IsolatedServer, harness: Harness,
                                           through: str) -> None:
    """``C-b C-z`` stops the client (tmux's suspend-client); the shell's ``fg`` brings it
    back, redrawn. ``C-z`` alone goes to the program in the pane, as in tmux. Through a
    renderer forked for the client, and through the spare made before it."""
    _session(server, "sus")
    spare = _waiting_spare(server) if through == "spare" else None
    env = " ".join(f"{key}={_quote(value)}" for key, value in (
        ("HOME", str(server.home)), ("AI_SESSION_HOME", str(server.data)),
        ("SHELL", "/bin/bash"), ("LANG", "C.UTF-8"), ("TERM", "xterm-256color"),
        ("PATH", "/usr/bin:/bin"), ("PS1", "outer$ ")))
    harness.tmux("new-session", "-d", "-x", "120", "-y", "40", "-s", "h",
                 f"env -u TMUX {env} bash --norc --noprofile -i")
    harness.wait_for("outer$")
    harness.keys(f"{_quote(sys.executable)} -m aisession_tui.cli -L {server.name} "
                 "attach -t sus", "Enter")
    harness.wait_for("[sus]")
    if spare is not None:
        assert renderers(server) == [spare]
    harness.keys("sleep 1000", "Enter")
    # sleep in the foreground of the pane's terminal: a C-z that reaches bash first (it
    # ignores SIGTSTP) is only echoed
    wait_until(lambda: server.ok("display-message", "-p", "-t", "sus",
                                 "#{pane_current_command}").strip() == "sleep",
               DEADLINE, message="sleep in the foreground")
    harness.keys("C-z")  # to the pane: its shell stops sleep
    harness.wait_for("Stopped")
    harness.keys("C-b", "C-z")
    # the client gone from the terminal (its screen with it) and the outer shell's job
    # message there: "outer$" alone would match the command line typed before
    wait_until(lambda: (lambda s: "[sus]" not in s and "Stopped" in s)(harness.screen()),
               DEADLINE, message="the outer shell's job message after the suspend")
    harness.keys("fg", "Enter")
    harness.wait_for("[sus]")
    wait_until(lambda: "Stopped" in harness.screen(), DEADLINE, message="redrawn")
    harness.keys("C-b", "d")
    harness.wait_for("[detached (from session sus)]")


def test_the_attaching_process_loads_no_textual_or_rich(server: IsolatedServer,
                                                         harness: Harness,
                                                         tmp_path: Path) -> None:
    _session(server, "light")
    modules = tmp_path / "modules.txt"
    code = ("import atexit, sys\n"
            f"atexit.register(lambda: open({str(modules)!r}, 'w').write("
            "' '.join(sorted(sys.modules))))\n"
            f"sys.argv = ['ai-session', '-L', {server.name!r}, 'attach', '-t', 'light']\n"
            "from aisession_tui.cli.fast import main\nmain()\n")
    script = tmp_path / "attach.py"
    script.write_text(code)
    command = harness.client_command("ls").replace(
        f"-m aisession_tui.cli -L {server.name} 'ls'", _quote(str(script)))
    harness.tmux("new-session", "-d", "-x", "120", "-y", "40", "-s", "h", command)
    harness.wait_for("[light]")  # (maybe painted by the server: the renderer draws next)
    wait_until(lambda: renderers(server), DEADLINE, message="a renderer")
    harness.keys("C-b", "d")
    harness.wait_for("[detached (from session light)]")
    loaded = set(modules.read_text().split())
    assert "aisession_tui.cli.thin_attach" in loaded
    assert not {name.split(".")[0] for name in loaded} & {"textual", "rich", "asyncio"}
    # the fast path: neither the command registry nor the full CLI was needed
    assert not loaded & {"aisession_tui.server.commands", "aisession_tui.cli.main",
                         "aisession_tui.protocol"}


# ------------------------------------------------------------------ bad input


@pytest.mark.parametrize("through", ["fresh", "spare"])
def test_a_missing_session_is_refused_by_the_renderer_in_tmuxs_words(
        server: IsolatedServer, harness: Harness, through: str) -> None:
    """With the zygote running, the thin client asks the server nothing and hands its
    terminal over at once: the renderer's attach fails, and the client prints tmux's
    ``can't find session: X``, exits 1 and leaves the terminal as it was (the previous
    screen, not an alternate one). The server and its session are untouched."""
    _session(server, "here")
    if through == "spare":
        _waiting_spare(server)
    else:
        _zygote(server)
    command = harness.client_command("attach", "-t", "nosuch").replace(
        "echo client-exited", "echo client-exited-$?")
    harness.tmux("new-session", "-d", "-x", "120", "-y", "40", "-s", "h", command)
    screen = harness.wait_for("client-exited-")
    assert "can't find session: nosuch" in screen
    assert "client-exited-1" in screen
    assert harness.tmux("display-message", "-p", "-t", "h", "#{alternate_on}").strip() == "0"
    wait_until(lambda: not renderers(server), DEADLINE, message="the renderer exits")
    assert server.ok("has-session", "-t", "here") == ""


def test_a_terminal_closed_mid_attach_ends_only_its_renderer(
        server: IsolatedServer, harness: Harness, second_harness: Harness) -> None:
    """The terminal goes away under an attached client (its tmux window is killed: the
    PTY closes, the thin client gets SIGHUP): that client's renderer ends, the session and
    the other client stay."""
    _session(server, "hup")
    harness.start("attach", "-t", "hup")
    harness.wait_for("[hup]")
    first = wait_until(lambda: renderers(server), DEADLINE, message="the first renderer")
    second_harness.start("attach", "-t", "hup")
    second_harness.wait_for("[hup]")
    wait_until(lambda: len(renderers(server)) == 2, DEADLINE, message="two renderers")
    harness.stop()  # the terminal of the first client is gone
    wait_until(lambda: first[0] not in renderers(server), DEADLINE,
               message="the first client's renderer ends")
    assert len(renderers(server)) == 1
    second_harness.keys("echo after-hangup-$((4*4))", "Enter")
    second_harness.wait_for("after-hangup-16")
    assert server.ok("has-session", "-t", "hup") == ""


def _zygote(server: IsolatedServer) -> str:
    from aisession_tui.cli.client import connect

    client = connect(server.socket, start=False)
    try:
        return str(client.request("renderer", {})["path"])
    finally:
        client.close()


def _answer(sock: socket.socket, timeout: float = DEADLINE) -> dict[str, object]:
    sock.settimeout(timeout)
    data = b""
    while b"\n" not in data:
        chunk = sock.recv(65536)
        if not chunk:
            break
        data += chunk
    return json.loads(data.split(b"\n", 1)[0])


def _connect(path: str) -> socket.socket:
    sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    sock.connect(path)
    return sock


def test_bad_clients_each_get_an_error_and_others_still_attach(
        server: IsolatedServer, harness: Harness) -> None:
    _session(server, "bad")
    path = _zygote(server)
    silent = _connect(path)  # connects and never sends its terminal
    gone = _connect(path)
    gone.close()  # connects and goes away
    no_terminal = _connect(path)
    no_terminal.sendall(b'{"socket": "x"}\n')
    assert "carried no terminal" in str(_answer(no_terminal)["stderr"])
    read_end, write_end = os.pipe()
    try:
        pipes = _connect(path)
        socket.send_fds(pipes, [b'{"socket": "x"}\n'], [read_end, write_end, write_end])
        assert "not a terminal" in str(_answer(pipes)["stderr"])
    finally:
        os.close(read_end)
        os.close(write_end)
    harness.start("attach", "-t", "bad")  # the zygote serves others meanwhile
    harness.wait_for("[bad]")
    started = time.monotonic()
    answer = _answer(silent)
    assert answer["exit"] == 1 and "no terminal received" in str(answer["stderr"])
    assert time.monotonic() - started < DEADLINE
    assert server.ok("has-session", "-t", "bad") == ""


@pytest.mark.parametrize("through", ["fresh", "spare"])
def test_a_renderer_that_cannot_reach_the_server_tells_its_client(
        server: IsolatedServer, tmp_path: Path, through: str) -> None:
    """A renderer failing during start-up (here: its request names no server) sends the
    client an error and exits; the zygote and the server go on. A spare, connected to its
    zygote's server before the client came, drops that connection and fails the same."""
    import pty

    _session(server, "ok")
    path = _zygote(server)
    spare = _waiting_spare(server) if through == "spare" else None
    master, slave = pty.openpty()
    try:
        sock = _connect(path)
        request = {"socket": str(tmp_path / "no-such-server"), "target": "ok",
                   "env": {"TERM": "xterm-256color", "HOME": str(server.home)},
                   "cwd": str(tmp_path)}
        socket.send_fds(sock, [(json.dumps(request) + "\n").encode()], [slave] * 3)
        answer = _answer(sock)
    finally:
        os.close(slave)
        os.close(master)
    assert answer["exit"] == 1 and "no server running" in str(answer["stderr"])
    assert _zygote(server) == path
    assert server.ok("has-session", "-t", "ok") == ""
    if spare is not None:
        wait_until(lambda: spare not in zygote_children(server), DEADLINE,
                   message="the spare that failed its client exits")


# ------------------------------------------------------------------ spare renderers


def _ticks(pid: int) -> int:
    """CPU time of ``pid`` so far, in clock ticks (user + system)."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return int(fields[11]) + int(fields[12])


def _status(pid: int, key: str) -> int:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith(f"{key}:"):
            return int(line.split()[1])
    raise KeyError(key)


def _waiting_spare(server: IsolatedServer) -> int:
    """The pid of the zygote's spare once it waits for a client: started (the
    ``renderer`` request starts the zygote), warmed up, built, and blocked - one thread, no
    CPU time or context switch added between two looks."""
    _zygote(server)
    previous: list[tuple[int, int, int]] = []

    def blocked() -> int | None:
        found = spares(server)
        if len(found) != 1:
            return None
        pid = found[0]
        try:
            now = (pid, _ticks(pid), _status(pid, "voluntary_ctxt_switches"))
            single = _status(pid, "Threads") == 1
        except (OSError, KeyError):
            return None
        same = previous == [now]
        previous[:] = [now]
        return pid if same and single else None

    return int(wait_until(blocked, DEADLINE, interval=0.5, message="a spare waiting"))  # type: ignore[call-overload]


def test_an_attach_is_served_by_the_spare_made_before_it(
        server: IsolatedServer, harness: Harness) -> None:
    """The renderer drawing for a client is the spare the zygote forked (and built) before
    the client asked; typing, resizing and detaching work through it, and once it is used
    the zygote makes another spare."""
    _session(server, "spare")
    # a binding of the server's (its tables reach the spare once the frame is out)
    server.ok("bind-key", "-n", "F6", "send-keys", "echo bound-$((2+3))", "Enter")
    spare = _waiting_spare(server)
    harness.start("attach", "-t", "spare")
    screen = harness.wait_for("[spare] 0:bash*")
    assert "[]" not in screen
    assert renderers(server) == [spare]
    harness.keys("F6")
    harness.wait_for("bound-5")
    harness.keys("echo via-spare-$((6*7))", "Enter")
    harness.wait_for("via-spare-42")
    harness.tmux("resize-window", "-t", "h", "-x", "90", "-y", "25")
    wait_until(lambda: server.ok("display-message", "-p", "-t", "spare",
                                 "#{window_width}x#{window_height}").strip() == "90x24",
               DEADLINE, message="the window at 90x24")
    next_spare = wait_until(lambda: [pid for pid in spares(server) if pid != spare],
                            DEADLINE, message="the next spare")
    assert spare not in next_spare
    harness.keys("C-b", "d")
    assert "[detached (from session spare)]" in harness.wait_for("client-exited")
    wait_until(lambda: spare not in zygote_children(server), DEADLINE,
               message="the used spare exits with its client")


def test_a_spare_built_at_the_last_size_serves_a_terminal_of_another(
        server: IsolatedServer, harness: Harness) -> None:
    """A spare lays its app out at the size of the last terminal a spare drew on; a
    client whose terminal is another size gets the window at its own size all the same,
    and so does one of the same size again."""
    _session(server, "sizes")

    def size() -> str:
        return server.ok("display-message", "-p", "-t", "sizes",
                         "#{window_width}x#{window_height}").strip()

    for columns, lines in ((120, 40), (90, 25), (90, 25)):
        _waiting_spare(server)
        command = harness.client_command("attach", "-t", "sizes")
        harness.tmux("new-session", "-d", "-x", str(columns), "-y", str(lines), "-s", "h",
                     command)
        harness.wait_for("[sizes]")
        wanted = f"{columns}x{lines - 1}"
        wait_until(lambda wanted=wanted: size() == wanted, DEADLINE,  # type: ignore[misc]
                   message=f"the window at {wanted}")
        status = [line for line in harness.screen().splitlines() if "[sizes]" in line]
        assert status and len(status[0].rstrip()) <= columns
        harness.keys("C-b", "d")
        harness.wait_for("[detached (from session sizes)]")
        harness.tmux("kill-session", "-t", "h")


def test_two_clients_in_a_row_get_separate_spares(
        server: IsolatedServer, harness: Harness, second_harness: Harness) -> None:
    _session(server, "pair")
    first = _waiting_spare(server)
    harness.start("attach", "-t", "pair")
    harness.wait_for("[pair]")
    second = _waiting_spare(server)
    assert second != first
    # the next spare holds no terminal: not the first client's, not any
    held = [os.readlink(f"/proc/{second}/fd/{fd}") for fd in os.listdir(f"/proc/{second}/fd")]
    assert not [target for target in held if target.startswith("/dev/pts/")]
    second_harness.start("attach", "-t", "pair")
    second_harness.wait_for("[pair]")
    assert sorted(renderers(server)) == sorted([first, second])
    second_harness.keys("echo second-$((3*3))", "Enter")
    harness.wait_for("second-9")  # both clients show the same pane
    second_harness.keys("C-b", "d")
    second_harness.wait_for("[detached (from session pair)]")
    harness.keys("echo first-$((2*2))", "Enter")
    harness.wait_for("first-4")
    assert renderers(server) == [first]


def test_a_waiting_spare_uses_no_cpu(server: IsolatedServer) -> None:
    """A spare waits in one system call: over a further second (and more, under load)
    neither its CPU time nor its voluntary context switches move - a loop polling a
    driver or a timer would add both."""
    _session(server, "idle")
    spare = _waiting_spare(server)
    before = (_ticks(spare), _status(spare, "voluntary_ctxt_switches"))
    time.sleep(1.0)  # an observation window, not a deadline: nothing may happen in it
    assert (_ticks(spare), _status(spare, "voluntary_ctxt_switches")) == before
    assert _status(spare, "Threads") == 1


def test_a_spare_killed_while_waiting_is_replaced(
        server: IsolatedServer, harness: Harness) -> None:
    _session(server, "again")
    spare = _waiting_spare(server)
    os.kill(spare, 9)
    replacement = _waiting_spare(server)
    assert replacement != spare
    harness.start("attach", "-t", "again")
    harness.wait_for("[again]")
    assert renderers(server) == [replacement]
    assert server.ok("has-session", "-t", "again") == ""


def test_a_spare_killed_after_taking_a_client_tells_only_that_client(
        server: IsolatedServer, harness: Harness, second_harness: Harness) -> None:
    _session(server, "crash")
    spare = _waiting_spare(server)
    harness.start("attach", "-t", "crash")
    harness.wait_for("[crash]")
    os.kill(spare, 9)
    screen = harness.wait_for("client-exited")
    assert "renderer died (killed by SIGKILL)" in screen
    second_harness.start("attach", "-t", "crash")
    second_harness.wait_for("[crash]")
    assert server.ok("has-session", "-t", "crash") == ""


def test_a_renderer_killed_during_start_up_tells_only_its_client(
        server: IsolatedServer, harness: Harness) -> None:
    """A renderer that dies before it has drawn (here: the one forked for a connection
    whose terminal has not come yet, killed; spares off, so the zygote forks it at once):
    that connection gets an ``exit`` line saying how its renderer died; the zygote, the
    server, its session and the next client go on."""
    server.env["AI_SESSION_SPARE"] = "0"  # the server's environment, so its zygote's
    _session(server, "early")
    path = _zygote(server)
    starting = _connect(path)
    renderer = wait_until(lambda: zygote_children(server), DEADLINE,
                          message="the renderer forked for the connection")
    os.kill(renderer[0], 9)
    answer = _answer(starting)
    assert answer["exit"] == 1 and answer.get("renderer_died")
    assert "renderer died (killed by SIGKILL)" in str(answer["stderr"])
    assert _zygote(server) == path
    harness.start("attach", "-t", "early")
    harness.wait_for("[early]")
    assert server.ok("has-session", "-t", "early") == ""


def test_a_client_with_another_config_gets_its_own(
        server: IsolatedServer, harness: Harness, tmp_path: Path) -> None:
    """A spare built from the server's config serves a client whose config differs (here
    ``XDG_CONFIG_HOME`` names another directory, whose config.toml sets ``status_right``,
    which the client applies once attached) by running a fresh app with the client's
    config, in the same process."""
    _session(server, "cfg")
    spare = _waiting_spare(server)
    config = tmp_path / "xdg" / "ai-session"
    config.mkdir(parents=True)
    (config / "config.toml").write_text('status_right = "own-config-right"\n')
    command = harness.client_command("attach", "-t", "cfg").replace(
        "env -u TMUX ", f"env -u TMUX XDG_CONFIG_HOME={_quote(str(tmp_path / 'xdg'))} ")
    harness.tmux("new-session", "-d", "-x", "120", "-y", "40", "-s", "h", command)
    screen = harness.wait_for("own-config-right")
    assert "[cfg]" in screen
    assert renderers(server) == [spare]
